import { GatewayError } from '../../errors/index.ts';
import type { ChatRequestBody, FinishReason, ToolCall } from '../chat-model.ts';
import { sampleJson } from './json-schema-sample.ts';

/**
 * What the sandbox answers to a request that asks for more than plain text, decided from the body
 * alone (deterministic):
 * - `tools`: a call of the named tool (`tool_choice: {function}`), else of the first tool whose name
 *   the last user message mentions, else of the first tool — made when `tool_choice` is `required`
 *   or named, or `auto` while no tool has answered since the last user message; its arguments are
 *   generated from the tool's JSON Schema. After a tool result, the final answer.
 * - `response_format`: `json_schema` → JSON generated from the schema; `json_object` → the email as
 *   `{"subject", "body"}`;
 * - `n` choices, each another draft; `stop` cuts the content before the first stop sequence;
 *   `max_tokens` / `max_completion_tokens` cut it at ~4 characters a token (finish `length`).
 */
export interface SandboxChoice {
  readonly content: string | null;
  readonly toolCalls: readonly ToolCall[];
  readonly finishReason: FinishReason;
}

export interface SandboxSource {
  /** FNV-1a of the prompt: seeds every choice the sandbox makes. */
  readonly seed: number;
  /** The outreach email for this prompt; variant > 0 is another draft. */
  readonly write: (variant: number) => string;
  /** Names, company, role and sender found in the prompt, for JSON string fields. */
  readonly facts: Readonly<Record<'firstName' | 'company' | 'role' | 'sender', string | undefined>>;
}

type Loose = Record<string, unknown>;

interface FunctionTool {
  readonly name: string;
  readonly parameters: unknown;
}

/** True when the body asks for anything the sandbox's plain answer does not already do. */
export function asksForFeatures(body: ChatRequestBody): boolean {
  const source = body as Loose;
  const format = (source.response_format as Loose | null | undefined)?.type;
  return (
    (Array.isArray(source.tools) && source.tools.length > 0) ||
    (format !== undefined && format !== 'text') ||
    (typeof source.n === 'number' && source.n > 1) ||
    source.logprobs === true ||
    (source.stop !== undefined && source.stop !== null)
  );
}

export function sandboxChoices(body: ChatRequestBody, source: SandboxSource): SandboxChoice[] {
  const loose = body as Loose;
  const count = typeof loose.n === 'number' && loose.n > 1 ? Math.floor(loose.n) : 1;
  const tool = toolToCall(loose);
  const choices: SandboxChoice[] = [];
  for (let variant = 0; variant < count; variant++) {
    if (tool !== undefined) {
      choices.push({
        content: null,
        toolCalls: [toolCall(tool, source, variant)],
        finishReason: 'tool_calls',
      });
    } else {
      choices.push(limited(loose, content(loose, source, variant)));
    }
  }
  return choices;
}

function content(body: Loose, source: SandboxSource, variant: number): string {
  const format = body.response_format as Loose | null | undefined;
  if (format?.type === 'json_schema') {
    const spec = (format.json_schema ?? {}) as Loose;
    const value = sampleJson(spec.schema ?? { type: 'object' }, {
      seed: source.seed + variant,
      stringFor: hints(source, variant),
    });
    return JSON.stringify(value);
  }
  if (format?.type === 'json_object') {
    const { subject, body: text } = splitEmail(source.write(variant));
    return JSON.stringify({ subject, body: text });
  }
  if (format !== undefined && format !== null && format.type !== 'text') {
    throw refused(
      `response_format type ${JSON.stringify(format.type)} is not supported`,
      'response_format',
    );
  }
  return source.write(variant);
}

/** `stop` first, then the token limit, as a real model stops at whichever comes first. */
function limited(body: Loose, text: string): SandboxChoice {
  let out = text;
  let finishReason: FinishReason = 'stop';
  const stops =
    typeof body.stop === 'string' ? [body.stop] : Array.isArray(body.stop) ? body.stop : [];
  for (const stop of stops) {
    const at = typeof stop === 'string' && stop.length > 0 ? out.indexOf(stop) : -1;
    if (at !== -1) {
      out = out.slice(0, at);
    }
  }
  const limit = body.max_completion_tokens ?? body.max_tokens;
  if (typeof limit === 'number' && limit > 0 && Math.ceil(out.length / 4) > limit) {
    out = out.slice(0, Math.floor(limit) * 4);
    finishReason = 'length';
  }
  return { content: out, toolCalls: [], finishReason };
}

