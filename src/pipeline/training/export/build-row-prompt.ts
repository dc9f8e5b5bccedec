/**
 * A prompt for an outcome that has none (a message reported through `POST /v1/outcomes` without
 * `prompt_messages`, or written by SQL): a fixed system message and a user message composed from
 * what the row holds — channel, campaign, framework, tone, subject line and the lead's fields.
 * Deterministic: the same row always gives the same prompt (fixed field order, lead fields sorted by
 * name), so dedupe and the validation split treat it like any other example. The texts then go
 * through the row's PII scrubber like a recorded prompt (docs/training.md, "Rows without a prompt").
 */
import type { OutcomeRow } from './outcome-row.ts';

export const builtPromptSystemMessage =
  'You write personalized sales outreach messages. Answer with the message only.';

/** Contact details say how to reach the lead, not what to write: left out of the prompt. */
const contactFields = new Set(['email', 'phone', 'phone_number', 'mobile', 'linkedin_url']);
const maxLeadFields = 20;
const maxValueLength = 200;
const maxKeyLength = 64;

type Fields = Record<string, unknown>;
const isFields = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function parseObject(value: unknown): Fields | null {
  if (typeof value !== 'string') {
    return isFields(value) ? value : null;
  }
  try {
    const parsed: unknown = JSON.parse(value);
    return isFields(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

/** One line of text: whitespace runs collapsed, cut at `maxValueLength` characters. */
function singleLine(value: unknown): string | null {
  let text: string;
  if (typeof value === 'string') {
    text = value;
  } else if (typeof value === 'number' && Number.isFinite(value)) {
    text = String(value);
  } else if (typeof value === 'boolean') {
    text = value ? 'yes' : 'no';
  } else {
    return null;
  }
  const collapsed = text.replace(/\s+/g, ' ').trim();
  if (collapsed === '') {
    return null;
  }
  return collapsed.length > maxValueLength ? `${collapsed.slice(0, maxValueLength)}…` : collapsed;
}

/** Code-unit order, not the locale's: the same on every machine. */
function byCodeUnits(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

function leadLines(leadData: unknown): string[] {
  const lead = parseObject(leadData);
  if (!lead) {
    return [];
  }
  const lines: string[] = [];
  for (const key of Object.keys(lead).sort(byCodeUnits)) {
    const name = key.trim();
    if (name === '' || name.length > maxKeyLength || contactFields.has(name.toLowerCase())) {
      continue;
    }
    const value = singleLine(lead[key]);
    if (value !== null) {
      lines.push(`- ${name}: ${value}`);
    }
    if (lines.length === maxLeadFields) {
      break;
    }
  }
  return lines;
}

/**
 * The prompt as chat messages (unscrubbed): `[system, user]`. The user message always starts with
 * `Write an outreach message.` and `Channel: <channel>` (default `email`); every other line is there
 * only when the row has its value.
 */
export function buildRowPrompt(
  row: OutcomeRow,
): Array<{ role: 'system' | 'user'; content: string }> {
  const decisions = parseObject(row.agent_decisions);
  const channel = singleLine(row.channel) ?? 'email';
  const details: Array<[string, string | null]> = [
    ['Campaign', singleLine(row.campaign_id)],
    ['Framework', singleLine(row.framework) ?? singleLine(decisions?.framework)],
    ['Tone', singleLine(row.tone) ?? singleLine(decisions?.tone)],
    ['Subject line', singleLine(row.subject_line)],
  ];
  const lines = ['Write an outreach message.', `Channel: ${channel}`];
  for (const [label, value] of details) {
    if (value !== null) {
      lines.push(`${label}: ${value}`);
    }
  }
  const lead = leadLines(row.lead_data);
  if (lead.length > 0) {
    lines.push('Lead:', ...lead);
  }
  return [
    { role: 'system', content: builtPromptSystemMessage },
    { role: 'user', content: lines.join('\n') },
  ];
}
