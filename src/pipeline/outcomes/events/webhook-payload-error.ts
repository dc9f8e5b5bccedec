import type { z } from 'zod';
import { type ErrorCode, GatewayError } from '../../../errors/index.ts';

/**
 * A webhook body we cannot accept (not JSON, not UTF-8, or not the documented shape). The gateway's one
 * error handler renders it as 400 with the OpenAI envelope; a 400 also tells HubSpot and Standard
 * Webhooks senders not to retry a body that will never parse.
 */
export class WebhookPayloadError extends GatewayError {
  constructor(
    message: string,
    options: { code?: ErrorCode; param?: string | null; cause?: unknown } = {},
  ) {
    super(options.code ?? 'invalid_webhook_payload', message, {
      param: options.param ?? null,
      isRetryable: false,
      cause: options.cause,
    });
    this.name = 'WebhookPayloadError';
  }

  static fromZod(error: z.ZodError, prefix = ''): WebhookPayloadError {
    const issue = error.issues[0];
    const path = [prefix, ...(issue?.path ?? []).map(String)].filter(Boolean).join('.');
    const message = issue === undefined ? 'invalid body' : `${path || 'body'}: ${issue.message}`;
    return new WebhookPayloadError(`Invalid webhook body: ${message}`, {
      param: path || null,
      cause: error,
    });
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Parses the raw body once, after the signature was checked on the same bytes. */
export function parseJsonBody(rawBody: Uint8Array | ArrayBuffer | string): unknown {
  let text: string;
  try {
    text = typeof rawBody === 'string' ? rawBody : utf8.decode(rawBody);
  } catch (error) {
    throw new WebhookPayloadError('Webhook body is not valid UTF-8', {
      code: 'invalid_json',
      cause: error,
    });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new WebhookPayloadError('Webhook body is not valid JSON', {
      code: 'invalid_json',
      cause: error,
    });
  }
}
