import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import {
  assertPositiveTolerance,
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

const sendGridSignatureHeader = 'X-Twilio-Email-Event-Webhook-Signature';
const sendGridTimestampHeader = 'X-Twilio-Email-Event-Webhook-Timestamp';

/** SendGrid publishes no tolerance; ten minutes leaves room for its retries and clock skew. */
const defaultSendGridToleranceSeconds = 600;

/**
 * Parses the "Verification Key" as SendGrid shows it (base64 of a DER SubjectPublicKeyInfo, starting
 * `MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE`) or a PEM block, and insists on an EC P-256 key so a key of
 * the wrong kind fails at start-up, not on every request.
 */
export function parseSendGridPublicKey(publicKey: string | KeyObject): KeyObject {
  let key: KeyObject;
  if (typeof publicKey !== 'string') {
    key = publicKey;
  } else if (publicKey.includes('-----BEGIN')) {
    key = createPublicKey({ key: publicKey, format: 'pem' });
  } else {
    const der = decodeBase64Strict(publicKey.replace(/\s+/g, ''));
    if (der === undefined) {
      throw new TypeError('SendGrid public key is neither PEM nor base64 DER');
    }
    key = createPublicKey({ key: der, format: 'der', type: 'spki' });
  }
  if (key.type !== 'public' || key.asymmetricKeyType !== 'ec') {
    throw new TypeError('SendGrid public key must be an EC public key');
  }
  if (key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new TypeError('SendGrid public key must be on curve P-256 (prime256v1)');
  }
  return key;
}

export interface SendGridSignatureInput {
  publicKey: string | KeyObject;
  /** `X-Twilio-Email-Event-Webhook-Signature`: base64 of a DER `SEQUENCE { r, s }`. */
  signature: string | undefined;
  /** `X-Twilio-Email-Event-Webhook-Timestamp`: Unix seconds, signed as the exact header string. */
  timestamp: string | undefined;
  /** The body bytes exactly as received; never a re-serialized object. */
  rawBody: RawBody;
  toleranceSeconds?: number;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number;
}

/** ECDSA P-256 / SHA-256 over `timestamp ‖ rawBody` (SendGrid Signed Event Webhook). */
export function verifySendGridSignature(input: SendGridSignatureInput): SignatureVerification {
  const toleranceSeconds = input.toleranceSeconds ?? defaultSendGridToleranceSeconds;
  assertPositiveTolerance('toleranceSeconds', toleranceSeconds);
  const key = parseSendGridPublicKey(input.publicKey);
  return verifyWithKey(key, input, toleranceSeconds, input.now ?? Date.now);
}

export interface SendGridVerifierOptions {
  publicKey: string | KeyObject;
  toleranceSeconds?: number;
  now?: () => number;
}

export type SendGridRequestVerifier = (request: {
  headers: HeaderSource;
  rawBody: RawBody;
}) => SignatureVerification;

/** Parses the key once (the per-request cost is then one ECDSA verify) and reads the two headers. */
export function createSendGridVerifier(options: SendGridVerifierOptions): SendGridRequestVerifier {
  const toleranceSeconds = options.toleranceSeconds ?? defaultSendGridToleranceSeconds;
  assertPositiveTolerance('toleranceSeconds', toleranceSeconds);
  const key = parseSendGridPublicKey(options.publicKey);
  const now = options.now ?? Date.now;
  return function verifySendGridRequest(request) {
    return verifyWithKey(
      key,
      {
        signature: readHeader(request.headers, sendGridSignatureHeader),
        timestamp: readHeader(request.headers, sendGridTimestampHeader),
        rawBody: request.rawBody,
      },
      toleranceSeconds,
      now,
    );
  };
}

function verifyWithKey(
  key: KeyObject,
  input: Pick<SendGridSignatureInput, 'signature' | 'timestamp' | 'rawBody'>,
  toleranceSeconds: number,
  now: () => number,
): SignatureVerification {
  const { signature, timestamp } = input;
  if (signature === undefined || signature === '' || timestamp === undefined || timestamp === '') {
    return refused('missing_header');
  }
  if (!/^\d{1,12}$/.test(timestamp)) {
    return refused('malformed_header');
  }
  const signatureBytes = decodeBase64Strict(signature.trim());
  // A DER ECDSA P-256 signature is 8–72 bytes; anything else cannot verify.
  if (signatureBytes === undefined || signatureBytes.length < 8 || signatureBytes.length > 72) {
    return refused('malformed_header');
  }
  if (!withinTolerance(Number(timestamp) * 1000, now(), toleranceSeconds * 1000)) {
    return refused('stale_timestamp');
  }
  const signedBytes = Buffer.concat([Buffer.from(timestamp, 'utf8'), toBuffer(input.rawBody)]);
  let valid: boolean;
  try {
    valid = verify('sha256', signedBytes, { key, dsaEncoding: 'der' }, signatureBytes);
  } catch {
    // OpenSSL throws on DER that does not parse as a signature at all.
    valid = false;
  }
  return valid ? verified : refused('invalid_signature');
}
