import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliCommand } from '../../../src/cli/cli-command.ts';
import { createExportCommand } from '../../../src/cli/commands/export.ts';
import { runCli } from '../../../src/cli/run-cli.ts';
import { validateOpenAIChatFile, validateTogetherFile } from '../../../src/cli/simulators/index.ts';
import { loadConfig, readEnv } from '../../../src/config/index.ts';
import { type RunningGateway, startGateway } from '../../../src/main/index.ts';
import { silentLogger } from '../../../src/metrics/index.ts';
import {
  adminHeaders,
  adminToken,
  piiOf,
  type SeededOutcome,
  seedOutcomes,
  startVendorFakes,
  type VendorFakes,
} from './training-fixtures.ts';

/**
 * Issue 6, Must show 1: from outcomes seeded through the tracking API (replies, meetings and
 * deals give them different quality scores), the exported JSONL holds exactly the examples at or
 * above the threshold, no lead's name, email or phone number, and the fakes' validation (OpenAI's
 * documented rules; Together's conversational format) accepts it.
 */
describe('export of training-ready outcomes', () => {
  let fakes: VendorFakes;
  let gateway: RunningGateway;
  let seeded: SeededOutcome[];
  const directory = mkdtempSync(join(tmpdir(), 'rekindle-export-test-'));

  beforeAll(async () => {
    fakes = await startVendorFakes();
    const config = loadConfig({
      env: readEnv({
        OPENAI_API_KEY: 'sk-openai-test',
        OPENAI_BASE_URL: fakes.openai.url,
        REKINDLE_ADMIN_TOKEN: adminToken,
      }),
      file: {
        server: { port: 0 },
        store: { data_dir: 'memory://' },
        training: { min_examples: 20 },
        rate_limit: { default_rpm: 100_000 },
      },
    });
    gateway = await startGateway({ config, logger: silentLogger });
    seeded = await seedOutcomes(gateway.url, { count: 60 });
  }, 120_000);

  afterAll(async () => {
    await gateway?.shutdown();
    await fakes?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  async function exportOverHttp(body: Record<string, unknown>) {
    const response = await fetch(`${gateway.url}/admin/training/export`, {
      method: 'POST',
      headers: { ...adminHeaders, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { response, text: await response.text() };
  }

  const referencesIn = (jsonl: string) =>
    jsonl
      .trimEnd()
      .split('\n')
      .map((line) => {
        const messages = (
          JSON.parse(line) as { messages: Array<{ role: string; content: string }> }
        ).messages;
        return /ref-\d{4}/.exec(messages.at(-1)?.content ?? '')?.[0];
      });

  const expectNoPii = (jsonl: string) => {
    const text = jsonl.toLowerCase();
    for (const outcome of seeded) {
      for (const value of piiOf(outcome.lead)) {
        expect(text).not.toContain(value.toLowerCase());
      }
    }
  };

  it('holds exactly the outcomes at or above 0.6, scrubbed, and passes OpenAI validation', async () => {
    const { response, text } = await exportOverHttp({});
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/jsonl');
    const expected = seeded.filter((outcome) => outcome.stage.quality >= 0.6);
    // The seeding includes scores on the threshold (0.6) and just below it (0.53).
    expect(expected.some((outcome) => outcome.stage.quality === 0.6)).toBe(true);
    expect(referencesIn(text).sort()).toEqual(expected.map((outcome) => outcome.reference).sort());
    expectNoPii(text);
    expect(text).toContain('{{first_name}}');
    expect(text).toContain('{{phone}}');
    expect(validateOpenAIChatFile(text)).toMatchObject({ valid: true, examples: expected.length });

    const stats = JSON.parse(response.headers.get('x-rekindle-export-stats') ?? '{}');
    expect(stats).toMatchObject({
      format: 'openai',
      min_quality_score: 0.6,
      keep_pii: false,
      fetched: expected.length,
      written: { total: expected.length, train: expected.length, validation: 0 },
    });
    const mean =
      expected.reduce((sum, outcome) => sum + outcome.stage.quality, 0) / expected.length;
    expect(stats.average_quality_score).toBeCloseTo(mean, 3);
    expect(stats.estimated_cost_usd.openai.estimated_usd).toBeGreaterThan(0);
  });

  it('honours a higher threshold and the Together format', async () => {
    const { response, text } = await exportOverHttp({
      min_quality_score: 0.9,
      format: 'together',
      min_examples: 1,
    });
    expect(response.status).toBe(200);
    const expected = seeded.filter((outcome) => outcome.stage.quality >= 0.9);
    expect(referencesIn(text).sort()).toEqual(expected.map((outcome) => outcome.reference).sort());
    expectNoPii(text);
    expect(validateTogetherFile(text)).toMatchObject({ valid: true, format: 'conversation' });
  });

  it('keeps the PII only when asked (--keep-pii), which shows the scrubbing is what removes it', async () => {
    const { text } = await exportOverHttp({ keep_pii: true });
    const lead = seeded.find((outcome) => outcome.stage.quality >= 0.6)?.lead;
    expect(text).toContain(lead?.email);
    expect(text).toContain(lead?.full_name);
  });

  it('refuses too few examples with a 422 in the error envelope, before any body', async () => {
    const { response, text } = await exportOverHttp({ min_examples: 1_000 });
    expect(response.status).toBe(422);
    expect(JSON.parse(text)).toMatchObject({
      error: { code: 'insufficient_training_data', type: 'invalid_request_error' },
    });
    expect(JSON.parse(text).error.message).toMatch(/need at least 1000/);
  });

  it('refuses a training run on a vendor this gateway has no key for', async () => {
    const response = await fetch(`${gateway.url}/admin/training/runs`, {
      method: 'POST',
      headers: { ...adminHeaders, 'content-type': 'application/json' },
      body: JSON.stringify({ provider: 'together' }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: { code: 'fine_tuning_not_configured', param: 'provider' },
    });
  });

  async function cli(argv: string[], commands: CliCommand[], env: Record<string, string> = {}) {
    let stdout = '';
    let stderr = '';
    const exitCode = await runCli(argv, readEnv(env), commands, {
      stdout: (chunk) => {
        stdout += chunk;
      },
      stderr: (chunk) => {
        stderr += chunk;
      },
    });
    return { exitCode, stdout, stderr };
  }

  it('rekindle export writes the same file through the gateway and over the store', async () => {
    const throughGateway = join(directory, 'gateway.jsonl');
    const remote = await cli(
      ['export', '--output', throughGateway, '--min-quality-score', '0.6', '--json'],
      [createExportCommand()],
      { REKINDLE_GATEWAY_URL: gateway.url, REKINDLE_ADMIN_TOKEN: adminToken },
    );
    expect(remote.exitCode).toBe(0);
    expect(remote.stderr).toBe('');
    expect(remote.stdout.trimEnd().split('\n')).toHaveLength(1);
    const printed = JSON.parse(remote.stdout);
    const expected = seeded.filter((outcome) => outcome.stage.quality >= 0.6);
    expect(printed).toMatchObject({
      output: throughGateway,
      format: 'openai',
      via: 'gateway',
      stats: { written: { total: expected.length } },
    });

    // Over the store (the gateway's own here; an embedded store has a single owner).
    const overStore = join(directory, 'store.jsonl');
    const local = createExportCommand({
      // The commands close the store they open; this one is the gateway's, so keep it open.
      openStore: async () => ({ ...gateway.store, close: async () => {} }),
    });
    const direct = await cli(['export', '--output', overStore, '--min-examples', '20'], [local], {
      OPENAI_API_KEY: 'unused',
    });
    expect(direct.exitCode).toBe(0);
    expect(direct.stdout).toMatch(new RegExp(`Exported ${expected.length} examples`));
    expect(direct.stderr).toContain('exporting training-ready outcomes');
    expect(readFileSync(overStore, 'utf8')).toBe(readFileSync(throughGateway, 'utf8'));

    // Too few examples: non-zero exit, the reason on stderr, no file left behind.
    const refused = join(directory, 'refused.jsonl');
    const failed = await cli(
      ['export', '--output', refused, '--min-examples', '500', '--json'],
      [createExportCommand()],
      { REKINDLE_GATEWAY_URL: gateway.url, REKINDLE_ADMIN_TOKEN: adminToken },
    );
    expect(failed.exitCode).toBe(1);
    expect(failed.stdout).toBe('');
    expect(failed.stderr).toMatch(/Not enough training examples/);
    expect(existsSync(refused)).toBe(false);
    expect(existsSync(`${refused}.partial`)).toBe(false);
  });
});
