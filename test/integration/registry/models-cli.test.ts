import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliCommand } from '../../../src/cli/cli-command.ts';
import { createModelsCommands } from '../../../src/cli/commands/models.ts';
import { runCli } from '../../../src/cli/run-cli.ts';
import { readEnv } from '../../../src/config/index.ts';
import type { RunningGateway } from '../../../src/main/index.ts';
import { type Store, storeOverTransport } from '../../../src/store/index.ts';
import { closeSharedPglite, sharedPglite } from '../../helpers/pglite.ts';
import { startTestGateway } from '../../helpers/test-gateway.ts';

const run = promisify(execFile);
const cliEntry = join(import.meta.dirname, '../../../bin/rekindle.mjs');
const token = 'admin-token-for-cli-tests';

/** One command line in-process; stdout and stderr captured. */
async function cli(argv: string[], commands: CliCommand[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const exitCode = await runCli(argv, readEnv(env), commands, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
  });
  return { exitCode, stdout, stderr };
}

/** --json prints exactly one JSON object (one line) on stdout. */
function onlyJson(stdout: string) {
  const lines = stdout.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  const parsed = JSON.parse(lines[0] ?? '');
  expect(typeof parsed).toBe('object');
  expect(Array.isArray(parsed)).toBe(false);
  return parsed;
}

let store: Store;
let gateway: RunningGateway;

beforeAll(async () => {
  const transport = await sharedPglite();
  // The commands close the store they open; this one is shared by the file, so keep it open.
  store = { ...storeOverTransport(transport, transport.executor), close: async () => {} };
  gateway = await startTestGateway({
    store,
    env: { OPENAI_API_KEY: 'sk-test', REKINDLE_ADMIN_TOKEN: token },
    file: { routes: { outreach: { models: ['gpt-4o-mini'] } } },
  });
});

afterAll(async () => {
  await gateway?.shutdown();
  await closeSharedPglite();
});

