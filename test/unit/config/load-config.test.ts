import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commands } from '../../../src/cli/commands/index.ts';
import { runCli } from '../../../src/cli/run-cli.ts';
import { renderConfigReference } from '../../../src/config/config-reference.ts';
import { ConfigError, loadConfig, readEnv } from '../../../src/config/index.ts';

const load = (
  env: Record<string, string>,
  file: unknown = {},
  rawEnv: Record<string, string> = env,
) => loadConfig({ env: readEnv(env), rawEnv, file });

function issuesOf(action: () => unknown): readonly string[] {
  try {
    action();
  } catch (error) {
    if (error instanceof ConfigError) {
      return error.issues;
    }
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('uses the sandbox for outreach when no vendor key is set', () => {
    const config = load({});
    expect(Object.keys(config.providers)).toEqual(['sandbox']);
    expect(config.routes.outreach?.models).toEqual(['sandbox/outreach-v1']);
    expect(config.server).toMatchObject({
      host: '127.0.0.1',
      port: 8787,
      body_limit_bytes: 1_048_576,
    });
  });

  it('enables a provider per key, with the vendor base URL conventions, and falls back across vendors', () => {
    const config = load({
      OPENAI_API_KEY: 'sk-1',
      TOGETHER_API_KEY: 't-1',
      TOGETHER_BASE_URL: 'http://127.0.0.1:9/v1',
      ANTHROPIC_API_KEY: 'a-1',
    });
    expect(config.providers.openai).toMatchObject({
      api_key: 'sk-1',
      base_url: 'https://api.openai.com/v1',
    });
    expect(config.providers.together?.base_url).toBe('http://127.0.0.1:9/v1');
    expect(config.providers.anthropic?.base_url).toBe('https://api.anthropic.com');
    expect(config.routes.outreach).toMatchObject({
      models: ['gpt-4o-mini'],
      fallbacks: ['llama-3.1-70b-instruct-turbo', 'claude-3-5-haiku'],
    });
  });

  it('replaces ${NAME} in the file with the environment, and reports a missing one with its path', () => {
    const config = load(
      {},
      {
        providers: {
          vllm: {
            type: 'openai-compatible',
            base_url: 'http://127.0.0.1:8000/v1',
            api_key: '${VLLM_KEY}',
          },
        },
      },
      { VLLM_KEY: 'secret-1' },
    );
    expect(config.providers.vllm?.api_key).toBe('secret-1');
    expect(
      issuesOf(() =>
        load({}, { providers: { vllm: { type: 'openai-compatible', api_key: '${NOPE}' } } }, {}),
      ),
    ).toEqual([
      'providers.vllm.api_key: environment variable NOPE is not set',
      // Reported with it, not after it is fixed (see config-errors.test.ts).
      'providers.vllm.base_url: required for an openai-compatible provider',
    ]);
  });

  it('prints every schema error with its path', () => {
    const issues = issuesOf(() =>
      load(
        {},
        { server: { port: 'eighty' }, routes: { outreach: { models: [] } }, surprise: true },
      ),
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^server\.port: /),
        expect.stringMatching(/^routes\.outreach\.models: /),
        expect.stringMatching(/surprise/),
      ]),
    );
  });

  it('lets HOST and PORT override the file, and keeps the file’s routes', () => {
    const config = load(
      { HOST: '0.0.0.0', PORT: '9999' },
      {
        server: { port: 1234 },
        routes: { outreach: { models: ['sandbox/outreach-v1'], prefer: 'cheapest' } },
      },
    );
    expect(config.server).toMatchObject({ host: '0.0.0.0', port: 9999 });
    expect(config.routes.outreach?.prefer).toBe('cheapest');
  });

  it('freezes the result', () => {
    const config = load({});
    expect(Object.isFrozen(config.server)).toBe(true);
  });
});

describe('configuration reference', () => {
  it('docs/configuration.md is what `rekindle config docs` generates (it cannot drift)', () => {
    const file = readFileSync(join(import.meta.dirname, '../../../docs/configuration.md'), 'utf8');
    expect(file).toBe(renderConfigReference());
  });

  it('`rekindle config check --json` prints one JSON object with secrets redacted', async () => {
    let stdout = '';
    const code = await runCli(
      ['config', 'check', '--json'],
      readEnv({ OPENAI_API_KEY: 'sk-secret' }),
      commands,
      {
        stdout: (text) => {
          stdout += text;
        },
        stderr: () => {},
      },
    );
    expect(code).toBe(0);
    const parsed = JSON.parse(stdout) as {
      valid: boolean;
      config: { providers: { openai: { api_key: string } } };
    };
    expect(parsed.valid).toBe(true);
    expect(parsed.config.providers.openai.api_key).toBe('***');
    expect(stdout).not.toContain('sk-secret');
  });
});
