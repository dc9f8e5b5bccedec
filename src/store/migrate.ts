import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createHistoryTables,
  type LoadedMigration,
  readAppliedMigrations,
  recordApplied,
  sha256Hex,
  verifyAppliedChecksums,
} from './migration-history.ts';
import { adoptBaseline } from './pre-squash-migrations.ts';
import type { SqlExecutor } from './sql-executor.ts';

/**
 * Applies supabase/migrations/*.sql in file-name order, each in its own transaction, and records
 * it in supabase_migrations.schema_migrations — the table the Supabase CLI uses — so
 * `supabase db push` and `rekindle migrate` agree on what ran. Applied versions are skipped, so a
 * second run is a no-op. A transaction-scoped advisory lock lets several gateways start at once.
 *
 * Before applying anything it checks the history: an applied file whose content changed since is
 * refused (MigrationChecksumError: a committed migration is never edited), and a database built
 * from the migrations the baseline replaced adopts the baseline (pre-squash-migrations.ts).
 */
export interface MigrationFile {
  /** The timestamp prefix, e.g. 20261207000100. */
  readonly version: string;
  /** The rest of the file name without .sql, e.g. tables. */
  readonly name: string;
  readonly path: string;
}

export interface MigrationResult {
  readonly applied: readonly MigrationFile[];
  /** Every file the database had applied before this run (adopted ones included). */
  readonly alreadyApplied: readonly MigrationFile[];
  /** Baseline files recorded as applied, without running, over a pre-squash database. */
  readonly adopted: readonly MigrationFile[];
}

export interface MigrateOptions {
  /** Default: the package's own supabase/migrations, found from this file, not the cwd. */
  migrationsDir?: string;
  /** Called before each file is applied (progress output). */
  onApply?: (migration: MigrationFile) => void;
}

const fileNamePattern = /^(\d{14})_([a-z0-9_]+)\.sql$/;
// Any constant works; it only has to be the same for every gateway (hashtext('rekindle_migrate')).
const advisoryLockKey = 7_345_221_903;

export function defaultMigrationsDir(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth += 1) {
    const candidate = join(directory, 'supabase', 'migrations');
    if (existsSync(join(directory, 'package.json')) && existsSync(candidate)) {
      return candidate;
    }
    directory = dirname(directory);
  }
  throw new Error('cannot find supabase/migrations next to the package root');
}

export function listMigrations(migrationsDir: string = defaultMigrationsDir()): MigrationFile[] {
  return readdirSync(migrationsDir)
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((file) => {
      const match = fileNamePattern.exec(file);
      if (!match?.[1] || !match[2]) {
        throw new Error(`migration file name must be <14-digit timestamp>_<name>.sql: ${file}`);
      }
      return { version: match[1], name: match[2], path: join(migrationsDir, file) };
    });
}

function loadMigrations(migrationsDir: string | undefined): LoadedMigration[] {
  return listMigrations(migrationsDir).map((migration) => {
    const content = readFileSync(migration.path);
    return { ...migration, sql: content.toString('utf8'), sha256: sha256Hex(content) };
  });
}

function fileOf(migration: LoadedMigration): MigrationFile {
  return { version: migration.version, name: migration.name, path: migration.path };
}

export async function migrate(
  executor: SqlExecutor,
  options: MigrateOptions = {},
): Promise<MigrationResult> {
  const migrations = loadMigrations(options.migrationsDir);
  await executor.transaction(async (transaction) => {
    await transaction.query('select pg_advisory_xact_lock($1)', [advisoryLockKey]);
    await createHistoryTables(transaction);
  });
  const adopted = await executor.transaction(async (transaction) => {
    await transaction.query('select pg_advisory_xact_lock($1)', [advisoryLockKey]);
    const adoptedFiles = await adoptBaseline(
      transaction,
      migrations,
      await readAppliedMigrations(transaction),
    );
    await verifyAppliedChecksums(transaction, migrations, await readAppliedMigrations(transaction));
    return adoptedFiles.map(fileOf);
  });
  const applied: MigrationFile[] = [];
  const alreadyApplied: MigrationFile[] = [];
  for (const migration of migrations) {
    const ran = await executor.transaction(async (transaction) => {
      await transaction.query('select pg_advisory_xact_lock($1)', [advisoryLockKey]);
      const existing = await transaction.query(
        'select 1 from supabase_migrations.schema_migrations where version = $1',
        [migration.version],
      );
      if (existing.length > 0) {
        return false;
      }
      options.onApply?.(fileOf(migration));
      await transaction.exec(migration.sql);
      await recordApplied(transaction, migration);
      return true;
    });
    (ran ? applied : alreadyApplied).push(fileOf(migration));
  }
  return { applied, alreadyApplied, adopted };
}
