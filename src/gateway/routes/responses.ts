import type { Context, Hono } from 'hono';
import { GatewayError } from '../../errors/index.ts';
import type { ChatRequestBody, Usage } from '../../providers/index.ts';
import { costUsd, type RoutePlan } from '../../router/index.ts';
import type { ChatCompletionRequest } from '../chat/chat-completion-request.ts';
import { clientAbortSignal } from '../chat/client-abort-signal.ts';
import { newOutcomeId } from '../chat/outcome-id.ts';
import { buildRequestContext, type RequestContext } from '../chat/request-context.ts';
import { chatRequestFacts } from '../chat/request-metrics.ts';
import { type Completion, trackMessage } from '../chat/track-message.ts';
import type { GatewayEnv } from '../gateway-dependencies.ts';
import type { GatewayServices } from '../gateway-services.ts';
import { respond } from '../response-headers.ts';
import {
  finalStatus,
  newResponseIds,
  outputItems,
  type ResponseIds,
  type ResponseState,
  responseObject,
} from '../responses/response-object.ts';
import { asResponsesError, loadConversation } from '../responses/responses-conversation.ts';
import { ResponsesEventStream, responsesSse } from '../responses/responses-event-stream.ts';
import type { ResponseItem } from '../responses/responses-input.ts';
import { toChatMessages } from '../responses/responses-input.ts';
import { parseResponsesRequest, type ResponsesRequest } from '../responses/responses-request.ts';
import { toChatBody } from '../responses/responses-to-chat.ts';

type ResponsesServices = Pick<
  GatewayServices,
  'config' | 'router' | 'metrics' | 'tracking' | 'now' | 'responses'
>;

/**
 * `POST /v1/responses` over the chat router (see responses-to-chat.ts), and the stored responses:
 * `GET`/`DELETE /v1/responses/{id}` of the caller's organization.
 */
export function registerResponses(app: Hono<GatewayEnv>, services: ResponsesServices): void {
  app.post('/v1/responses', async (context) => {
    try {
      return await createResponse(context, services);
    } catch (error) {
      throw asResponsesError(error);
    }
  });

  app.get('/v1/responses/:id', async (context) => {
    const stored = await services.responses.get(
      context.get('tenant').organizationId,
      context.req.param('id'),
    );
    if (!stored) {
      throw responseNotFound(context.req.param('id'));
    }
    return context.json(stored.response);
  });

  app.get('/v1/responses/:id/input_items', async (context) => {
    const id = context.req.param('id');
    const stored = await services.responses.get(context.get('tenant').organizationId, id);
    if (!stored) {
      throw responseNotFound(id);
    }
    const data = stored.inputItems.map((item, index) =>
      typeof item.id === 'string' ? item : { id: `item_${id.slice(5)}_${index}`, ...item },
    );
    const ordered = context.req.query('order') === 'asc' ? data : [...data].reverse();
    return context.json({
      object: 'list',
      data: ordered,
      first_id: ordered[0]?.id ?? null,
      last_id: ordered.at(-1)?.id ?? null,
      has_more: false,
    });
  });

  app.delete('/v1/responses/:id', async (context) => {
    const id = context.req.param('id');
    if (!(await services.responses.delete(context.get('tenant').organizationId, id))) {
      throw responseNotFound(id);
    }
    return context.json({ id, object: 'response', deleted: true });
  });
}

function responseNotFound(id: string): GatewayError {
  return new GatewayError('response_not_found', `No response found with id '${id}'.`);
}

async function createResponse(
  context: Context<GatewayEnv>,
  services: ResponsesServices,
): Promise<Response> {
  const turn = await planTurn(context, services);
  const headers: Record<string, string> = {
    'x-rekindle-request-id': context.get('requestId'),
    'x-rekindle-variant': turn.plan.variant,
    'x-rekindle-model-version': turn.plan.modelVersion,
  };
  if (turn.outcomeId) {
    headers['x-rekindle-outcome-id'] = turn.outcomeId;
  }
  return turn.body.stream === true ? streamTurn(turn, headers) : generateTurn(turn, headers);
}

/** Reads the request and its stored conversation, translates it to chat, and plans the route. */
async function planTurn(context: Context<GatewayEnv>, services: ResponsesServices): Promise<Turn> {
  const facts = chatRequestFacts(context);
  const body = parseResponsesRequest(await context.req.text());
  facts.stream = body.stream === true;
  if (Object.hasOwn(services.config.routes, body.model)) {
    facts.namedRoute = body.model;
  }
  const organizationId = context.get('tenant').organizationId;
  const items = await loadConversation(services.responses, organizationId, body);
  const chatBody = toChatBody(body, toChatMessages(body.instructions, items));
  const header = (name: string) => context.req.header(name);
  const request = buildRequestContext(chatBody, header, context.get('requestId'));
  const reasoning = typeof body.reasoning?.effort === 'string';
  const needs = request.features.needs;
  const features =
    reasoning && needs ? { ...request.features, needs: { ...needs, reasoning } } : request.features;
  const plan = services.router.plan(body.model, features);
  facts.plan = plan;
  return {
    services,
    context,
    plan,
    request,
    body,
    items,
    ids: newResponseIds(services.now()),
    outcomeId: request.leadId !== null ? newOutcomeId() : null,
    chatBody,
  };
}

