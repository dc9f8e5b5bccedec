import { describe, expect, it } from 'vitest';
import { type SseEvent, SseParser } from '../../../../src/providers/http/sse-parser.ts';

function parseAll(pieces: Array<string | Uint8Array>): SseEvent[] {
  const parser = new SseParser();
  const events: SseEvent[] = [];
  for (const piece of pieces) {
    events.push(...parser.feed(piece));
  }
  events.push(...parser.end());
  return events;
}

const mixedStream =
  ': keep-alive\r\n' +
  'event: message_start\r\n' +
  'data: {"type":"message_start"}\r\n' +
  '\r\n' +
  'data: line one\n' +
  'data: line two\n' +
  'id: 7\n' +
  'retry: 1000\n' +
  '\n' +
  'data:no-space\r' +
  '\r' +
  ': comment between events\n' +
  'event: error\n' +
  'data: {"type":"error","error":{"type":"overloaded_error","message":"Överloaded ✓"}}\n' +
  '\n' +
  'data: [DONE]\n\n';

const expected: SseEvent[] = [
  { event: 'message_start', data: '{"type":"message_start"}' },
  { event: undefined, data: 'line one\nline two' },
  { event: undefined, data: 'no-space' },
  {
    event: 'error',
    data: '{"type":"error","error":{"type":"overloaded_error","message":"Överloaded ✓"}}',
  },
  { event: undefined, data: '[DONE]' },
];

describe('SseParser', () => {
  it('parses comments, CRLF/CR/LF line ends, multi-line data, event names and [DONE]', () => {
    expect(parseAll([mixedStream])).toEqual(expected);
  });

  it('gives the same events however the bytes are split, even inside UTF-8 sequences', () => {
    const bytes = new TextEncoder().encode(mixedStream);
    const oneByteAtATime = Array.from(bytes, (byte) => Uint8Array.of(byte));
    expect(parseAll(oneByteAtATime)).toEqual(expected);

    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    for (let round = 0; round < 200; round++) {
      const pieces: Uint8Array[] = [];
      let start = 0;
      while (start < bytes.length) {
        const size = 1 + Math.floor(random() * 12);
        pieces.push(bytes.subarray(start, start + size));
        start += size;
      }
      expect(parseAll(pieces)).toEqual(expected);
    }
  });

  it('does not read a CR at the end of a chunk and the LF starting the next as two line ends', () => {
    expect(parseAll(['data: a\r', '\ndata: b\r\n', '\r\n'])).toEqual([
      { event: undefined, data: 'a\nb' },
    ]);
  });

  it('flushes a last event that lacks its blank line (and a last line without a line end)', () => {
    expect(parseAll(['data: {"x":1}\n'])).toEqual([{ event: undefined, data: '{"x":1}' }]);
    expect(parseAll(['event: ping\ndata: {}'])).toEqual([{ event: 'ping', data: '{}' }]);
  });

  it('ignores events without data and keeps an empty data field', () => {
    expect(parseAll(['event: nothing\n\n', 'data\n\n', 'data:\n\n'])).toEqual([
      { event: undefined, data: '' },
      { event: undefined, data: '' },
    ]);
  });

  it('returns events as soon as their blank line arrives', () => {
    const parser = new SseParser();
    expect(parser.feed('data: first\n')).toEqual([]);
    expect(parser.feed('\ndata: sec')).toEqual([{ event: undefined, data: 'first' }]);
    expect(parser.feed('ond\n\n')).toEqual([{ event: undefined, data: 'second' }]);
    expect(parser.end()).toEqual([]);
  });
});
