import type { Context } from 'hono';
import type { GatewayMetrics } from '../../metrics/index.ts';
import type { GatewayError } from '../../providers/errors.ts';
import type { ModelTarget, RoutePlan } from '../../router/index.ts';
import type { GatewayEnv } from '../gateway-dependencies.ts';

/**
 * `rekindle_requests_total` and `rekindle_request_duration_seconds` for chat completions: every
 * request is counted once, routed or refused. A request refused before it was routed (400, 401,
 * 404 model_not_found, 413, 429, 503 no model available) has no model, provider or variant: those
 * labels say `unknown`, and so does `route` unless the request named a configured route — never a
 * client-chosen string, so the label values stay bounded.
 */
export const chatCompletionsPath = '/v1/chat/completions';

/** The label value of whatever a refused request did not get as far as choosing. */
export const unknownLabel = 'unknown';

/** Errors already counted by the chat route, which the error handler must not count again. */
const counted = new WeakSet<object>();

export function recordChatRequest(
  metrics: GatewayMetrics,
  plan: RoutePlan,
  target: ModelTarget | undefined,
  status: number,
  stream: boolean,
  latencyMs: number,
): void {
  const route = plan.route ?? 'direct';
  metrics.requestsTotal.inc({
    route,
    model: target?.name ?? unknownLabel,
    provider: target?.provider ?? unknownLabel,
    variant: plan.variant,
    status: String(status),
  });
  metrics.requestDuration.observe(
    { route, stream: stream ? 'true' : 'false', status: String(status) },
    latencyMs / 1000,
  );
}

/** After recordChatRequest for a failure: the error handler leaves it alone. */
export function markCounted(error: GatewayError): GatewayError {
  counted.add(error);
  return error;
}

/**
 * A chat completion refused before routing. `route` is a configured route the body named, else
 * `unknown`; `stream` is unknown until the body was read.
 */
export function recordRejectedChatRequest(
  metrics: GatewayMetrics,
  error: GatewayError,
  latencyMs: number,
  route: string = unknownLabel,
  stream: boolean | undefined = undefined,
): GatewayError {
  if (counted.has(error)) {
    return error;
  }
  const status = String(error.status);
  metrics.requestsTotal.inc({
    route,
    model: unknownLabel,
    provider: unknownLabel,
    variant: unknownLabel,
    status,
  });
  metrics.requestDuration.observe(
    { route, stream: stream === undefined ? unknownLabel : String(stream), status },
    latencyMs / 1000,
  );
  return markCounted(error);
}

/** For the app's error handler: counts a chat completion the chat route did not get to count. */
export function countRejectionIfChat(
  metrics: GatewayMetrics,
  context: Context<GatewayEnv>,
  error: GatewayError,
  now: number,
): void {
  if (context.req.path !== chatCompletionsPath || counted.has(error)) {
    return;
  }
  const startedAt = context.get('startedAt');
  recordRejectedChatRequest(metrics, error, startedAt === undefined ? 0 : now - startedAt);
}
