/**
 * Deterministic JSON valid against a JSON Schema, for the sandbox's structured output and tool
 * arguments. Covers the subset clients send — what zod's `toJSONSchema`, `zodResponseFormat`, the AI
 * SDK and LangChain emit: object (properties, required, additionalProperties), array (items,
 * prefixItems, minItems/maxItems, uniqueItems), string (enum, const, format, minLength/maxLength,
 * simple patterns), number/integer (minimum/maximum, exclusive bounds, multipleOf), boolean, null,
 * anyOf/oneOf/allOf, type lists, and `$ref` into `$defs`/`definitions` (recursion included: past a
 * few levels only what is required is generated). The same schema and seed give the same value.
 */
import { samplePattern } from './pattern-sample.ts';
import { formatted, roundTo, words } from './sample-values.ts';

type Schema = Record<string, unknown>;

export interface SampleOptions {
  readonly seed: number;
  /** A value for a string property of this name, when the caller has a fitting one. */
  readonly stringFor?: (propertyName: string) => string | undefined;
}

/** Past this many `$ref` hops, generate the smallest value the schema allows. */
const maxRefDepth = 6;

export function sampleJson(schema: unknown, options: SampleOptions): unknown {
  const sampler = new Sampler(schema, options);
  return sampler.value(schema, '', 0);
}

class Sampler {
  private state: number;

  constructor(
    private readonly root: unknown,
    private readonly options: SampleOptions,
  ) {
    this.state = options.seed >>> 0 || 0x9e3779b9;
  }

  value(input: unknown, key: string, depth: number): unknown {
    if (input === true || input === undefined) {
      return this.text(key, {});
    }
    if (typeof input !== 'object' || input === null) {
      return null;
    }
    const schema = input as Schema;
    if (typeof schema.$ref === 'string') {
      return this.value(this.resolve(schema.$ref), key, depth + 1);
    }
    if ('const' in schema) {
      return schema.const;
    }
    if (Array.isArray(schema.enum) && schema.enum.length > 0) {
      return schema.enum[this.below(schema.enum.length)];
    }
    const branches = (schema.anyOf ?? schema.oneOf) as unknown[] | undefined;
    if (Array.isArray(branches) && branches.length > 0) {
      return this.value(this.branch(branches, depth), key, depth);
    }
    if (Array.isArray(schema.allOf) && schema.allOf.length > 0) {
      return this.value(this.merged(schema), key, depth);
    }
    switch (typeOf(schema, depth > maxRefDepth)) {
      case 'object':
        return this.object(schema, depth);
      case 'array':
        return this.array(schema, key, depth);
      case 'integer':
        return this.number(schema, true);
      case 'number':
        return this.number(schema, false);
      case 'boolean':
        return this.below(2) === 0;
      case 'null':
        return null;
      default:
        return this.text(key, schema);
    }
  }

  private object(schema: Schema, depth: number): Record<string, unknown> {
    const properties = (schema.properties ?? {}) as Record<string, unknown>;
    const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
    const out: Record<string, unknown> = {};
    for (const [name, property] of Object.entries(properties)) {
      if (depth <= maxRefDepth || required.has(name)) {
        out[name] = this.value(property, name, depth);
      }
    }
    // Required names without a property schema, and free-form maps, still get a value.
    for (const name of required) {
      if (!(name in out)) {
        out[name] = this.value(extraSchema(schema), name, depth);
      }
    }
    const extra = schema.additionalProperties;
    const minProperties = typeof schema.minProperties === 'number' ? schema.minProperties : 0;
    const wanted = Math.max(minProperties, Object.keys(properties).length === 0 && extra ? 1 : 0);
    for (let index = 1; Object.keys(out).length < wanted && extra !== false; index++) {
      out[`key${index}`] = this.value(extraSchema(schema), `key${index}`, depth);
    }
    return out;
  }

  private array(schema: Schema, key: string, depth: number): unknown[] {
    const tuple = Array.isArray(schema.prefixItems) ? (schema.prefixItems as unknown[]) : [];
    const min = Math.max(typeof schema.minItems === 'number' ? schema.minItems : 0, tuple.length);
    const max = typeof schema.maxItems === 'number' ? schema.maxItems : Math.max(min, 2);
    const count = depth > maxRefDepth ? min : Math.min(max, Math.max(min, 2));
    const items = schema.items === false ? undefined : schema.items;
    const out: unknown[] = [];
    const seen = new Set<string>();
    for (let attempt = 0; out.length < count && attempt < count * 8; attempt++) {
      const itemSchema = tuple[out.length] ?? items ?? {};
      const item = this.value(itemSchema, key, depth);
      const fingerprint = JSON.stringify(item);
      if (schema.uniqueItems === true && seen.has(fingerprint)) {
        continue;
      }
      seen.add(fingerprint);
      out.push(item);
    }
    return out;
  }

