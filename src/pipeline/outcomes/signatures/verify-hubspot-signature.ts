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

export const hubSpotSignatureHeader = 'X-HubSpot-Signature-v3';
const hubSpotTimestampHeader = 'X-HubSpot-Request-Timestamp';

/** HubSpot: reject requests whose timestamp is more than five minutes old. */
const defaultHubSpotToleranceMs = 5 * 60 * 1000;

/**
 * HubSpot asks to URL-decode these percent-encoded characters in the request URI before signing
 * (its request-validation docs list exactly this set); every other escape stays as sent.
 */
const decodedEscapes: Readonly<Record<string, string>> = {
  '%3A': ':',
  '%2F': '/',
  '%3F': '?',
  '%40': '@',
  '%21': '!',
  '%24': '$',
  '%27': "'",
  '%28': '(',
  '%29': ')',
  '%2A': '*',
  '%2C': ',',
  '%3B': ';',
};

export function decodeHubSpotUri(uri: string): string {
  return uri.replace(
    /%[0-9A-Fa-f]{2}/g,
    (sequence) => decodedEscapes[sequence.toUpperCase()] ?? sequence,
  );
}

/** base64 HMAC-SHA256(clientSecret, method + uri + body + timestamp); the secret is not in the string. */
function computeHubSpotSignature(
  clientSecret: string,
  method: string,
  uri: string,
  rawBody: RawBody,
  timestamp: string,
): Buffer {
  return createHmac('sha256', clientSecret)
    .update(`${method.toUpperCase()}${uri}`, 'utf8')
    .update(toBuffer(rawBody))
    .update(timestamp, 'utf8')
    .digest();
}

export interface HubSpotSignatureInput {
  clientSecret: string;
  method: string;
  /**
   * The full URL HubSpot called (scheme, host, path, query). Behind a proxy, rebuild it from the
   * public base URL; the path and query as received.
   */
  uri: string;
  rawBody: RawBody;
  signature: string | undefined;
  /** `X-HubSpot-Request-Timestamp`, milliseconds since the epoch. */
  timestamp: string | undefined;
  toleranceMs?: number;
  now?: () => number;
}

export function verifyHubSpotSignature(input: HubSpotSignatureInput): SignatureVerification {
  const toleranceMs = input.toleranceMs ?? defaultHubSpotToleranceMs;
  assertPositiveTolerance('toleranceMs', toleranceMs);
  if (input.clientSecret === '') {
    throw new TypeError('HubSpot client secret must not be empty');
  }
  const { signature, timestamp } = input;
  if (!signature || !timestamp) {
    return refused('missing_header');
  }
  if (!/^\d{1,15}$/.test(timestamp)) {
    return refused('malformed_header');
  }
  // Some proxies turn '+' into ' ' in header values; base64 never contains a space.
  const received = decodeBase64Strict(signature.trim().replace(/ /g, '+'));
  if (received === undefined) {
    return refused('malformed_header');
  }
  if (!withinTolerance(Number(timestamp), (input.now ?? Date.now)(), toleranceMs)) {
    return refused('stale_timestamp');
  }
  // HubSpot's docs sign the URI with a few escapes decoded while its SDKs sign it as sent: accept either
  // (both need the secret), so a path or query with an encoded ':' or '/' still verifies.
  const decodedUri = decodeHubSpotUri(input.uri);
  const uris = decodedUri === input.uri ? [input.uri] : [decodedUri, input.uri];
  let matched = false;
  for (const uri of uris) {
    const expected = computeHubSpotSignature(
      input.clientSecret,
      input.method,
      uri,
      input.rawBody,
      timestamp,
    );
    matched = constantTimeEqual(expected, received) || matched;
  }
  return matched ? verified : refused('invalid_signature');
}

export interface HubSpotVerifierOptions {
  clientSecret: string;
  toleranceMs?: number;
  now?: () => number;
}

export type HubSpotRequestVerifier = (request: {
  method: string;
  uri: string;
  headers: HeaderSource;
  rawBody: RawBody;
}) => SignatureVerification;

export function createHubSpotVerifier(options: HubSpotVerifierOptions): HubSpotRequestVerifier {
  const toleranceMs = options.toleranceMs ?? defaultHubSpotToleranceMs;
  assertPositiveTolerance('toleranceMs', toleranceMs);
  if (options.clientSecret === '') {
    throw new TypeError('HubSpot client secret must not be empty');
  }
  return function verifyHubSpotRequest(request) {
    return verifyHubSpotSignature({
      clientSecret: options.clientSecret,
      method: request.method,
      uri: request.uri,
      rawBody: request.rawBody,
      signature: readHeader(request.headers, hubSpotSignatureHeader),
      timestamp: readHeader(request.headers, hubSpotTimestampHeader),
      toleranceMs,
      ...(options.now === undefined ? {} : { now: options.now }),
    });
  };
}
