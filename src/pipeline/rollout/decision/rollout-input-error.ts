import { GatewayError } from '../../../providers/errors.ts';

/** Experiment data the decision engine cannot judge (no baseline, bad counts, unreadable file). */
export class RolloutInputError extends GatewayError {
  constructor(message: string, param: string | null = null, cause?: unknown) {
    super(message, {
      status: 400,
      type: 'invalid_request_error',
      code: 'invalid_experiment_data',
      param,
      cause,
    });
    this.name = 'RolloutInputError';
  }
}
