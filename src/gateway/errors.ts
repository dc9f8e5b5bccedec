import { GatewayError } from '../providers/errors.ts';

export class InvalidRequestError extends GatewayError {
  constructor(message: string, param: string | null = null, code: string | null = null) {
    super(message, { status: 400, type: 'invalid_request_error', param, code });
    this.name = 'InvalidRequestError';
  }
}

export class PayloadTooLargeError extends GatewayError {
  constructor(limitBytes: number) {
    super(`Request body is larger than ${limitBytes} bytes.`, {
      status: 413,
      type: 'invalid_request_error',
      code: 'request_too_large',
    });
    this.name = 'PayloadTooLargeError';
  }
}

export class NotFoundError extends GatewayError {
  constructor(message: string, code = 'not_found') {
    super(message, { status: 404, type: 'invalid_request_error', code });
    this.name = 'NotFoundError';
  }
}

export class AuthenticationError extends GatewayError {
  constructor(message = 'Missing or invalid API key. Send `Authorization: Bearer <key>`.') {
    super(message, { status: 401, type: 'invalid_request_error', code: 'invalid_api_key' });
    this.name = 'AuthenticationError';
  }
}

export class RateLimitError extends GatewayError {
  constructor(message: string, headers: Readonly<Record<string, string>>) {
    super(message, {
      status: 429,
      type: 'rate_limit_error',
      code: 'rate_limit_exceeded',
      isRetryable: true,
      headers,
    });
    this.name = 'RateLimitError';
  }
}

export class ServiceUnavailableError extends GatewayError {
  constructor(message: string, code = 'service_unavailable') {
    super(message, { status: 503, type: 'server_error', code, isRetryable: true });
    this.name = 'ServiceUnavailableError';
  }
}
