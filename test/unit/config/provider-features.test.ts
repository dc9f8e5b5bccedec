import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderProviderFeatures } from '../../../src/cli/provider-features.ts';
import { defaultCatalog, loadConfig, readEnv } from '../../../src/config/index.ts';
import { createMetrics } from '../../../src/metrics/index.ts';
import { ChatRouter, deriveRequestNeeds } from '../../../src/router/index.ts';

/**
 * Issue 13: the provider × feature matrix in docs/ is generated from the capability table, so it
 * cannot drift from the file — nor from what the planner does: each "refused" cell of a catalog
 * model is a request the planner refuses, each other cell one it plans.
 */
describe('docs/provider-features.md', () => {
  it('is what `rekindle config features` generates', () => {
    const file = readFileSync(
      join(import.meta.dirname, '../../../docs/provider-features.md'),
      'utf8',
    );
    expect(file).toBe(renderProviderFeatures());
  });

  it('says "refused" exactly where the planner refuses', () => {
    const config = loadConfig({
      env: readEnv({ OPENAI_API_KEY: 'k', TOGETHER_API_KEY: 'k', ANTHROPIC_API_KEY: 'k' }),
      file: {},
    });
    const router = new ChatRouter({
      config,
      providers: { get: () => undefined },
      metrics: createMetrics({ defaultMetrics: false }),
    });
    const image = [
      { role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x/y.png' } }] },
    ];
    const tools = [{ type: 'function', function: { name: 'f' } }];
    const requests: Array<[number, Record<string, unknown>]> = [
      [4, { tools }],
      [5, { tools, parallel_tool_calls: true }],
      [6, { response_format: { type: 'json_schema', json_schema: { name: 'x', schema: {} } } }],
      [7, { response_format: { type: 'json_object' } }],
      [8, { logprobs: true }],
      [9, { n: 2 }],
      [10, { messages: image }],
    ];
    const rows = renderProviderFeatures()
      .split('\n')
      .filter((line) => /^\| `[^`]+` \| [a-z-]+ \| \d+ \|/.test(line))
      .map((line) => line.split(' | '));
    expect(rows).toHaveLength(defaultCatalog.length);
    for (const row of rows) {
      const model = (row[0] ?? '').replace(/^\| `|`$/g, '');
      for (const [column, body] of requests) {
        const refused = (row[column] ?? '').startsWith('refused');
        const features = {
          metadata: {},
          promptTokens: 10,
          stream: false,
          hasTools: false,
          assignmentKey: 'k',
          needs: deriveRequestNeeds({ messages: [{ role: 'user', content: 'x' }], ...body }),
        };
        let planned = true;
        try {
          router.plan(model, features);
        } catch {
          planned = false;
        }
        expect(planned, `${model} column ${column}`).toBe(!refused);
      }
    }
  });
});
