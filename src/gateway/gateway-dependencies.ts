import type { GatewayConfig } from '../config/index.ts';
import type { GatewayMetrics, Logger } from '../metrics/index.ts';
import type { ChatRouter } from '../router/index.ts';

/** Who is calling: resolved from the bearer key (or `default` on an open loopback gateway). */
export interface Tenant {
  readonly organizationId: string;
  readonly keyId: string | null;
  /** Per-key override of the organization's requests-per-minute limit. */
  readonly rpmLimit: number | null;
}

export interface TenantAuthenticator {
  /** Synchronous on purpose: keys live in memory, never a database round trip per request. */
  authenticate(authorization: string | undefined): Tenant | null;
}

export interface RateDecision {
  readonly allowed: boolean;
  readonly headers: Readonly<Record<string, string>>;
}

export interface TenantRateLimiter {
  check(tenant: Tenant): RateDecision | Promise<RateDecision>;
}

/** A generated message to record in `outcome_labels` (write-behind; never awaited in a request). */
export interface TrackedMessage {
  id: string;
  organization_id: string;
  campaign_id: string | null;
  lead_id: string;
  channel: string;
  route: string | null;
  message_body: string;
  subject_line: string | null;
  agent_decisions: Record<string, unknown>;
  framework: string | null;
  tone: string | null;
  model_id: string;
  model_version: string;
  variant: string;
  provider: string;
  request_id: string;
  prompt_messages: unknown;
  lead_data: Record<string, unknown>;
  cost_usd: number | null;
  latency_ms: number;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  created_at: string;
}

export interface TrackingSink {
  /** False when the message could not be buffered (it is counted as dropped). */
  push(message: TrackedMessage): boolean;
}

export interface Readiness {
  /** May probe (the store): /readyz awaits it; keep it cached and bounded in time. */
  ready():
    | { ready: boolean; checks: Record<string, boolean | string> }
    | Promise<{ ready: boolean; checks: Record<string, boolean | string> }>;
}

export interface GatewayDependencies {
  readonly config: GatewayConfig;
  readonly router: ChatRouter;
  readonly metrics: GatewayMetrics;
  readonly logger: Logger;
  readonly auth: TenantAuthenticator;
  readonly rateLimiter?: TenantRateLimiter;
  readonly tracking?: TrackingSink;
  readonly readiness: Readiness;
  readonly now?: () => number;
  /** Extra route groups (admin, webhooks, outcomes) mounted by the composition root. */
  readonly mount?: ReadonlyArray<(app: import('hono').Hono<GatewayEnv>) => void>;
}

export interface GatewayVariables {
  requestId: string;
  tenant: Tenant;
  startedAt: number;
  /** Headers every response to this request carries; see response-headers.ts. */
  responseHeaders: Record<string, string>;
  /** Set by `respond()`: the response already carries `responseHeaders`. */
  responseHeadersIncluded: boolean;
}

export interface GatewayEnv {
  Variables: GatewayVariables;
}
