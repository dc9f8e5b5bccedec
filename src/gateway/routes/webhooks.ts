import type { Context, Hono } from 'hono';
import type { GatewayConfig } from '../../config/index.ts';
import type { GatewayMetrics, Logger } from '../../metrics/index.ts';
import {
  createHubSpotVerifier,
  createSendGridVerifier,
  createStandardWebhookVerifier,
  hubSpotSignatureHeader,
  ignoredSendGridEvents,
  parseCrmWebhook,
  parseHubSpotWebhook,
  parseSendGridWebhook,
  type SignatureVerification,
  toWebhookEventInput,
} from '../../pipeline/index.ts';
import type { WebhookEventsStore } from '../../store/index.ts';
import type { GatewayEnv } from '../gateway-dependencies.ts';
import { isLoopback } from '../tenant-authenticator.ts';
import { registerCrmWebhooks } from './crm-webhooks.ts';
import {
  createWebhookRecorder,
  WebhookAuthenticationError,
  type WebhookSourceLabel,
} from './webhook-recording.ts';

type Source = Extract<WebhookSourceLabel, 'sendgrid' | 'crm' | 'hubspot'>;

/** The CRM contract's answer (ARCHITECTURE §4): exactly this, unlike SendGrid's `{status, events}`. */
const crmAnswer = { status: 'processed' } as const;

/**
 * Signed webhooks. Each request's events are committed (raw event + effect, one transaction) before
 * the 2xx; a replay is a no-op; events for outcomes we do not know yet are kept as `unmatched`.
 */
export function registerWebhooks(
  app: Hono<GatewayEnv>,
  options: {
    config: GatewayConfig;
    store: WebhookEventsStore;
    metrics: GatewayMetrics;
    logger: Logger;
    now?: () => number;
  },
): void {
  const { config, store, metrics, logger } = options;
  const settings = config.webhooks;
  const clock = { now: options.now ?? Date.now };
  const sendGrid = settings.sendgrid_public_key
    ? createSendGridVerifier({
        publicKey: settings.sendgrid_public_key,
        toleranceSeconds: settings.sendgrid_tolerance_seconds,
        ...clock,
      })
    : undefined;
  const standard =
    settings.crm_secrets.length > 0
      ? createStandardWebhookVerifier({
          secrets: settings.crm_secrets,
          toleranceSeconds: settings.crm_tolerance_seconds,
          ...clock,
        })
      : undefined;
  const hubSpot = settings.hubspot_client_secret
    ? createHubSpotVerifier({ clientSecret: settings.hubspot_client_secret, ...clock })
    : undefined;
  if (!sendGrid) {
    logger.warn(
      'SENDGRID_WEBHOOK_PUBLIC_KEY is not set: /webhooks/sendgrid accepts unsigned events',
    );
  }
  if (!standard && !hubSpot) {
    logger.warn('CRM_WEBHOOK_SECRET is not set: /webhooks/crm accepts unsigned events');
  }

  const recorder = createWebhookRecorder(metrics);
  const reject = (source: Source, verification: SignatureVerification): never => {
    recorder.rejected(source);
    throw new WebhookAuthenticationError(source, verification.ok ? 'unknown' : verification.reason);
  };
  const record = recorder.record;

  app.post('/webhooks/sendgrid', async (context) => {
    const rawBody = new Uint8Array(await context.req.arrayBuffer());
    if (sendGrid) {
      const verification = sendGrid({ headers: context.req.raw.headers, rawBody });
      if (!verification.ok) {
        reject('sendgrid', verification);
      }
    }
    // An event without `timestamp` (the deployment guide's test body) happened when it arrived.
    const receivedAt = new Date(clock.now()).toISOString();
    const events = parseSendGridWebhook(rawBody, { receivedAt });
    const result = await store.ingest('sendgrid', events.map(toWebhookEventInput));
    record('sendgrid', result);
    // SendGrid reads only the status; people testing by hand read why nothing changed.
    const ignored = ignoredSendGridEvents(events);
    return context.json({
      status: 'processed',
      events: events.length,
      ...(ignored.length > 0 ? { ignored } : {}),
    });
  });

  app.post('/webhooks/crm', async (context) => {
    const rawBody = new Uint8Array(await context.req.arrayBuffer());
    const headers = context.req.raw.headers;
    const organizationId = context.req.query('organization_id');
    if (headers.has(hubSpotSignatureHeader) && hubSpot) {
      const verification = hubSpot({
        method: context.req.method,
        uri: publicUrl(context, settings.public_base_url),
        headers,
        rawBody,
      });
      if (!verification.ok) {
        reject('hubspot', verification);
      }
      const events = parseHubSpotWebhook(rawBody, {
        organizationId: organizationId ?? settings.hubspot_organization_id,
      });
      const result = await store.ingest('hubspot', events.map(toWebhookEventInput));
      record('hubspot', result);
      return context.json(crmAnswer);
    }
    if (standard) {
      const verification = standard({ headers, rawBody });
      if (!verification.ok) {
        reject('crm', verification);
      }
    } else if (hubSpot) {
      reject('crm', { ok: false, reason: 'missing_header' });
    }
    const events = parseCrmWebhook(rawBody, {
      webhookId: headers.get('webhook-id') ?? undefined,
      webhookTimestamp: headers.get('webhook-timestamp') ?? undefined,
      ...(organizationId ? { organizationId } : {}),
    });
    const result = await store.ingest('crm', events.map(toWebhookEventInput));
    record('crm', result);
    return context.json(crmAnswer);
  });

  registerCrmWebhooks(app, {
    settings,
    store,
    recorder,
    logger,
    standard,
    openWhenUnconfigured: isLoopback(config.server.host),
    ...clock,
  });
}

/** HubSpot signs the URL it called; behind a proxy that is the configured public base URL. */
function publicUrl(context: Context, base: string | undefined): string {
  const url = new URL(context.req.url);
  return base ? `${base.replace(/\/$/, '')}${url.pathname}${url.search}` : url.toString();
}
