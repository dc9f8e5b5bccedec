import { GatewayError } from '../../errors/index.ts';
import type { ResponseStore, StoredResponse } from '../../pipeline/index.ts';
import { responseIdOfItem } from './response-object.ts';
import { inputItems, type ResponseItem } from './responses-input.ts';
import type { ResponsesRequest } from './responses-request.ts';
import { responsesParam } from './responses-to-chat.ts';

/**
 * The whole conversation of a request: the stored turns before `previous_response_id` (its input
 * and its output), then this request's input with each `item_reference` replaced by the stored
 * item. Everything is read from the caller's organization only, so another organization's id is
 * "not found".
 */
export async function loadConversation(
  store: ResponseStore,
  organizationId: string,
  body: ResponsesRequest,
): Promise<ResponseItem[]> {
  const earlier: ResponseItem[] = [];
  const previousId = body.previous_response_id;
  if (previousId) {
    const previous = await store.get(organizationId, previousId);
    if (!previous) {
      throw new GatewayError(
        'previous_response_not_found',
        `Previous response with id '${previousId}' not found.`,
        { param: 'previous_response_id' },
      );
    }
    earlier.push(...previous.inputItems, ...outputOf(previous));
  }
  const referenced = await referencedResponses(store, organizationId, body.input);
  const lookup = (itemId: string) => {
    const responseId = responseIdOfItem(itemId);
    const stored = responseId ? referenced.get(responseId) : undefined;
    return stored ? outputOf(stored).find((item) => item.id === itemId) : undefined;
  };
  return [...earlier, ...inputItems(body.input, lookup)];
}

async function referencedResponses(
  store: ResponseStore,
  organizationId: string,
  input: ResponsesRequest['input'],
): Promise<Map<string, StoredResponse>> {
  const found = new Map<string, StoredResponse>();
  if (!Array.isArray(input)) {
    return found;
  }
  for (const item of input) {
    const responseId =
      item.type === 'item_reference' && typeof item.id === 'string'
        ? responseIdOfItem(item.id)
        : null;
    if (responseId && !found.has(responseId)) {
      const stored = await store.get(organizationId, responseId);
      if (stored) {
        found.set(responseId, stored);
      }
    }
  }
  return found;
}

function outputOf(stored: StoredResponse): ResponseItem[] {
  const output = stored.response.output;
  return Array.isArray(output) ? (output as ResponseItem[]) : [];
}

/** The same error, its `param` named as the Responses request names it. */
export function asResponsesError(error: unknown): unknown {
  if (!GatewayError.isInstance(error) || error.param === null) {
    return error;
  }
  const param = responsesParam(error.param);
  if (param === error.param) {
    return error;
  }
  const fields = { status: error.status, type: error.type, code: error.code };
  return new GatewayError(fields, error.message.replaceAll(`\`${error.param}\``, `\`${param}\``), {
    param,
    isRetryable: error.isRetryable,
    headers: error.headers,
    cause: error,
  });
}
