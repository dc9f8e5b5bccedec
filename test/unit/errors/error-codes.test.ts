import { describe, expect, it } from 'vitest';
import {
  type ErrorCode,
  type ErrorEnvelope,
  errorCodeTable,
  errorEnvelope,
  errorFrame,
  GatewayError,
  internalError,
  openAIErrorTypes,
} from '../../../src/errors/index.ts';

describe('the one code → status table', () => {
  it('gives every code an HTTP error status and a type OpenAI clients know', () => {
    const codes = Object.keys(errorCodeTable) as ErrorCode[];
    expect(codes.length).toBeGreaterThan(30);
    for (const code of codes) {
      const { status, type } = errorCodeTable[code];
      expect(status, code).toBeGreaterThanOrEqual(400);
      expect(status, code).toBeLessThan(600);
      expect(openAIErrorTypes.has(type), code).toBe(true);
      // A client error is never typed as the server's fault, nor the reverse.
      expect(type === 'server_error', code).toBe(status >= 500);
    }
  });

  it('answers a code with the status, type and code of its row', () => {
    const error = new GatewayError('model_not_found', 'No such model.', { param: 'model' });
    expect(error).toMatchObject({
      status: 404,
      type: 'invalid_request_error',
      code: 'model_not_found',
      param: 'model',
      isRetryable: false,
    });
    expect(new GatewayError('rate_limit_exceeded', 'Slow down.').status).toBe(429);
    expect(new GatewayError('request_too_large', 'Too big.').status).toBe(413);
    expect(new GatewayError('no_model_available', 'None up.').status).toBe(503);
  });

  it('relays a status and code decided elsewhere as they are', () => {
    const relayed = new GatewayError(
      { status: 418, type: 'invalid_request_error', code: 'teapot' },
      'Short and stout.',
    );
    expect(relayed).toMatchObject({ status: 418, code: 'teapot', param: null });
  });
});

describe('the OpenAI envelope', () => {
  it('holds exactly message, type, param and code', () => {
    const envelope: ErrorEnvelope = errorEnvelope(
      new GatewayError('invalid_value', "Invalid 'temperature'.", { param: 'temperature' }),
    );
    expect(envelope).toEqual({
      error: {
        message: "Invalid 'temperature'.",
        type: 'invalid_request_error',
        param: 'temperature',
        code: 'invalid_value',
      },
    });
  });

  it('ends a broken stream with one data frame and no [DONE]', () => {
    const frame = errorFrame(new GatewayError('internal_error', 'Broken.'));
    expect(frame.startsWith('data: {')).toBe(true);
    expect(frame.endsWith('\n\n')).toBe(true);
    expect(frame).not.toContain('[DONE]');
    expect(JSON.parse(frame.slice('data: '.length))).toMatchObject({
      error: { code: 'internal_error', type: 'server_error' },
    });
  });

  it('hides an internal cause from the client and keeps it for the log', () => {
    const cause = new Error('password=hunter2 in a stack trace');
    const error = internalError(cause);
    expect(error.status).toBe(500);
    expect(error.message).not.toContain('hunter2');
    expect(error.cause).toBe(cause);
    expect(GatewayError.isInstance(error)).toBe(true);
    expect(GatewayError.isInstance(cause)).toBe(false);
  });
});
