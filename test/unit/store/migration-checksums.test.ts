import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../src/store/migration-history.ts';
import { replacedMigrations } from '../../../src/store/pre-squash-migrations.ts';

/**
 * A committed migration is never edited: supabase/migrations.sha256 lists every migration file
 * with its SHA-256 (the format of `sha256sum`, so `cd supabase && sha256sum -c migrations.sha256`
 * checks it too). Editing, renaming or deleting a listed file fails here; a new migration only
 * needs its line appended.
 */
const supabaseDir = join(import.meta.dirname, '../../../supabase');
const linePattern = /^([0-9a-f]{64}) {2}(migrations\/\d{14}_[a-z0-9_]+\.sql)$/;

/** What is wrong between a migrations directory and a checksum list (empty: nothing). */
function checksumListProblems(directory: string, list: string): string[] {
  const listed = new Map<string, string>();
  const problems: string[] = [];
  for (const [index, line] of list.split('\n').entries()) {
    if (line === '') {
      continue;
    }
    const match = linePattern.exec(line);
    if (!match?.[1] || !match[2]) {
      problems.push(`line ${index + 1} is not "<sha256>  migrations/<file>.sql": ${line}`);
      continue;
    }
    listed.set(match[2], match[1]);
  }
  const files = readdirSync(join(directory, 'migrations'))
    .filter((file) => file.endsWith('.sql'))
    .sort();
  for (const file of files) {
    const path = `migrations/${file}`;
    const actual = sha256Hex(readFileSync(join(directory, path)));
    const expected = listed.get(path);
    if (expected === undefined) {
      problems.push(
        `${path} is new: append this line to supabase/migrations.sha256:\n${actual}  ${path}`,
      );
    } else if (expected !== actual) {
      problems.push(
        `${path} was edited after it was committed (listed ${expected}, now ${actual}). A committed migration is never edited: restore it and put the change in a new migration.`,
      );
    }
    listed.delete(path);
  }
  for (const path of listed.keys()) {
    problems.push(`${path} is listed but gone: a committed migration is never removed or renamed`);
  }
  return problems;
}

describe('supabase/migrations.sha256', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'rekindle-checksums-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const list = readFileSync(join(supabaseDir, 'migrations.sha256'), 'utf8');

  it('lists every migration file with the checksum it was committed with', () => {
    const problems = checksumListProblems(supabaseDir, list);
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('fails for an edited, a removed and an unlisted migration', () => {
    cpSync(join(supabaseDir, 'migrations'), join(scratch, 'migrations'), { recursive: true });
    const [first, second] = readdirSync(join(scratch, 'migrations')).sort();
    writeFileSync(join(scratch, 'migrations', first ?? ''), '-- edited\n', { flag: 'a' });
    rmSync(join(scratch, 'migrations', second ?? ''));
    writeFileSync(join(scratch, 'migrations', '29991231000000_added.sql'), 'select 1;\n');
    const problems = checksumListProblems(scratch, list);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toContain(`migrations/${first} was edited after it was committed`);
    expect(problems[1]).toContain('migrations/29991231000000_added.sql is new');
    expect(problems[1]).toContain(
      `${sha256Hex('select 1;\n')}  migrations/29991231000000_added.sql`,
    );
    expect(problems[2]).toContain(`migrations/${second} is listed but gone`);
  });

  it('knows the replaced migrations by the checksums of the editions that were squashed', () => {
    const fixtures = join(import.meta.dirname, '../../fixtures/pre-squash-migrations');
    expect(
      readdirSync(fixtures)
        .sort()
        .map((file) => ({
          version: file.slice(0, 14),
          name: file.slice(15, -4),
          sha256: sha256Hex(readFileSync(join(fixtures, file))),
        })),
    ).toEqual(replacedMigrations);
  });
});
