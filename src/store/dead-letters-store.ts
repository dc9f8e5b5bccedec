import { z } from 'zod';
import type { StoreTransport } from './store-transport.ts';

/**
 * Where a dead letter came from: the batch writer and its feed. Also the `source` label of
 * rekindle_dead_letters_total, so the set stays small and fixed.
 */
type DeadLetterSource =
  | 'tracking'
  | 'sendgrid'
  | 'crm'
  | 'hubspot'
  | 'pipedrive'
  | 'salesforce'
  | 'reconciliation';

/** A row a batch writer gave up on, as it is recorded in dead_letters. */
export interface DeadLetter {
  readonly source: DeadLetterSource | (string & {});
  /** The row's own id: an outcome id, a webhook event id. */
  readonly recordId: string;
  readonly organizationId: string | null;
  /** The row as the writer had it; stored as JSON text. */
  readonly payload: unknown;
  readonly errorMessage: string;
  readonly sqlState: string | null;
}

/** A payload larger than this is cut (the text is then no longer valid JSON, and says so). */
const maxPayloadChars = 1_000_000;
const loneSurrogates = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const recordedSchema = z.object({ recorded: z.number() });

/**
 * dead_letters through record_dead_letters (…002000_dead_letters.sql). What the database refused
 * once must not be refused again here: every text is made storable first (NUL and lone surrogates
 * replaced), and the payload travels as JSON text, whose escapes jsonb never parses.
 */
export class DeadLettersStore {
  readonly #transport: StoreTransport;

  constructor(transport: StoreTransport) {
    this.#transport = transport;
  }

  /** Records the letters (one row per source and record id; a repeat counts an occurrence). */
  async record(letters: readonly DeadLetter[]): Promise<number> {
    if (letters.length === 0) {
      return 0;
    }
    const rows = letters.map((letter) => ({
      source: letter.source,
      record_id: storableText(letter.recordId),
      organization_id: letter.organizationId === null ? null : storableText(letter.organizationId),
      payload: payloadText(letter.payload),
      error_message: storableText(letter.errorMessage),
      sql_state: letter.sqlState,
    }));
    const result = await this.#transport.rpc('record_dead_letters', { p_letters: rows });
    return recordedSchema.parse(result).recorded;
  }
}

/** A string PostgreSQL's text takes: no NUL, no lone UTF-16 surrogate. */
function storableText(value: string): string {
  return value.replaceAll('\u0000', '\ufffd').replace(loneSurrogates, '\ufffd');
}

function payloadText(payload: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(payload) ?? 'null';
  } catch (error) {
    // A value JSON cannot carry (a cycle, nesting deeper than the stack): keep what can be said.
    text = JSON.stringify({ unserializable: String(error), value: String(payload) });
  }
  return text.length > maxPayloadChars
    ? `${text.slice(0, maxPayloadChars)}… [cut at ${maxPayloadChars} of ${text.length} characters]`
    : text;
}
