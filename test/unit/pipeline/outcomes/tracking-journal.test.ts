import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { replayJournal, TrackingJournal } from '../../../../src/pipeline/outcomes/journal/index.ts';
import { TrackingBuffer } from '../../../../src/pipeline/outcomes/tracking-buffer.ts';
import type { TrackedMessageRow } from '../../../../src/store/index.ts';

const directories: string[] = [];
const journals: TrackingJournal[] = [];

afterEach(() => {
  for (const journal of journals.splice(0)) {
    journal.close();
  }
  for (const directory of directories.splice(0)) {
    rmSync(directory, { recursive: true, force: true });
  }
});

function open(options: { segmentBytes?: number } = {}) {
  const directory = mkdtempSync(join(tmpdir(), 'rekindle-journal-'));
  directories.push(directory);
  const journal = new TrackingJournal({ directory, ...options });
  journals.push(journal);
  return journal;
}

function row(extra: Partial<TrackedMessageRow> = {}): TrackedMessageRow {
  return {
    id: randomUUID(),
    organization_id: 'org_j',
    lead_id: 'lead',
    message_body: 'Hi',
    ...extra,
  };
}

/** A store that keeps rows by id, as track_messages does (an id it has is skipped). */
function memoryStore() {
  const rows = new Map<string, TrackedMessageRow>();
  return {
    rows,
    async trackMessages(batch: readonly TrackedMessageRow[]) {
      let inserted = 0;
      for (const each of batch) {
        if (!rows.has(each.id)) {
          rows.set(each.id, each);
          inserted += 1;
        }
      }
      return { inserted, received: batch.length };
    },
  };
}

const segments = (directory: string) =>
  readdirSync(directory).filter((name) => name.endsWith('.jsonl'));

describe('TrackingJournal', () => {
  it('has the row in its file when append() returns, before any await', () => {
    const journal = open();
    const first = row();
    expect(journal.append(first)).toBe(true);
    const [segment = ''] = segments(journal.directory);
    const lines = readFileSync(join(journal.directory, segment), 'utf8').trim().split('\n');
    expect(lines.map((line) => JSON.parse(line).id)).toEqual([first.id]);
  });

  it('deletes a sealed segment once every row in it is settled, and keeps unsettled ones at close', () => {
    const journal = open({ segmentBytes: 200 });
    const rows = Array.from({ length: 6 }, () => row());
    for (const each of rows) {
      journal.append(each);
    }
    expect(segments(journal.directory).length).toBeGreaterThan(1);
    journal.settle(rows.slice(0, 5).map((each) => each.id));
    journal.close();
    const left = segments(journal.directory);
    expect(left).toHaveLength(1);
    const text = readFileSync(join(journal.directory, left[0] ?? ''), 'utf8');
    expect(text).toContain(rows[5]?.id);
    expect(readdirSync(journal.directory).some((name) => name.endsWith('.lock'))).toBe(false);
  });

  it('refuses appends once closed (the caller then hands out no outcome id)', () => {
    const journal = open();
    journal.close();
    expect(journal.append(row())).toBe(false);
    const buffer = new TrackingBuffer({ store: memoryStore(), journal });
    expect(buffer.push(row())).toBe(false);
  });
});

describe('replayJournal', () => {
  it('writes what a writer that is gone left, the last record of an id winning, then deletes it', async () => {
    const journal = open();
    const reserved = row({ generation_status: 'interrupted', message_body: '' });
    const plain = row();
    journal.append(reserved);
    journal.append(plain);
    journal.append({ ...reserved, generation_status: 'completed', message_body: 'Done' });
    journal.close();
    // A line torn by a machine crash is skipped, not fatal.
    appendFileSync(join(journal.directory, segments(journal.directory)[0] ?? ''), '{"id":"tor');

    const store = memoryStore();
    const result = await replayJournal({ directory: journal.directory, store });
    expect(result).toMatchObject({ writers: 1, rows: 2, inserted: 2, skippedLines: 1 });
    expect(store.rows.get(reserved.id)).toMatchObject({
      generation_status: 'completed',
      message_body: 'Done',
    });
    expect(readdirSync(journal.directory)).toEqual([]);
    // Idempotent: nothing left, nothing written twice.
    expect(await replayJournal({ directory: journal.directory, store })).toMatchObject({ rows: 0 });
  });

  it('never touches the files of a writer that is alive', async () => {
    const live = open();
    live.append(row());
    const store = memoryStore();
    const result = await replayJournal({ directory: live.directory, store });
    expect(result).toMatchObject({ writers: 0, rows: 0 });
    expect(segments(live.directory)).toHaveLength(1);
    expect(store.rows.size).toBe(0);
  });

  it('keeps the files when the store fails, for the next attempt', async () => {
    const journal = open();
    journal.append(row());
    journal.close();
    const failing = {
      async trackMessages(): Promise<{ inserted: number }> {
        throw new Error('connection refused');
      },
    };
    await expect(replayJournal({ directory: journal.directory, store: failing })).rejects.toThrow(
      'connection refused',
    );
    expect(segments(journal.directory)).toHaveLength(1);
  });
});

describe('TrackingBuffer with a journal', () => {
  it('settles rows once written, so the journal empties', async () => {
    const journal = open();
    const store = memoryStore();
    const buffer = new TrackingBuffer({ store, journal, flushIntervalMs: 600_000 });
    for (let index = 0; index < 20; index += 1) {
      expect(buffer.push(row())).toBe(true);
    }
    expect(journal.stats.unsettled).toBe(20);
    await buffer.flush();
    expect(journal.stats.unsettled).toBe(0);
    await buffer.close();
    expect(readdirSync(journal.directory)).toEqual([]);
  });
});
