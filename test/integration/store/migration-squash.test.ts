import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMigrateCommand } from '../../../src/cli/commands/migrate.ts';
import { runCli } from '../../../src/cli/run-cli.ts';
import { readEnv } from '../../../src/config/index.ts';
import { storeOverTransport } from '../../../src/store/create-store.ts';
import { listMigrations, migrate } from '../../../src/store/migrate.ts';
import { PreSquashDatabaseError } from '../../../src/store/migration-errors.ts';
import { baselineVersions, replacedMigrations } from '../../../src/store/pre-squash-migrations.ts';
import type { SqlExecutor } from '../../../src/store/sql-executor.ts';
import { PgliteTransport } from '../../../src/store/transports/pglite-transport.ts';
import { PostgresTransport } from '../../../src/store/transports/postgres-transport.ts';
import { type PostgresServer, startPostgresServer } from '../../helpers/postgres-server.ts';
import { dumpSchema, normalizeSchemaDump, schemaDiffExcerpt } from '../../helpers/schema-dump.ts';
import { describeWithServices, postgresService } from '../../helpers/services.ts';
import { applyPreSquashMigrations, schemaFingerprint } from './schema-fingerprint.ts';

/**
 * The baseline (supabase/migrations) replaced the fifteen 20261128… files
 * (test/fixtures/pre-squash-migrations, the editions that were squashed). It must produce exactly
 * their schema, and a database built from them adopts it without running anything.
 */
const all = listMigrations();
const baseline = all.filter((migration) => baselineVersions.includes(migration.version));
/** The migrations committed after the baseline: an adopting database then runs them as any does. */
const later = all.filter((migration) => !baselineVersions.includes(migration.version));
const allVersions = all.map((migration) => migration.version);

/** A folder with the baseline alone, to compare its schema with the replaced files' schema. */
function baselineOnlyDir(): string {
  const directory = mkdtempSync(join(tmpdir(), 'rekindle-baseline-'));
  for (const migration of baseline) {
    copyFileSync(migration.path, join(directory, basename(migration.path)));
  }
  return directory;
}

async function historyVersions(executor: SqlExecutor): Promise<string[]> {
  const rows = await executor.query<{ version: string }>(
    'select version from supabase_migrations.schema_migrations order by version',
  );
  return rows.map((row) => row.version);
}

describeWithServices([postgresService()], 'the squashed baseline on PostgreSQL 15', () => {
  let server: PostgresServer;
  const transports: PostgresTransport[] = [];

  async function database(name: string): Promise<SqlExecutor> {
    const transport = new PostgresTransport({ connectionString: await server.database(name) });
    transports.push(transport);
    return transport.executor;
  }

  beforeAll(async () => {
    server = await startPostgresServer();
  });
  afterAll(async () => {
    await Promise.all(transports.map((transport) => transport.close()));
    await server?.stop();
  });

  it('produces the schema the replaced files produce: equal pg_dump, then adopts it', async () => {
    const before = await database('squash_old');
    await applyPreSquashMigrations(before);
    const oldDump = normalizeSchemaDump(await dumpSchema(await server.database('squash_old')));
    await migrate(await database('squash_new'), { migrationsDir: baselineOnlyDir() });
    const newDump = normalizeSchemaDump(await dumpSchema(await server.database('squash_new')));
    expect(schemaDiffExcerpt(oldDump, newDump)).toBeNull();
    expect(newDump).toContain('CREATE FUNCTION public.deploy_model(');

    const result = await migrate(before);
    expect(result.applied.map((migration) => migration.version)).toEqual(
      later.map((migration) => migration.version),
    );
    expect(result.adopted.map((migration) => migration.version)).toEqual(baselineVersions);
    expect(result.alreadyApplied).toHaveLength(baseline.length);
    expect(await historyVersions(before)).toEqual(allVersions);
    // Adopted, then the later migrations: the schema of a database migrated from scratch.
    await migrate(await database('squash_full'));
    const fullDump = normalizeSchemaDump(await dumpSchema(await server.database('squash_full')));
    const adoptedDump = normalizeSchemaDump(await dumpSchema(await server.database('squash_old')));
    expect(schemaDiffExcerpt(fullDump, adoptedDump)).toBeNull();

    const again = await migrate(before);
    expect(again).toMatchObject({ applied: [], adopted: [] });
    expect(again.alreadyApplied).toHaveLength(all.length);
    // The adopted database works: a tracked message reaches the leaderboard.
    await before.query(`select public.track_messages($1::jsonb)`, [
      JSON.stringify([{ organization_id: 'squash_org', route: 'outreach', model_version: 'v9' }]),
    ]);
    const [row] = await before.query<{ total_messages_sent: string }>(
      `select total_messages_sent from public.model_leaderboard where model_version = 'v9'`,
    );
    expect(Number(row?.total_messages_sent)).toBe(1);
  }, 60_000);

  it('takes rows the Supabase CLI wrote (split in statements) on their version', async () => {
    const executor = await database('squash_cli');
    await applyPreSquashMigrations(executor);
    await executor.exec(
      `update supabase_migrations.schema_migrations set statements = array['-- one', '-- two']`,
    );
    const result = await migrate(executor);
    expect(result.adopted).toHaveLength(baselineVersions.length);
    expect(await historyVersions(executor)).toEqual(allVersions);
  }, 60_000);

  it('refuses a database that applied only some of the replaced files, changing nothing', async () => {
    const executor = await database('squash_partial');
    await applyPreSquashMigrations(executor, 12);
    const failure = await migrate(executor).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PreSquashDatabaseError);
    const message = (failure as Error).message;
    expect(message).toContain('3 of the 15 replaced migrations were never applied');
    expect(message).toContain('20261128001600_crm_unscoped_events');
    expect(message).toContain('Upgrade path');
    expect(message).toContain('rekindle migrate');
    expect(await historyVersions(executor)).toEqual(
      replacedMigrations.slice(0, 12).map((migration) => migration.version),
    );
  }, 60_000);

  it('refuses a database that applied an edition edited after it was committed', async () => {
    const executor = await database('squash_edited');
    await applyPreSquashMigrations(executor);
    await executor.exec(`
      update supabase_migrations.schema_migrations
      set statements = array[statements[1] || E'\\n-- an earlier edition']
      where version = '20261128001000'
    `);
    const failure = await migrate(executor).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PreSquashDatabaseError);
    expect((failure as Error).message).toContain(
      'supabase/migrations/20261128001000_webhook_ingest.sql was applied in an edition that was edited afterwards',
    );
    expect(await historyVersions(executor)).toHaveLength(replacedMigrations.length);
  }, 60_000);
});

