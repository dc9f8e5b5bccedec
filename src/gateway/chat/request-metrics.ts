import type { Context, MiddlewareHandler } from 'hono';
import type { GatewayMetrics } from '../../metrics/index.ts';
import type { ChatRequestFacts, GatewayEnv } from '../gateway-dependencies.ts';

/**
 * `rekindle_requests_total` and `rekindle_request_duration_seconds` for chat completions: every
 * request is counted once, by countChatRequests, whatever ended it — an answer, a stream's last
 * frame, an upstream failure, or a refusal before the route ran (400, 401, 413, 429) or before it
 * routed (404 model_not_found, 503 no model available). A request refused before routing has no
 * model, provider or variant: those labels say `unknown`, and so does `route` unless the request
 * named a configured route — never a client-chosen string, so the label values stay bounded.
 */
export const chatCompletionsPath = '/v1/chat/completions';
export const responsesPath = '/v1/responses';

/** The `endpoint` label: which API the request spoke. */
type GenerationEndpoint = 'chat_completions' | 'responses';

/** The label value of whatever a refused request did not get as far as choosing. */
const unknownLabel = 'unknown';

/** The facts of this request (a fresh, unread set when the counting middleware is not mounted). */
export function chatRequestFacts(context: Context<GatewayEnv>): ChatRequestFacts {
  return (context.get('chatRequest') as ChatRequestFacts | undefined) ?? emptyFacts();
}

/**
 * Mounted on POST /v1/chat/completions ahead of the body limit and tenant auth, so refusals by
 * those are counted too. The status is the response's, after the error handler rendered it; a
 * stream is counted when it ends, not when its headers go out.
 */
export function countChatRequests(options: {
  metrics: GatewayMetrics;
  now: () => number;
  endpoint?: GenerationEndpoint;
}): MiddlewareHandler<GatewayEnv> {
  const { metrics, now } = options;
  const endpoint = options.endpoint ?? 'chat_completions';
  return async function countChatRequest(context, next) {
    const facts = emptyFacts();
    context.set('chatRequest', facts);
    await next();
    const startedAt = context.get('startedAt');
    const count = (status: number) => record(metrics, facts, status, now() - startedAt, endpoint);
    if (facts.streamEnded !== undefined && context.error === undefined) {
      facts.streamEnded.then(count, () => count(500));
      return;
    }
    count(context.res.status);
  };
}

function record(
  metrics: GatewayMetrics,
  facts: ChatRequestFacts,
  status: number,
  latencyMs: number,
  endpoint: GenerationEndpoint,
): void {
  const { plan } = facts;
  const target = facts.target ?? plan?.candidates[0];
  const route = plan ? (plan.route ?? 'direct') : (facts.namedRoute ?? unknownLabel);
  const statusLabel = String(status);
  const model = plan ? (target?.name ?? unknownLabel) : unknownLabel;
  const provider = plan ? (target?.provider ?? unknownLabel) : unknownLabel;
  const variant = plan ? plan.variant : unknownLabel;
  // Added at scrape time (see PendingCounts); the key holds every label value.
  metrics.pending.requests.add(
    `${route}\u0000${model}\u0000${provider}\u0000${variant}\u0000${statusLabel}\u0000${endpoint}`,
    { route, model, provider, variant, status: statusLabel, endpoint },
  );
  metrics.requestDuration.observe(
    {
      route,
      stream: facts.stream === undefined ? unknownLabel : String(facts.stream),
      status: statusLabel,
      endpoint,
    },
    latencyMs / 1000,
  );
}

function emptyFacts(): ChatRequestFacts {
  return {
    stream: undefined,
    namedRoute: undefined,
    plan: undefined,
    target: undefined,
    streamEnded: undefined,
  };
}
