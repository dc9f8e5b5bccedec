import { GatewayError } from '../../../errors/index.ts';

/** Experiment data the decision engine cannot judge (no baseline, bad counts, unreadable file). */
export class RolloutInputError extends GatewayError {
  constructor(message: string, param: string | null = null, cause?: unknown) {
    super('invalid_experiment_data', message, { param, cause });
    this.name = 'RolloutInputError';
  }
}
