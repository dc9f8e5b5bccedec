import { describe, expect, it } from 'vitest';
import { withoutNullUsage } from '../../../../src/gateway/chat/without-null-usage.ts';

describe('withoutNullUsage', () => {
  it('cuts `"usage":null` wherever it sits, keeping every other byte', () => {
    const base = '{"id":"c","choices":[{"index":0,"delta":{"content":"Hi"}}]';
    expect(withoutNullUsage(`${base},"usage":null}`)).toBe(`${base}}`);
    expect(withoutNullUsage('{"usage":null,"id":"c"}')).toBe('{"id":"c"}');
    expect(JSON.parse(withoutNullUsage('{"id":"c", "usage" : null }'))).toEqual({ id: 'c' });
  });

  it('leaves chunks without it, and real usage, alone', () => {
    const usage = '{"id":"c","choices":[],"usage":{"prompt_tokens":3}}';
    expect(withoutNullUsage(usage)).toBe(usage);
    const plain = '{"id":"c","choices":[{"delta":{"content":"\\"usage\\":null"}}]}';
    expect(withoutNullUsage('{"id":"c","choices":[]}')).toBe('{"id":"c","choices":[]}');
    expect(JSON.parse(withoutNullUsage(plain))).toEqual(JSON.parse(plain));
  });
});
