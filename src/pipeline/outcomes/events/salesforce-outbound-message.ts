import { parseStrictXml } from './parse-strict-xml.ts';
import { WebhookPayloadError } from './webhook-payload-error.ts';
import { type XmlElement, XmlSyntaxError } from './xml-element.ts';

/**
 * Salesforce Outbound Messages: the SOAP 1.1 `notifications` call of the outbound messaging WSDL
 * (namespace http://soap.sforce.com/2005/09/outbound) and the `notificationsResponse` / `Ack`
 * Salesforce waits for. Without the Ack, Salesforce retries the whole message for up to 24 hours.
 */
const soapEnvelopeNamespace = 'http://schemas.xmlsoap.org/soap/envelope/';
const outboundMessageNamespace = 'http://soap.sforce.com/2005/09/outbound';
const xsiNamespace = 'http://www.w3.org/2001/XMLSchema-instance';

/** The WSDL's `Notification maxOccurs="100"`. */
const maxNotifications = 100;

interface SalesforceNotification {
  /** `Notification/Id`: Salesforce's id of this notification, the same on every retry. */
  readonly id: string;
  /** The sObject's type from `xsi:type` (`sf:Opportunity` → `Opportunity`). */
  readonly objectType: string;
  /** Field API name → value as sent (text), null for `xsi:nil="true"`. */
  readonly fields: Readonly<Record<string, string | null>>;
}

export interface SalesforceOutboundMessage {
  readonly organizationId: string;
  readonly actionId: string | null;
  readonly notifications: readonly SalesforceNotification[];
}

const idPattern = /^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$/;
const fieldNamePattern = /^[A-Za-z][A-Za-z0-9_]{0,79}$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

const invalid = (message: string, cause?: unknown) =>
  new WebhookPayloadError(`Invalid Outbound Message: ${message}`, {
    code: 'invalid_soap_message',
    param: null,
    cause,
  });

/**
 * Reads a SOAP envelope holding `notifications`. Anything else — not UTF-8, not well-formed, a DTD,
 * another operation, more than 100 notifications — is a WebhookPayloadError (answered as a SOAP
 * Client fault). `SessionId` is read past and never kept: it is a live Salesforce session.
 */
export function parseSalesforceOutboundMessage(
  rawBody: Uint8Array | string,
): SalesforceOutboundMessage {
  let text: string;
  let root: XmlElement;
  try {
    text = typeof rawBody === 'string' ? rawBody : utf8.decode(rawBody);
    root = parseStrictXml(text);
  } catch (error) {
    const reason = error instanceof XmlSyntaxError ? error.message : 'body is not UTF-8';
    throw invalid(reason, error);
  }
  if (!is(root, soapEnvelopeNamespace, 'Envelope')) {
    throw invalid('the root element must be a SOAP 1.1 Envelope');
  }
  const body = root.children.find((child) => is(child, soapEnvelopeNamespace, 'Body'));
  const call = body?.children[0];
  if (call === undefined || body?.children.length !== 1) {
    throw invalid('the SOAP Body must hold exactly one element');
  }
  if (!is(call, outboundMessageNamespace, 'notifications')) {
    throw invalid(`expected notifications in ${outboundMessageNamespace}`);
  }
  const organizationId = childText(call, 'OrganizationId');
  if (organizationId === null || !idPattern.test(organizationId)) {
    throw invalid('OrganizationId must be a 15- or 18-character Salesforce id');
  }
  const notifications = call.children.filter((child) =>
    is(child, outboundMessageNamespace, 'Notification'),
  );
  if (notifications.length === 0 || notifications.length > maxNotifications) {
    throw invalid(`expected 1 to ${maxNotifications} Notification elements`);
  }
  const seen = new Set<string>();
  const parsed: SalesforceNotification[] = [];
  for (const [index, element] of notifications.entries()) {
    const notification = readNotification(element, index);
    // One message naming a notification twice is one notification.
    if (!seen.has(notification.id)) {
      seen.add(notification.id);
      parsed.push(notification);
    }
  }
  return { organizationId, actionId: childText(call, 'ActionId'), notifications: parsed };
}

function readNotification(element: XmlElement, index: number): SalesforceNotification {
  const id = childText(element, 'Id');
  if (id === null || !idPattern.test(id)) {
    throw invalid(`Notification ${index}: Id must be a 15- or 18-character Salesforce id`);
  }
  const sObject = element.children.find((child) => is(child, outboundMessageNamespace, 'sObject'));
  if (sObject === undefined) {
    throw invalid(`Notification ${index}: missing sObject`);
  }
  const type = attribute(sObject, xsiNamespace, 'type');
  const objectType = type === null ? null : /^(?:[A-Za-z_][\w.-]*:)?([A-Za-z][\w]*)$/.exec(type);
  if (objectType?.[1] === undefined) {
    throw invalid(`Notification ${index}: sObject needs an xsi:type such as sf:Opportunity`);
  }
  const fields: Record<string, string | null> = {};
  for (const field of sObject.children) {
    // Only simple fields: a related record (an element with children) is not ours to read.
    if (field.children.length > 0 || !fieldNamePattern.test(field.local)) {
      continue;
    }
    fields[field.local] = attribute(field, xsiNamespace, 'nil') === 'true' ? null : field.text;
  }
  return { id, objectType: objectType[1], fields };
}

function is(element: XmlElement, uri: string, local: string): boolean {
  return element.uri === uri && element.local === local;
}

function childText(element: XmlElement, local: string): string | null {
  const child = element.children.find((candidate) =>
    is(candidate, outboundMessageNamespace, local),
  );
  if (child === undefined || attribute(child, xsiNamespace, 'nil') === 'true') {
    return null;
  }
  return child.text.trim();
}

function attribute(element: XmlElement, uri: string, local: string): string | null {
  return element.attributes.find((item) => item.uri === uri && item.local === local)?.value ?? null;
}

/** The acknowledgement Salesforce expects: HTTP 200 with `notificationsResponse/Ack = true`. */
export function salesforceAck(): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<soapenv:Envelope xmlns:soapenv="${soapEnvelopeNamespace}">` +
    '<soapenv:Body>' +
    `<notificationsResponse xmlns="${outboundMessageNamespace}"><Ack>true</Ack></notificationsResponse>` +
    '</soapenv:Body></soapenv:Envelope>'
  );
}

/** A SOAP 1.1 Fault: `Client` for a message that will never be accepted as sent, `Server` otherwise. */
export function soapFault(faultCode: 'Client' | 'Server', faultString: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<soapenv:Envelope xmlns:soapenv="${soapEnvelopeNamespace}">` +
    '<soapenv:Body><soapenv:Fault>' +
    `<faultcode>soapenv:${faultCode}</faultcode>` +
    `<faultstring>${escapeXml(faultString)}</faultstring>` +
    '</soapenv:Fault></soapenv:Body></soapenv:Envelope>'
  );
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