describe('rekindle models, store-direct (the default)', () => {
  const commands = () => createModelsCommands({ openStore: async () => store });

  it('registers, deploys, promotes and rolls back, one JSON object per command', async () => {
    const register = await cli(
      [
        'models',
        'register',
        '--route',
        'cli',
        '--model-id',
        'gpt-4o-mini',
        '--model-version',
        'cli-v1',
        '--json',
      ],
      commands(),
    );
    expect(register).toMatchObject({ exitCode: 0, stderr: '' });
    expect(onlyJson(register.stdout)).toMatchObject({
      route: 'cli',
      model_id: 'gpt-4o-mini',
      provider: 'openai',
      model_version: 'cli-v1',
      status: 'registered',
    });
    const second = await cli(
      [
        'models',
        'register',
        '--route',
        'cli',
        '--model-id',
        'ft:gpt-4o-mini-2024-07-18:acme:v2:abc',
        '--provider',
        'openai',
        '--model-version',
        'cli-v2',
        '--json',
      ],
      commands(),
    );
    expect(second.exitCode).toBe(0);

    const baseline = await cli(
      ['models', 'set-baseline', '--route', 'cli', '--model-version', 'cli-v1', '--json'],
      commands(),
    );
    expect(onlyJson(baseline.stdout)).toMatchObject({ model_version: 'cli-v1', is_baseline: true });

    // No --route: the model is found among all routes, like the admin API does.
    const deploy = await cli(
      [
        'models',
        'deploy',
        '--model-version',
        'cli-v2',
        '--traffic-percentage',
        '10',
        '--ab-test-group',
        'B',
        '--json',
      ],
      commands(),
    );
    expect(onlyJson(deploy.stdout)).toMatchObject({
      route: 'cli',
      model_version: 'cli-v2',
      status: 'testing',
      traffic_percentage: 10,
      ab_test_group: 'B',
    });

    const list = await cli(['models', 'list', '--route', 'cli', '--json'], commands());
    const listed = onlyJson(list.stdout);
    expect(Object.keys(listed)).toEqual(['models']);
    expect(listed.models.map((row: { model_version: string }) => row.model_version)).toEqual([
      'cli-v1',
      'cli-v2',
    ]);

    const promote = await cli(
      ['models', 'promote', 'cli-v2', '--reason', 'better', '--json'],
      commands(),
    );
    expect(onlyJson(promote.stdout)).toMatchObject({ model_version: 'cli-v2', is_baseline: true });
    const rollback = await cli(
      ['models', 'rollback', '--route', 'cli', '--reason', 'worse', '--json'],
      commands(),
    );
    expect(onlyJson(rollback.stdout)).toMatchObject({ model_version: 'cli-v1', is_baseline: true });
    const deprecate = await cli(
      ['models', 'deprecate', '--model-version', 'cli-v2', '--json'],
      commands(),
    );
    expect(onlyJson(deprecate.stdout)).toMatchObject({
      model_version: 'cli-v2',
      status: 'deprecated',
    });

    const events = await store.registry.events('cli');
    expect(events.map((event) => event.action).reverse()).toEqual([
      'register',
      'register',
      'set_baseline',
      'deploy',
      'promote',
      'rollback',
      'deprecate',
    ]);
    expect(events.every((event) => event.actor === 'cli')).toBe(true);
    expect(events.find((event) => event.action === 'rollback')?.reason).toBe('worse');

    const text = await cli(['models', 'list', '--route', 'cli'], commands());
    expect(text.stdout).toMatch(/^ROUTE\s+VERSION\s+MODEL/);
    expect(text.stdout).toMatch(/cli-v1\s+gpt-4o-mini\s+openai\s+active \(baseline\)/);
  });

  it('prints errors on stderr, nothing on stdout, and exits non-zero', async () => {
    const missing = await cli(
      ['models', 'deploy', '--traffic-percentage', '10', '--json'],
      commands(),
    );
    expect(missing).toMatchObject({ exitCode: 2, stdout: '' });
    expect(missing.stderr).toMatch(/name the model/);

    const range = await cli(
      ['models', 'deploy', 'cli-v2', '--traffic-percentage', '150', '--json'],
      commands(),
    );
    expect(range).toMatchObject({ exitCode: 2, stdout: '' });

    await cli(
      [
        'models',
        'register',
        '--route',
        'full',
        '--model-id',
        'gpt-4o',
        '--model-version',
        'full-a',
        '--json',
      ],
      commands(),
    );
    await cli(
      [
        'models',
        'register',
        '--route',
        'full',
        '--model-id',
        'gpt-4o-mini',
        '--model-version',
        'full-b',
        '--json',
      ],
      commands(),
    );
    expect(
      (
        await cli(
          ['models', 'deploy', 'full-a', '--traffic-percentage', '70', '--json'],
          commands(),
        )
      ).exitCode,
    ).toBe(0);
    const over = await cli(
      ['models', 'deploy', 'full-b', '--traffic-percentage', '31', '--json'],
      commands(),
    );
    expect(over).toMatchObject({ exitCode: 1, stdout: '' });
    expect(over.stderr).toMatch(/^rekindle models deploy: .*at most 100/);

    const unknownProvider = await cli(
      ['models', 'register', '--model-id', 'mystery-model', '--model-version', 'm1', '--json'],
      commands(),
    );
    expect(unknownProvider).toMatchObject({ exitCode: 2, stdout: '' });
    expect(unknownProvider.stderr).toMatch(/--provider/);

    const report = await cli(['models', 'report', '--json'], commands());
    expect(report).toMatchObject({ exitCode: 1, stdout: '' });
    expect(report.stderr).toMatch(/REKINDLE_GATEWAY_URL/);
  });
});

