import type { Hono } from 'hono';
import { errorFrame, type GatewayError } from '../../errors/index.ts';
import type { ChatRequestBody, ChatStreamPart, Usage } from '../../providers/index.ts';
import { costUsd } from '../../router/index.ts';
import { clientAbortSignal } from '../chat/client-abort-signal.ts';
import { newOutcomeId } from '../chat/outcome-id.ts';
import { parseChatCompletionRequest } from '../chat/parse-chat-completion-request.ts';
import { buildRequestContext } from '../chat/request-context.ts';
import { chatCompletionsPath, chatRequestFacts } from '../chat/request-metrics.ts';
import { type Completion, trackMessage } from '../chat/track-message.ts';
import { withoutNullUsage } from '../chat/without-null-usage.ts';
import { toGatewayError } from '../error-handler.ts';
import type { GatewayEnv, TrackedMessage } from '../gateway-dependencies.ts';
import type { GatewayServices } from '../gateway-services.ts';
import { respond } from '../response-headers.ts';

const encoder = new TextEncoder();
const doneFrame = encoder.encode('data: [DONE]\n\n');

type GenerationStatus = NonNullable<TrackedMessage['generation_status']>;

const noUsage: Usage = { promptTokens: null, completionTokens: null, cachedPromptTokens: null };

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
    const finish = (completion: Completion) =>
      outcomeId
        ? trackMessage(services, context, plan, request, body.messages, outcomeId, completion)
        : false;

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
      const known = (status: GenerationStatus, text: string, usage: Usage): Completion => ({
        target: routed.target,
        text,
        usage,
        costUsd: costUsd(routed.target, usage),
        latencyMs: now() - startedAt,
        status,
      });
      // The outcome id leaves with the headers, before the stream ends: its row is journaled now
      // (as interrupted) so that it is written even if the process dies mid-stream; no id else.
      const reserved =
        outcomeId !== null &&
        trackMessage(
          services,
          context,
          plan,
          request,
          body.messages,
          outcomeId,
          known('interrupted', '', noUsage),
          {
            reserve: true,
          },
        );
      if (!reserved) {
        delete headers['x-rekindle-outcome-id'];
      }
      facts.streamEnded = ended.then((outcome) => {
        const status = streamStatus[outcome.kind];
        if (reserved) {
          finish(known(status, outcome.text, outcome.kind === 'finish' ? outcome.usage : noUsage));
        }
        if (outcome.kind === 'finish') {
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
    const status = 'completed';
    if (
      !finish({ target, text: result.text, usage: result.usage, costUsd: cost, latencyMs, status })
    ) {
      delete headers['x-rekindle-outcome-id'];
    }
    return respond(context, result.body, 200, headers);
  });
}

type StreamOutcome =
  | { kind: 'finish'; text: string; usage: Usage }
  | { kind: 'error'; text: string; error: GatewayError }
  | { kind: 'cancelled'; text: string };

const streamStatus = {
  finish: 'completed',
  error: 'failed',
  cancelled: 'cancelled',
} as const satisfies Record<StreamOutcome['kind'], GenerationStatus>;

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
      end({ kind: 'error', text, error: failure });
      return true;
    }
    if (next.done) {
      controller.close();
      end({ kind: 'cancelled', text });
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
        end({ kind: 'error', text, error: part.error });
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
      end({ kind: 'cancelled', text });
      await iterator.return?.();
    },
  });
  return { stream, ended };
}
