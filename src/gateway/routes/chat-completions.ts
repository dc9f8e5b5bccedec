import type { Context, Hono } from 'hono';
import { errorFrame, type GatewayError } from '../../errors/index.ts';
import type { ChatRequestBody, ChatStreamPart, Usage } from '../../providers/index.ts';
import { costUsd, type ModelTarget, type RoutePlan } from '../../router/index.ts';
import type { ChatCompletionRequest } from '../chat/chat-completion-request.ts';
import { clientAbortSignal } from '../chat/client-abort-signal.ts';
import { newOutcomeId } from '../chat/outcome-id.ts';
import { parseChatCompletionRequest } from '../chat/parse-chat-completion-request.ts';
import {
  buildRequestContext,
  type RequestContext,
  splitSubjectLine,
} from '../chat/request-context.ts';
import { chatCompletionsPath, chatRequestFacts } from '../chat/request-metrics.ts';
import { withoutNullUsage } from '../chat/without-null-usage.ts';
import { toGatewayError } from '../error-handler.ts';
import type { GatewayEnv } from '../gateway-dependencies.ts';
import type { GatewayServices } from '../gateway-services.ts';
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

export function registerChatCompletions(
  app: Hono<GatewayEnv>,
  services: Pick<GatewayServices, 'config' | 'router' | 'metrics' | 'tracking' | 'now'>,
): void {
  const { router, now } = services;

  app.post(chatCompletionsPath, async (context) => {
    const startedAt = context.get('startedAt');
    const requestId = context.get('requestId');
    // Counted once by countChatRequests from what is recorded here; nothing below counts.
    const facts = chatRequestFacts(context);
    const body = parseChatCompletionRequest(await context.req.text());
    facts.stream = body.stream === true;
    if (Object.hasOwn(services.config.routes, body.model)) {
      facts.namedRoute = body.model;
    }
    const request = buildRequestContext(body, (name) => context.req.header(name), requestId);
    const plan = router.plan(body.model, request.features);
    facts.plan = plan;
    const outcomeId = request.leadId !== null ? newOutcomeId() : null;
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
        track(services, context, plan, request, body, outcomeId, completion);
      }
    };

    if (body.stream === true) {
      const routed = await router.stream(plan, forward, signal);
      facts.target = routed.target;
      headers['x-rekindle-model'] = routed.target.name;
      headers['x-rekindle-provider'] = routed.target.provider;
      headers['content-type'] = 'text/event-stream; charset=utf-8';
      headers['cache-control'] = 'no-cache';
      headers['x-accel-buffering'] = 'no';
      const includeUsage = body.stream_options?.include_usage === true;
      const { stream, ended } = relayStream(routed.parts, includeUsage);
      facts.streamEnded = ended.then((outcome) => {
        if (outcome.kind === 'finish') {
          finish({
            target: routed.target,
            text: outcome.text,
            usage: outcome.usage,
            costUsd: costUsd(routed.target, outcome.usage),
            latencyMs: now() - startedAt,
          });
          return 200;
        }
        return outcome.kind === 'error' ? outcome.error.status : 499;
      });
      return respond(context, stream, 200, headers);
    }

    const routed = await router.generate(plan, forward, signal);
    const { result, target } = routed;
    facts.target = target;
    const cost = costUsd(target, result.usage);
    headers['x-rekindle-model'] = target.name;
    headers['x-rekindle-provider'] = target.provider;
    headers['content-type'] = 'application/json';
    if (cost !== null) {
      headers['x-rekindle-cost-usd'] = cost.toFixed(8);
    }
    const latencyMs = now() - startedAt;
    finish({ target, text: result.text, usage: result.usage, costUsd: cost, latencyMs });
    return respond(context, result.body, 200, headers);
  });
}

type StreamOutcome =
  | { kind: 'finish'; text: string; usage: Usage }
  | { kind: 'error'; error: GatewayError }
  | { kind: 'cancelled' };

/**
 * Relays the provider's parts as SSE, one upstream chunk per pull so back-pressure reaches the
 * upstream. Ends with `[DONE]` after a finish, or with an error frame and no `[DONE]`; `ended`
 * settles with the first of finish, error or cancellation.
 */
function relayStream(
  parts: AsyncIterable<ChatStreamPart>,
  includeUsage: boolean,
): { stream: ReadableStream<Uint8Array>; ended: Promise<StreamOutcome> } {
  const iterator = parts[Symbol.asyncIterator]();
  const relay = includeUsage ? (raw: string) => raw : withoutNullUsage;
  let text = '';
  let end: (outcome: StreamOutcome) => void = () => {};
  // A promise settles once: later calls of `end` (a cancel after the finish) change nothing.
  const ended = new Promise<StreamOutcome>((resolve) => {
    end = resolve;
  });
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
  const stream = new ReadableStream<Uint8Array>({
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
  return { stream, ended };
}

function track(
  services: Pick<GatewayServices, 'tracking' | 'metrics' | 'now'>,
  context: Context<GatewayEnv>,
  plan: RoutePlan,
  request: RequestContext,
  body: ChatCompletionRequest,
  outcomeId: string,
  completion: Completion,
): void {
  const tenant = context.get('tenant');
  const { subject, body: messageBody } = splitSubjectLine(completion.text);
  const accepted = services.tracking.push({
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
    created_at: new Date(services.now()).toISOString(),
  });
  if (accepted) {
    services.metrics.messagesSentTotal.inc({
      route: plan.route ?? 'direct',
      model_version: plan.modelVersion,
    });
  }
}
