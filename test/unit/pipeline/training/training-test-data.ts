/** Small, deterministic training data for the fine-tuning and export tests. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function chatExampleLine(index: number): string {
  return JSON.stringify({
    messages: [
      { role: 'system', content: 'You write short, friendly sales follow-ups.' },
      {
        role: 'user',
        content: `Write follow-up number ${index} for {{first_name}} at {{company}}.`,
      },
      { role: 'assistant', content: `Hi {{first_name}}, following up on note ${index}.` },
    ],
  });
}

export function chatJsonl(count: number): string {
  return `${Array.from({ length: count }, (_, index) => chatExampleLine(index)).join('\n')}\n`;
}

export interface TemporaryDirectory {
  path: string;
  write(name: string, content: string): Promise<string>;
  remove(): Promise<void>;
}

export async function temporaryDirectory(): Promise<TemporaryDirectory> {
  const path = await mkdtemp(join(tmpdir(), 'rekindle-training-'));
  return {
    path,
    async write(name, content) {
      const file = join(path, name);
      await writeFile(file, content);
      return file;
    },
    remove: () => rm(path, { recursive: true, force: true }),
  };
}

/** Polls until the job is terminal, returning every state seen (bounded, never hangs). */
export async function pollToEnd<State extends { status: string }>(
  poll: () => Promise<State>,
  maxPolls = 20,
): Promise<State[]> {
  const seen: State[] = [];
  for (let count = 0; count < maxPolls; count += 1) {
    const state = await poll();
    seen.push(state);
    if (state.status === 'succeeded' || state.status === 'failed' || state.status === 'cancelled') {
      return seen;
    }
  }
  throw new Error(`job not finished after ${maxPolls} polls: ${JSON.stringify(seen.at(-1))}`);
}
