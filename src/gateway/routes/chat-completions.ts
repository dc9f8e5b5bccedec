import type { Context, Hono } from 'hono';
import type { ChatRequestBody, ChatStreamPart, Usage } from '../../providers/chat-model.ts';
import type { GatewayError } from '../../providers/errors.ts';
import { costUsd, type ModelTarget, type RoutePlan } from '../../router/index.ts';
import { clientAbortSignal } from '../chat/client-abort-signal.ts';
import { newOutcomeId } from '../chat/outcome-id.ts';
import {
  buildRequestContext,
  type RequestContext,
  splitSubjectLine,
} from '../chat/request-context.ts';
import {
  markCounted,
  recordChatRequest,
  recordRejectedChatRequest,
} from '../chat/request-metrics.ts';
import { withoutNullUsage } from '../chat/without-null-usage.ts';
import { toGatewayError } from '../error-handler.ts';
import type { GatewayDependencies, GatewayEnv } from '../gateway-dependencies.ts';
import {
  type ChatCompletionRequest,
  errorFrame,
  parseChatCompletionRequest,
} from '../openai-wire.ts';
import { respond } from '../response-headers.ts';

const encoder = new TextEncoder();
const doneFrame = encoder.encode('data: [DONE]\n\n');

interface Completion {
  target: ModelTarget;
  text: string;
  usage: Usage;
  costUsd: number | null;
  latencyMs: number;
}

export function registerChatCompletions(app: Hono<GatewayEnv>, deps: GatewayDependencies): void {
  const now = deps.now ?? Date.now;
  const { router, metrics } = deps;

  app.post('/v1/chat/completions', async (context) => {
    const startedAt = context.get('startedAt');
    const requestId = context.get('requestId');
    const body = parseChatCompletionRequest(await context.req.text());
    const request = buildRequestContext(body, (name) => context.req.header(name), requestId);
    let plan: RoutePlan;
    try {
      plan = router.plan(body.model, request.features);
    } catch (error) {
      // Refused before routing (404 model_not_found, 503 no model available): counted here, where
      // the route is known; parse, auth and rate-limit refusals are counted by the error handler.
      throw recordRejectedChatRequest(
        metrics,
        toGatewayError(error),
        now() - startedAt,
        Object.hasOwn(deps.config.routes, body.model) ? body.model : undefined,
        body.stream === true,
      );
    }
    const outcomeId = request.leadId !== null && deps.tracking ? newOutcomeId() : null;
    const signal = clientAbortSignal(context);
    // Validated above for the fields the gateway reads; the rest is the client's, passed through.
    const forward = body as unknown as ChatRequestBody;

    const headers: Record<string, string> = {
      'x-rekindle-request-id': requestId,
      'x-rekindle-variant': plan.variant,
      'x-rekindle-model-version': plan.modelVersion,
    };
    if (outcomeId) {
      headers['x-rekindle-outcome-id'] = outcomeId;
    }
    const finish = (completion: Completion) => {
      if (outcomeId) {
        track(deps, context, plan, request, body, outcomeId, completion, now);
      }
    };

    try {
      if (body.stream === true) {
        const routed = await router.stream(plan, forward, signal);
        headers['x-rekindle-model'] = routed.target.name;
        headers['x-rekindle-provider'] = routed.target.provider;
        headers['content-type'] = 'text/event-stream; charset=utf-8';
        headers['cache-control'] = 'no-cache';
        headers['x-accel-buffering'] = 'no';
        const includeUsage = body.stream_options?.include_usage === true;
        const stream = relayStream(routed.parts, includeUsage, (outcome) => {
          const status =
            outcome.kind === 'finish' ? 200 : outcome.kind === 'error' ? outcome.error.status : 499;
          recordChatRequest(metrics, plan, routed.target, status, true, now() - startedAt);
          if (outcome.kind === 'finish') {
            finish({
              target: routed.target,
              text: outcome.text,
              usage: outcome.usage,
              costUsd: costUsd(routed.target, outcome.usage),
              latencyMs: now() - startedAt,
            });
          }
        });
        return respond(context, stream, 200, headers);
      }

      const routed = await router.generate(plan, forward, signal);
      const { result, target } = routed;
      const cost = costUsd(target, result.usage);
      headers['x-rekindle-model'] = target.name;
      headers['x-rekindle-provider'] = target.provider;
      headers['content-type'] = 'application/json';
      if (cost !== null) {
        headers['x-rekindle-cost-usd'] = cost.toFixed(8);
      }
      const latencyMs = now() - startedAt;
      recordChatRequest(metrics, plan, target, 200, false, latencyMs);
      finish({ target, text: result.text, usage: result.usage, costUsd: cost, latencyMs });
      return respond(context, result.body, 200, headers);
    } catch (error) {
      const failure = toGatewayError(error);
      const latencyMs = now() - startedAt;
      recordChatRequest(
        metrics,
        plan,
        plan.candidates[0],
        failure.status,
        body.stream === true,
        latencyMs,
      );
      throw markCounted(failure);
    }
  });
}