function toolToCall(body: Loose): FunctionTool | undefined {
  if (!Array.isArray(body.tools) || body.tools.length === 0) {
    return undefined;
  }
  const tools = body.tools.map((raw: unknown, index): FunctionTool => {
    const fields = (raw ?? {}) as Loose;
    const fn = fields.function as Loose | undefined;
    if (fields.type !== 'function' || typeof fn?.name !== 'string') {
      throw refused('only function tools are supported by the sandbox', `tools[${index}]`);
    }
    return { name: fn.name, parameters: fn.parameters };
  });
  const choice = body.tool_choice;
  if (choice === 'none') {
    return undefined;
  }
  if (typeof choice === 'object' && choice !== null) {
    const name = ((choice as Loose).function as Loose | undefined)?.name;
    const named = tools.find((tool) => tool.name === name);
    if (named === undefined) {
      throw refused('tool_choice must name one of the tools', 'tool_choice');
    }
    return named;
  }
  if (choice !== 'required' && toolAnsweredSinceUser(body.messages)) {
    return undefined;
  }
  const asked = lastUserText(body.messages).toLowerCase();
  return (
    tools.find((tool) => {
      const name = tool.name.toLowerCase();
      return asked.includes(name) || asked.includes(name.replace(/[_-]+/g, ' '));
    }) ?? tools[0]
  );
}

function toolCall(tool: FunctionTool, source: SandboxSource, variant: number): ToolCall {
  const parameters = tool.parameters ?? { type: 'object', properties: {} };
  const seed = source.seed + variant;
  return {
    id: `call_sandbox_${(seed >>> 0).toString(36)}${variant}`,
    name: tool.name,
    arguments: JSON.stringify(sampleJson(parameters, { seed, stringFor: hints(source, variant) })),
  };
}

function toolAnsweredSinceUser(messages: unknown): boolean {
  if (!Array.isArray(messages)) {
    return false;
  }
  for (let index = messages.length - 1; index >= 0; index--) {
    const role = (messages[index] as Loose | null | undefined)?.role;
    if (role === 'tool' || role === 'function') {
      return true;
    }
    if (role === 'user') {
      return false;
    }
  }
  return false;
}

function lastUserText(messages: unknown): string {
  if (!Array.isArray(messages)) {
    return '';
  }
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = (messages[index] ?? {}) as Loose;
    if (message.role !== 'user') {
      continue;
    }
    if (typeof message.content === 'string') {
      return message.content;
    }
    if (Array.isArray(message.content)) {
      return message.content
        .map((part: Loose) => (typeof part?.text === 'string' ? part.text : ''))
        .join(' ');
    }
  }
  return '';
}

/** Free string fields named like outreach data get the prompt's facts or the email's parts. */
function hints(source: SandboxSource, variant: number): (key: string) => string | undefined {
  return (key) => {
    const name = key.toLowerCase().replace(/[^a-z]/g, '');
    const email = () => splitEmail(source.write(variant));
    if (name === 'subject' || name === 'subjectline' || name === 'title') {
      return email().subject;
    }
    if (['body', 'message', 'emailbody', 'content', 'text', 'draft'].includes(name)) {
      return email().body;
    }
    if (name === 'firstname' || name === 'name' || name === 'leadname') {
      return source.facts.firstName;
    }
    if (name === 'company' || name === 'companyname' || name === 'account') {
      return source.facts.company;
    }
    if (name === 'role' || name === 'jobtitle') {
      return source.facts.role;
    }
    return name === 'sender' || name === 'signature' ? source.facts.sender : undefined;
  };
}

function splitEmail(text: string): { subject: string; body: string } {
  const match = /^Subject: ([^\n]*)\n+([\s\S]*)$/.exec(text);
  return match === null
    ? { subject: text.split('\n')[0] ?? '', body: text }
    : { subject: match[1] ?? '', body: match[2] ?? '' };
}

function refused(message: string, param: string): GatewayError {
  return new GatewayError('unsupported_for_provider', message, { param });
}