  private number(schema: Schema, integer: boolean): number {
    const unit = integer ? 1 : 0.01;
    let low = typeof schema.minimum === 'number' ? schema.minimum : -Infinity;
    let high = typeof schema.maximum === 'number' ? schema.maximum : Infinity;
    if (typeof schema.exclusiveMinimum === 'number') {
      low = Math.max(low, schema.exclusiveMinimum + unit);
    }
    if (typeof schema.exclusiveMaximum === 'number') {
      high = Math.min(high, schema.exclusiveMaximum - unit);
    }
    if (low === -Infinity) {
      low = high === Infinity ? 1 : Math.min(high, 1) - 100;
    }
    if (high === Infinity) {
      high = low + 100;
    }
    const given =
      typeof schema.multipleOf === 'number' && schema.multipleOf > 0 ? schema.multipleOf : 0;
    // Integers are multiples of 1; a multipleOf below 1 on an integer still needs whole numbers.
    const step = integer ? Math.max(1, given) : given || unit;
    const first = Math.ceil(low / step);
    const last = Math.floor(high / step);
    const multiple = last < first ? first : first + this.below(last - first + 1);
    return roundTo(multiple * step, step);
  }

  private text(key: string, schema: Schema): string {
    const format =
      typeof schema.format === 'string' ? formatted(schema.format, this.next()) : undefined;
    const hint =
      format === undefined && schema.pattern === undefined
        ? this.options.stringFor?.(key)
        : undefined;
    let text = format ?? hint ?? this.phrase();
    if (typeof schema.pattern === 'string') {
      text = this.matching(schema.pattern, text);
    }
    const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
    const max = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
    while (text.length < min && schema.pattern === undefined) {
      text += ` ${this.phrase()}`;
    }
    return text.length > max ? text.slice(0, max) : text;
  }

  /** The text when the pattern accepts it, else one generated from the pattern, else a guess. */
  private matching(pattern: string, text: string): string {
    let regex: RegExp;
    try {
      regex = new RegExp(pattern, 'u');
    } catch {
      return text;
    }
    const candidates = [
      text,
      samplePattern(pattern, (count) => this.below(count)),
      text.replace(/\s+/g, '-').toLowerCase(),
      'abc',
      '123',
    ];
    return candidates.find((candidate) => regex.test(candidate)) ?? text;
  }

  private phrase(): string {
    const count = 2 + this.below(3);
    const picked: string[] = [];
    for (let index = 0; index < count; index++) {
      picked.push(words[this.below(words.length)] as string);
    }
    const sentence = picked.join(' ');
    return sentence.charAt(0).toUpperCase() + sentence.slice(1);
  }

  /** Non-null branches first: a nullable field gets a value, unless recursion must stop. */
  private branch(branches: readonly unknown[], depth: number): unknown {
    const isNull = (branch: unknown) => (branch as Schema | null)?.type === 'null';
    if (depth > maxRefDepth) {
      return branches.find(isNull) ?? branches[0];
    }
    return branches.find((branch) => !isNull(branch)) ?? branches[0];
  }

  private merged(schema: Schema): Schema {
    const { allOf, ...rest } = schema;
    const out: Schema = { ...rest };
    const properties: Record<string, unknown> = { ...((rest.properties as object) ?? {}) };
    const required = new Set(Array.isArray(rest.required) ? (rest.required as string[]) : []);
    for (const part of allOf as unknown[]) {
      const resolved = (
        typeof (part as Schema)?.$ref === 'string'
          ? this.resolve((part as Schema).$ref as string)
          : part
      ) as Schema | null;
      if (typeof resolved !== 'object' || resolved === null) {
        continue;
      }
      for (const [name, value] of Object.entries(resolved)) {
        if (!(name in out)) {
          out[name] = value;
        }
      }
      Object.assign(properties, resolved.properties ?? {});
      for (const name of Array.isArray(resolved.required) ? (resolved.required as string[]) : []) {
        required.add(name);
      }
    }
    delete out.allOf;
    if (Object.keys(properties).length > 0) {
      out.properties = properties;
      out.type ??= 'object';
    }
    if (required.size > 0) {
      out.required = [...required];
    }
    return out;
  }

  /** `#`, `#/$defs/Name`, `#/definitions/Name` or any JSON pointer into the root schema. */
  private resolve(reference: string): unknown {
    if (!reference.startsWith('#')) {
      return {};
    }
    let node: unknown = this.root;
    for (const raw of reference.slice(1).split('/').filter(Boolean)) {
      const segment = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
      node = (node as Schema | null)?.[segment];
    }
    return node ?? {};
  }

  /** mulberry32: small, fast and the same on every platform. */
  private next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  private below(count: number): number {
    return Math.floor(this.next() * count);
  }
}

function typeOf(schema: Schema, minimal: boolean): string | undefined {
  const type = schema.type;
  if (Array.isArray(type)) {
    const types = type as string[];
    return minimal && types.includes('null')
      ? 'null'
      : (types.find((item) => item !== 'null') ?? types[0]);
  }
  if (typeof type === 'string') {
    return type;
  }
  if (schema.properties !== undefined || schema.additionalProperties !== undefined) {
    return 'object';
  }
  if (schema.items !== undefined || schema.prefixItems !== undefined) {
    return 'array';
  }
  return undefined;
}

function extraSchema(schema: Schema): unknown {
  const extra = schema.additionalProperties;
  return typeof extra === 'object' && extra !== null ? extra : {};
}
