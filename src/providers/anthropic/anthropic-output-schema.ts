/**
 * A client's JSON Schema in the subset Anthropic's structured outputs (`output_config.format`)
 * accept: every object closed (`additionalProperties: false`), `oneOf` read as `anyOf`, string
 * formats from Anthropic's list kept, `minItems` only as 0 or 1. Constraints outside the subset
 * (`minimum`, `maxLength`, `pattern`, …) are not enforced by Anthropic's decoder, so they are
 * written into the description, where the model still reads them. The schema is rebuilt, never
 * edited in place (it is the client's request body).
 */
type Schema = Record<string, unknown>;

const supportedFormats = new Set([
  'date-time',
  'time',
  'date',
  'duration',
  'email',
  'hostname',
  'uri',
  'ipv4',
  'ipv6',
  'uuid',
]);

/** Keywords every schema may keep as they are (after their children are converted). */
const kept = new Set(['type', 'description', 'title', 'enum', 'const', 'default', 'required']);

export function toAnthropicOutputSchema(schema: unknown): unknown {
  return convert(schema);
}

function convert(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return input;
  }
  const source = input as Schema;
  const out: Schema = {};
  const hints: string[] = [];
  for (const [key, value] of Object.entries(source)) {
    switch (key) {
      case '$schema':
        break;
      case '$ref':
        out.$ref = value;
        break;
      case '$defs':
      case 'definitions':
        out[key] = mapValues(value, convert);
        break;
      case 'properties':
        out.properties = mapValues(value, convert);
        break;
      case 'items':
        out.items = convert(value);
        break;
      case 'anyOf':
      case 'oneOf':
        out.anyOf = Array.isArray(value) ? value.map(convert) : value;
        break;
      case 'allOf':
        out.allOf = Array.isArray(value) ? value.map(convert) : value;
        break;
      case 'additionalProperties':
        // Replaced below: Anthropic requires closed objects.
        break;
      case 'format':
        if (typeof value === 'string' && supportedFormats.has(value)) {
          out.format = value;
        } else {
          hints.push(`format: ${JSON.stringify(value)}`);
        }
        break;
      case 'minItems':
        if (value === 0 || value === 1) {
          out.minItems = value;
        } else {
          hints.push(`minItems: ${JSON.stringify(value)}`);
        }
        break;
      default:
        if (kept.has(key)) {
          out[key] = value;
        } else {
          hints.push(`${key}: ${JSON.stringify(value)}`);
        }
    }
  }
  if (out.type === 'object' || out.properties !== undefined) {
    out.additionalProperties = false;
    out.properties ??= {};
  }
  if (hints.length > 0) {
    const description = typeof out.description === 'string' ? `${out.description}\n\n` : '';
    out.description = `${description}{${hints.join(', ')}}`;
  }
  return out;
}

function mapValues(value: unknown, map: (item: unknown) => unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return value;
  }
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, map(item)]));
}
