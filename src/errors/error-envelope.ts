import type { GatewayError } from './gateway-error.ts';

/** OpenAI's error body, the only error shape a client of the gateway ever sees. */
export interface ErrorEnvelope {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export function errorEnvelope(error: GatewayError): ErrorEnvelope {
  return {
    error: { message: error.message, type: error.type, param: error.param, code: error.code },
  };
}

/** A stream that fails after its first byte ends with this frame and no `[DONE]`. */
export function errorFrame(error: GatewayError): string {
  return `data: ${JSON.stringify(errorEnvelope(error))}\n\n`;
}
