import { createHmac } from 'node:crypto';
import {
  assertPositiveTolerance,
  constantTimeEqual,
  decodeBase64Strict,
  type HeaderSource,
  type RawBody,
  readHeader,
  refused,
  type SignatureVerification,
  toBuffer,
  verified,
  withinTolerance,
} from './signature-verification.ts';

const standardWebhookIdHeader = 'webhook-id';
const standardWebhookTimestampHeader = 'webhook-timestamp';
const standardWebhookSignatureHeader = 'webhook-signature';

/** The spec's ±5 minutes. */
const defaultStandardWebhookToleranceSeconds = 300;

/**
 * Decodes a Standard Webhooks secret: `whsec_<base64>` (the serialized form) or bare base64, as the
 * reference libraries accept both. The HMAC key is the decoded bytes, not the string.
 */
function parseStandardWebhookSecret(secret: string): Buffer {
  const encoded = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
  const key = decodeBase64Strict(encoded.trim());
  if (key === undefined || key.length === 0) {
    throw new TypeError('Standard Webhooks secret must be whsec_<base64>');
  }
  return key;
}

/** base64 HMAC-SHA256 of `${id}.${timestamp}.${body}` with the decoded secret. */
function computeStandardWebhookSignature(
  key: Buffer,
  webhookId: string,
  timestamp: string,
  rawBody: RawBody,
): Buffer {
  return createHmac('sha256', key)
    .update(`${webhookId}.${timestamp}.`, 'utf8')
    .update(toBuffer(rawBody))
    .digest();
}

export interface StandardWebhookInput {
  /** Several while a secret is being rotated; any one verifying is enough. */
  secrets: readonly string[];
  webhookId: string | undefined;
  timestamp: string | undefined;
  /** Space-separated `v1,<base64>` entries; other versions (`v1a` = ed25519) are ignored. */
  signature: string | undefined;
  rawBody: RawBody;
  toleranceSeconds?: number;
  now?: () => number;
}

export function verifyStandardWebhook(input: StandardWebhookInput): SignatureVerification {
  const toleranceSeconds = input.toleranceSeconds ?? defaultStandardWebhookToleranceSeconds;
  assertPositiveTolerance('toleranceSeconds', toleranceSeconds);
  const keys = input.secrets.map(parseStandardWebhookSecret);
  return verifyWithKeys(keys, input, toleranceSeconds, input.now ?? Date.now);
}

export interface StandardWebhookVerifierOptions {
  secrets: readonly string[];
  toleranceSeconds?: number;
  now?: () => number;
}

export type StandardWebhookRequestVerifier = (request: {
  headers: HeaderSource;
  rawBody: RawBody;
}) => SignatureVerification;

export function createStandardWebhookVerifier(
  options: StandardWebhookVerifierOptions,
): StandardWebhookRequestVerifier {
  const toleranceSeconds = options.toleranceSeconds ?? defaultStandardWebhookToleranceSeconds;
  assertPositiveTolerance('toleranceSeconds', toleranceSeconds);
  if (options.secrets.length === 0) {
    throw new TypeError('at least one Standard Webhooks secret is required');
  }
  const keys = options.secrets.map(parseStandardWebhookSecret);
  const now = options.now ?? Date.now;
  return function verifyStandardWebhookRequest(request) {
    return verifyWithKeys(
      keys,
      {
        webhookId: readHeader(request.headers, standardWebhookIdHeader),
        timestamp: readHeader(request.headers, standardWebhookTimestampHeader),
        signature: readHeader(request.headers, standardWebhookSignatureHeader),
        rawBody: request.rawBody,
      },
      toleranceSeconds,
      now,
    );
  };
}

function verifyWithKeys(
  keys: readonly Buffer[],
  input: Pick<StandardWebhookInput, 'webhookId' | 'timestamp' | 'signature' | 'rawBody'>,
  toleranceSeconds: number,
  now: () => number,
): SignatureVerification {
  const { webhookId, timestamp, signature } = input;
  if (!webhookId || !timestamp || !signature) {
    return refused('missing_header');
  }
  if (!/^\d{1,12}$/.test(timestamp)) {
    return refused('malformed_header');
  }
  const candidates = parseSignatureList(signature);
  if (candidates === undefined) {
    return refused('malformed_header');
  }
  if (!withinTolerance(Number(timestamp) * 1000, now(), toleranceSeconds * 1000)) {
    return refused('stale_timestamp');
  }
  let matched = false;
  for (const key of keys) {
    const expected = computeStandardWebhookSignature(key, webhookId, timestamp, input.rawBody);
    for (const candidate of candidates) {
      // No early exit: every pair is compared, so timing does not reveal which secret matched.
      matched = constantTimeEqual(expected, candidate) || matched;
    }
  }
  return matched ? verified : refused('invalid_signature');
}

/** The decoded `v1` signatures, or undefined when the header holds no usable entry at all. */
function parseSignatureList(header: string): Buffer[] | undefined {
  const signatures: Buffer[] = [];
  let sawEntry = false;
  for (const entry of header.trim().split(/\s+/)) {
    const comma = entry.indexOf(',');
    if (comma <= 0) {
      continue;
    }
    sawEntry = true;
    if (entry.slice(0, comma) !== 'v1') {
      continue;
    }
    const decoded = decodeBase64Strict(entry.slice(comma + 1));
    if (decoded !== undefined) {
      signatures.push(decoded);
    }
  }
  return sawEntry ? signatures : undefined;
}
