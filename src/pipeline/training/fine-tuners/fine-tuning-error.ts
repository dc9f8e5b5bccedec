/**
 * Vendor failures of fine-tuning calls as typed errors. The vendor's own message, code and param
 * are kept verbatim so a failed training run stores what the vendor said.
 */
import { GatewayError } from '../../../errors/index.ts';
import { ProviderError } from '../../../providers/index.ts';
import type { FineTuningProvider } from './fine-tuner.ts';

export type FineTuningOperation =
  | 'upload_file'
  | 'create_job'
  | 'get_job'
  | 'cancel_job'
  | 'list_events'
  | 'list_jobs';

export class FineTuningError extends ProviderError {
  readonly operation: FineTuningOperation;

  constructor(
    message: string,
    options: ConstructorParameters<typeof ProviderError>[1] & { operation: FineTuningOperation },
  ) {
    super(message, options);
    this.name = 'FineTuningError';
    this.operation = options.operation;
  }
}

/** A fine-tuner that cannot be built from the configuration (no key, unknown provider). */
export class FineTuningConfigError extends GatewayError {
  constructor(message: string) {
    super('fine_tuning_misconfigured', message);
    this.name = 'FineTuningConfigError';
  }
}

type Fields = Record<string, unknown>;
const isFields = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/**
 * Maps what the `openai` / `together-ai` SDKs (Stainless-generated, same error tree) or `fetch`
 * throw. OpenAI's `error.error` is the body's `error` object; Together's is the whole body.
 */
export function toFineTuningError(
  provider: FineTuningProvider,
  operation: FineTuningOperation,
  error: unknown,
): GatewayError {
  if (GatewayError.isInstance(error)) {
    return error;
  }
  const fields: Fields = isFields(error) ? error : {};
  const name = error instanceof Error ? error.constructor.name : '';
  const baseMessage =
    error instanceof Error
      ? error.message
      : typeof fields.error === 'string'
        ? fields.error
        : String(error);
  if (name === 'APIUserAbortError' || name === 'AbortError') {
    return new FineTuningError(`${provider} ${operation} aborted`, {
      provider,
      kind: 'aborted',
      operation,
      cause: error,
    });
  }
  if (name === 'APIConnectionTimeoutError' || name === 'TimeoutError') {
    return new FineTuningError(`${provider} ${operation} timed out`, {
      provider,
      kind: 'timeout',
      operation,
      cause: error,
    });
  }
  const status = typeof fields.status === 'number' ? fields.status : undefined;
  if (status === undefined) {
    return new FineTuningError(`${provider} ${operation} failed: ${baseMessage}`, {
      provider,
      kind: 'connection',
      operation,
      cause: error,
    });
  }
  const body = fields.error;
  const detail = isFields(body) && isFields(body.error) ? body.error : isFields(body) ? body : {};
  const message = text(detail.message) ?? baseMessage;
  return new FineTuningError(message, {
    provider,
    kind: 'upstream',
    operation,
    upstreamStatus: status,
    upstreamCode: text(detail.code),
    upstreamType: text(detail.type),
    upstreamParam: text(detail.param),
    upstreamBody: JSON.stringify(body ?? null),
    cause: error,
  });
}
