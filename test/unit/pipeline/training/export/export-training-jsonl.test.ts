import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  validateOpenAIChatFile,
  validateTogetherFile,
} from '../../../../../src/cli/simulators/index.ts';
import {
  type ExportTrainingJsonlOptions,
  exportTrainingJsonl,
  exportTrainingJsonlToFiles,
  InsufficientTrainingDataError,
  type OutcomeRow,
} from '../../../../../src/pipeline/training/export/index.ts';
import {
  fromArray,
  outcomeRow,
  type TemporaryDirectory,
  temporaryDirectory,
} from '../training-test-data.ts';

const costs: ExportTrainingJsonlOptions['costs'] = {
  openai: { baseModel: 'gpt-4o-mini-2024-07-18', epochs: 3 },
  together: { baseModel: 'meta-llama/Meta-Llama-3.1-8B-Instruct-Reference', epochs: 3, lora: true },
};

class MemorySink extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void) {
    this.text += chunk.toString('utf8');
    callback();
  }
  lines(): Array<{ messages: Array<{ role: string; content: string; weight?: number }> }> {
    return this.text
      .trimEnd()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
  }
}

/** 100 rows, quality 0.00 … 0.99 (every other one as a string, as node-postgres returns numeric). */
function rowsWithQualities(): OutcomeRow[] {
  return Array.from({ length: 100 }, (_, index) => {
    const quality = index / 100;
    return outcomeRow(index, {
      quality_score: index % 2 === 0 ? quality : quality.toFixed(2),
    }) as OutcomeRow;
  });
}

const topicOf = (content: string) => Number(/topic (\d+)/.exec(content)?.[1]);

