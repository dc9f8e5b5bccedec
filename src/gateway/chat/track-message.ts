import type { Context } from 'hono';
import type { Usage } from '../../providers/index.ts';
import type { ModelTarget, RoutePlan } from '../../router/index.ts';
import type { GatewayEnv } from '../gateway-dependencies.ts';
import type { GatewayServices } from '../gateway-services.ts';
import { type RequestContext, splitSubjectLine } from './request-context.ts';

/** What a finished generation recorded for its tracked row. */
export interface Completion {
  target: ModelTarget;
  text: string;
  usage: Usage;
  costUsd: number | null;
  latencyMs: number;
}

/** Records a generated message with a lead id in `outcome_labels` (write-behind), counted once. */
export function trackMessage(
  services: Pick<GatewayServices, 'tracking' | 'metrics' | 'now'>,
  context: Context<GatewayEnv>,
  plan: RoutePlan,
  request: RequestContext,
  promptMessages: unknown,
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
    prompt_messages: promptMessages,
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
