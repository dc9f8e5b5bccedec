import { readFileSync } from 'node:fs';
import { beforeAll, expect, it } from 'vitest';
import {
  migratedSchemaDump,
  normalizeSchemaDump,
  regenerateCommand,
  schemaDiffExcerpt,
  schemaFile,
} from '../../helpers/schema-dump.ts';
import { describeWithServices, postgresService } from '../../helpers/services.ts';

/**
 * supabase/schema.sql is the current schema: what the migrations produce on a fresh PostgreSQL 15.
 * A migration added without regenerating it (or a hand edit of it) fails here.
 */
function driftReport(expected: string, actual: string): string | null {
  const excerpt = schemaDiffExcerpt(expected, actual);
  return excerpt === null
    ? null
    : `supabase/schema.sql differs from what supabase/migrations produce (- schema.sql, + migrations):\n${excerpt}\nRegenerate it with \`${regenerateCommand}\` and commit the result.`;
}

describeWithServices([postgresService()], 'supabase/schema.sql', () => {
  let migrated: string;
  let committed: string;

  beforeAll(async () => {
    migrated = await migratedSchemaDump();
    committed = readFileSync(schemaFile, 'utf8');
  }, 120_000);

  it('is what the migrations produce on a fresh PostgreSQL 15', () => {
    const report = driftReport(committed, migrated);
    expect(report, report ?? '').toBeNull();
  });

  it('fails the comparison when a copy of it is edited, and says how to regenerate', () => {
    const edited = committed.replace(
      'CREATE TABLE public.outcome_labels (',
      'CREATE TABLE public.outcome_labels (\n    hand_added_column text,',
    );
    expect(edited).not.toBe(committed);
    const report = driftReport(edited, migrated);
    expect(report).toContain('-    hand_added_column text,');
    expect(report).toContain(`Regenerate it with \`${regenerateCommand}\``);
    expect(
      driftReport(committed.replace('GRANT ALL ON TABLE', 'GRANT SELECT ON TABLE'), migrated),
    ).toMatch(/^\+GRANT ALL ON TABLE/m);
  });

  it('is stable: no version banner, no per-run \\restrict key', () => {
    expect(committed).not.toMatch(/^-- Dumped (from database|by pg_dump) version/m);
    expect(committed).not.toMatch(/^\\(un)?restrict /m);
    const banner = '-- Dumped from database version 15.99\n\\restrict abc\n';
    expect(normalizeSchemaDump(`${banner}CREATE TABLE t ();\n\\unrestrict abc\n`)).toBe(
      normalizeSchemaDump('CREATE TABLE t ();\n'),
    );
  });
});