describe('exportTrainingJsonl', () => {
  let directory: TemporaryDirectory;
  beforeAll(async () => {
    directory = await temporaryDirectory();
  });
  afterAll(async () => {
    await directory.remove();
  });

  it('writes exactly the rows at or above the threshold, scrubbed, in a file OpenAI’s rules accept', async () => {
    const rows = rowsWithQualities();
    const train = new MemorySink();
    const stats = await exportTrainingJsonl(
      fromArray(rows),
      { train },
      { format: 'openai', minQualityScore: 0.6, minExamples: 10, costs },
    );

    const written = train.lines();
    expect(
      written
        .map((example) => topicOf(example.messages.at(-1)?.content ?? ''))
        .sort((a, b) => a - b),
    ).toEqual(Array.from({ length: 40 }, (_, index) => 60 + index));
    expect(stats).toMatchObject({
      fetched: 100,
      filtered: { total: 60, below_quality_score: 60, duplicate: 0 },
      written: { total: 40, train: 40, validation: 0 },
      average_quality_score: 0.795,
      keep_pii: false,
    });
    expect(validateOpenAIChatFile(train.text)).toMatchObject({ valid: true, examples: 40 });

    for (const row of rows) {
      const lead = row.lead_data as Record<string, string>;
      for (const field of ['first_name', 'last_name', 'email', 'phone', 'company']) {
        expect(train.text.toLowerCase()).not.toContain(String(lead[field]).toLowerCase());
      }
    }
    expect(written[0]?.messages.at(-1)?.content).toMatch(
      /^Hi \{\{first_name\}\}, thanks for the chat about \{\{company\}\}'s rollout \(topic \d+\)\. I'll call \{\{phone\}\} Tuesday\. — \{\{sender_name\}\}$/,
    );
    expect(written[0]?.messages[1]?.content).toMatch(
      /^Lead: \{\{full_name\}\}, \{\{title\}\} at \{\{company\}\}\. Email \{\{email\}\}, phone \{\{phone\}\}\. Topic \d+\.$/,
    );
  });

  it('keeps PII only when asked, and dedupes examples that are identical once scrubbed', async () => {
    const kept = new MemorySink();
    await exportTrainingJsonl(
      fromArray([outcomeRow(1) as OutcomeRow]),
      { train: kept },
      { format: 'openai', keepPii: true, minExamples: 0, costs },
    ).catch((error: unknown) => error);
    expect(kept.text).toContain('Priya');

    // Two leads, one template: after scrubbing both are the same example.
    const template = (index: number) =>
      outcomeRow(index, {
        prompt_messages: [
          { role: 'user', content: `Follow up with ${index % 2 ? 'Priya' : 'Marcus'}.` },
        ],
        message_body: `Hi ${index % 2 ? 'Priya' : 'Marcus'}, checking in.`,
        lead_data: { first_name: index % 2 ? 'Priya' : 'Marcus' },
      }) as OutcomeRow;
    const train = new MemorySink();
    const rows = [
      ...Array.from({ length: 12 }, (_, index) => outcomeRow(index) as OutcomeRow),
      template(1),
      template(2),
    ];
    const stats = await exportTrainingJsonl(
      fromArray(rows),
      { train },
      { format: 'openai', minExamples: 10, costs },
    );
    expect(stats.filtered.duplicate).toBe(1);
    expect(stats.written.total).toBe(13);
    expect(train.text).toContain('"Hi {{first_name}}, checking in."');
  });

  it('splits train and validation by content hash, the same way every time and in any order', async () => {
    const rows = Array.from({ length: 1000 }, (_, index) => outcomeRow(index) as OutcomeRow);
    const run = async (input: OutcomeRow[]) => {
      const train = new MemorySink();
      const validation = new MemorySink();
      const stats = await exportTrainingJsonl(
        fromArray(input),
        { train, validation },
        { format: 'openai', validationFraction: 0.2, costs },
      );
      return { stats, train: train.text, validation: validation.text };
    };
    const first = await run(rows);
    const again = await run(rows);
    const reversed = await run([...rows].reverse());
    expect(again.train).toBe(first.train);
    expect(again.validation).toBe(first.validation);
    const sorted = (text: string) => text.split('\n').sort().join('\n');
    expect(sorted(reversed.validation)).toBe(sorted(first.validation));
    expect(first.stats.written.validation).toBeGreaterThan(150);
    expect(first.stats.written.validation).toBeLessThan(250);
    expect(first.stats.written.train + first.stats.written.validation).toBe(1000);
    expect(validateOpenAIChatFile(first.validation, 1).valid).toBe(true);
  });

  it('reports tokens and estimated training cost per provider', async () => {
    const train = new MemorySink();
    const validation = new MemorySink();
    const rows = Array.from({ length: 200 }, (_, index) => outcomeRow(index) as OutcomeRow);
    const stats = await exportTrainingJsonl(
      fromArray(rows),
      { train, validation },
      { format: 'openai', costs },
    );
    const { train: trainTokens, validation: validationTokens } = stats.estimated_tokens;
    expect(trainTokens).toBeGreaterThan(0);
    expect(stats.estimated_tokens.total).toBe(trainTokens + validationTokens);
    expect(stats.estimated_cost_usd?.openai).toMatchObject({
      epochs: 3,
      billed_tokens: trainTokens * 3,
      usd_per_million_tokens: 3,
    });
    expect(stats.estimated_cost_usd?.openai.estimated_usd).toBeCloseTo(
      (trainTokens * 3 * 3) / 1_000_000,
      4,
    );
    expect(stats.estimated_cost_usd?.together).toMatchObject({
      billed_tokens: trainTokens * 3 + validationTokens * 3,
      usd_per_million_tokens: 0.48,
    });
  });

  it('writes Together’s conversational format: system first, turns joined so roles alternate', async () => {
    const rows = Array.from(
      { length: 12 },
      (_, index) =>
        outcomeRow(index, {
          prompt_messages: [
            { role: 'system', content: 'Be brief.' },
            { role: 'user', content: 'Context: renewal.' },
            {
              role: 'user',
              content: [{ type: 'text', text: `Write to the lead (topic ${index}).` }],
            },
          ],
        }) as OutcomeRow,
    );
    const withTool = outcomeRow(99, {
      prompt_messages: [
        { role: 'user', content: 'x' },
        { role: 'tool', tool_call_id: 'c1', content: 'y' },
      ],
    }) as OutcomeRow;
    const train = new MemorySink();
    const stats = await exportTrainingJsonl(
      fromArray([...rows, withTool]),
      { train },
      { format: 'together', minExamples: 10, costs },
    );
    expect(stats.filtered.unsupported_messages).toBe(1);
    expect(validateTogetherFile(train.text)).toMatchObject({ valid: true, examples: 12 });
    expect(train.lines()[0]?.messages.map((message) => message.role)).toEqual([
      'system',
      'user',
      'assistant',
    ]);
    expect(train.lines()[0]?.messages[1]?.content).toBe(
      'Context: renewal.\n\nWrite to the lead (topic 0).',
    );
  });

  it('filters other organizations and unusable rows by reason, and honours the limit', async () => {
    const rows = [
      ...Array.from({ length: 30 }, (_, index) => outcomeRow(index) as OutcomeRow),
      outcomeRow(100, { organization_id: 'org_other' }) as OutcomeRow,
      outcomeRow(101, { message_body: '  ' }) as OutcomeRow,
      outcomeRow(102, { prompt_messages: 'not json' }) as OutcomeRow,
      outcomeRow(103, { quality_score: null }) as OutcomeRow,
    ];
    const all = await exportTrainingJsonl(
      fromArray(rows.slice(20)),
      { train: new MemorySink() },
      { format: 'openai', organizationId: 'org_123', minExamples: 10, costs },
    );
    expect(all.filtered).toMatchObject({
      organization_mismatch: 1,
      missing_output: 1,
      invalid_prompt: 1,
      below_quality_score: 1,
      total: 4,
    });

    let pulled = 0;
    async function* counted() {
      for (const row of rows) {
        pulled += 1;
        yield row;
      }
    }
    const limited = await exportTrainingJsonl(
      counted(),
      { train: new MemorySink() },
      { format: 'openai', limit: 12, minExamples: 10, costs },
    );
    expect(limited).toMatchObject({ fetched: 12, written: { total: 12 }, limit_reached: true });
    expect(pulled).toBe(12);
  });

  it('fails with a clear message below the minimum and leaves no file behind', async () => {
    const trainPath = join(directory.path, 'few.jsonl');
    const rows = Array.from(
      { length: 20 },
      (_, index) => outcomeRow(index, { quality_score: index < 8 ? 0.2 : 0.8 }) as OutcomeRow,
    );
    const error = await exportTrainingJsonlToFiles(
      fromArray(rows),
      { trainPath },
      { format: 'openai', costs },
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InsufficientTrainingDataError);
    expect((error as Error).message).toBe(
      'Not enough training examples: 12 written (need at least 50). Fetched 20 outcomes; filtered 8 (below_quality_score 8). ' +
        'Collect more tracked outcomes, lower --min-quality-score (now 0.6), or lower training.min_examples.',
    );
    expect((error as InsufficientTrainingDataError).stats.written.total).toBe(12);
    await expect(stat(trainPath)).rejects.toThrow();
    await expect(stat(`${trainPath}.partial`)).rejects.toThrow();

    const tooFewForOpenAI = await exportTrainingJsonl(
      fromArray(rows.slice(12)),
      { train: new MemorySink() },
      { format: 'openai', minExamples: 1, costs },
    ).catch((caught: unknown) => caught);
    expect((tooFewForOpenAI as Error).message).toContain(
      'OpenAI needs at least 10 in the training file; 8 went there',
    );
  });

  it('writes both files into place when the export passes', async () => {
    const trainPath = join(directory.path, 'train.jsonl');
    const validationPath = join(directory.path, 'validation.jsonl');
    const rows = Array.from({ length: 120 }, (_, index) => outcomeRow(index) as OutcomeRow);
    const stats = await exportTrainingJsonlToFiles(
      fromArray(rows),
      { trainPath, validationPath },
      { format: 'openai', validationFraction: 0.1, costs },
    );
    const trainText = await readFile(trainPath, 'utf8');
    const validationText = await readFile(validationPath, 'utf8');
    expect(trainText.trimEnd().split('\n')).toHaveLength(stats.written.train);
    expect(validationText.trimEnd().split('\n')).toHaveLength(stats.written.validation);
    expect(stats.written.validation).toBeGreaterThan(0);
  });
});
