import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createStore } from '../../../src/store/index.ts';
import { freePort } from '../../helpers/postgres-server.ts';

const root = join(import.meta.dirname, '../../..');

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) {
      return sourceFiles(path);
    }
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('the store is reached through its face', () => {
  it('no module outside src/store builds a typed store or reads the transport', () => {
    const typedStore =
      /new (ModelRegistryStore|TrainingRunsStore|WebhookEventsStore|LeaderboardStore|OutcomesStore|ApiKeysStore|OrganizationsStore)\(/;
    const offenders = sourceFiles(join(root, 'src'))
      .map((path) => relative(root, path))
      .filter((path) => !path.startsWith('src/store/'))
      .filter((path) => {
        const text = readFileSync(join(root, path), 'utf8');
        return typedStore.test(text) || /\.transport\b/.test(text);
      });
    expect(offenders).toEqual([]);
  });

  it('ping rejects when the database does not answer (pg and Supabase rpc)', async () => {
    const port = await freePort();
    const postgres = await createStore({
      data_dir: 'unused',
      database_url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    });
    const supabase = await createStore({
      data_dir: 'unused',
      supabase_url: `http://127.0.0.1:${port}`,
      supabase_service_role_key: 'service-role-key',
    });
    try {
      await expect(postgres.ping()).rejects.toThrow();
      await expect(supabase.ping()).rejects.toThrow();
    } finally {
      await postgres.close();
      await supabase.close();
    }
  });
});
