import { StoreError } from './store-errors.ts';

const dataModelDoc = 'docs/data-model.md';

/** The file a migration came from, as `supabase/migrations/<version>_<name>.sql`. */
export function migrationPath(migration: { version: string; name: string }): string {
  return `supabase/migrations/${migration.version}_${migration.name}.sql`;
}

export interface ChangedMigration {
  readonly version: string;
  readonly name: string;
  /** What the database recorded when the file was applied. */
  readonly appliedSha256: string;
  /** What the file hashes to now. */
  readonly fileSha256: string;
}

/**
 * A migration the database has applied no longer has the content it was applied with. Nothing is
 * applied until the file is restored: the database and the file would disagree on the schema.
 */
export class MigrationChecksumError extends StoreError {
  readonly changed: readonly ChangedMigration[];

  constructor(changed: readonly ChangedMigration[]) {
    const lines = changed.map(
      (migration) =>
        `  ${migrationPath(migration)}: applied as sha256 ${migration.appliedSha256}, the file is now ${migration.fileSha256}`,
    );
    super(
      [
        `${changed.length} applied migration(s) were edited after they were applied to this database:`,
        ...lines,
        'A committed migration is never edited. Restore the file as it was (git checkout <commit> -- <file>) and put the change in a new migration; nothing was applied.',
        `See ${dataModelDoc}, "Migrations".`,
      ].join('\n'),
      { retryable: false },
    );
    this.name = 'MigrationChecksumError';
    this.changed = changed;
  }
}

/**
 * A database migrated with the development migrations that the baseline replaced, in a state the
 * baseline cannot be adopted over: some of them missing, or applied in an edition that was edited
 * afterwards. `problems` says which.
 */
export class PreSquashDatabaseError extends StoreError {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(
      [
        'This database was migrated with the 20261128… development migrations, which the baseline 20261207… replaced, and the baseline cannot be adopted over it:',
        ...problems.map((problem) => `  ${problem}`),
        'Upgrade path: keep the data you need (pg_dump --data-only), reset the database (a new database on PostgreSQL or Supabase, `supabase db reset` locally, or remove REKINDLE_DATA_DIR/pgdata for the embedded store), run `rekindle migrate`, then restore the data.',
        `See ${dataModelDoc}, "Databases created before the baseline".`,
      ].join('\n'),
      { retryable: false },
    );
    this.name = 'PreSquashDatabaseError';
    this.problems = problems;
  }
}
