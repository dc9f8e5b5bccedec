/** Reading a chat request's text and cutting an answer into stream deltas. */

/** The text of the last user message (string or text parts), for deterministic default answers. */
export function lastUserText(messages: unknown): string {
  if (!Array.isArray(messages)) {
    return '';
  }
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index] as { role?: unknown; content?: unknown };
    if (message?.role !== 'user') {
      continue;
    }
    if (typeof message.content === 'string') {
      return message.content;
    }
    if (Array.isArray(message.content)) {
      return message.content
        .map((part: { text?: unknown }) => (typeof part?.text === 'string' ? part.text : ''))
        .join(' ')
        .trim();
    }
  }
  return '';
}

/** Splits text into word-sized deltas, whitespace kept with the word before it. */
export function wordPieces(text: string): string[] {
  return text.length === 0 ? [] : text.split(/(?<=\s)/);
}

/** Default answer text: derived from the request, so a test can tell answers apart unscripted. */
export function echoAnswerText(model: string, messages: unknown): string {
  return `Hello from ${model}. You said: ${lastUserText(messages).slice(0, 80)}`;
}
