import type { Context } from 'hono';
import type { Usage } from '../../providers/index.ts';
import type { ModelTarget, RoutePlan } from '../../router/index.ts';
import { type ReplacementCount, toStorableJson, toStorableText } from '../../store/index.ts';
import type { GatewayEnv, TrackedMessage } from '../gateway-dependencies.ts';
import type { GatewayServices } from '../gateway-services.ts';
import { type RequestContext, splitSubjectLine } from './request-context.ts';

type GenerationStatus = NonNullable<TrackedMessage['generation_status']>;

/** What a finished generation recorded for its tracked row. */
export interface Completion {
  target: ModelTarget;
  text: string;
  usage: Usage;
  costUsd: number | null;
  latencyMs: number;
  /** How the generation ended (a stream may fail or be cancelled after its outcome id went out). */
  status?: GenerationStatus;
}

/**
 * Records a generated message with a lead id in `outcome_labels` (journaled, then written behind),
 * counted once. False when the row could not be taken: the response then carries no outcome id.
 * `reserve` journals a stream's row as interrupted before its headers go out.
 */
export function trackMessage(
  services: Pick<GatewayServices, 'tracking' | 'metrics' | 'now'>,
  context: Context<GatewayEnv>,
  plan: RoutePlan,
  request: RequestContext,
  promptMessages: unknown,
  outcomeId: string,
  completion: Completion,
  options: { reserve?: boolean } = {},
): boolean {
  const tenant = context.get('tenant');
  // Content and the upstream's reply are kept even when they hold NUL or unpaired surrogates
  // (which PostgreSQL refuses): replaced by U+FFFD and counted, never acknowledged and then lost.
  const replacements: ReplacementCount = { replaced: 0 };
  const { subject, body: messageBody } = splitSubjectLine(
    toStorableText(completion.text, replacements),
  );
  const prompt = toStorableJson(promptMessages, replacements);
  const agentDecisions = toStorableJson(request.agentDecisions, replacements);
  if (replacements.replaced > 0) {
    services.metrics.unstorableCharactersReplacedTotal.inc(replacements.replaced);
  }
  const status = completion.status ?? 'completed';
  const message: TrackedMessage = {
    id: outcomeId,
    organization_id: tenant.organizationId,
    campaign_id: request.campaignId,
    lead_id: request.leadId ?? '',
    channel: request.channel,
    route: plan.route,
    message_body: messageBody,
    subject_line: subject,
    agent_decisions: agentDecisions,
    framework: request.framework,
    tone: request.tone,
    model_id: completion.target.name,
    // The arm's own model: a fallback that served instead counts as this arm's error (issue 16).
    assigned_model_id: plan.candidates[0]?.name ?? null,
    model_version: plan.modelVersion,
    variant: plan.variant,
    provider: completion.target.provider,
    request_id: context.get('requestId'),
    prompt_messages: prompt,
    lead_data: request.leadData,
    cost_usd: completion.costUsd,
    latency_ms: Math.round(completion.latencyMs),
    prompt_tokens: completion.usage.promptTokens,
    completion_tokens: completion.usage.completionTokens,
    created_at: new Date(services.now()).toISOString(),
    ...(status === 'completed' ? {} : { generation_status: status }),
  };
  if (options.reserve === true) {
    return services.tracking.reserve(message);
  }
  const accepted = services.tracking.push(message);
  if (accepted) {
    const route = plan.route ?? 'direct';
    services.metrics.pending.messagesSent.add(`${route}\u0000${plan.modelVersion}`, {
      route,
      model_version: plan.modelVersion,
    });
  }
  return accepted;
}
