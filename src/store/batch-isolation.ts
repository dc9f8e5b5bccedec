import { StoreError } from './store-errors.ts';

/**
 * SQLSTATE classes that mean "this row's data": 22 (a value the type refuses: out of range, NUL,
 * bad JSON, a bad date), 23 (a constraint) and 54 (a program limit: an index row over 2704 bytes,
 * a value nested too deep). Retrying the same rows cannot help; splitting the batch finds the row.
 * Everything else (a lost connection, a timeout, a full disk) says nothing about the rows.
 */
export function isRowDataError(error: unknown): error is StoreError {
  const state = error instanceof StoreError ? error.sqlState : null;
  return state !== null && /^(22|23|54)/.test(state);
}

interface RefusedRow<Row> {
  readonly row: Row;
  /** Position in the rows given. */
  readonly index: number;
  readonly error: StoreError;
}

interface IsolatedWrite<Row, Result> {
  /** What each committed write returned, in order. */
  readonly results: Result[];
  readonly refused: RefusedRow<Row>[];
}

/**
 * Writes `rows` in one call of `write`; when the database refuses that batch for its data, splits
 * it in halves, and those again, until each refusal is a single row. The good rows commit (in as
 * many transactions as it took: about 2·log2(n) writes per bad row); the refused rows are returned.
 * Any other error is thrown as is, for the caller to retry: halves already committed make that
 * safe only for an idempotent write (rows keyed by an id the caller minted, or deduplicated).
 */
export async function writeIsolating<Row, Result>(
  rows: readonly Row[],
  write: (batch: readonly Row[]) => Promise<Result>,
  options: { alreadyRefused?: StoreError } = {},
): Promise<IsolatedWrite<Row, Result>> {
  const results: Result[] = [];
  const refused: RefusedRow<Row>[] = [];
  // Depth first, left half first, so rows commit in the order given. A batch the caller already
  // saw refused is split at once.
  const pending: Array<{ start: number; end: number }> = [];
  const half = Math.ceil(rows.length / 2);
  if (options.alreadyRefused !== undefined && rows.length === 1) {
    return { results, refused: [{ row: rows[0] as Row, index: 0, error: options.alreadyRefused }] };
  }
  if (options.alreadyRefused !== undefined) {
    pending.push({ start: half, end: rows.length }, { start: 0, end: half });
  } else {
    pending.push({ start: 0, end: rows.length });
  }
  for (let range = pending.pop(); range !== undefined; range = pending.pop()) {
    const { start, end } = range;
    if (end <= start) {
      continue;
    }
    try {
      results.push(await write(rows.slice(start, end)));
    } catch (error) {
      if (!isRowDataError(error)) {
        throw error;
      }
      if (end - start === 1) {
        refused.push({ row: rows[start] as Row, index: start, error });
        continue;
      }
      const middle = start + Math.ceil((end - start) / 2);
      pending.push({ start: middle, end }, { start, end: middle });
    }
  }
  return { results, refused };
}
