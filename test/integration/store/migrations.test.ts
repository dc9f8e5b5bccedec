import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultMigrationsDir, listMigrations, migrate } from '../../../src/store/migrate.ts';
import { MigrationChecksumError } from '../../../src/store/migration-errors.ts';
import { sha256Hex } from '../../../src/store/migration-history.ts';
import type { SqlExecutor } from '../../../src/store/sql-executor.ts';
import { PgliteTransport } from '../../../src/store/transports/pglite-transport.ts';
import { PostgresTransport } from '../../../src/store/transports/postgres-transport.ts';
import { type PostgresServer, startPostgresServer } from '../../helpers/postgres-server.ts';
import { describeWithServices, postgresService } from '../../helpers/services.ts';

const migrations = listMigrations();

/** The same checks on every engine: the runner applies everything once, then nothing. */
function migrationChecks(open: () => Promise<{ executor: SqlExecutor; close(): Promise<void> }>) {
  let target: { executor: SqlExecutor; close(): Promise<void> };

  beforeAll(async () => {
    target = await open();
  });
  afterAll(async () => {
    await target?.close();
  });

  it('applies every migration, then is a no-op the second time', async () => {
    const first = await migrate(target.executor);
    expect(first.applied.map((migration) => migration.version)).toEqual(
      migrations.map((migration) => migration.version),
    );
    const second = await migrate(target.executor);
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toHaveLength(migrations.length);
  });

  it('records them where the Supabase CLI looks (supabase_migrations.schema_migrations)', async () => {
    const rows = await target.executor.query<{
      version: string;
      name: string;
      statements: string[];
    }>(
      'select version, name, statements from supabase_migrations.schema_migrations order by version',
    );
    expect(rows.map((row) => `${row.version}_${row.name}`)).toEqual(
      migrations.map((migration) => `${migration.version}_${migration.name}`),
    );
    expect(rows[0]?.statements[0]).toBe(readFileSync(migrations[0]?.path ?? '', 'utf8'));
  });

  it('survives every file being executed again by hand', async () => {
    for (const migration of migrations) {
      await target.executor.exec(readFileSync(migration.path, 'utf8'));
    }
    const tables = await target.executor.query<{ name: string }>(
      `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind in ('r', 'v') order by 1`,
    );
    expect(tables.map((table) => table.name)).toEqual(
      expect.arrayContaining([
        'organizations',
        'api_keys',
        'outcome_labels',
        'webhook_events',
        'model_registry',
        'training_runs',
        'training_ready_outcomes',
        'active_models',
        'model_leaderboard',
        'flywheel_weekly',
      ]),
    );
  });

  it('seed.sql adds the demo organization, idempotently', async () => {
    const seed = readFileSync(join(import.meta.dirname, '../../../supabase/seed.sql'), 'utf8');
    await target.executor.exec(seed);
    await target.executor.exec(seed);
    const rows = await target.executor.query<{ id: string }>(
      `select id from public.organizations where id = 'demo'`,
    );
    expect(rows).toEqual([{ id: 'demo' }]);
  });

  it('keeps org B rows away from an authenticated user with org A claims (RLS)', async () => {
    await target.executor.exec(`
      insert into public.outcome_labels (organization_id, lead_id)
      values ('mig_org_a', 'lead_a'), ('mig_org_b', 'lead_b');
    `);
    await target.executor.transaction(async (transaction) => {
      await transaction.exec('set local role authenticated');
      await transaction.query(`select set_config('request.jwt.claims', $1, true)`, [
        JSON.stringify({ role: 'authenticated', app_metadata: { organization_id: 'mig_org_a' } }),
      ]);
      const [who] = await transaction.query<{ user: string }>('select current_user as "user"');
      expect(who?.user).toBe('authenticated');
      const visible = await transaction.query<{ lead_id: string }>(
        `select lead_id from public.outcome_labels where organization_id like 'mig_org_%'`,
      );
      expect(visible.map((row) => row.lead_id)).toEqual(['lead_a']);
      // In a savepoint, so the refused insert does not abort the whole transaction.
      await transaction.exec('savepoint refused_insert');
      await expect(
        transaction.exec(
          `insert into public.outcome_labels (organization_id, lead_id) values ('mig_org_b', 'x')`,
        ),
      ).rejects.toThrow(/row-level security/);
      await transaction.exec('rollback to savepoint refused_insert');
    });
  });

  it('refuses to run when an applied migration was edited, and applies nothing', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'rekindle-migrations-'));
    try {
      cpSync(defaultMigrationsDir(), copy, { recursive: true });
      const edited = migrations.at(-1);
      const editedFile = join(copy, `${edited?.version}_${edited?.name}.sql`);
      writeFileSync(editedFile, '\n-- a change made in place\n', { flag: 'a' });
      writeFileSync(
        join(copy, '29991231000000_after_the_edit.sql'),
        'create table public.after_the_edit (id integer);\n',
      );
      const failure = await migrate(target.executor, { migrationsDir: copy }).catch(
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(MigrationChecksumError);
      const message = (failure as Error).message;
      expect(message).toContain(`supabase/migrations/${edited?.version}_${edited?.name}.sql`);
      expect(message).toContain(sha256Hex(readFileSync(editedFile)));
      expect(message).toContain('A committed migration is never edited');
      const after = await target.executor.query(
        `select 1 from pg_class where relname = 'after_the_edit'`,
      );
      expect(after).toEqual([]);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('fingerprints a file applied without a checksum (supabase db push) when it first sees it', async () => {
    const migration = migrations[1];
    await target.executor.query(
      'delete from supabase_migrations.rekindle_checksums where version = $1',
      [migration?.version],
    );
    const result = await migrate(target.executor);
    expect(result.applied).toEqual([]);
    const rows = await target.executor.query<{ sha256: string }>(
      'select sha256 from supabase_migrations.rekindle_checksums where version = $1',
      [migration?.version],
    );
    expect(rows).toEqual([{ sha256: sha256Hex(readFileSync(migration?.path ?? '')) }]);
  });
}

describe('migrations on PGlite', () => {
  migrationChecks(async () => PgliteTransport.open({ dataDir: 'memory://' }));
});

describeWithServices([postgresService()], 'migrations on PostgreSQL 15', () => {
  let server: PostgresServer;
  migrationChecks(async () => {
    server = await startPostgresServer();
    const transport = new PostgresTransport({ connectionString: server.url });
    return {
      executor: transport.executor,
      async close() {
        await transport.close();
        await server.stop();
      },
    };
  });
});
