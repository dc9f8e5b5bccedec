import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrate } from '../../../src/store/migrate.ts';
import { PostgresTransport } from '../../../src/store/transports/postgres-transport.ts';
import { type PostgresServer, startPostgresServer } from '../../helpers/postgres-server.ts';
import { describeWithServices, pgProveService, postgresService } from '../../helpers/services.ts';

const run = promisify(execFile);
const testsDir = join(import.meta.dirname, '../../../supabase/tests');

describeWithServices(
  [postgresService(), pgProveService()],
  'pgTAP (supabase/tests) with pg_prove',
  () => {
    let server: PostgresServer;

    beforeAll(async () => {
      server = await startPostgresServer();
      const transport = new PostgresTransport({ connectionString: server.url });
      try {
        await migrate(transport.executor);
      } finally {
        await transport.close();
      }
    });
    afterAll(async () => {
      await server?.stop();
    });

    it('passes every pgTAP file against a fresh PostgreSQL 15', async () => {
      const files = readdirSync(testsDir)
        .filter((file) => file.endsWith('.sql'))
        .sort()
        .map((file) => join(testsDir, file));
      expect(files.length).toBeGreaterThanOrEqual(3);
      const result = await run(
        'pg_prove',
        [
          '-h',
          '127.0.0.1',
          '-p',
          String(server.port),
          '-U',
          'postgres',
          '-d',
          'postgres',
          ...files,
        ],
        { encoding: 'utf8' },
      ).catch((error: { stdout?: string; stderr?: string; code?: number }) => ({
        stdout: error.stdout ?? '',
        stderr: `${error.stderr ?? ''} (exit ${String(error.code)})`,
      }));
      expect(result.stderr, result.stdout).toBe('');
      expect(result.stdout).toContain('All tests successful.');
      expect(result.stdout).toContain('Result: PASS');
    }, 60_000);
  },
);
