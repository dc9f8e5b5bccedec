import { type ErrorCode, GatewayError } from '../../errors/index.ts';
import type { GatewayMetrics } from '../../metrics/index.ts';
import { countStagesReached } from '../../pipeline/index.ts';
import type { WebhookIngestResult } from '../../store/index.ts';

/** The `source` label of rekindle_webhook_events_total, and the `source` of webhook_events rows. */
export type WebhookSourceLabel = 'sendgrid' | 'crm' | 'hubspot' | 'pipedrive' | 'salesforce';

/** A webhook whose signature, credentials or organization did not check out: 401, nothing stored. */
export class WebhookAuthenticationError extends GatewayError {
  constructor(
    source: WebhookSourceLabel,
    reason: string,
    options: { what?: string; code?: ErrorCode; headers?: Readonly<Record<string, string>> } = {},
  ) {
    super(
      options.code ?? 'invalid_signature',
      `Webhook ${options.what ?? 'signature'} rejected (${source}: ${reason}).`,
      { ...(options.headers ? { headers: options.headers } : {}) },
    );
    this.name = 'WebhookAuthenticationError';
  }
}

/** A vendor endpoint whose credentials are not configured, on a gateway reachable from outside. */
export class WebhookNotConfiguredError extends GatewayError {
  constructor(source: WebhookSourceLabel, setting: string) {
    super(
      'webhook_not_configured',
      `Webhooks from ${source} are not configured on this gateway: set ${setting}.`,
    );
    this.name = 'WebhookNotConfiguredError';
  }
}

export interface WebhookRecorder {
  /** Counts a refused request (event `unknown`, result `rejected`). */
  rejected(source: WebhookSourceLabel): void;
  /** Counts a committed request's events by result, and the stages its outcomes reached. */
  record(source: WebhookSourceLabel, result: WebhookIngestResult): void;
}

export function createWebhookRecorder(metrics: GatewayMetrics): WebhookRecorder {
  return {
    rejected(source) {
      metrics.webhookEventsTotal.inc({ source, event: 'unknown', result: 'rejected' });
    },
    record(source, result) {
      for (const [type, counts] of Object.entries(result.by_type)) {
        const event = eventLabel(source, type);
        const results = {
          applied: counts.applied,
          duplicate: counts.duplicates,
          unmatched: counts.unmatched,
          ignored: counts.ignored,
        };
        for (const [label, count] of Object.entries(results)) {
          if (count > 0) {
            metrics.webhookEventsTotal.inc({ source, event, result: label }, count);
          }
        }
      }
      // Stages (outcome_labels flag names), as the tracking API and the dashboards count them.
      countStagesReached(metrics, result.stages_by_version);
    },
  };
}

/** SendGrid's documented event names and our CRM kinds; `malformed` marks an unusable element. */
const knownEvents = new Set([
  'processed',
  'deferred',
  'delivered',
  'open',
  'click',
  'bounce',
  'dropped',
  'spamreport',
  'unsubscribe',
  'group_unsubscribe',
  'group_resubscribe',
  'deal.created',
  'deal.updated',
  'deal.closed',
  'deal.property_changed',
  'meeting.booked',
  'malformed',
]);

/**
 * The `event` label of rekindle_webhook_events_total. Event names come from request bodies (and an
 * endpoint without a secret takes unsigned ones), so anything unknown is `other`: a label must never
 * take unbounded values. HubSpot's subscription types (`contact.creation`…) come only from verified
 * requests and are a fixed catalogue, so they keep their name.
 */
function eventLabel(source: WebhookSourceLabel, type: string): string {
  if (knownEvents.has(type)) {
    return type;
  }
  return source === 'hubspot' && /^[a-z_]{1,30}\.[a-zA-Z_]{1,40}$/.test(type) ? type : 'other';
}
