import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Logger } from '../metrics/index.ts';
import { GatewayError } from '../providers/errors.ts';
import { NotFoundError, PayloadTooLargeError } from './errors.ts';
import { errorEnvelope, internalError } from './openai-wire.ts';

/** The one place errors become HTTP: the OpenAI envelope, the right status, its headers. */
export function toGatewayError(error: unknown): GatewayError {
  if (GatewayError.isInstance(error)) {
    return error;
  }
  if (error instanceof HTTPException) {
    if (error.status === 413) {
      return new PayloadTooLargeError(0);
    }
    return new GatewayError(error.message || 'Request failed.', {
      status: error.status,
      type: error.status >= 500 ? 'server_error' : 'invalid_request_error',
    });
  }
  return internalError(error);
}

export function renderError(context: Context, error: unknown, logger: Logger): Response {
  const gatewayError = toGatewayError(error);
  if (gatewayError.status >= 500 && !GatewayError.isInstance(error)) {
    logger.error('unhandled error', { error, path: context.req.path });
  }
  const requestId = context.get('requestId' as never) as string | undefined;
  const headers: Record<string, string> = { ...gatewayError.headers };
  if (requestId) {
    headers['x-request-id'] = requestId;
    headers['x-rekindle-request-id'] = requestId;
  }
  return context.json(errorEnvelope(gatewayError), gatewayError.status as 400, headers);
}

export function notFound(context: Context): Response {
  const error = new NotFoundError(
    `Unknown endpoint: ${context.req.method} ${context.req.path}`,
    'unknown_endpoint',
  );
  return context.json(errorEnvelope(error), 404);
}