describe('rekindle models via a running gateway (REKINDLE_GATEWAY_URL)', () => {
  // No store at all: every call must go over HTTP.
  const commands = () =>
    createModelsCommands({
      openStore: async () => {
        throw new Error('the store must not be opened when REKINDLE_GATEWAY_URL is set');
      },
    });
  const env = () => ({ REKINDLE_GATEWAY_URL: gateway.url, REKINDLE_ADMIN_TOKEN: token });

  it('changes the registry through the admin API, and the gateway routes by it at once', async () => {
    const register = await cli(
      ['models', 'register', '--model-id', 'gpt-4o', '--model-version', 'api-v2', '--json'],
      commands(),
      env(),
    );
    expect(register.exitCode).toBe(0);
    expect(onlyJson(register.stdout)).toMatchObject({ route: 'outreach', provider: 'openai' });
    await cli(
      ['models', 'register', '--model-id', 'gpt-4o-mini', '--model-version', 'api-v1', '--json'],
      commands(),
      env(),
    );
    await cli(
      ['models', 'set-baseline', '--route', 'outreach', '--model-version', 'api-v1', '--json'],
      commands(),
      env(),
    );
    const deploy = await cli(
      [
        'models',
        'deploy',
        'api-v2',
        '--traffic-percentage',
        '25',
        '--ab-test-group',
        'B',
        '--json',
      ],
      commands(),
      env(),
    );
    expect(onlyJson(deploy.stdout)).toMatchObject({
      model_version: 'api-v2',
      traffic_percentage: 25,
    });
    expect(gateway.router.registry.trafficShares('outreach')).toEqual([
      { modelVersion: 'api-v1', share: 0.75 },
      { modelVersion: 'api-v2', share: 0.25 },
    ]);
    const events = await store.registry.events('outreach', 1);
    expect(events[0]).toMatchObject({ action: 'deploy', actor: 'cli' });

    const list = onlyJson((await cli(['models', 'list', '--json'], commands(), env())).stdout);
    expect(
      list.models.some((row: { model_version: string }) => row.model_version === 'api-v2'),
    ).toBe(true);
    const report = onlyJson((await cli(['models', 'report', '--json'], commands(), env())).stdout);
    expect(report).toHaveProperty('models');
    expect(report).toHaveProperty('circuit_breakers');

    const over = await cli(
      ['models', 'deploy', 'api-v1', '--traffic-percentage', '10', '--json'],
      commands(),
      env(),
    );
    expect(over).toMatchObject({ exitCode: 1, stdout: '' });
    expect(over.stderr).toMatch(/400 invalid_registry_change: .*baseline/);
  });

  it('fails clearly with a wrong token or an unreachable gateway', async () => {
    const wrong = await cli(['models', 'list', '--json'], commands(), {
      REKINDLE_GATEWAY_URL: gateway.url,
      REKINDLE_ADMIN_TOKEN: 'nope',
    });
    expect(wrong).toMatchObject({ exitCode: 1, stdout: '' });
    expect(wrong.stderr).toMatch(/401 invalid_api_key/);
    const down = await cli(['models', 'list', '--json'], commands(), {
      REKINDLE_GATEWAY_URL: 'http://127.0.0.1:9',
    });
    expect(down).toMatchObject({ exitCode: 1, stdout: '' });
    expect(down.stderr).toMatch(/cannot reach the gateway at http:\/\/127\.0\.0\.1:9/);
  });
});

describe('the real rekindle bin', () => {
  it('prints one JSON object from a running gateway, and an error with a non-zero exit', async () => {
    const viaGateway = await run(
      process.execPath,
      [cliEntry, 'models', 'list', '--route', 'outreach', '--json'],
      {
        env: { ...process.env, REKINDLE_GATEWAY_URL: gateway.url, REKINDLE_ADMIN_TOKEN: token },
      },
    );
    const listed = onlyJson(viaGateway.stdout);
    expect(listed.models.map((row: { model_version: string }) => row.model_version)).toContain(
      'api-v2',
    );

    const refused = await run(
      process.execPath,
      [cliEntry, 'models', 'deploy', 'api-v2', '--traffic-percentage', '500', '--json'],
      {
        env: { ...process.env, REKINDLE_GATEWAY_URL: gateway.url, REKINDLE_ADMIN_TOKEN: token },
      },
    ).then(
      () => null,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(refused).toMatchObject({ code: 2, stdout: '' });
    expect(refused?.stderr).toMatch(/traffic-percentage/);
  }, 60_000);
});
