import type { Logger } from '../../metrics/index.ts';
import type { StoreError, TrackedMessageRow } from '../../store/index.ts';
import { writeIsolating } from '../../store/index.ts';
import type { DeadLetterSink, TrackingSinkStore } from './tracking-buffer-options.ts';

/**
 * A tracking batch the database refused for its data: split until the refused rows are alone; the
 * rest commits. Refused rows are recorded in dead_letters (without a sink they are only logged:
 * the caller counts them as dropped). A failure of another kind on the way is thrown, and the
 * caller retries the whole batch (rows already committed are skipped by id).
 */
export async function isolateRefusedRows(
  batch: readonly TrackedMessageRow[],
  batchError: StoreError,
  sinks: {
    store: TrackingSinkStore;
    deadLetters?: DeadLetterSink | undefined;
    logger?: Logger | undefined;
  },
): Promise<{ refused: number; deadLettered: number }> {
  sinks.logger?.warn('tracking batch refused for its data; splitting it to find the rows', {
    error: batchError,
    rows: batch.length,
  });
  const { refused } = await writeIsolating(batch, (rows) => sinks.store.trackMessages(rows), {
    alreadyRefused: batchError,
  });
  for (const { row, error } of refused) {
    sinks.logger?.error('tracked message refused by the database', {
      error,
      sql_state: error.sqlState,
      outcome_id: row.id,
      dead_lettered: sinks.deadLetters !== undefined,
    });
  }
  if (refused.length === 0 || sinks.deadLetters === undefined) {
    return { refused: refused.length, deadLettered: 0 };
  }
  await sinks.deadLetters.record(
    refused.map(({ row, error }) => ({
      source: 'tracking',
      recordId: row.id,
      organizationId: row.organization_id,
      payload: row,
      errorMessage: error.message,
      sqlState: error.sqlState,
    })),
  );
  return { refused: refused.length, deadLettered: refused.length };
}
