import { GatewayError } from '../providers/errors.ts';

export class ModelNotFoundError extends GatewayError {
  constructor(model: string, detail?: string) {
    super(
      `The model \`${model}\` does not exist or you do not have access to it.${detail ? ` ${detail}` : ''}`,
      { status: 404, type: 'invalid_request_error', param: 'model', code: 'model_not_found' },
    );
    this.name = 'ModelNotFoundError';
  }
}

export class NoModelAvailableError extends GatewayError {
  constructor(route: string, retryAfterSeconds?: number) {
    super(`No model of route \`${route}\` is available right now; try again shortly.`, {
      status: 503,
      type: 'server_error',
      code: 'no_model_available',
      isRetryable: true,
      headers: retryAfterSeconds ? { 'retry-after': String(retryAfterSeconds) } : {},
    });
    this.name = 'NoModelAvailableError';
  }
}
