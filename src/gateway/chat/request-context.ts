import { deriveRequestNeeds, type RequestFeatures } from '../../router/index.ts';
import type { ChatCompletionRequest } from './chat-completion-request.ts';

/** What the gateway learns about a request from its body metadata and `x-rekindle-*` headers. */
export interface RequestContext {
  readonly features: RequestFeatures;
  readonly campaignId: string | null;
  readonly leadId: string | null;
  readonly channel: string;
  readonly agentDecisions: Record<string, unknown>;
  readonly framework: string | null;
  readonly tone: string | null;
  readonly leadData: Record<string, string>;
}

const leadFields = ['first_name', 'last_name', 'full_name', 'company', 'email', 'phone', 'title'];
const agentDecisionFields = ['framework', 'tone', 'personalization_score'];

export function buildRequestContext(
  body: ChatCompletionRequest,
  header: (name: string) => string | undefined,
  requestId: string,
): RequestContext {
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(body.metadata ?? {})) {
    if (value !== null && value !== undefined) {
      metadata[key] = String(value);
    }
  }
  const campaignId = header('x-rekindle-campaign-id') ?? metadata.campaign_id ?? null;
  const leadId = header('x-rekindle-lead-id') ?? metadata.lead_id ?? null;
  const channel = header('x-rekindle-channel') ?? metadata.channel ?? 'email';
  if (campaignId !== null) {
    metadata.campaign_id = campaignId;
  }
  if (leadId !== null) {
    metadata.lead_id = leadId;
  }
  metadata.channel = channel;

  const agentDecisions: Record<string, unknown> = {};
  for (const field of agentDecisionFields) {
    const value = body.metadata?.[field];
    if (value !== undefined && value !== null) {
      agentDecisions[field] = value;
    }
  }
  const leadData: Record<string, string> = {};
  for (const field of leadFields) {
    const value = metadata[`lead_${field}`];
    if (value !== undefined) {
      leadData[field] = value;
    }
  }
  return {
    features: {
      metadata,
      promptTokens: estimatePromptTokens(body),
      stream: body.stream === true,
      hasTools: Array.isArray(body.tools) && body.tools.length > 0,
      assignmentKey: leadId ?? campaignId ?? requestId,
      needs: deriveRequestNeeds(body),
    },
    campaignId,
    leadId,
    channel,
    agentDecisions,
    framework: metadata.framework ?? null,
    tone: metadata.tone ?? null,
    leadData,
  };
}

/** About four characters per token: enough for routing rules, cheap on the hot path. */
function estimatePromptTokens(body: ChatCompletionRequest): number {
  let characters = 0;
  for (const message of body.messages) {
    const { content } = message;
    if (typeof content === 'string') {
      characters += content.length;
    } else if (Array.isArray(content)) {
      for (const part of content) {
        const text = (part as { text?: unknown }).text;
        if (typeof text === 'string') {
          characters += text.length;
        }
      }
    }
  }
  return Math.ceil(characters / 4) + body.messages.length * 4;
}

/** Outreach models often put `Subject: …` on the first line; it is stored as the subject line. */
export function splitSubjectLine(text: string): { subject: string | null; body: string } {
  const match = /^\s*subject:\s*(.+)\r?\n+/i.exec(text);
  if (!match?.[1]) {
    return { subject: null, body: text };
  }
  return { subject: match[1].trim(), body: text.slice(match[0].length) };
}
