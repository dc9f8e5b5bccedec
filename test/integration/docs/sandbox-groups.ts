import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStore } from '../../../src/store/index.ts';
import { createOpenAIFineTuningRoutes } from '../../fakes/fine-tuning-fake.ts';
import { startOpenAIFake } from '../../fakes/openai-fake.ts';
import { startPostgrestFake } from '../../fakes/postgrest-fake.ts';
import {
  freePort,
  type PostgresServer,
  startPostgresServer,
} from '../../helpers/postgres-server.ts';
import { startRedisServer } from '../../helpers/redis-server.ts';
import {
  generateSendGridKeyPair,
  generateStandardWebhookSecret,
} from '../../helpers/webhook-signing.ts';
import type {
  CoverageEntry,
  GroupName,
  RunCoverage,
  Sandbox,
  ServerCoverage,
} from './coverage-types.ts';
import { coveragesOf } from './coverage-types.ts';
import type { DocCommand } from './extract-commands.ts';
import { runShell, shellScript, startShellServer, substitute } from './shell-sandbox.ts';

/**
 * The sandbox groups of documented-commands.test.ts. Each gets a clean environment, a temp
 * directory and its own services; placeholders of the docs are replaced by their values.
 *
 * - readme: the embedded PGlite in a temp REKINDLE_DATA_DIR, a free PORT, no vendor keys (the
 *   sandbox model answers).
 * - experiments: a database of the shared throwaway PostgreSQL (the README group covers the
 *   embedded store), with a baseline and a 10 % variant registered.
 * - supabase: a database of the shared throwaway PostgreSQL standing in for the project's, and the
 *   PostgREST-compatible fake over it standing in for SUPABASE_URL.
 * - operations: another database of that PostgreSQL, a redis-server, a fake OpenAI (chat and
 *   fine-tuning) behind OPENAI_BASE_URL, webhook secrets, and the replica operations.md starts.
 * - prometheus: nothing but a free port.
 */

let postgres: Promise<PostgresServer> | null = null;
const sharedPostgres = () => {
  postgres ??= startPostgresServer();
  return postgres;
};

export async function closeSandboxServices(): Promise<void> {
  const server = postgres;
  postgres = null;
  await (await server?.catch(() => null))?.stop();
}

export async function openSandbox(group: GroupName, repositoryRoot: string): Promise<Sandbox> {
  const temporary = mkdtempSync(join(tmpdir(), `rekindle-docs-${group}-`));
  const configPath = join(temporary, 'rekindle.config.json');
  const cleanups: Array<() => Promise<unknown>> = [];
  const env: Record<string, string> = {
    REKINDLE_CONFIG: configPath,
    REKINDLE_DATA_DIR: join(temporary, 'data'),
  };
  const values: Record<string, string> = { repositoryRoot, temporary };
  const replacements: Array<[string, string]> = [];
  const extras: Record<string, unknown> = {};
  let config: Record<string, unknown> = {};

  if (group === 'readme') {
    const port = await freePort();
    values.gatewayUrl = `http://127.0.0.1:${port}`;
    env.PORT = String(port);
    replacements.push(['127.0.0.1:8787', `127.0.0.1:${port}`]);
  } else if (group === 'experiments') {
    env.DATABASE_URL = await (await sharedPostgres()).database('experiments');
    await registerArmsInStore(env.DATABASE_URL);
  } else if (group === 'supabase') {
    const port = await freePort();
    values.gatewayUrl = `http://127.0.0.1:${port}`;
    env.PORT = String(port);
    const database = await (await sharedPostgres()).database('supabase_project');
    const postgrest = await startPostgrestFake({ databaseUrl: database });
    cleanups.push(() => postgrest.close());
    Object.assign(values, {
      supabaseDatabaseUrl: database,
      postgrestUrl: postgrest.url,
      serviceRoleKey: postgrest.serviceRoleKey,
    });
    extras.postgrestCalls = () => postgrest.calls;
  } else if (group === 'operations') {
    const [database, redis, port] = await Promise.all([
      sharedPostgres().then((server) => server.database('rekindle')),
      startRedisServer(),
      freePort(),
    ]);
    cleanups.push(() => redis.stop());
    const openai = await startOpenAIFake({
      apiKey: 'sk-docs-test',
      routes: [createOpenAIFineTuningRoutes({ apiKey: 'sk-docs-test', passThrough: true }).handle],
    });
    cleanups.push(() => openai.close());
    values.gatewayUrl = `http://127.0.0.1:${port}`;
    values.armModels = 'gpt-4o-mini,gpt-4o';
    Object.assign(env, {
      DATABASE_URL: database,
      REDIS_URL: redis.url,
      REKINDLE_GATEWAY_URL: values.gatewayUrl,
      REKINDLE_ADMIN_TOKEN: 'change-me',
      OPENAI_API_KEY: 'sk-docs-test',
      OPENAI_BASE_URL: openai.url,
      CRM_WEBHOOK_SECRET: generateStandardWebhookSecret(),
      SENDGRID_WEBHOOK_PUBLIC_KEY: generateSendGridKeyPair().publicKeyBase64,
    });
    replacements.push(
      ['postgresql://rekindle:YOUR-PASSWORD@db.internal:5432/rekindle', database],
      ['redis://redis.internal:6379', redis.url],
      ['PORT=8787', `PORT=${port}`],
      ['127.0.0.1:8787', `127.0.0.1:${port}`],
    );
    // Training runs are polled quickly, and 10 examples are enough (the default is 50), so that
    // training.md's quick start finishes in seconds against the fake.
    config = { training: { poll_interval_ms: 300, min_examples: 10 } };
  } else {
    const port = await freePort();
    Object.assign(values, {
      prometheusPort: String(port),
      prometheusUrl: `http://127.0.0.1:${port}`,
    });
  }
  writeFileSync(configPath, JSON.stringify(config));

  const servers: Sandbox['servers'] = [];

  const sandbox: Sandbox = {
    group,
    repositoryRoot,
    temporary,
    env,
    replacements,
    values,
    servers,
    serverHistory: [],
    extras,
    resolve: (text) => text.replace(/\$\{(\w+)\}/g, (match, name: string) => values[name] ?? match),
    async stopServers() {
      const running = servers.splice(0);
      await Promise.all(running.map((server) => server.stop()));
    },
    async close() {
      await sandbox.stopServers();
      for (const cleanup of cleanups.reverse()) {
        await cleanup().catch(() => undefined);
      }
      rmSync(temporary, { recursive: true, force: true });
    },
  };
  return sandbox;
}

