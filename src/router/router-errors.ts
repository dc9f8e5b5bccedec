import { GatewayError } from '../errors/index.ts';

export class ModelNotFoundError extends GatewayError {
  constructor(model: string, detail?: string) {
    super(
      'model_not_found',
      `The model \`${model}\` does not exist or you do not have access to it.${detail ? ` ${detail}` : ''}`,
      { param: 'model' },
    );
    this.name = 'ModelNotFoundError';
  }
}

export class NoModelAvailableError extends GatewayError {
  constructor(route: string, retryAfterSeconds?: number) {
    super(
      'no_model_available',
      `No model of route \`${route}\` is available right now; try again shortly.`,
      {
        isRetryable: true,
        headers: retryAfterSeconds ? { 'retry-after': String(retryAfterSeconds) } : {},
      },
    );
    this.name = 'NoModelAvailableError';
  }
}
