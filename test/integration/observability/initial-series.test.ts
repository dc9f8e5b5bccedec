import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../../src/main/index.ts';
import { type OpenAIFake, startOpenAIFake } from '../../fakes/openai-fake.ts';
import { closeSharedPglite } from '../../helpers/pglite.ts';
import { startTestGateway } from '../../helpers/test-gateway.ts';
import { admin, chat, metricValue, openaiClient } from '../router/gateway-probes.ts';

/**
 * Series the dashboards read exist before anything happened to them:
 * - `rekindle_circuit_open{model}` is 0 for every deployment the router can reach from the start,
 *   and for one a registry change adds, while an open breaker keeps its 1;
 * - `rekindle_model_traffic_ratio` has the baseline's share when the baseline comes from the
 *   config (no registry baseline), labelled with the version its responses report.
 */
const token = 'admin-token-for-initial-series';

let openai: OpenAIFake;
let broken: OpenAIFake;
let gateway: RunningGateway;
const call = (method: string, path: string, body?: unknown) =>
  admin(gateway.url, token, method, path, body);

beforeAll(async () => {
  openai = await startOpenAIFake();
  broken = await startOpenAIFake();
  broken.setDefault({
    kind: 'status',
    status: 503,
    body: { error: { message: 'overloaded', type: 'server_error' } },
  });
  gateway = await startTestGateway({
    env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: openai.url, REKINDLE_ADMIN_TOKEN: token },
    file: {
      providers: { flaky: { type: 'openai-compatible', base_url: broken.url } },
      routes: {
        outreach: { models: ['gpt-4o-mini'], fallbacks: ['sandbox/outreach-v1'] },
        fragile: { models: ['flaky/model-a'], retry: { max_attempts: 1 } },
      },
      circuit_breaker: { min_requests: 2, failure_threshold: 0.5, cooldown_ms: 600_000 },
    },
  });
});

afterAll(async () => {
  await gateway?.shutdown();
  await openai?.close();
  await broken?.close();
  await closeSharedPglite();
});

const circuit = (model: string) => metricValue(gateway.url, 'rekindle_circuit_open', { model });

describe('rekindle_circuit_open', () => {
  it('is 0 for every reachable deployment before any breaker changed state', async () => {
    for (const model of ['gpt-4o-mini', 'sandbox/outreach-v1', 'flaky/model-a', 'gpt-4o']) {
      expect(await circuit(model)).toBe(0);
    }
  });

  it('appears for a model the registry adds, and an open breaker keeps its 1', async () => {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      await fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'fragile', messages: [{ role: 'user', content: 'hi' }] }),
      }).then((response) => response.arrayBuffer());
    }
    expect(await circuit('flaky/model-a')).toBe(1);

    expect(await circuit('flaky/model-b')).toBeNull();
    const registered = await call('POST', '/admin/models', {
      route: 'fragile',
      model_id: 'flaky/model-b',
      model_version: 'b-v1',
    });
    expect(registered.status).toBe(201);
    expect(await circuit('flaky/model-b')).toBe(0);
    expect(await circuit('flaky/model-a')).toBe(1);
  });
});

describe('rekindle_model_traffic_ratio with the baseline from the config', () => {
  it('has the baseline’s share under the version baseline responses report', async () => {
    await call('POST', '/admin/models', { model_id: 'gpt-4o', model_version: 'v1.0.0' });
    const deployed = await call('POST', '/admin/models/v1.0.0/deploy', {
      traffic_percentage: 10,
    });
    expect(deployed.status).toBe(200);

    const client = openaiClient(gateway.url);
    let baselineVersion: string | null = null;
    for (let lead = 0; lead < 40 && baselineVersion === null; lead += 1) {
      const answer = await chat(client, { leadId: `lead-${lead}` });
      if (answer.variant === 'baseline') {
        baselineVersion = answer.modelVersion;
      }
    }
    expect(baselineVersion).toBe('gpt-4o-mini');
    const ratio = (modelVersion: string) =>
      metricValue(gateway.url, 'rekindle_model_traffic_ratio', {
        route: 'outreach',
        model_version: modelVersion,
      });
    expect(await ratio('v1.0.0')).toBeCloseTo(0.1, 10);
    expect(await ratio(baselineVersion as string)).toBeCloseTo(0.9, 10);
  });
});
