import { z } from 'zod';
import { isStorableText, unstorableTextMessage } from './storable-text.ts';

/**
 * The SQL types of the columns request input is written to, and the bounds they impose. The zod
 * schemas take their limits from here (columnNumber, columnText), and a test reads
 * `information_schema` on PostgreSQL and PGlite to prove these declarations are the columns' real
 * types, and that every schema field bound to a column accepts its largest value and refuses the
 * next one — so a value the schema lets through can never overflow its column (a 500 before).
 */
export type ColumnType =
  | { readonly type: 'integer' }
  | { readonly type: 'bigint' }
  | { readonly type: 'numeric'; readonly precision: number; readonly scale: number }
  /** Text with an index on it (btree rows are limited to ~2.7 kB): length bounded here. */
  | { readonly type: 'text'; readonly maxLength: number };

const integer = { type: 'integer' } as const;
const numeric = (precision: number, scale: number) =>
  ({ type: 'numeric', precision, scale }) as const;
const text = (maxLength: number) => ({ type: 'text', maxLength }) as const;

/** Length of the ids clients give us (lead, campaign, deal ids, model ids and versions). */
export const maxIdLength = 256;
const maxRouteLength = 128;
const maxOrganizationIdLength = 128;

export const columnTypes = {
  outcome_labels: {
    cost_usd: numeric(14, 8),
    latency_ms: integer,
    deal_value: numeric(14, 2),
    reply_sentiment_score: numeric(5, 4),
    quality_score: numeric(5, 4),
    prompt_tokens: integer,
    completion_tokens: integer,
    organization_id: text(maxOrganizationIdLength),
    lead_id: text(maxIdLength),
    campaign_id: text(maxIdLength),
    deal_id: text(maxIdLength),
    sg_message_id: text(500),
    route: text(maxRouteLength),
    model_version: text(maxIdLength),
  },
  api_keys: { rpm_limit: integer, organization_id: text(maxOrganizationIdLength) },
  organizations: { id: text(maxOrganizationIdLength) },
  model_registry: {
    traffic_percentage: numeric(5, 2),
    route: text(maxRouteLength),
    model_id: text(maxIdLength),
    model_version: text(maxIdLength),
  },
  training_runs: {
    min_quality_score: numeric(5, 4),
    ab_test_traffic: numeric(5, 2),
    route: text(maxRouteLength),
    model_version: text(maxIdLength),
  },
  webhook_events: {
    event_id: text(maxIdLength),
    lead_id: text(maxIdLength),
    deal_id: text(maxIdLength),
  },
} as const satisfies Record<string, Record<string, ColumnType>>;

export type ColumnTable = keyof typeof columnTypes;
export type ColumnName<T extends ColumnTable> = keyof (typeof columnTypes)[T] & string;

const int32Max = 2 ** 31 - 1;

function typeOf<T extends ColumnTable>(table: T, column: ColumnName<T>): ColumnType {
  return (columnTypes[table] as Record<string, ColumnType>)[column] as ColumnType;
}

/** The largest value the column stores (numbers), or its longest string (indexed text). */
export function columnMax<T extends ColumnTable>(table: T, column: ColumnName<T>): number {
  const type = typeOf(table, column);
  switch (type.type) {
    case 'integer':
      return int32Max;
    case 'bigint':
      return Number.MAX_SAFE_INTEGER;
    case 'numeric':
      // numeric(p, s) holds |x| < 10^(p-s); anything up to the largest value with s decimals
      // rounds to at most that value, never past it.
      return 10 ** (type.precision - type.scale) - 10 ** -type.scale;
    case 'text':
      return type.maxLength;
  }
}

/** A number the column can hold: finite, within its type's range (and an integer for integers). */
export function columnNumber<T extends ColumnTable>(table: T, column: ColumnName<T>) {
  const type = typeOf(table, column);
  const max = columnMax(table, column);
  const base = z.number().max(max, `must be at most ${max} (the column is ${describe(type)})`);
  return type.type === 'integer' || type.type === 'bigint' ? base.int() : base;
}

/** A storable string of at most `maxLength` characters (for fields without a column of their own). */
export function storableString(maxLength: number) {
  return z.string().max(maxLength).refine(isStorableText, unstorableTextMessage);
}

/** Whether an id is printable: ids end up in headers, logs and URLs, where control characters break. */
export function isPrintableId(value: string): boolean {
  for (let index = 0; index < value.length; index += 1) {
    const code = value.charCodeAt(index);
    // C0 controls, DEL and C1 controls.
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) {
      return false;
    }
  }
  return isStorableText(value);
}

/** A non-empty printable id of at most `maxLength` characters. */
export function idString(maxLength: number) {
  return z
    .string()
    .min(1)
    .max(maxLength)
    .refine(isPrintableId, 'must be printable text (no control characters or unpaired surrogates)');
}

/** An id the column (and its index) can hold. */
export function columnId<T extends ColumnTable>(table: T, column: ColumnName<T>) {
  return idString(columnMax(table, column));
}

function describe(type: ColumnType): string {
  return type.type === 'numeric' ? `numeric(${type.precision},${type.scale})` : type.type;
}
