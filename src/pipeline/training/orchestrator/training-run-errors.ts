import { GatewayError } from '../../../errors/index.ts';
import type { StoredRunError } from '../../../store/index.ts';
import { InsufficientTrainingDataError } from '../export/index.ts';
import { FineTuningError } from '../fine-tuners/index.ts';

/** No run with that id or version. */
export class TrainingRunNotFoundError extends GatewayError {
  constructor(ref: string) {
    super('training_run_not_found', `No training run ${ref}.`);
    this.name = 'TrainingRunNotFoundError';
  }
}

/** What a failed step stores on the run: the vendor's own code, message and param, verbatim. */
export function storedRunError(error: unknown): StoredRunError {
  if (error instanceof FineTuningError) {
    return {
      code: error.code,
      message: error.message,
      param: error.param,
      operation: error.operation,
      upstream_status: error.upstreamStatus ?? null,
    };
  }
  if (GatewayError.isInstance(error)) {
    return { code: error.code, message: error.message, param: error.param };
  }
  return {
    code: 'internal_error',
    message: error instanceof Error ? error.message : String(error),
    param: null,
  };
}

/** Worth another attempt later: vendor 408/409/429/5xx, timeouts, resets, an unreachable store. */
export function isTransientFailure(error: unknown): boolean {
  if (error instanceof InsufficientTrainingDataError) {
    return false;
  }
  return GatewayError.isInstance(error) && error.isRetryable;
}
