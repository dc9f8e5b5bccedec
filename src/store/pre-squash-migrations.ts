import { migrationPath, PreSquashDatabaseError } from './migration-errors.ts';
import {
  type AppliedMigration,
  type LoadedMigration,
  recordApplied,
  sha256Hex,
} from './migration-history.ts';
import type { SqlExecutor } from './sql-executor.ts';

/**
 * The squash of 2026-12-07. The fifteen 20261128… migrations of the first development round were
 * replaced by the baseline 20261207000000…20261207000900, which produces exactly the schema they
 * produced (proved by test/integration/store/migration-squash.test.ts: equal pg_dump on
 * PostgreSQL 15, equal catalog on PGlite). A database that applied all fifteen, in the editions
 * that were squashed, therefore adopts the baseline: its history rows are replaced by the
 * baseline's, without running anything. Anything else is refused with the upgrade path.
 */
interface ReplacedMigration {
  readonly version: string;
  readonly name: string;
  /** SHA-256 of the edition that was squashed (test/fixtures/pre-squash-migrations). */
  readonly sha256: string;
}

export const replacedMigrations: readonly ReplacedMigration[] = [
  {
    version: '20261128000000',
    name: 'supabase_compat',
    sha256: '1a7df8cb77e3129255aaaa6396ee3e72fd8f3d943b10bc202d244d860e08a5e2',
  },
  {
    version: '20261128000100',
    name: 'core_schema',
    sha256: '7e1b1ddab96a17e0dae9f02d565bcd7ea11b70af2c774fe40c3778331df7a6eb',
  },
  {
    version: '20261128000200',
    name: 'quality_score',
    sha256: '8f7aba41b9c9a8afb6c203693552376d997da3edf6a17d2b9c23271143591572',
  },
  {
    version: '20261128000300',
    name: 'row_level_security',
    sha256: '38518daef6b074a9eb4b98a653933c8606b3e8e4286a3a45c3366c7a19c9900d',
  },
  {
    version: '20261128000400',
    name: 'store_functions',
    sha256: 'f1fd2cc20042559ef07b7d5679658536a10b1987f29c02fd23f51a991f1cd0ba',
  },
  {
    version: '20261128000500',
    name: 'views',
    sha256: '7aad5341cd6849f00917bf6a2953e3f0cbcf1b5340307c022a6eaa10176d118f',
  },
  {
    version: '20261128001000',
    name: 'webhook_ingest',
    sha256: '5c79fbf3de29cc3652fa7ee9d402e33408e266ded689a14de3d98c7f2ec39e0a',
  },
  {
    version: '20261128001100',
    name: 'training_runs',
    sha256: '061c7c5fd675a32d7981137a7b6dbaeecfc1c7b42c258db74f21584bd3f7d58a',
  },
  {
    version: '20261128001200',
    name: 'model_registry',
    sha256: 'a5abe315ba5b48d09c568a149dc649f40e2c5699604fc58b97846f21e523cf3b',
  },
  {
    version: '20261128001300',
    name: 'leaderboard',
    sha256: 'e0bdaadc24552f9f9acfe345c25020f17f0429bf5b881ede4246c64c0cc4a024',
  },
  {
    version: '20261128001400',
    name: 'tracking_fast_path',
    sha256: 'dee24a299edccf191028b3b88f2a5e18d20d54116a4f41e986223f5cb5bea72b',
  },
  {
    version: '20261128001500',
    name: 'contract_fixes',
    sha256: 'eed470ca60b5ef23c5046f8871413679dae043e03cba12e4d7298b30f2a460a4',
  },
  {
    version: '20261128001600',
    name: 'crm_unscoped_events',
    sha256: 'a6cd34e92e68ba5f8342b1df5f4ac75e7f47f19e920543a52be9f37dfbcdbb23',
  },
  {
    version: '20261128001700',
    name: 'reconcile_round_robin',
    sha256: '1f62742397caad538ee036960c80470d857cc66fd624ea45ba1985fb5f3ac800',
  },
  {
    version: '20261128001800',
    name: 'leaderboard_value_intervals',
    sha256: '8c1d988d45a1d3df3411698e4bb645c702e4c1d28a1b40d1082ac4e2135396fc',
  },
];

export const baselineVersions: readonly string[] = [
  '20261207000000',
  '20261207000100',
  '20261207000200',
  '20261207000300',
  '20261207000400',
  '20261207000500',
  '20261207000600',
  '20261207000700',
  '20261207000800',
  '20261207000900',
];

/**
 * Adopts the baseline over a database built from the replaced migrations and returns the baseline
 * files it recorded; returns [] when there is nothing to adopt (a new database, one that has the
 * baseline already, or a migrations directory that is not the baseline's). Throws
 * PreSquashDatabaseError when replaced migrations were applied but the baseline cannot stand for
 * them. Runs inside the caller's transaction, under its lock.
 */
export async function adoptBaseline(
  executor: SqlExecutor,
  migrations: readonly LoadedMigration[],
  applied: ReadonlyMap<string, AppliedMigration>,
): Promise<LoadedMigration[]> {
  const baseline = migrations.filter((migration) => baselineVersions.includes(migration.version));
  const replacedApplied = replacedMigrations.filter((migration) => applied.has(migration.version));
  if (
    replacedApplied.length === 0 ||
    baseline.length !== baselineVersions.length ||
    baseline.some((migration) => applied.has(migration.version))
  ) {
    return [];
  }
  const problems = adoptionProblems(applied);
  if (problems.length > 0) {
    throw new PreSquashDatabaseError(problems);
  }
  const versions = replacedMigrations.map((migration) => migration.version);
  await executor.query(
    'delete from supabase_migrations.schema_migrations where version = any($1)',
    [versions],
  );
  await executor.query(
    'delete from supabase_migrations.rekindle_checksums where version = any($1)',
    [versions],
  );
  for (const migration of baseline) {
    await recordApplied(executor, migration);
  }
  return baseline;
}

/** Why the baseline cannot stand for what this database applied (empty: it can). */
function adoptionProblems(applied: ReadonlyMap<string, AppliedMigration>): string[] {
  const missing = replacedMigrations.filter((migration) => !applied.has(migration.version));
  const problems: string[] = [];
  if (missing.length > 0) {
    problems.push(
      `${missing.length} of the ${replacedMigrations.length} replaced migrations were never applied: ${missing.map((migration) => `${migration.version}_${migration.name}`).join(', ')}`,
    );
  }
  for (const migration of replacedMigrations) {
    const edition = appliedEditionSha256(applied.get(migration.version));
    if (edition !== null && edition !== migration.sha256) {
      problems.push(
        `${migrationPath(migration)} was applied in an edition that was edited afterwards (sha256 ${edition}); its schema may differ from the baseline's`,
      );
    }
  }
  return problems;
}

/**
 * The checksum of the file as it was applied, when the history shows it: rekindle records a file
 * as a single statement. The Supabase CLI records it split in statements, which cannot be hashed
 * back into the file; such rows are taken on their version.
 */
function appliedEditionSha256(record: AppliedMigration | undefined): string | null {
  if (!record) {
    return null;
  }
  if (record.sha256 !== null) {
    return record.sha256;
  }
  const [only, ...rest] = record.statements;
  return only !== undefined && rest.length === 0 ? sha256Hex(only) : null;
}