type StreamOutcome =
  | { kind: 'finish'; text: string; usage: Usage }
  | { kind: 'error'; error: GatewayError }
  | { kind: 'cancelled' };

/**
 * Relays the provider's parts as SSE, one upstream chunk per pull so back-pressure reaches the
 * upstream. Ends with `[DONE]` after a finish, or with an error frame and no `[DONE]`.
 */
function relayStream(
  parts: AsyncIterable<ChatStreamPart>,
  includeUsage: boolean,
  onEnd: (outcome: StreamOutcome) => void,
): ReadableStream<Uint8Array> {
  const iterator = parts[Symbol.asyncIterator]();
  const relay = includeUsage ? (raw: string) => raw : withoutNullUsage;
  let text = '';
  let ended = false;
  const end = (outcome: StreamOutcome) => {
    if (!ended) {
      ended = true;
      onEnd(outcome);
    }
  };
  // Each pull must enqueue or close: a pull that returns empty-handed is not called again.
  const pullOnce = async (
    controller: ReadableStreamDefaultController<Uint8Array>,
  ): Promise<boolean> => {
    let next: IteratorResult<ChatStreamPart>;
    try {
      next = await iterator.next();
    } catch (error) {
      const failure = toGatewayError(error);
      controller.enqueue(encoder.encode(errorFrame(failure)));
      controller.close();
      end({ kind: 'error', error: failure });
      return true;
    }
    if (next.done) {
      controller.close();
      end({ kind: 'cancelled' });
      return true;
    }
    const part = next.value;
    switch (part.type) {
      case 'text-delta':
        text += part.delta;
        controller.enqueue(encoder.encode(`data: ${relay(part.raw)}\n\n`));
        return true;
      case 'tool-call-delta':
      case 'chunk':
        controller.enqueue(encoder.encode(`data: ${relay(part.raw)}\n\n`));
        return true;
      case 'usage':
        if (includeUsage) {
          controller.enqueue(encoder.encode(`data: ${part.raw}\n\n`));
          return true;
        }
        return false;
      case 'finish':
        controller.enqueue(doneFrame);
        controller.close();
        end({ kind: 'finish', text, usage: part.usage });
        return true;
      case 'error':
        controller.enqueue(encoder.encode(errorFrame(part.error)));
        controller.close();
        end({ kind: 'error', error: part.error });
        return true;
    }
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      while (!(await pullOnce(controller))) {
        // a part the client does not get (an unrequested usage chunk): read the next one
      }
    },
    async cancel() {
      end({ kind: 'cancelled' });
      await iterator.return?.();
    },
  });
}

function track(
  deps: GatewayDependencies,
  context: Context<GatewayEnv>,
  plan: RoutePlan,
  request: RequestContext,
  body: ChatCompletionRequest,
  outcomeId: string,
  completion: Completion,
  now: () => number,
): void {
  const tenant = context.get('tenant');
  const { subject, body: messageBody } = splitSubjectLine(completion.text);
  const accepted = deps.tracking?.push({
    id: outcomeId,
    organization_id: tenant.organizationId,
    campaign_id: request.campaignId,
    lead_id: request.leadId ?? '',
    channel: request.channel,
    route: plan.route,
    message_body: messageBody,
    subject_line: subject,
    agent_decisions: request.agentDecisions,
    framework: request.framework,
    tone: request.tone,
    model_id: completion.target.name,
    model_version: plan.modelVersion,
    variant: plan.variant,
    provider: completion.target.provider,
    request_id: context.get('requestId'),
    prompt_messages: body.messages,
    lead_data: request.leadData,
    cost_usd: completion.costUsd,
    latency_ms: Math.round(completion.latencyMs),
    prompt_tokens: completion.usage.promptTokens,
    completion_tokens: completion.usage.completionTokens,
    created_at: new Date(now()).toISOString(),
  });
  if (accepted) {
    deps.metrics.messagesSentTotal.inc({
      route: plan.route ?? 'direct',
      model_version: plan.modelVersion,
    });
  }
}
