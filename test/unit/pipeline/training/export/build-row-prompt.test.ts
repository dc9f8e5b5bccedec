import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  validateOpenAIChatFile,
  validateTogetherFile,
} from '../../../../../src/cli/simulators/index.ts';
import {
  buildRowPrompt,
  builtPromptSystemMessage,
  exportTrainingJsonl,
  type OutcomeRow,
} from '../../../../../src/pipeline/training/export/index.ts';
import { fromArray, outcomeRow } from '../training-test-data.ts';

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

/** A row reported without its prompt (POST /v1/outcomes with no prompt_messages). */
function promptlessRow(index: number, overrides: Record<string, unknown> = {}): OutcomeRow {
  return outcomeRow(index, {
    prompt_messages: null,
    campaign_id: 'q4-expansion',
    channel: 'email',
    framework: null,
    tone: null,
    agent_decisions: { framework: 'AIDA', tone: 'warm', personalization_score: 0.8 },
    ...overrides,
  }) as OutcomeRow;
}

const userText = (row: OutcomeRow) => buildRowPrompt(row)[1]?.content;

describe('buildRowPrompt', () => {
  it('composes a system and a user message from the row, in a fixed order', () => {
    const row = promptlessRow(0, { lead_data: { company: 'Acme', industry: 'Robotics' } });
    expect(buildRowPrompt(row)).toEqual([
      { role: 'system', content: builtPromptSystemMessage },
      {
        role: 'user',
        content: [
          'Write an outreach message.',
          'Channel: email',
          'Campaign: q4-expansion',
          'Framework: AIDA',
          'Tone: warm',
          'Subject line: Quick follow-up, Dana',
          'Lead:',
          '- company: Acme',
          '- industry: Robotics',
        ].join('\n'),
      },
    ]);
  });

  it('is deterministic: the same fields in another order, or as JSON text, give the same prompt', () => {
    const lead = { title: 'Head of Ops', company: 'Acme', first_name: 'Dana' };
    const reversed = Object.fromEntries(Object.entries(lead).reverse());
    const a = promptlessRow(1, { lead_data: lead });
    const b = promptlessRow(1, {
      lead_data: JSON.stringify(reversed),
      agent_decisions: JSON.stringify({ tone: 'warm', framework: 'AIDA' }),
    });
    expect(buildRowPrompt(a)).toEqual(buildRowPrompt(b));
    expect(userText(a)).toContain('- company: Acme\n- first_name: Dana\n- title: Head of Ops');
  });

  it('prefers the framework and tone columns, and leaves out what the row does not have', () => {
    const row = promptlessRow(2, {
      framework: 'PAS',
      tone: null,
      campaign_id: null,
      subject_line: '  ',
      channel: null,
      agent_decisions: { tone: 'direct' },
      lead_data: null,
    });
    expect(userText(row)).toBe(
      'Write an outreach message.\nChannel: email\nFramework: PAS\nTone: direct',
    );
  });

  it('leaves out contact details and values that are not plain, and bounds the rest', () => {
    const many = Object.fromEntries(
      Array.from({ length: 30 }, (_, index) => [`field_${String(index).padStart(2, '0')}`, index]),
    );
    const row = promptlessRow(3, {
      lead_data: {
        email: 'dana@acme.example',
        phone: '+1 415 555 0100',
        linkedin_url: 'https://linkedin.com/in/dana',
        notes: `line one\n\nline   two ${'x'.repeat(300)}`,
        tags: ['a', 'b'],
        address: { city: 'Oslo' },
        empty: '',
        active: true,
      },
    });
    const text = userText(row) ?? '';
    expect(text).not.toMatch(/dana@acme|555|linkedin|tags|address|empty/);
    expect(text).toContain('- active: yes');
    expect(text).toContain(`- notes: line one line two ${'x'.repeat(182)}…`);
    const bounded = userText(promptlessRow(4, { lead_data: many })) ?? '';
    expect(bounded.split('\n').filter((line) => line.startsWith('- '))).toHaveLength(20);
    expect(bounded).toContain('- field_19: 19');
    expect(bounded).not.toContain('field_20');
  });
});

describe('exporting rows without prompt messages', () => {
  it('builds the prompt for null, absent and empty prompts, scrubs it, and counts it', async () => {
    const rows = [
      ...Array.from({ length: 10 }, (_, index) => promptlessRow(index)),
      promptlessRow(10, { prompt_messages: undefined }),
      promptlessRow(11, { prompt_messages: [] }),
      promptlessRow(12, { prompt_messages: '[]' }),
      promptlessRow(13, { prompt_messages: 'null' }),
      // Recorded prompts are used as they are; broken ones are still refused.
      outcomeRow(14) as OutcomeRow,
      promptlessRow(15, { prompt_messages: 'not json' }),
      promptlessRow(16, { prompt_messages: { role: 'user', content: 'x' } }),
    ];
    const train = new MemorySink();
    const stats = await exportTrainingJsonl(
      fromArray(rows),
      { train },
      { format: 'openai', minExamples: 10 },
    );
    expect(stats).toMatchObject({
      written: { total: 15 },
      built_prompts: 14,
      filtered: { invalid_prompt: 2, total: 2 },
    });
    expect(validateOpenAIChatFile(train.text)).toMatchObject({ valid: true, examples: 15 });
    const [first] = train.lines();
    expect(first?.messages.map((message) => message.role)).toEqual(['system', 'user', 'assistant']);
    // The lead's values become the same placeholders as in the message the model learns.
    expect(first?.messages[1]?.content).toContain('- first_name: {{first_name}}');
    expect(first?.messages[1]?.content).toContain('Subject line: Quick follow-up, {{first_name}}');
    expect(first?.messages[2]?.content).toMatch(/^Hi \{\{first_name\}\}, thanks/);
    expect(train.text).not.toMatch(/Dana|Whitfield|example0\.com|555-/);
  });

  it('writes Together’s format too (system, user, assistant)', async () => {
    const train = new MemorySink();
    const stats = await exportTrainingJsonl(
      fromArray(Array.from({ length: 5 }, (_, index) => promptlessRow(index))),
      { train },
      { format: 'together', minExamples: 5 },
    );
    expect(stats.built_prompts).toBe(5);
    expect(validateTogetherFile(train.text)).toMatchObject({ valid: true, examples: 5 });
  });
});
