export {
  normalizeCrmEvents,
  parseCrmWebhook,
} from './crm-events.ts';
export { parseHubSpotWebhook } from './hubspot-events.ts';
export { contentEventId } from './normalized-event.ts';
export {
  hasEffect,
  outcomeEffectOf,
} from './outcome-effect.ts';
export { parseStrictXml } from './parse-strict-xml.ts';

export { parsePipedriveWebhook } from './pipedrive-events.ts';
export {
  normalizeSalesforceOutboundMessage,
  normalizeSalesforceRecord,
  type SalesforceMappingOptions,
} from './salesforce-events.ts';
export { parseSalesforceFlowWebhook } from './salesforce-flow-events.ts';
export {
  parseSalesforceOutboundMessage,
  salesforceAck,
  soapFault,
} from './salesforce-outbound-message.ts';
export {
  normalizeSendGridEvent,
  normalizeSendGridEvents,
  parseSendGridWebhook,
  sendGridMessageIdPrefix,
} from './sendgrid-events.ts';
export { ignoredSendGridEvents } from './sendgrid-ignored-events.ts';
export { toWebhookEventInput } from './to-webhook-event-input.ts';
export { WebhookPayloadError } from './webhook-payload-error.ts';
export { XmlSyntaxError } from './xml-element.ts';
