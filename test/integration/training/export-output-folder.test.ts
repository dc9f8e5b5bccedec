import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExportCommand } from '../../../src/cli/commands/export.ts';
import { runCli } from '../../../src/cli/run-cli.ts';
import { readEnv } from '../../../src/config/index.ts';
import { type Store, storeOverTransport } from '../../../src/store/create-store.ts';
import { closeSharedPglite, sharedPglite } from '../../helpers/pglite.ts';

/**
 * Issue 16, item 13: `rekindle export --output ./training_data/x.jsonl` creates the missing folder
 * (it failed with a raw ENOENT), and a refused export leaves no file behind in it.
 */
describe('rekindle export into a folder that does not exist yet', () => {
  let store: Store;
  const directory = mkdtempSync(join(tmpdir(), 'rekindle-export-folder-'));

  beforeAll(async () => {
    const transport = await sharedPglite();
    store = { ...storeOverTransport(transport, transport.executor), close: async () => {} };
    for (let index = 0; index < 12; index += 1) {
      const sent = await store.outcomes.recordMessageSent('org_folder', {
        lead_id: `folder-lead-${index}`,
        message_body: `A note about onboarding, number ${index}.`,
        prompt_messages: [{ role: 'user', content: `Write note ${index}.` }],
      });
      await store.outcomes.recordMeeting('org_folder', sent.id, {
        meeting_time: '2026-12-01T10:00:00Z',
      });
    }
  }, 60_000);

  afterAll(async () => {
    await closeSharedPglite();
    rmSync(directory, { recursive: true, force: true });
  });

  async function exportTo(output: string, extra: string[] = []) {
    let stdout = '';
    let stderr = '';
    const exitCode = await runCli(
      ['export', '--output', output, '--organization-id', 'org_folder', ...extra, '--json'],
      readEnv({}),
      [createExportCommand({ openStore: async () => store })],
      {
        stdout: (text) => {
          stdout += text;
        },
        stderr: (text) => {
          stderr += text;
        },
      },
    );
    return { exitCode, stdout, stderr };
  }

  it('creates the nested folder and writes the file there', async () => {
    const output = join(directory, 'training_data', 'q4', 'x.jsonl');
    const result = await exportTo(output, ['--min-examples', '10']);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ output, stats: { written: { total: 12 } } });
    expect(readFileSync(output, 'utf8').trimEnd().split('\n')).toHaveLength(12);
  });

  it('a refused export still fails with its own reason, not ENOENT, and leaves no file', async () => {
    const output = join(directory, 'other_folder', 'y.jsonl');
    const result = await exportTo(output, ['--min-examples', '500']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/Not enough training examples/);
    expect(result.stderr).not.toMatch(/ENOENT/);
    expect(existsSync(output)).toBe(false);
    expect(existsSync(`${output}.partial`)).toBe(false);
  });

  it('refuses an output path that is an existing folder, in words', async () => {
    const result = await exportTo(directory, ['--min-examples', '10']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/--output .* is a folder/);
  });
});
