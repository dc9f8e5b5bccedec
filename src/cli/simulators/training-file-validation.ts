/**
 * The one JSONL check of fine-tuning files: what the simulated vendors apply to an upload, and what
 * the tests hold the training export to. It follows what each vendor documents:
 * - OpenAI chat SFT: every line a JSON object with a `messages` array; roles system, user,
 *   assistant, tool; `weight` (0 or 1) on assistant messages only; at least one assistant message
 *   to learn from per example; at least 10 examples.
 * - Together: every line one of the formats (conversational `messages`, instruction
 *   `prompt`/`completion`, generic `text`), one format per file; conversations start with system or
 *   user, then user and assistant alternate.
 */
import { isRecord } from './simulator-http.ts';

export type FileValidation =
  | { valid: true; examples: number; characters: number; format: string }
  | { valid: false; examples: number; message: string; line: number | null };

const openAIRoles = new Set(['system', 'user', 'assistant', 'tool']);
const openAIMessageKeys = new Set([
  'role',
  'content',
  'name',
  'weight',
  'tool_calls',
  'tool_call_id',
  'function_call',
]);
const openAIMinimumExamples = 10;

function splitLines(content: string): string[] {
  const lines = content.split('\n');
  if (lines.at(-1) === '') {
    lines.pop();
  }
  return lines;
}

export function validateOpenAIChatFile(
  content: string,
  minimumExamples = openAIMinimumExamples,
): FileValidation {
  const lines = splitLines(content);
  let characters = 0;
  for (const [index, line] of lines.entries()) {
    const problem = openAIExampleProblem(line);
    if (problem) {
      return {
        valid: false,
        examples: lines.length,
        line: index + 1,
        message: `Invalid file format. Line ${index + 1}: ${problem}`,
      };
    }
    characters += line.length;
  }
  if (lines.length < minimumExamples) {
    return {
      valid: false,
      examples: lines.length,
      line: null,
      message: `Training file has ${lines.length} example(s), but must have at least ${minimumExamples} examples`,
    };
  }
  return { valid: true, examples: lines.length, characters, format: 'chat' };
}

function openAIExampleProblem(line: string): string | undefined {
  let example: unknown;
  try {
    example = JSON.parse(line);
  } catch {
    return 'is not valid JSON';
  }
  if (!isRecord(example)) {
    return 'is not a JSON object';
  }
  const messages = example.messages;
  if (!Array.isArray(messages) || messages.length === 0) {
    return 'key "messages" is missing or is not a non-empty array';
  }
  let trainable = 0;
  for (const [position, message] of messages.entries()) {
    const where = `message ${position + 1}`;
    if (!isRecord(message)) {
      return `${where} is not an object`;
    }
    const unknownKey = Object.keys(message).find((key) => !openAIMessageKeys.has(key));
    if (unknownKey) {
      return `${where} has an unrecognized key "${unknownKey}"`;
    }
    if (typeof message.role !== 'string' || !openAIRoles.has(message.role)) {
      return `${where} has an invalid role ${JSON.stringify(message.role)}`;
    }
    const hasCalls = Array.isArray(message.tool_calls) || isRecord(message.function_call);
    const content = message.content;
    const contentOk =
      typeof content === 'string' ||
      (Array.isArray(content) && content.every(isRecord)) ||
      (message.role === 'assistant' && hasCalls && (content === null || content === undefined));
    if (!contentOk) {
      return `${where} has invalid "content"`;
    }
    if (message.weight !== undefined) {
      if (message.role !== 'assistant') {
        return `${where}: "weight" is only allowed on assistant messages`;
      }
      if (message.weight !== 0 && message.weight !== 1) {
        return `${where}: "weight" must be 0 or 1`;
      }
    }
    if (message.role === 'tool' && typeof message.tool_call_id !== 'string') {
      return `${where}: tool messages need a "tool_call_id"`;
    }
    if (message.role === 'assistant' && message.weight !== 0) {
      trainable += 1;
    }
  }
  if (trainable === 0) {
    return 'has no assistant message to learn from';
  }
  return undefined;
}

type TogetherFormat = 'conversation' | 'instruction' | 'general';

export function validateTogetherFile(content: string): FileValidation {
  const lines = splitLines(content);
  if (lines.length === 0) {
    return { valid: false, examples: 0, line: null, message: 'File is empty' };
  }
  let format: TogetherFormat | undefined;
  let characters = 0;
  for (const [index, line] of lines.entries()) {
    const fail = (message: string): FileValidation => ({
      valid: false,
      examples: lines.length,
      line: index + 1,
      message: `Line ${index + 1}: ${message}`,
    });
    let example: unknown;
    try {
      example = JSON.parse(line);
    } catch {
      return fail('is not valid JSON');
    }
    if (!isRecord(example)) {
      return fail('is not a JSON object');
    }
    const lineFormat = togetherFormatOf(example);
    if (!lineFormat) {
      return fail('matches none of the formats (messages, prompt/completion, text)');
    }
    if (format && lineFormat !== format) {
      return fail(`mixes formats: "${lineFormat}" after "${format}"`);
    }
    format = lineFormat;
    if (lineFormat === 'conversation') {
      const problem = conversationProblem(example.messages as unknown[]);
      if (problem) {
        return fail(problem);
      }
    }
    characters += line.length;
  }
  return { valid: true, examples: lines.length, characters, format: format ?? 'conversation' };
}

function togetherFormatOf(example: Record<string, unknown>): TogetherFormat | undefined {
  if (Array.isArray(example.messages)) {
    return 'conversation';
  }
  if (typeof example.prompt === 'string' && typeof example.completion === 'string') {
    return 'instruction';
  }
  if (typeof example.text === 'string') {
    return 'general';
  }
  return undefined;
}

function conversationProblem(messages: unknown[]): string | undefined {
  if (messages.length === 0) {
    return '"messages" is empty';
  }
  let expected: 'user' | 'assistant' = 'user';
  let hasAssistant = false;
  for (const [position, message] of messages.entries()) {
    if (!isRecord(message) || typeof message.content !== 'string') {
      return `message ${position + 1} needs a string "content"`;
    }
    if (message.role === 'system') {
      if (position !== 0) {
        return `message ${position + 1}: a system message may only come first`;
      }
      continue;
    }
    if (message.role !== expected) {
      return `message ${position + 1} has role ${JSON.stringify(message.role)}; expected "${expected}" (conversations start with system or user, then alternate)`;
    }
    hasAssistant ||= message.role === 'assistant';
    expected = expected === 'user' ? 'assistant' : 'user';
  }
  return hasAssistant ? undefined : 'the conversation has no assistant message';
}
