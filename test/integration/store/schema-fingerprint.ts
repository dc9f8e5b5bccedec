import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SqlExecutor } from '../../../src/store/sql-executor.ts';

/**
 * The schema of `public` and `auth` as the catalog describes it, one line per object: what
 * pg_dump would print, for engines without pg_dump (PGlite). Tables with their columns, defaults,
 * constraints, RLS and privileges; indexes; views with their definition and options; functions
 * with their full definition, privileges and comment; triggers; policies. Privileges are listed
 * sorted (their order in the catalog depends on the order of the GRANTs, not on what they grant).
 */
const fingerprintQuery = `
with ns as (select oid from pg_namespace where nspname in ('public', 'auth')),
acl as (
  select c.oid, coalesce((select string_agg(a::text, ',' order by a::text)
    from unnest(c.relacl) a), '-') as relacl
  from pg_class c where c.relnamespace in (select oid from ns)
)
select line from (
  select format('relation %s kind=%s rls=%s options=%s acl=%s', c.oid::regclass, c.relkind,
    c.relrowsecurity, c.reloptions, acl.relacl) as line
  from pg_class c join acl on acl.oid = c.oid
  where c.relnamespace in (select oid from ns) and c.relkind in ('r', 'v', 'S', 'm', 'p')
  union all
  select format('column %s.%s #%s %s notnull=%s default=%s identity=%s acl=%s', a.attrelid::regclass,
    a.attname, a.attnum, format_type(a.atttypid, a.atttypmod), a.attnotnull,
    pg_get_expr(d.adbin, d.adrelid), a.attidentity,
    (select string_agg(x::text, ',' order by x::text) from unnest(a.attacl) x))
  from pg_attribute a join pg_class c on c.oid = a.attrelid
  left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
  where c.relnamespace in (select oid from ns) and c.relkind in ('r', 'v', 'p')
    and a.attnum > 0 and not a.attisdropped
  union all
  select format('constraint %s on %s: %s', o.conname, o.conrelid::regclass, pg_get_constraintdef(o.oid))
  from pg_constraint o where o.connamespace in (select oid from ns)
  union all
  select format('index %s', pg_get_indexdef(i.indexrelid))
  from pg_index i join pg_class c on c.oid = i.indexrelid
  where c.relnamespace in (select oid from ns)
  union all
  select format('view %s: %s', c.oid::regclass, pg_get_viewdef(c.oid))
  from pg_class c where c.relnamespace in (select oid from ns) and c.relkind = 'v'
  union all
  select format('function %s acl=%s comment=%s: %s', p.oid::regprocedure,
    (select string_agg(x::text, ',' order by x::text) from unnest(p.proacl) x),
    obj_description(p.oid, 'pg_proc'), pg_get_functiondef(p.oid))
  from pg_proc p where p.pronamespace in (select oid from ns)
  union all
  select format('trigger %s', pg_get_triggerdef(t.oid))
  from pg_trigger t join pg_class c on c.oid = t.tgrelid
  where c.relnamespace in (select oid from ns) and not t.tgisinternal
  union all
  select format('policy %s on %s: %s to %s using %s check %s', p.polname, p.polrelid::regclass,
    p.polcmd, (select string_agg(r::regrole::text, ',' order by r::regrole::text)
      from unnest(p.polroles) r),
    pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid))
  from pg_policy p join pg_class c on c.oid = p.polrelid
  where c.relnamespace in (select oid from ns)
) lines
order by line`;

export async function schemaFingerprint(executor: SqlExecutor): Promise<string[]> {
  const rows = await executor.query<{ line: string }>(fingerprintQuery);
  return rows.map((row) => row.line);
}

const preSquashMigrationsDir = join(import.meta.dirname, '../../fixtures/pre-squash-migrations');

/**
 * Migrates a database the way the runner did before the squash: each of the fifteen replaced files
 * (the editions that were squashed) not applied yet, in its own transaction, recorded in
 * schema_migrations as one statement, no checksums. `count` stops at that many files (a database
 * migrated part way); a later call applies the rest.
 */
export async function applyPreSquashMigrations(
  executor: SqlExecutor,
  count = Number.POSITIVE_INFINITY,
): Promise<void> {
  await executor.exec(`
    create schema if not exists supabase_migrations;
    create table if not exists supabase_migrations.schema_migrations (
      version text not null primary key,
      statements text[],
      name text
    );
  `);
  const recorded = await executor.query<{ version: string }>(
    'select version from supabase_migrations.schema_migrations',
  );
  const applied = new Set(recorded.map((row) => row.version));
  const files = readdirSync(preSquashMigrationsDir)
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .slice(0, count)
    .filter((file) => !applied.has(file.slice(0, 14)));
  for (const file of files) {
    const sql = readFileSync(join(preSquashMigrationsDir, file), 'utf8');
    await executor.transaction(async (transaction) => {
      await transaction.exec(sql);
      await transaction.query(
        'insert into supabase_migrations.schema_migrations (version, statements, name) values ($1, $2, $3)',
        [file.slice(0, 14), [sql], file.slice(15, -4)],
      );
    });
  }
}
