import type { ModelTarget, RoutePlan } from '../router/index.ts';

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

interface RateDecision {
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

/** What the chat route learned about its request; the one middleware that counts it reads this. */
export interface ChatRequestFacts {
  /** `stream` of the body; undefined until the body was read and valid. */
  stream: boolean | undefined;
  /** A configured route the body named (the `route` label of a request refused while routing). */
  namedRoute: string | undefined;
  plan: RoutePlan | undefined;
  /** The model that answered; a failure after routing is labelled with the plan's first model. */
  target: ModelTarget | undefined;
  /** Set when the answer is a stream: settles with the status its end meant (200, error, 499). */
  streamEnded: Promise<number> | undefined;
}

interface GatewayVariables {
  requestId: string;
  tenant: Tenant;
  startedAt: number;
  /** Headers every response to this request carries; see response-headers.ts. */
  responseHeaders: Record<string, string>;
  /** Set by `respond()`: the response already carries `responseHeaders`. */
  responseHeadersIncluded: boolean;
  /** Chat completions only: what the route learned, for the one place that counts the request. */
  chatRequest: ChatRequestFacts;
}

export interface GatewayEnv {
  Variables: GatewayVariables;
}
