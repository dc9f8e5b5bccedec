import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { zodResponseFormat } from 'openai/helpers/zod';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sampleJson } from '../../../../src/providers/sandbox/json-schema-sample.ts';

/**
 * The sandbox's JSON generator against an independent validator (ajv, with formats): every value
 * it produces for the schemas clients send validates, for many seeds, and a seed always gives the
 * same value.
 */
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
// ajv-formats is CommonJS: under NodeNext its default export is the module, whose `default` is the plugin.
addFormats.default(ajv);

const compiled = new Map<unknown, ReturnType<typeof ajv.compile>>();

function validate(schema: unknown, value: unknown): string {
  let check = compiled.get(schema);
  if (check === undefined) {
    const { $schema: _dialect, ...rest } = schema as Record<string, unknown>;
    check = ajv.compile(rest);
    compiled.set(schema, check);
  }
  return check(value) ? '' : ajv.errorsText(check.errors);
}

interface Node {
  name: string;
  children?: Node[] | undefined;
}
const node: z.ZodType<Node> = z.lazy(() =>
  z.object({ name: z.string().min(1), children: z.array(node).optional() }),
);

const contact = z.object({
  first_name: z.string().min(1),
  company: z.string().max(40),
  email: z.email(),
  id: z.uuid(),
  website: z.url(),
  seen_at: z.iso.datetime(),
  day: z.iso.date(),
  stage: z.enum(['new', 'contacted', 'meeting', 'won']),
  score: z.number().min(0).max(1),
  seats: z.number().int().positive().max(500),
  price: z.number().multipleOf(0.25).gt(10).lt(20),
  active: z.boolean(),
  note: z.string().nullable(),
  nickname: z.string().optional(),
  tags: z.array(z.string()).min(2).max(4),
  unique: z.array(z.enum(['a', 'b', 'c'])).length(3),
  literal: z.literal('fixed'),
  code: z.string().regex(/^[A-Z]{3}-\d{2}$/),
  pair: z.tuple([z.string(), z.number()]),
  extra: z.record(z.string(), z.number()),
});

const event = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('reply'), sentiment: z.number().min(-1).max(1) }),
  z.object({ kind: z.literal('meeting'), at: z.iso.datetime() }),
]);

const schemas: Record<string, unknown> = {
  'zod toJSONSchema, many keywords': z.toJSONSchema(contact),
  'zodResponseFormat (strict, draft-07)': zodResponseFormat(
    contact.omit({ extra: true, pair: true, nickname: true }),
    'contact',
  ).json_schema.schema,
  'recursive through $ref': z.toJSONSchema(node),
  'discriminated union (oneOf/anyOf)': z.toJSONSchema(z.object({ events: z.array(event) })),
  '$defs and $ref by hand, allOf, exclusive bounds, uniqueItems': {
    type: 'object',
    $defs: {
      money: {
        type: 'object',
        properties: { amount: { type: 'number', exclusiveMinimum: 0 } },
        required: ['amount'],
      },
      named: {
        type: 'object',
        properties: { name: { type: 'string', pattern: '^[a-z]+$' } },
        required: ['name'],
      },
    },
    properties: {
      deal: { allOf: [{ $ref: '#/$defs/money' }, { $ref: '#/$defs/named' }] },
      choice: { oneOf: [{ type: 'null' }, { type: 'integer', minimum: 3, maximum: 3 }] },
      either: { type: ['string', 'null'], minLength: 5 },
      ids: {
        type: 'array',
        items: { type: 'integer', minimum: 1, maximum: 9 },
        minItems: 3,
        uniqueItems: true,
      },
      tuple: { type: 'array', prefixItems: [{ type: 'boolean' }, { const: 7 }], items: false },
      free: {
        type: 'object',
        additionalProperties: { type: 'string', format: 'ipv4' },
        minProperties: 2,
      },
      any: {},
    },
    required: ['deal', 'choice', 'either', 'ids', 'tuple', 'free', 'any', 'missing'],
  },
};

describe('sampleJson', () => {
  for (const [name, schema] of Object.entries(schemas)) {
    it(`gives values valid against the schema: ${name}`, () => {
      for (let seed = 1; seed <= 40; seed++) {
        const value = sampleJson(schema, { seed });
        expect(validate(schema, value), JSON.stringify(value)).toBe('');
      }
    });
  }

  it('is deterministic per seed, and varies across seeds', () => {
    const schema = z.toJSONSchema(contact);
    expect(sampleJson(schema, { seed: 7 })).toEqual(sampleJson(schema, { seed: 7 }));
    const distinct = new Set(
      Array.from({ length: 10 }, (_, seed) => JSON.stringify(sampleJson(schema, { seed }))),
    );
    expect(distinct.size).toBeGreaterThan(5);
  });

  it('fills strings from the caller’s hints where the schema leaves them free', () => {
    const schema = z.toJSONSchema(z.object({ subject: z.string(), email: z.email() }));
    const value = sampleJson(schema, {
      seed: 3,
      stringFor: (key) =>
        key === 'subject' || key === 'email' ? 'Quick idea for Acme' : undefined,
    }) as { subject: string; email: string };
    expect(value.subject).toBe('Quick idea for Acme');
    // A format wins over a hint: the email stays an email.
    expect(value.email).toMatch(/@example\.com$/);
  });
});
