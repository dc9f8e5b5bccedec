import type { Context, Hono } from 'hono';
import type { GatewayConfig } from '../../config/index.ts';
import type { Logger } from '../../metrics/index.ts';
import {
  createBasicAuthVerifier,
  createSalesforceOrganizationCheck,
  normalizeSalesforceOutboundMessage,
  parsePipedriveWebhook,
  parseSalesforceFlowWebhook,
  parseSalesforceOutboundMessage,
  type SalesforceMappingOptions,
  type SignatureVerification,
  type StandardWebhookRequestVerifier,
  salesforceAck,
  soapFault,
  toWebhookEventInput,
} from '../../pipeline/index.ts';
import type { WebhookEventsStore } from '../../store/index.ts';
import { toGatewayError } from '../error-handler.ts';
import type { GatewayEnv } from '../gateway-dependencies.ts';
import {
  WebhookAuthenticationError,
  WebhookNotConfiguredError,
  type WebhookRecorder,
} from './webhook-recording.ts';

const processed = { status: 'processed' } as const;
const soapHeaders = { 'content-type': 'text/xml; charset=utf-8' } as const;

/** What the CRM routes need; the gateway's /webhooks/crm registration hands it over. */
export interface CrmWebhookDependencies {
  settings: GatewayConfig['webhooks'];
  store: WebhookEventsStore;
  recorder: WebhookRecorder;
  logger: Logger;
  /** The /webhooks/crm verifier (CRM_WEBHOOK_SECRET), reused for the Salesforce Flow form. */
  standard: StandardWebhookRequestVerifier | undefined;
  /**
   * Whether an endpoint whose credentials are not configured takes requests anyway: only on a
   * loopback bind (development), so an upgrade never opens an unauthenticated write path.
   */
  openWhenUnconfigured: boolean;
  now: () => number;
}

type VendorSource = 'pipedrive' | 'salesforce';

/**
 * The CRMs with a wire of their own, one path each (the vendor is chosen by path, never guessed
 * from the body, so a caller cannot pick the weakest check): Pipedrive webhooks v2 with HTTP Basic
 * credentials, Salesforce Outbound Messages (SOAP, answered with the Ack or a SOAP fault), and a
 * JSON form for Salesforce Flow HTTP callouts signed with Standard Webhooks. Every one goes through
 * the same exactly-once ingest, reconciliation and metrics as /webhooks/crm.
 */
export function registerCrmWebhooks(app: Hono<GatewayEnv>, deps: CrmWebhookDependencies): void {
  registerPipedrive(app, deps);
  registerSalesforce(app, deps);
}

/** Warns at start when a vendor's credentials are missing; the returned check refuses requests then. */
function configurationGuard(
  deps: CrmWebhookDependencies,
  source: VendorSource,
  path: string,
  setting: string,
  configured: boolean,
): () => void {
  if (!configured) {
    deps.logger.warn(
      deps.openWhenUnconfigured
        ? `${setting} is not set: ${path} accepts unauthenticated requests (loopback bind)`
        : `${setting} is not set: ${path} refuses every request until it is`,
    );
  }
  return function requireConfigured() {
    if (!configured && !deps.openWhenUnconfigured) {
      deps.recorder.rejected(source);
      throw new WebhookNotConfiguredError(source, setting);
    }
  };
}

function refuse(
  recorder: WebhookRecorder,
  source: VendorSource,
  verification: SignatureVerification,
  what: 'credentials' | 'organization id',
  headers?: Readonly<Record<string, string>>,
): never {
  recorder.rejected(source);
  throw new WebhookAuthenticationError(source, verification.ok ? 'unknown' : verification.reason, {
    what,
    code: what === 'credentials' ? 'invalid_credentials' : 'invalid_organization',
    ...(headers ? { headers } : {}),
  });
}