/** `rekindle migrate [--json]` in-process over the given transport (kept open). */
async function rekindleMigrate(transport: PgliteTransport, json: boolean) {
  const store = { ...storeOverTransport(transport, transport.executor), close: async () => {} };
  let stdout = '';
  let stderr = '';
  const exitCode = await runCli(
    ['migrate', ...(json ? ['--json'] : [])],
    readEnv({}),
    [createMigrateCommand({ openStore: async () => store })],
    {
      stdout: (text) => {
        stdout += text;
      },
      stderr: (text) => {
        stderr += text;
      },
    },
  );
  return { exitCode, stdout, stderr };
}

describe('the squashed baseline on PGlite', () => {
  let replaced: PgliteTransport;
  let squashed: PgliteTransport;

  // PGlite compiles its WASM on open: seconds alone, much longer on a busy machine.
  beforeAll(async () => {
    replaced = await PgliteTransport.open({ dataDir: 'memory://' });
    squashed = await PgliteTransport.open({ dataDir: 'memory://' });
  }, 180_000);
  afterAll(async () => {
    await Promise.all([replaced?.close(), squashed?.close()]);
  });

  it('`rekindle migrate` refuses a database part way through the replaced files, with the upgrade path', async () => {
    await applyPreSquashMigrations(replaced.executor, 14);
    const result = await rekindleMigrate(replaced, false);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      'rekindle migrate: This database was migrated with the 20261128',
    );
    expect(result.stderr).toContain('20261128001800_leaderboard_value_intervals');
    expect(result.stderr).toContain('remove REKINDLE_DATA_DIR/pgdata');
    expect(await historyVersions(replaced.executor)).toHaveLength(14);
  }, 60_000);

  it('produces the same catalog as the replaced files; `rekindle migrate` adopts it', async () => {
    // The rest of the replaced files, as the old runner would have applied them.
    await applyPreSquashMigrations(replaced.executor);
    await migrate(squashed.executor, { migrationsDir: baselineOnlyDir() });
    const expected = await schemaFingerprint(squashed.executor);
    expect(expected.length).toBeGreaterThan(300);
    expect(await schemaFingerprint(replaced.executor)).toEqual(expected);
    // Then the migrations committed after the baseline, on both.
    await migrate(squashed.executor);
    const expectedNow = await schemaFingerprint(squashed.executor);

    const result = await rekindleMigrate(replaced, true);
    expect(result).toMatchObject({ exitCode: 0, stderr: '' });
    expect(JSON.parse(result.stdout)).toEqual({
      transport: 'pglite',
      applied: later.map((migration) => `${migration.version}_${migration.name}`),
      already_applied: baseline.length,
      adopted: baseline.map((migration) => `${migration.version}_${migration.name}`),
    });
    expect(await historyVersions(replaced.executor)).toEqual(allVersions);
    expect(await schemaFingerprint(replaced.executor)).toEqual(expectedNow);
    expect((await rekindleMigrate(replaced, false)).stdout).toBe(
      `Database is up to date (${all.length} migrations applied earlier).\n`,
    );
  }, 60_000);
});
