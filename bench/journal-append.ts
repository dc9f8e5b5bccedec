/**
 * What acknowledged-means-durable costs a tracked request: the time of TrackingJournal.append (one
 * JSON line, one synchronous write(2), no fsync) for a row the size the gateway tracks (prompt of
 * two messages, a ~600-character answer, metadata). Goal (issue 15): p50 ≤ 0.1 ms.
 * Run: `node --import tsx bench/journal-append.ts [rows]`; prints one JSON object.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrackingJournal } from '../src/pipeline/index.ts';

const rows = Number(process.argv[2] ?? '20000');
const directory = mkdtempSync(join(tmpdir(), 'rekindle-journal-bench-'));
const journal = new TrackingJournal({ directory });
const body = 'Hi Dana, saw that Initech just opened an office in Denver. '.repeat(10);

function trackedRow(index: number) {
  return {
    id: randomUUID(),
    organization_id: 'org_bench',
    campaign_id: 'q4',
    lead_id: `lead-${index}`,
    channel: 'email',
    route: 'outreach',
    message_body: body,
    subject_line: 'Denver',
    agent_decisions: { framework: 'AIDA', tone: 'warm', personalization_score: 0.8 },
    model_id: 'gpt-4o-mini',
    model_version: 'v1.0.0',
    variant: 'baseline',
    provider: 'openai',
    request_id: randomUUID(),
    prompt_messages: [
      { role: 'system', content: 'You write short sales emails.' },
      { role: 'user', content: `Write to lead ${index} at Initech.` },
    ],
    cost_usd: 0.00012,
    latency_ms: 840,
    prompt_tokens: 42,
    completion_tokens: 160,
    created_at: new Date().toISOString(),
  };
}

const prepared = Array.from({ length: rows }, (_, index) => trackedRow(index));
const timings: number[] = [];
for (const [index, row] of prepared.entries()) {
  const started = performance.now();
  journal.append(row);
  timings.push(performance.now() - started);
  // Settle as the buffer does after each committed batch, so segments rotate and are deleted.
  if (index % 500 === 499) {
    journal.settle(prepared.slice(index - 499, index + 1).map((each) => each.id));
  }
}
journal.close();
rmSync(directory, { recursive: true, force: true });

// The first appends pay for JIT and the first page faults: measure the steady state.
const steady = timings.slice(Math.min(1_000, Math.floor(rows / 10))).sort((a, b) => a - b);
const quantile = (q: number) => steady[Math.min(steady.length - 1, Math.floor(q * steady.length))];
process.stdout.write(
  `${JSON.stringify({
    rows,
    bytes_per_row: Buffer.byteLength(JSON.stringify(prepared[0])) + 1,
    p50_ms: Number(quantile(0.5)?.toFixed(4)),
    p99_ms: Number(quantile(0.99)?.toFixed(4)),
    max_ms: Number(steady.at(-1)?.toFixed(4)),
  })}\n`,
);
