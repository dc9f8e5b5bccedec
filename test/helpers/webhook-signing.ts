/**
 * Test-side signers for the three webhook schemes the gateway verifies. Written straight on node:crypto,
 * independent of src/, so a test signs the way the vendor does rather than the way our verifier thinks
 * it does. Used by unit tests, the integration tests and the demo's fake senders.
 */
import { createHmac, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';

type Body = string | Uint8Array;

function bodyBytes(body: Body): Buffer {
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
}

export interface SendGridKeyPair {
  privateKey: KeyObject;
  /** Base64 DER SubjectPublicKeyInfo, the form SendGrid's UI and API show ("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE…"). */
  publicKeyBase64: string;
  publicKeyPem: string;
}

/** A fresh ECDSA P-256 key pair, as SendGrid generates one per account when signing is enabled. */
export function generateSendGridKeyPair(): SendGridKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    privateKey,
    publicKeyBase64: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  };
}

/** base64 DER ECDSA-SHA256 signature over `timestamp ‖ body`. */
export function signSendGridPayload(privateKey: KeyObject, timestamp: string, body: Body): string {
  const message = Buffer.concat([Buffer.from(timestamp, 'utf8'), bodyBytes(body)]);
  return sign('sha256', message, { key: privateKey, dsaEncoding: 'der' }).toString('base64');
}

/** The two headers of a SendGrid Signed Event Webhook POST. */
export function sendGridSignedHeaders(
  privateKey: KeyObject,
  body: Body,
  timestampSeconds: number = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const timestamp = String(timestampSeconds);
  return {
    'X-Twilio-Email-Event-Webhook-Signature': signSendGridPayload(privateKey, timestamp, body),
    'X-Twilio-Email-Event-Webhook-Timestamp': timestamp,
  };
}

/** A random `whsec_` secret of 32 bytes (the spec asks for 24–64). */
export function generateStandardWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** `v1,<base64 HMAC-SHA256(base64-decoded secret, "id.timestamp.body")>`. */
export function signStandardWebhook(
  secret: string,
  webhookId: string,
  timestampSeconds: number,
  body: Body,
): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const mac = createHmac('sha256', key)
    .update(`${webhookId}.${timestampSeconds}.`, 'utf8')
    .update(bodyBytes(body))
    .digest('base64');
  return `v1,${mac}`;
}

/** The three Standard Webhooks headers; several secrets give several space-separated signatures (rotation). */
export function standardWebhookHeaders(
  secrets: string | readonly string[],
  webhookId: string,
  body: Body,
  timestampSeconds: number = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const list = typeof secrets === 'string' ? [secrets] : secrets;
  return {
    'webhook-id': webhookId,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': list
      .map((secret) => signStandardWebhook(secret, webhookId, timestampSeconds, body))
      .join(' '),
  };
}

/** base64 HMAC-SHA256(clientSecret, method + uri + body + timestamp) — HubSpot signature v3. */
export function signHubSpotV3(
  clientSecret: string,
  method: string,
  uri: string,
  body: Body,
  timestampMs: number,
): string {
  return createHmac('sha256', clientSecret)
    .update(`${method}${uri}`, 'utf8')
    .update(bodyBytes(body))
    .update(String(timestampMs), 'utf8')
    .digest('base64');
}

export function hubSpotSignedHeaders(
  clientSecret: string,
  method: string,
  uri: string,
  body: Body,
  timestampMs: number = Date.now(),
): Record<string, string> {
  return {
    'X-HubSpot-Signature-v3': signHubSpotV3(clientSecret, method, uri, body, timestampMs),
    'X-HubSpot-Request-Timestamp': String(timestampMs),
  };
}