/**
 * The state experiments.md's store commands read: a baseline and a variant at 10 % on `outreach`
 * (the models are the sandbox's; no messages yet), written straight into a fresh database.
 */
async function registerArmsInStore(databaseUrl: string): Promise<void> {
  const store = await createStore(
    { data_dir: '', database_url: databaseUrl },
    { autoMigrate: true },
  );
  try {
    const registry = store.registry;
    const arm = { route: 'outreach', model_id: 'sandbox/outreach-v1', provider: 'sandbox' };
    await registry.register({ ...arm, model_version: 'baseline-2026-11' });
    await registry.setBaseline('outreach', 'baseline-2026-11');
    await registry.register({ ...arm, model_version: 'v0.9.0' });
    await registry.deploy('outreach', 'v0.9.0', 10, null);
  } finally {
    await store.close();
  }
}

/**
 * Runs one occurrence of a documented command: the setup lines of its block before it, the
 * entry's and the group's replacements, then the entry's checks. Returns why it failed, or null.
 */
export async function runCommandInSandbox(
  sandbox: Sandbox,
  occurrence: DocCommand,
  how: RunCoverage | ServerCoverage,
  commands: readonly DocCommand[],
  entryOf: (command: DocCommand) => CoverageEntry | undefined,
): Promise<string | null> {
  const setup = commands
    .filter(
      (command) =>
        command.doc === occurrence.doc &&
        command.block === occurrence.block &&
        command.line < occurrence.line &&
        coveragesOf(entryOf(command) ?? { doc: '', command: '', how: [] }).some(
          (coverage) => coverage.kind === 'setup',
        ),
    )
    .map((command) => command.text);
  const replace = (text: string) =>
    substitute(
      substitute(
        text,
        (how.replacements ?? []).map(([from, to]) => [from, sandbox.resolve(to)] as const),
      ),
      sandbox.replacements,
    );
  const script = shellScript(setup.map(replace), replace(how.part ?? occurrence.text));
  let output = '';
  try {
    if (how.kind === 'server') {
      const server = await startShellServer(script, {
        cwd: sandbox.repositoryRoot,
        env: sandbox.env,
        readyUrl: how.readyUrl(sandbox),
      });
      sandbox.servers.push(server);
      sandbox.serverHistory.push(server);
      output = server.output();
      await how.check(sandbox, server);
      return null;
    }
    await how.before?.(sandbox);
    if (how.stopServersFirst) {
      await sandbox.stopServers();
    }
    const result = await runShell(script, { cwd: sandbox.repositoryRoot, env: sandbox.env });
    output = `exit ${result.exitCode}\nstdout:\n${result.stdout.slice(-3000)}\nstderr:\n${result.stderr.slice(-3000)}`;
    await how.expect(result, sandbox);
    Object.assign(sandbox.env, how.capture?.(result) ?? {});
    return null;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const ran = script.split('\n').filter((line) => !/^(set [-+]e|exit \$\?)$/.test(line));
    return `  ran: ${ran.join('\n       ')}\n  ${message}\n  ${output.replace(/\n/g, '\n  ')}`;
  }
}
