import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect } from 'vitest';
import { listMigrations } from '../../../src/store/migrate.ts';
import { compiledBuild, repositoryRoot } from '../../helpers/compiled-build.ts';
import {
  freePort,
  type PostgresServer,
  startPostgresServer,
} from '../../helpers/postgres-server.ts';
import { describeWithServices, itWithServices, postgresService } from '../../helpers/services.ts';
import { execForm, instructionsOf } from './dockerfile.ts';
import { type ModuleRecorder, moduleRecorder, processesRunning } from './module-recorder.ts';
import { assembleRuntimeLayout, type RuntimeLayout, runtimeStage } from './production-layout.ts';

/**
 * Issue 18, Must show 1: `npm run build && npm run start:prod` serves /healthz from dist/ with no
 * tsx loaded, and `rekindle migrate` works from dist/ as well.
 *
 * Both run in the file set of deploy/Dockerfile's runtime stage (production-layout.ts): dist/ from
 * `npm run build`, the migrations, bin/, and only the production dependencies — tsx is not even
 * installed there. A resolve hook records every module each process loads (module-recorder.ts).
 */
const services = [postgresService()];
const temporary = mkdtempSync(join(tmpdir(), 'rekindle-compiled-'));
let postgres: PostgresServer;
let layout: RuntimeLayout;
let recorder: ModuleRecorder;

describeWithServices(services, 'the compiled start, as the container image runs it', () => {
  beforeAll(async () => {
    const [started] = await Promise.all([startPostgresServer(), compiledBuild()]);
    postgres = started;
    layout = assembleRuntimeLayout(repositoryRoot, join(temporary, 'app'));
    recorder = moduleRecorder(temporary);
  }, 300_000);

  afterAll(async () => {
    await postgres?.stop();
    rmSync(temporary, { recursive: true, force: true });
  });

  /** PATH and HOME, the image's ENV, the given variables, and the module recorder. */
  const environment = (variables: Record<string, string>) => ({
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: temporary,
    ...layout.env,
    REKINDLE_DATA_DIR: join(temporary, 'data'),
    NODE_OPTIONS: recorder.nodeOptions,
    ...variables,
  });

  const expectNoTypeScript = (modules: readonly string[]) => {
    const ours = modules.filter(
      (url) => url.startsWith('file://') && !url.includes('/node_modules/'),
    );
    expect(ours.length).toBeGreaterThan(20);
    expect(ours.filter((url) => !url.startsWith(`file://${layout.directory}/`))).toEqual([]);
    expect(ours.filter((url) => url.endsWith('.ts'))).toEqual([]);
    expect(modules.filter((url) => /\/(tsx|esbuild|typescript)\//.test(url))).toEqual([]);
  };

  itWithServices(services, 'has no tsx installed, and the image runs `node dist/main.js`', () => {
    expect(existsSync(join(layout.directory, 'node_modules', 'hono'))).toBe(true);
    expect(existsSync(join(layout.directory, 'node_modules', 'tsx'))).toBe(false);
    expect(existsSync(join(layout.directory, 'node_modules', 'typescript'))).toBe(false);
    expect(existsSync(join(layout.directory, 'src'))).toBe(false);
    const packageJson = JSON.parse(readFileSync(join(layout.directory, 'package.json'), 'utf8'));
    expect(packageJson.scripts['start:prod']).toBe('node dist/main.js');
    expect(layout.command).toEqual(['node', 'dist/main.js']);
  });

  itWithServices(
    services,
    '`rekindle migrate` from dist/ migrates PostgreSQL, then is a no-op',
    async () => {
      const env = environment({ DATABASE_URL: postgres.url });
      const migrate = () =>
        promisify(execFile)('node', ['bin/rekindle.mjs', 'migrate', '--json'], {
          cwd: layout.directory,
          env,
          timeout: 120_000,
        });
      const first = JSON.parse((await migrate()).stdout) as {
        transport: string;
        applied: string[];
      };
      expect(first.transport).toBe('postgres');
      expect(first.applied).toEqual(listMigrations().map((file) => `${file.version}_${file.name}`));
      expect(JSON.parse((await migrate()).stdout)).toMatchObject({ applied: [] });
      const clis = processesRunning(recorder, '/dist/cli/main.js');
      expect(clis).toHaveLength(2);
      clis.forEach(expectNoTypeScript);
    },
  );

  itWithServices(
    services,
    '`npm run start:prod` serves /healthz and a chat from dist/, then drains on SIGTERM',
    async () => {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      // Its own process group: npm, the shell and node get the SIGTERM together, as under a supervisor.
      const child: ChildProcess = spawn('npm', ['run', 'start:prod'], {
        cwd: layout.directory,
        env: environment({ HOST: '127.0.0.1', PORT: String(port), DATABASE_URL: postgres.url }),
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      let output = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      child.stderr?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      // 'close': every process holding the output pipes (npm dies at once on SIGTERM, node drains).
      const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
      const group = -(child.pid ?? 0);
      try {
        expect(await waitForStatus(`${url}/healthz`, 60_000, () => output)).toBe(200);
        expect((await fetch(`${url}/readyz`)).status).toBe(200);
        const chat = await fetch(`${url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'outreach', messages: [{ role: 'user', content: 'hi' }] }),
        });
        expect(chat.status).toBe(200);
        expect(chat.headers.get('x-rekindle-provider')).toBe('sandbox');
        // The image's HEALTHCHECK command, as Docker runs it inside the container.
        expect(await healthcheck(port)).toBe(0);
        process.kill(group, 'SIGTERM');
        await closed;
        expect(output).toMatch(/"msg":"drained","drained":true/);
        expect(await healthcheck(port)).toBe(1);
      } finally {
        try {
          process.kill(group, 'SIGKILL');
        } catch {
          // The whole group has exited.
        }
      }
      const gateways = processesRunning(recorder, '/dist/main.js');
      expect(gateways).toHaveLength(1);
      gateways.forEach(expectNoTypeScript);
    },
    120_000,
  );
});

/** Runs deploy/Dockerfile's HEALTHCHECK command with the image's environment; its exit code. */
async function healthcheck(port: number): Promise<number> {
  const { runtime } = runtimeStage(repositoryRoot);
  const args = instructionsOf(runtime, 'HEALTHCHECK')[0]?.args ?? '';
  const [command = 'false', ...rest] = execForm({
    keyword: 'CMD',
    args: args.slice(args.indexOf('CMD') + 4),
    line: 0,
  });
  return promisify(execFile)(command, rest, {
    cwd: layout.directory,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...layout.env, PORT: String(port) },
    timeout: 10_000,
  }).then(
    () => 0,
    (error: { code?: unknown }) => (typeof error.code === 'number' ? error.code : -1),
  );
}

async function waitForStatus(
  url: string,
  timeoutMs: number,
  output: () => string,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const status = await fetch(url).then(
      (response) => response.status,
      () => 0,
    );
    if (status !== 0) {
      return status;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms:\n${output().slice(-4000)}`);
}
