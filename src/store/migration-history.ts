import { createHash } from 'node:crypto';
import { type ChangedMigration, MigrationChecksumError } from './migration-errors.ts';
import type { SqlExecutor } from './sql-executor.ts';

/**
 * What a database records about its migrations. supabase_migrations.schema_migrations is the
 * Supabase CLI's own table (so `supabase db push` and `rekindle migrate` agree on what ran);
 * supabase_migrations.rekindle_checksums is ours: the SHA-256 of each applied file, so an applied
 * migration that was edited afterwards is refused instead of silently disagreeing with the
 * database. A file applied by `supabase db push`, which records no checksum, is fingerprinted the
 * first time `rekindle migrate` sees it.
 */
export interface LoadedMigration {
  readonly version: string;
  readonly name: string;
  readonly path: string;
  readonly sql: string;
  readonly sha256: string;
}

export interface AppliedMigration {
  readonly version: string;
  readonly name: string | null;
  /** What was executed: the whole file (rekindle), or the file split in statements (Supabase CLI). */
  readonly statements: readonly string[];
  /** Null when the file was applied by a tool that records no checksum. */
  readonly sha256: string | null;
}

export function sha256Hex(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

export async function createHistoryTables(executor: SqlExecutor): Promise<void> {
  await executor.exec(`
    create schema if not exists supabase_migrations;
    create table if not exists supabase_migrations.schema_migrations (
      version text not null primary key,
      statements text[],
      name text
    );
    create table if not exists supabase_migrations.rekindle_checksums (
      version text not null primary key,
      name text not null,
      sha256 text not null,
      recorded_at timestamptz not null default now()
    );
  `);
}

export async function readAppliedMigrations(
  executor: SqlExecutor,
): Promise<Map<string, AppliedMigration>> {
  const rows = await executor.query<{
    version: string;
    name: string | null;
    statements: string[] | null;
    sha256: string | null;
  }>(
    `select m.version, m.name, m.statements, c.sha256
     from supabase_migrations.schema_migrations m
     left join supabase_migrations.rekindle_checksums c on c.version = m.version
     order by m.version`,
  );
  return new Map(
    rows.map((row) => [
      row.version,
      {
        version: row.version,
        name: row.name,
        statements: row.statements ?? [],
        sha256: row.sha256,
      },
    ]),
  );
}

/** Records a file as applied: the CLI's row (the file as one statement) and its checksum. */
export async function recordApplied(
  executor: SqlExecutor,
  migration: LoadedMigration,
): Promise<void> {
  await executor.query(
    'insert into supabase_migrations.schema_migrations (version, statements, name) values ($1, $2, $3)',
    [migration.version, [migration.sql], migration.name],
  );
  await recordChecksum(executor, migration);
}

async function recordChecksum(executor: SqlExecutor, migration: LoadedMigration): Promise<void> {
  await executor.query(
    `insert into supabase_migrations.rekindle_checksums (version, name, sha256) values ($1, $2, $3)
     on conflict (version) do update set name = excluded.name, sha256 = excluded.sha256,
       recorded_at = now()`,
    [migration.version, migration.name, migration.sha256],
  );
}

/**
 * Compares every applied file with the checksum it was applied with; throws
 * MigrationChecksumError listing each one that changed. An applied file without a checksum gets
 * one now. Versions the database has but the directory lacks (a newer gateway migrated it) are
 * left alone.
 */
export async function verifyAppliedChecksums(
  executor: SqlExecutor,
  migrations: readonly LoadedMigration[],
  applied: ReadonlyMap<string, AppliedMigration>,
): Promise<void> {
  const changed: ChangedMigration[] = [];
  for (const migration of migrations) {
    const record = applied.get(migration.version);
    if (!record) {
      continue;
    }
    if (record.sha256 === null) {
      await recordChecksum(executor, migration);
    } else if (record.sha256 !== migration.sha256) {
      changed.push({
        version: migration.version,
        name: migration.name,
        appliedSha256: record.sha256,
        fileSha256: migration.sha256,
      });
    }
  }
  if (changed.length > 0) {
    throw new MigrationChecksumError(changed);
  }
}
