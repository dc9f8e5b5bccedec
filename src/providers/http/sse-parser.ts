/**
 * Incremental Server-Sent Events parser (WHATWG "event stream interpretation"), fed raw bytes as
 * they come off the socket. Own code rather than a package: the current `eventsource-parser` needs
 * Node 22, and the hot path wants no extra allocations beyond one string per line.
 *
 * Handles what upstreams actually send: frames split anywhere across TCP chunks (even inside a
 * UTF-8 sequence or between `\r` and `\n`), `\n`, `\r\n` and `\r` line ends, comment lines
 * (`: keep-alive`), multi-line `data:`, `event:` names, and a last event without its blank line.
 */
export interface SseEvent {
  /** The `event:` field; undefined for unnamed events (OpenAI sends only unnamed ones). */
  readonly event: string | undefined;
  /** The `data:` lines joined with `\n`. */
  readonly data: string;
}

const lineFeed = 10;
const carriageReturn = 13;

export class SseParser {
  private readonly decoder = new TextDecoder('utf-8');
  private buffer = '';
  private eventName: string | undefined = undefined;
  private data = '';
  private hasData = false;

  /** Parses a chunk; returns the events it completed (often none or one). */
  feed(chunk: Uint8Array | string): SseEvent[] {
    const text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    const events: SseEvent[] = [];
    this.consumeLines(this.buffer.length === 0 ? text : this.buffer + text, false, events);
    return events;
  }

  /** Call at the end of the stream: flushes a last line and a last event left without a blank line. */
  end(): SseEvent[] {
    const events: SseEvent[] = [];
    const rest = this.buffer + this.decoder.decode();
    this.consumeLines(rest, true, events);
    this.dispatch(events);
    return events;
  }

  private consumeLines(text: string, final: boolean, events: SseEvent[]): void {
    let start = 0;
    const length = text.length;
    while (start < length) {
      let lineEnd = -1;
      let next = -1;
      for (let index = start; index < length; index++) {
        const code = text.charCodeAt(index);
        if (code === lineFeed) {
          lineEnd = index;
          next = index + 1;
          break;
        }
        if (code === carriageReturn) {
          if (index + 1 < length) {
            lineEnd = index;
            next = text.charCodeAt(index + 1) === lineFeed ? index + 2 : index + 1;
          } else if (final) {
            lineEnd = index;
            next = index + 1;
          }
          // A `\r` at the very end may be the first half of `\r\n`: wait for the next chunk.
          break;
        }
      }
      if (lineEnd < 0) {
        break;
      }
      this.processLine(text, start, lineEnd, events);
      start = next;
    }
    const rest = start === 0 ? text : text.slice(start);
    if (final && rest.length > 0) {
      this.processLine(rest, 0, rest.length, events);
      this.buffer = '';
    } else {
      this.buffer = rest;
    }
  }

  private processLine(text: string, start: number, end: number, events: SseEvent[]): void {
    if (start === end) {
      this.dispatch(events);
      return;
    }
    if (text.charCodeAt(start) === 58 /* ':' comment */) {
      return;
    }
    const colon = text.indexOf(':', start);
    let field: string;
    let value: string;
    if (colon < 0 || colon >= end) {
      field = text.slice(start, end);
      value = '';
    } else {
      field = text.slice(start, colon);
      const valueStart = text.charCodeAt(colon + 1) === 32 /* ' ' */ ? colon + 2 : colon + 1;
      value = valueStart >= end ? '' : text.slice(valueStart, end);
    }
    if (field === 'data') {
      this.data = this.hasData ? `${this.data}\n${value}` : value;
      this.hasData = true;
    } else if (field === 'event') {
      this.eventName = value;
    }
    // `id` and `retry` matter to browsers reconnecting; a gateway relaying one response ignores them.
  }

  private dispatch(events: SseEvent[]): void {
    if (this.hasData) {
      events.push({ event: this.eventName, data: this.data });
    }
    this.eventName = undefined;
    this.data = '';
    this.hasData = false;
  }
}
