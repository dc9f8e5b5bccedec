import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { PendingCounts } from './pending-counts.ts';

/**
 * Every metric the gateway exports. Label values are bounded (routes, models, providers, variants,
 * statuses); never request, lead or organization ids.
 */
const deadLetterSources = [
  'tracking',
  'sendgrid',
  'crm',
  'hubspot',
  'pipedrive',
  'salesforce',
  'reconciliation',
] as const;

/** Every source's series exists from the start at 0, so a rate over it is 0 rather than no data. */
function zeroed(counter: Counter<'source'>, sources: readonly string[]): Counter<'source'> {
  for (const source of sources) {
    counter.inc({ source }, 0);
  }
  return counter;
}

const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 120];

export function createMetrics(options: { registry?: Registry; defaultMetrics?: boolean } = {}) {
  const registry = options.registry ?? new Registry();
  if (options.defaultMetrics ?? true) {
    collectDefaultMetrics({ register: registry, prefix: 'rekindle_process_' });
  }
  const registers = [registry];
  // The counters every served request adds to: increments wait in plain numbers until a scrape.
  const pending = {
    requests: new PendingCounts<
      'route' | 'model' | 'provider' | 'variant' | 'status' | 'endpoint'
    >(),
    tokens: new PendingCounts<'model' | 'provider' | 'type'>(),
    cost: new PendingCounts<'model' | 'provider'>(),
    unpriced: new PendingCounts<'model' | 'provider'>(),
    messagesSent: new PendingCounts<'route' | 'model_version'>(),
  };

  return {
    registry,
    pending,
    requestsTotal: new Counter({
      name: 'rekindle_requests_total',
      help: 'Generation requests (chat completions, responses) by endpoint, route, concrete model, provider, variant and HTTP status.',
      labelNames: ['route', 'model', 'provider', 'variant', 'status', 'endpoint'] as const,
      registers,
      collect() {
        pending.requests.flushInto(this);
      },
    }),
    requestDuration: new Histogram({
      name: 'rekindle_request_duration_seconds',
      help: 'Time from request received to last byte sent, including retries and fallbacks.',
      labelNames: ['route', 'stream', 'status', 'endpoint'] as const,
      buckets: latencyBuckets,
      registers,
    }),
    upstreamDuration: new Histogram({
      name: 'rekindle_upstream_duration_seconds',
      help: 'Time of one upstream attempt, by outcome (success, error, timeout).',
      labelNames: ['provider', 'model', 'outcome'] as const,
      buckets: latencyBuckets,
      registers,
    }),
    timeToFirstToken: new Histogram({
      name: 'rekindle_time_to_first_token_seconds',
      help: 'Streaming: time from the upstream request to its first content chunk.',
      labelNames: ['provider', 'model'] as const,
      buckets: latencyBuckets,
      registers,
    }),
    tokensTotal: new Counter({
      name: 'rekindle_tokens_total',
      help: 'Tokens by model, provider and type (prompt, completion).',
      labelNames: ['model', 'provider', 'type'] as const,
      registers,
      collect() {
        pending.tokens.flushInto(this);
      },
    }),
    costUsdTotal: new Counter({
      name: 'rekindle_cost_usd_total',
      help: 'Spend in USD computed from usage and the catalog prices.',
      labelNames: ['model', 'provider'] as const,
      registers,
      collect() {
        pending.cost.flushInto(this);
      },
    }),
    unpricedTotal: new Counter({
      name: 'rekindle_unpriced_requests_total',
      help: 'Requests whose model has no known price (cost recorded as 0).',
      labelNames: ['model', 'provider'] as const,
      registers,
      collect() {
        pending.unpriced.flushInto(this);
      },
    }),
    fallbacksTotal: new Counter({
      name: 'rekindle_fallbacks_total',
      help: 'Moves from one model to the next after a retryable failure.',
      labelNames: ['route', 'from_model', 'to_model', 'reason'] as const,
      registers,
    }),
    retriesTotal: new Counter({
      name: 'rekindle_retries_total',
      help: 'Repeated attempts on the same model.',
      labelNames: ['route', 'model', 'reason'] as const,
      registers,
    }),
    circuitOpen: new Gauge({
      name: 'rekindle_circuit_open',
      help: '1 while the circuit breaker of a model deployment is open (or half-open), else 0.',
      labelNames: ['model'] as const,
      registers,
    }),
    modelTrafficRatio: new Gauge({
      name: 'rekindle_model_traffic_ratio',
      help: 'Configured share of a route’s traffic per model version (0–1).',
      labelNames: ['route', 'model_version'] as const,
      registers,
    }),
    messagesSentTotal: new Counter({
      name: 'rekindle_messages_sent_total',
      help: 'Tracked messages generated, by route and model version.',
      labelNames: ['route', 'model_version'] as const,
      registers,
      collect() {
        pending.messagesSent.flushInto(this);
      },
    }),
    trackingDroppedTotal: new Counter({
      name: 'rekindle_tracking_dropped_total',
      help: 'Tracked messages that could not be buffered or written.',
      registers,
    }),
    unstorableCharactersReplacedTotal: new Counter({
      name: 'rekindle_unstorable_characters_replaced_total',
      help: 'NUL characters and unpaired surrogates replaced by U+FFFD in stored free text (message content, upstream replies).',
      registers,
    }),
    trackingBufferSize: new Gauge({
      name: 'rekindle_tracking_buffer_size',
      help: 'Tracked messages waiting to be written.',
      registers,
    }),
    trackingJournalErrorsTotal: new Counter({
      name: 'rekindle_tracking_journal_errors_total',
      help: 'Appends to the tracking journal that failed (the response then carried no outcome id).',
      registers,
    }),
    trackingJournalReplayedTotal: new Counter({
      name: 'rekindle_tracking_journal_replayed_total',
      help: 'Tracked messages a stopped or crashed gateway left in the journal that were written at start.',
      registers,
    }),
    deadLettersTotal: zeroed(
      new Counter({
        name: 'rekindle_dead_letters_total',
        help: 'Rows a batch writer could not store, kept in dead_letters, by source (tracking, sendgrid, crm, hubspot, pipedrive, salesforce, reconciliation).',
        labelNames: ['source'] as const,
        registers,
      }),
      deadLetterSources,
    ),
    rateLimitedTotal: new Counter({
      name: 'rekindle_rate_limited_total',
      help: 'Requests refused with 429 by the per-organization limit.',
      registers,
    }),
    rateLimitFailOpenTotal: new Counter({
      name: 'rekindle_rate_limit_fail_open_total',
      help: 'Requests let through unchecked because the shared rate-limit store (Redis) failed.',
      registers,
    }),
    rateLimitLocalFallbackTotal: new Counter({
      name: 'rekindle_rate_limit_local_fallback_total',
      help: 'Requests decided by this replica alone because the shared rate-limit store (Redis) failed.',
      registers,
    }),
    authFailuresTotal: new Counter({
      name: 'rekindle_auth_failures_total',
      help: 'Requests refused with 401.',
      labelNames: ['scope'] as const,
      registers,
    }),
    outcomesTotal: new Counter({
      name: 'rekindle_outcomes_total',
      help: 'Tracked messages that newly reached a stage (delivered, opened, clicked, replied, meeting_booked, deal_closed, bounced, …), by route and model version.',
      labelNames: ['route', 'model_version', 'event'] as const,
      registers,
    }),
    webhookEventsTotal: new Counter({
      name: 'rekindle_webhook_events_total',
      help: 'Webhook events received, by source, event and result (applied, duplicate, unmatched, ignored, rejected).',
      labelNames: ['source', 'event', 'result'] as const,
      registers,
    }),
    trainingRuns: new Gauge({
      name: 'rekindle_training_runs',
      help: 'Training runs by status.',
      labelNames: ['status'] as const,
      registers,
    }),
    experimentRate: new Gauge({
      name: 'rekindle_experiment_rate',
      help: 'Experiment estimates by route, model version and metric: point estimate and 95 % interval bounds (0–1).',
      labelNames: ['route', 'model_version', 'metric', 'bound'] as const,
      registers,
    }),
    rolloutActionsTotal: new Counter({
      name: 'rekindle_rollout_actions_total',
      help: 'Registry changes (deploy, promote, deprecate, rollback), manual or automatic.',
      labelNames: ['route', 'action', 'automatic'] as const,
      registers,
    }),
  };
}

export type GatewayMetrics = ReturnType<typeof createMetrics>;
