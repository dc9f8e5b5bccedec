import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, readEnv } from '../../../src/config/index.ts';

/**
 * Issue 2: "every error printed with its path and a non-zero exit" — all of them at once: missing
 * `${NAME}` variables do not hide schema errors, and cross-field checks (an openai-compatible
 * provider's base_url, a model's provider) are reported with the rest.
 */
function issuesOf(file: unknown, rawEnv: Record<string, string> = {}): readonly string[] {
  try {
    loadConfig({ env: readEnv({}), rawEnv, file });
  } catch (error) {
    if (error instanceof ConfigError) {
      return error.issues;
    }
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration errors, all in one go', () => {
  it('a missing variable, schema errors and the base_url check, each with its path', () => {
    const issues = issuesOf({
      server: { port: 'eighty' },
      providers: {
        vllm: { type: 'openai-compatible', api_key: '${VLLM_KEY}', timeout_ms: -5 },
      },
      routes: { outreach: { models: [] } },
    });
    expect(issues).toEqual(
      expect.arrayContaining([
        'providers.vllm.api_key: environment variable VLLM_KEY is not set',
        expect.stringMatching(/^server\.port: /),
        expect.stringMatching(/^providers\.vllm\.timeout_ms: /),
        'providers.vllm.base_url: required for an openai-compatible provider',
        expect.stringMatching(/^routes\.outreach\.models: /),
      ]),
    );
    expect(issues).toHaveLength(5);
  });

  it('a model naming an unknown provider is reported together with other errors', () => {
    const issues = issuesOf({
      server: { port: -1 },
      models: [
        {
          name: 'mystery',
          provider: 'nowhere',
          upstream_model: 'mystery-1',
          input_usd_per_mtok: 1,
          output_usd_per_mtok: 1,
          context_window: 1000,
        },
      ],
    });
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^models\[\d+\]\.provider: unknown provider "nowhere"$/),
      ]),
    );
    expect(issues.some((issue) => issue.startsWith('server.port: '))).toBe(true);
  });

  it('a value emptied by a missing variable is reported once, as the missing variable', () => {
    const issues = issuesOf({
      providers: { vllm: { type: 'openai-compatible', base_url: '${VLLM_URL}' } },
    });
    expect(issues).toEqual(['providers.vllm.base_url: environment variable VLLM_URL is not set']);
  });

  it('a complete openai-compatible provider passes', () => {
    const config = loadConfig({
      env: readEnv({}),
      rawEnv: { VLLM_URL: 'http://127.0.0.1:8000/v1' },
      file: { providers: { vllm: { type: 'openai-compatible', base_url: '${VLLM_URL}' } } },
    });
    expect(config.providers.vllm).toMatchObject({
      base_url: 'http://127.0.0.1:8000/v1',
      stream_idle_timeout_ms: 30_000,
    });
  });
});
