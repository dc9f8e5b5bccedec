/**
 * How the simulated SendGrid and CRM sign what they send: SendGrid's Signed Event Webhook (ECDSA
 * P-256 over `timestamp ‖ body`, base64 DER) and Standard Webhooks (HMAC-SHA256 over
 * `id.timestamp.body` with a `whsec_` secret). The demo generates a fresh key pair and secret per
 * run and configures the gateway with the public key and the secret, so every webhook it posts is
 * verified exactly as a real one would be.
 */
import { createHmac, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';

export interface WebhookKeys {
  readonly sendGridPrivateKey: KeyObject;
  /** Base64 DER SubjectPublicKeyInfo, as SendGrid shows its verification key. */
  readonly sendGridPublicKey: string;
  /** `whsec_…`, the CRM's Standard Webhooks secret. */
  readonly crmSecret: string;
}

export function generateWebhookKeys(): WebhookKeys {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    sendGridPrivateKey: privateKey,
    sendGridPublicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    crmSecret: `whsec_${randomBytes(32).toString('base64')}`,
  };
}

/** `X-Twilio-Email-Event-Webhook-Signature` and `-Timestamp` for this body. */
export function sendGridHeaders(
  privateKey: KeyObject,
  body: string,
  timestampSeconds: number,
): Record<string, string> {
  const timestamp = String(timestampSeconds);
  const signature = sign('sha256', Buffer.from(timestamp + body, 'utf8'), {
    key: privateKey,
    dsaEncoding: 'der',
  });
  return {
    'X-Twilio-Email-Event-Webhook-Signature': signature.toString('base64'),
    'X-Twilio-Email-Event-Webhook-Timestamp': timestamp,
  };
}

/** `webhook-id`, `webhook-timestamp`, `webhook-signature` (v1) for this body. */
export function standardWebhookHeaders(
  secret: string,
  webhookId: string,
  body: string,
  timestampSeconds: number,
): Record<string, string> {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const mac = createHmac('sha256', key)
    .update(`${webhookId}.${timestampSeconds}.${body}`, 'utf8')
    .digest('base64');
  return {
    'webhook-id': webhookId,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': `v1,${mac}`,
  };
}
