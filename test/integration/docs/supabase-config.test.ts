import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * supabase/config.toml as the Supabase CLI (2.x, `pkg/config`) reads it. The CLI is not installable
 * here (its npm package downloads a binary), so its rules are restated: it decodes the file with
 * UnmarshalExact over the fields of its own config.toml template — an unknown key is an error —
 * then validates `project_id`, the ports of enabled services, `db.major_version` (13, 14, 15 or 17),
 * `auth.site_url`, `db.pooler.pool_mode` and the analytics backend. `supabase db push` reads the
 * migrations as `<digits>_<name>.sql` and the seed from `db.seed.sql_paths`.
 */

const supabaseDirectory = join(import.meta.dirname, '../../../supabase');

type TomlValue = string | number | boolean | string[];

/** The TOML subset config.toml uses: [tables], key = "string" | number | boolean | ["strings"]. */
function parseToml(text: string): Map<string, Map<string, TomlValue>> {
  const tables = new Map<string, Map<string, TomlValue>>([['', new Map()]]);
  let current = tables.get('') as Map<string, TomlValue>;
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.replace(/\s+#.*$/, '').trim();
    if (line === '' || line.startsWith('#')) {
      continue;
    }
    const table = /^\[([a-z_.]+)\]$/.exec(line);
    if (table?.[1]) {
      if (tables.has(table[1])) {
        throw new Error(`line ${index + 1}: table [${table[1]}] defined twice`);
      }
      current = new Map();
      tables.set(table[1], current);
      continue;
    }
    const pair = /^([a-z_]+)\s*=\s*(.+)$/.exec(line);
    if (!pair?.[1] || pair[2] === undefined) {
      throw new Error(`line ${index + 1}: not a key = value pair: ${raw}`);
    }
    if (current.has(pair[1])) {
      throw new Error(`line ${index + 1}: key ${pair[1]} defined twice`);
    }
    current.set(pair[1], parseValue(pair[2], index + 1));
  }
  return tables;
}

function parseValue(text: string, line: number): TomlValue {
  if (/^"[^"]*"$/.test(text)) {
    return text.slice(1, -1);
  }
  if (/^-?\d+$/.test(text)) {
    return Number(text);
  }
  if (text === 'true' || text === 'false') {
    return text === 'true';
  }
  if (/^\[\s*("[^"]*"\s*(,\s*"[^"]*"\s*)*)?\]$/.test(text)) {
    return [...text.matchAll(/"([^"]*)"/g)].map((match) => match[1] ?? '');
  }
  throw new Error(`line ${line}: unsupported value ${text}`);
}

/** The fields of the CLI's config template for the tables this project sets. */
const knownKeys: Record<string, readonly string[]> = {
  '': ['project_id'],
  api: ['enabled', 'port', 'schemas', 'extra_search_path', 'max_rows', 'external_url'],
  db: ['port', 'shadow_port', 'major_version'],
  'db.pooler': ['enabled', 'port', 'pool_mode', 'default_pool_size', 'max_client_conn'],
  'db.migrations': ['enabled', 'schema_paths'],
  'db.seed': ['enabled', 'sql_paths'],
  realtime: ['enabled', 'ip_version', 'max_header_length'],
  studio: ['enabled', 'port', 'api_url', 'openai_api_key'],
  storage: ['enabled', 'file_size_limit'],
  auth: [
    'enabled',
    'site_url',
    'additional_redirect_urls',
    'jwt_expiry',
    'enable_refresh_token_rotation',
    'refresh_token_reuse_interval',
    'enable_signup',
    'enable_anonymous_sign_ins',
    'enable_manual_linking',
    'minimum_password_length',
    'password_requirements',
  ],
  edge_runtime: ['enabled', 'policy', 'inspector_port', 'deno_version'],
  analytics: ['enabled', 'port', 'backend'],
};

describe('supabase/ is a valid Supabase CLI project', () => {
  const config = parseToml(readFileSync(join(supabaseDirectory, 'config.toml'), 'utf8'));
  const get = (table: string, key: string) => config.get(table)?.get(key);
  const enabled = (table: string) => get(table, 'enabled') !== false;

  it('uses only fields the CLI knows', () => {
    const unknown: string[] = [];
    for (const [table, keys] of config) {
      for (const key of keys.keys()) {
        if (!knownKeys[table]?.includes(key)) {
          unknown.push(table ? `${table}.${key}` : key);
        }
      }
    }
    expect(unknown).toEqual([]);
  });

  it('passes the CLI validation', () => {
    const projectId = get('', 'project_id');
    expect(projectId).toMatch(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,39}$/);
    expect([13, 14, 15, 17]).toContain(get('db', 'major_version'));
    expect(get('db', 'port')).toBeGreaterThan(0);
    if (enabled('api')) {
      expect(get('api', 'port')).toBeGreaterThan(0);
      // The store functions are called through PostgREST's rpc on the public schema.
      expect(get('api', 'schemas')).toContain('public');
    }
    if (enabled('studio')) {
      expect(get('studio', 'port')).toBeGreaterThan(0);
    }
    if (enabled('auth')) {
      expect(get('auth', 'site_url')).toMatch(/^https?:\/\//);
    }
    expect(['transaction', 'session']).toContain(get('db.pooler', 'pool_mode'));
    if (enabled('analytics')) {
      expect(get('analytics', 'backend')).toBe('postgres');
    }
  });

  it('has migrations `supabase db push` applies in order and the seed it names', () => {
    const migrations = readdirSync(join(supabaseDirectory, 'migrations')).sort();
    expect(migrations.length).toBeGreaterThan(0);
    for (const file of migrations) {
      expect(file).toMatch(/^\d{14}_[a-z0-9_]+\.sql$/);
    }
    const versions = migrations.map((file) => file.slice(0, 14));
    expect(new Set(versions).size).toBe(versions.length);
    expect(get('db.migrations', 'enabled')).not.toBe(false);
    for (const seed of (get('db.seed', 'sql_paths') as string[] | undefined) ?? []) {
      expect(existsSync(join(supabaseDirectory, seed)), seed).toBe(true);
    }
  });
});
