import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type GatewayProcess,
  runRekindleCli,
  startGatewayProcess,
} from '../../helpers/gateway-process.ts';

/**
 * Issue 16, item 6: the seed's call shapes against a gateway that holds its embedded PGlite
 * (`npm start`), with the CLI run as a user runs it — the environment of the gateway, no
 * REKINDLE_GATEWAY_URL. `models` commands go through the gateway recorded in `store.lock`,
 * `models register` passes `--training-stats`, and `migrate` says what to do instead of pointing at
 * REKINDLE_GATEWAY_URL. (promote_model(…, traffic_percentage=100) is in
 * test/integration/rollout/guide-rollout-flow.test.ts.)
 */
let gateway: GatewayProcess;

beforeAll(async () => {
  gateway = await startGatewayProcess({
    env: { REKINDLE_ADMIN_TOKEN: 'seed-shapes-admin', LOG_LEVEL: 'warn' },
    config: { routes: { outreach: { models: ['gpt-4o-mini'] } } },
    readyTimeoutMs: 150_000,
  });
}, 200_000);

afterAll(async () => {
  await gateway?.stop();
});

describe('the CLI while a gateway holds the embedded store', () => {
  it('models register --training-stats stores the stats, through the gateway', async () => {
    const result = await runRekindleCli(
      [
        'models',
        'register',
        '--model-id',
        'gpt-4o-mini',
        '--model-version',
        'stats-v1',
        '--provider',
        'openai',
        '--training-stats',
        '{"examples": 1200, "epochs": 3}',
        '--json',
      ],
      gateway.env,
    );
    expect(result.exitCode, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      model_version: 'stats-v1',
      training_stats: { examples: 1200, epochs: 3 },
    });
    const refused = await runRekindleCli(
      [
        'models',
        'register',
        '--model-id',
        'gpt-4o-mini',
        '--model-version',
        'stats-v2',
        '--training-stats',
        '[1, 2]',
      ],
      gateway.env,
    );
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/--training-stats must be a JSON object/);
  }, 120_000);

  it('models report reads the running gateway recorded in store.lock', async () => {
    const result = await runRekindleCli(['models', 'report', '--json'], gateway.env);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(typeof JSON.parse(result.stdout)).toBe('object');
  }, 120_000);

  it('migrate refuses with advice that works, not REKINDLE_GATEWAY_URL', async () => {
    const result = await runRekindleCli(['migrate', '--json'], gateway.env);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(/in use by a running gateway \(pid \d+\)/);
    expect(result.stderr).toMatch(/restart it to migrate/);
    expect(result.stderr).not.toMatch(/REKINDLE_GATEWAY_URL/);
  }, 120_000);
});
