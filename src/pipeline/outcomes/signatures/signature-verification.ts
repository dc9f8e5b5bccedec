import { timingSafeEqual } from 'node:crypto';

/** Why a signed (or authenticated) webhook was refused; the gateway answers 401 for every one. */
export type SignatureFailureReason =
  | 'missing_header'
  | 'malformed_header'
  | 'stale_timestamp'
  | 'invalid_signature'
  | 'invalid_credentials'
  | 'unknown_organization';

export type SignatureVerification = { ok: true } | { ok: false; reason: SignatureFailureReason };

export const verified: SignatureVerification = Object.freeze({ ok: true });

export function refused(reason: SignatureFailureReason): SignatureVerification {
  return { ok: false, reason };
}

/** Header values as Hono (`c.req.raw.headers`), node:http (`request.headers`) or a test hand them over. */
export type HeaderSource =
  | Pick<Headers, 'get'>
  | Readonly<Record<string, string | readonly string[] | undefined>>;

/** Case-insensitive header read; the first value when a header was sent more than once. */
export function readHeader(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as Pick<Headers, 'get'>).get === 'function') {
    return (headers as Pick<Headers, 'get'>).get(name) ?? undefined;
  }
  const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(record)) {
    if (key.toLowerCase() === wanted) {
      return typeof value === 'string' ? value : value?.[0];
    }
  }
  return undefined;
}

/** Constant-time equality of two byte strings; unequal lengths are unequal without a timing leak of content. */
export function constantTimeEqual(left: Uint8Array, right: Uint8Array): boolean {
  if (left.length !== right.length) {
    return false;
  }
  return timingSafeEqual(left, right);
}

const base64Pattern = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Strict base64 decoding: Node's decoder silently skips characters outside the alphabet, which would let
 * a mangled header through to the comparison; here it is refused as malformed instead.
 */
export function decodeBase64Strict(value: string): Buffer | undefined {
  if (value.length === 0 || value.length % 4 !== 0 || !base64Pattern.test(value)) {
    return undefined;
  }
  return Buffer.from(value, 'base64');
}

export function toBuffer(body: Uint8Array | ArrayBuffer | string): Buffer {
  if (typeof body === 'string') {
    return Buffer.from(body, 'utf8');
  }
  if (body instanceof ArrayBuffer) {
    return Buffer.from(body);
  }
  return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

export type RawBody = Uint8Array | ArrayBuffer | string;

/** |now − timestamp| within tolerance, both directions: a clock far ahead is as suspicious as a replay. */
export function withinTolerance(timestampMs: number, nowMs: number, toleranceMs: number): boolean {
  return Math.abs(nowMs - timestampMs) <= toleranceMs;
}

export function assertPositiveTolerance(name: string, value: number): void {
  // A tolerance of 0 means "skip the check" in some vendor SDKs (Stripe's verifyHeader); here it is a
  // configuration error rather than a silent opt-out of replay protection.
  if (!Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive number, got ${value}`);
  }
}
