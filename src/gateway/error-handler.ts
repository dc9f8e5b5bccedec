import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { errorEnvelope, GatewayError, internalError } from '../errors/index.ts';
import type { Logger } from '../metrics/index.ts';
import { payloadTooLarge } from './middleware/body-limit.ts';

/** The one place errors become HTTP: the OpenAI envelope, the right status, its headers. */
export function toGatewayError(error: unknown): GatewayError {
  if (GatewayError.isInstance(error)) {
    return error;
  }
  if (error instanceof HTTPException) {
    if (error.status === 413) {
      return payloadTooLarge(0);
    }
    // Hono's own refusals keep their status; they carry no code of ours.
    return new GatewayError(
      {
        status: error.status,
        type: error.status >= 500 ? 'server_error' : 'invalid_request_error',
        code: null,
      },
      error.message || 'Request failed.',
    );
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
  const error = new GatewayError(
    'unknown_endpoint',
    `Unknown endpoint: ${context.req.method} ${context.req.path}`,
  );
  return context.json(errorEnvelope(error), 404);
}