async function streamTurn(turn: Turn, headers: Record<string, string>): Promise<Response> {
  const { services, context, body, ids } = turn;
  const { now } = services;
  const facts = chatRequestFacts(context);
  const forward = turn.chatBody as unknown as ChatRequestBody;
  const routed = await services.router.stream(turn.plan, forward, clientAbortSignal(context));
  facts.target = routed.target;
  headers['x-rekindle-model'] = routed.target.name;
  headers['x-rekindle-provider'] = routed.target.provider;
  headers['content-type'] = 'text/event-stream; charset=utf-8';
  headers['cache-control'] = 'no-cache';
  headers['x-accel-buffering'] = 'no';
  const render = (state: ResponseState) => responseObject(ids, body, state);
  const events = new ResponsesEventStream(ids, routed.target.name, render, now);
  const { stream, ended } = responsesSse(routed.parts, events);
  // As for chat: the outcome id leaves with the headers, so its row is journaled first (as
  // interrupted) and rewritten when the stream ends; no id when the journal refuses it.
  const interrupted = { target: routed.target, text: '', usage: noUsage, costUsd: null };
  const reserved =
    turn.outcomeId !== null &&
    trackTurn(turn, { ...interrupted, latencyMs: 0, status: 'interrupted' }, { reserve: true });
  if (!reserved) {
    delete headers['x-rekindle-outcome-id'];
  }
  facts.streamEnded = ended.then((outcome) => {
    const latencyMs = now() - context.get('startedAt');
    if (outcome.kind === 'finish') {
      const completion: Completion = {
        target: routed.target,
        text: outcome.text,
        usage: outcome.usage,
        costUsd: costUsd(routed.target, outcome.usage),
        latencyMs,
      };
      finishTurn(turn, reserved ? completion : null, outcome.state);
      return 200;
    }
    if (reserved) {
      const status = outcome.kind === 'error' ? 'failed' : 'cancelled';
      trackTurn(turn, { ...interrupted, latencyMs, status });
    }
    return outcome.kind === 'error' ? outcome.error.status : 499;
  });
  return respond(context, stream, 200, headers);
}

async function generateTurn(turn: Turn, headers: Record<string, string>): Promise<Response> {
  const { services, context, ids } = turn;
  const { now } = services;
  const forward = turn.chatBody as unknown as ChatRequestBody;
  const routed = await services.router.generate(turn.plan, forward, clientAbortSignal(context));
  const { result, target } = routed;
  chatRequestFacts(context).target = target;
  const cost = costUsd(target, result.usage);
  headers['x-rekindle-model'] = target.name;
  headers['x-rekindle-provider'] = target.provider;
  headers['content-type'] = 'application/json';
  if (cost !== null) {
    headers['x-rekindle-cost-usd'] = cost.toFixed(8);
  }
  const status = finalStatus(result.finishReason);
  const state: ResponseState = {
    status,
    output: outputItems(ids, result.text, result.toolCalls, status),
    usage: result.usage,
    model: target.name,
    finishReason: result.finishReason,
    completedAt: Math.floor(now() / 1000),
  };
  const latencyMs = now() - context.get('startedAt');
  const completion = { target, text: result.text, usage: result.usage, costUsd: cost, latencyMs };
  if (turn.outcomeId !== null && !trackTurn(turn, completion)) {
    delete headers['x-rekindle-outcome-id'];
  }
  const response = finishTurn(turn, null, state);
  return respond(context, JSON.stringify(response), 200, headers);
}

interface Turn {
  readonly services: ResponsesServices;
  readonly context: Context<GatewayEnv>;
  readonly plan: RoutePlan;
  readonly request: RequestContext;
  readonly body: ResponsesRequest;
  readonly items: readonly ResponseItem[];
  readonly ids: ResponseIds;
  readonly outcomeId: string | null;
  readonly chatBody: ChatCompletionRequest;
}

/** Tracks the message (with a lead id) and keeps the response (unless `store: false`). */
function finishTurn(
  turn: Turn,
  completion: Completion | null,
  state: ResponseState,
): Record<string, unknown> {
  const { services, context, body, ids } = turn;
  if (completion !== null) {
    trackTurn(turn, completion);
  }
  const response = responseObject(ids, body, state);
  if (body.store !== false) {
    const createdAt = ids.createdAt * 1000;
    services.responses.put({
      id: ids.id,
      organizationId: context.get('tenant').organizationId,
      response,
      inputItems: turn.items,
      createdAt,
      expiresAt: createdAt + services.config.responses.retention_days * 86_400_000,
    });
  }
  return response;
}

const noUsage: Usage = { promptTokens: null, completionTokens: null, cachedPromptTokens: null };

/** The turn's tracked row (journaled before its outcome id goes out); false when not taken. */
function trackTurn(turn: Turn, completion: Completion, options?: { reserve?: boolean }): boolean {
  if (turn.outcomeId === null) {
    return false;
  }
  return trackMessage(
    turn.services,
    turn.context,
    turn.plan,
    turn.request,
    turn.chatBody.messages,
    turn.outcomeId,
    completion,
    options,
  );
}
