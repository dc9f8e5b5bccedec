import fc from 'fast-check';

/**
 * Generated hostile input for the fuzz suite: strings with NUL, lone surrogates, control
 * characters, SQL and date look-alikes and over-long runs; numbers past every column's range; JSON
 * nested past any sane depth; and valid bodies with one field swapped for any of these.
 */
const nastyConstants = [
  '\u0000',
  'a\u0000b',
  '\uD800',
  'x\uDFFFy',
  '\uDBFF\uDFFF',
  '\u0007\u001b[31m',
  '\r\nSet-Cookie: x=1',
  "' OR '1'='1",
  '2026-02-30',
  '2026-02-30T10:00:00Z',
  '9999-12-31T23:59:59Z',
  '10000-01-01T00:00:00Z',
  '',
  ' ',
  'L'.repeat(4096),
  'ü'.repeat(300),
  '\u202Eevil',
  '{"__proto__":{"x":1}}',
] as const;

export const nastyString = fc.oneof(
  fc.constantFrom(...nastyConstants),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc
    .array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 20 })
    .map((units) => String.fromCharCode(...units)),
);

const nastyNumber = fc.oneof(
  fc.constantFrom(
    0,
    -1,
    1e6,
    999_999.99999999,
    2 ** 31 - 1,
    2 ** 31,
    2 ** 53,
    1e12,
    999_999_999_999.99,
    1e308,
    -0,
    0.1,
    300_000_000_000,
  ),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** JSON text nested `depth` levels (arrays or objects). */
const deepJson = fc
  .record({ depth: fc.integer({ min: 60, max: 20_000 }), objects: fc.boolean() })
  .map(({ depth, objects }) =>
    objects
      ? `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`
      : `${'['.repeat(depth)}${']'.repeat(depth)}`,
  );

const nastyLeaf: fc.Arbitrary<unknown> = fc.oneof(
  nastyString,
  nastyNumber,
  fc.boolean(),
  fc.constant(null),
);

const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: nastyLeaf },
  { weight: 1, arbitrary: fc.array(nastyLeaf, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.dictionary(nastyString, nastyLeaf, { maxKeys: 4 }) },
);

/**
 * A JSON body text: `base` with one field replaced by a nasty value (or removed), sometimes an
 * extra field nested past the depth limit, sometimes not JSON at all.
 */
export function mutatedBody(base: Record<string, unknown>): fc.Arbitrary<string> {
  const keys = Object.keys(base);
  const replaced = fc
    .record({
      key: fc.oneof(fc.constantFrom(...keys), nastyString),
      value: fc.option(nastyValue, { nil: undefined }),
    })
    .map(({ key, value }) => {
      const copy: Record<string, unknown> = { ...base };
      if (value === undefined) {
        delete copy[key];
      } else {
        copy[key] = value;
      }
      return JSON.stringify(copy);
    });
  const deep = deepJson.map((nested) => `${JSON.stringify(base).slice(0, -1)},"deep":${nested}}`);
  const broken = fc.oneof(
    fc.constantFrom('', '{', '[', 'null', '"x"', '{"a":1,}', '\u0000'),
    nastyString,
  );
  return fc.oneof(
    { weight: 8, arbitrary: replaced },
    { weight: 1, arbitrary: deep },
    { weight: 1, arbitrary: broken },
  );
}
