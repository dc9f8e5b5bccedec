import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { migratedSchemaDump, schemaDiffExcerpt, schemaFile } from './schema-dump.ts';

/**
 * `npm run db:schema`: regenerates supabase/schema.sql from the migrations (see schema-dump.ts).
 * Prints whether the file changed, so a run after adding a migration shows what it did.
 */
const previous = (() => {
  try {
    return readFileSync(schemaFile, 'utf8');
  } catch {
    return '';
  }
})();
const dump = await migratedSchemaDump();
writeFileSync(schemaFile, dump);
const name = relative(process.cwd(), schemaFile);
const lines = dump.split('\n').length - 1;
process.stdout.write(
  schemaDiffExcerpt(previous, dump) === null
    ? `${name} is up to date (${lines} lines)\n`
    : `wrote ${name} (${lines} lines)\n`,
);
