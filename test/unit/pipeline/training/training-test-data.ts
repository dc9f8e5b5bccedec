/** Small, deterministic training data for the fine-tuning and export tests. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function chatExampleLine(index: number): string {
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

const firstNames = ['Dana', 'Priya', 'Marcus', 'Sofia', 'Kenji', 'Amara', 'Lukas', 'Chloe'];
const lastNames = [
  'Whitfield',
  'Raman',
  'Okafor',
  'Lindqvist',
  'Tanaka',
  'Mensah',
  'Brenner',
  'Dubois',
];
const companies = ['Acme Robotics Inc.', 'Northwind Traders', 'Globex GmbH', 'Initech LLC'];

/** A tracked outcome like the gateway stores it: the prompt names the lead, so does the output. */
export function outcomeRow(index: number, overrides: Record<string, unknown> = {}) {
  const first = firstNames[index % firstNames.length] ?? 'Dana';
  const last = `${lastNames[index % lastNames.length] ?? 'Smith'}${index}`;
  const company = companies[index % companies.length] ?? 'Acme';
  const email = `${first.toLowerCase()}.${last.toLowerCase()}@example${index}.com`;
  const phone = `+1 (415) 555-${String(1000 + (index % 9000)).padStart(4, '0')}`;
  return {
    id: `outcome-${index}`,
    organization_id: 'org_123',
    lead_id: `lead-${index}`,
    prompt_messages: [
      { role: 'system', content: 'You write concise B2B follow-up emails.' },
      {
        role: 'user',
        content: `Lead: ${first} ${last}, Head of Ops at ${company}. Email ${email}, phone ${phone}. Topic ${index}.`,
      },
    ],
    message_body: `Hi ${first}, thanks for the chat about ${company}'s rollout (topic ${index}). I'll call ${phone} Tuesday. — Sam`,
    subject_line: `Quick follow-up, ${first}`,
    lead_data: {
      first_name: first,
      last_name: last,
      full_name: `${first} ${last}`,
      company,
      email,
      phone,
      title: 'Head of Ops',
    },
    quality_score: 0.9,
    created_at: '2026-11-01T10:00:00Z',
    ...overrides,
  };
}

export async function* fromArray<Item>(items: readonly Item[]): AsyncGenerator<Item> {
  for (const item of items) {
    yield item;
  }
}