function registerPipedrive(app: Hono<GatewayEnv>, deps: CrmWebhookDependencies): void {
  const { settings, store, recorder } = deps;
  const verify =
    settings.pipedrive_user !== undefined && settings.pipedrive_password !== undefined
      ? createBasicAuthVerifier({
          user: settings.pipedrive_user,
          password: settings.pipedrive_password,
        })
      : undefined;
  const requireConfigured = configurationGuard(
    deps,
    'pipedrive',
    '/webhooks/crm/pipedrive',
    'PIPEDRIVE_WEBHOOK_USER/PIPEDRIVE_WEBHOOK_PASSWORD',
    verify !== undefined,
  );
  app.post('/webhooks/crm/pipedrive', async (context) => {
    requireConfigured();
    const rawBody = new Uint8Array(await context.req.arrayBuffer());
    const verification = verify?.({ headers: context.req.raw.headers });
    if (verification !== undefined && !verification.ok) {
      refuse(recorder, 'pipedrive', verification, 'credentials', {
        'www-authenticate': 'Basic realm="rekindle-webhooks", charset="UTF-8"',
      });
    }
    const event = parsePipedriveWebhook(rawBody, {
      organizationId: context.req.query('organization_id'),
      outcomeField: settings.pipedrive_outcome_field,
      leadField: settings.pipedrive_lead_field,
      meetingTypes: settings.pipedrive_meeting_types,
    });
    const result = await store.ingest('pipedrive', [toWebhookEventInput(event)]);
    recorder.record('pipedrive', result);
    return context.json(processed);
  });
}

function registerSalesforce(app: Hono<GatewayEnv>, deps: CrmWebhookDependencies): void {
  const { settings, store, recorder, logger, standard, now } = deps;
  const organizations =
    settings.salesforce_organization_ids.length > 0
      ? createSalesforceOrganizationCheck(settings.salesforce_organization_ids)
      : undefined;
  const checkOrganization = (organizationId: string | null) => {
    const verification = organizations?.(organizationId);
    if (verification !== undefined && !verification.ok) {
      refuse(recorder, 'salesforce', verification, 'organization id');
    }
  };
  const mapping = (context: Context): SalesforceMappingOptions => ({
    organizationId: context.req.query('organization_id'),
    outcomeField: settings.salesforce_outcome_field,
    leadField: settings.salesforce_lead_field,
    wonStages: settings.salesforce_won_stages,
    lostStages: settings.salesforce_lost_stages,
    now,
  });
  const requireOrganizations = configurationGuard(
    deps,
    'salesforce',
    '/webhooks/crm/salesforce',
    'SALESFORCE_ORGANIZATION_ID',
    organizations !== undefined,
  );
  const requireSecret = configurationGuard(
    deps,
    'salesforce',
    '/webhooks/crm/salesforce/flow',
    'CRM_WEBHOOK_SECRET',
    standard !== undefined,
  );

  app.post('/webhooks/crm/salesforce', async (context) => {
    try {
      requireOrganizations();
      const message = parseSalesforceOutboundMessage(
        new Uint8Array(await context.req.arrayBuffer()),
      );
      checkOrganization(message.organizationId);
      const events = normalizeSalesforceOutboundMessage(message, mapping(context));
      // One call, one transaction: the Ack goes out only once every notification is committed.
      const result = await store.ingest('salesforce', events.map(toWebhookEventInput));
      recorder.record('salesforce', result);
      return context.body(salesforceAck(), 200, soapHeaders);
    } catch (error) {
      return soapFaultResponse(context, error, logger);
    }
  });

  app.post('/webhooks/crm/salesforce/flow', async (context) => {
    requireSecret();
    const rawBody = new Uint8Array(await context.req.arrayBuffer());
    const headers = context.req.raw.headers;
    const verification = standard?.({ headers, rawBody });
    if (verification !== undefined && !verification.ok) {
      recorder.rejected('salesforce');
      throw new WebhookAuthenticationError('salesforce', verification.reason);
    }
    const delivery = parseSalesforceFlowWebhook(rawBody, {
      ...mapping(context),
      webhookId: headers.get('webhook-id') ?? undefined,
    });
    if (delivery.organizationId !== null) {
      checkOrganization(delivery.organizationId);
    }
    const result = await store.ingest('salesforce', delivery.events.map(toWebhookEventInput));
    recorder.record('salesforce', result);
    return context.json(processed);
  });
}

/**
 * Salesforce reads SOAP: every failure is a SOAP 1.1 Fault with the error's HTTP status (400 for a
 * message that will never parse, 401 for a foreign organization, 5xx when the store failed — all of
 * them retried by Salesforce for up to 24 hours, none of them stored).
 */
function soapFaultResponse(context: Context, error: unknown, logger: Logger): Response {
  const gatewayError = toGatewayError(error);
  const serverSide = gatewayError.status >= 500;
  if (serverSide) {
    logger.error('salesforce outbound message failed', { error, path: context.req.path });
  }
  const message = serverSide
    ? 'The message could not be stored; Salesforce will retry it.'
    : gatewayError.message;
  return context.body(
    soapFault(serverSide ? 'Server' : 'Client', message),
    gatewayError.status as 400,
    { ...gatewayError.headers, ...soapHeaders },
  );
}
