import { describe, expect, it } from 'vitest';
import {
  createSendGridVerifier,
  parseSendGridPublicKey,
  verifySendGridSignature,
} from '../../../../../src/pipeline/outcomes/signatures/index.ts';
import {
  generateSendGridKeyPair,
  sendGridSignedHeaders,
} from '../../../../helpers/webhook-signing.ts';

/**
 * SendGrid's own published test vector, from the official Node helper library's spec:
 * sendgrid/sendgrid-nodejs, packages/eventwebhook/src/eventwebhook.spec.js
 * (`PUBLIC_KEY`, `SIGNATURE`, `TIMESTAMP`, `PAYLOAD = JSON.stringify({category, event, message_id})`),
 * including its negative cases (another key, payload 'payload', one altered signature character,
 * timestamp 'timestamp').
 */
const vector = {
  publicKey:
    'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEDr2LjtURuePQzplybdC+u4CwrqDqBaWjcMMsTbhdbcwHBcepxo7yAQGhHPTnlvFYPAZFceEu/1FwCM/QmGUhA==',
  signature:
    'MEUCIQCtIHJeH93Y+qpYeWrySphQgpNGNr/U+UyUlBkU6n7RAwIgJTz2C+8a8xonZGi6BpSzoQsbVRamr2nlxFDWYNH2j/0=',
  timestamp: '1588788367',
  payload: '{"category":"example_payload","event":"test_event","message_id":"message_id"}',
  otherKey:
    'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEqTxd43gyp8IOEto2LdIfjRQrIbsd4SXZkLW6jDutdhXSJCWHw8REntlo7aNDthvj+y7GjUuFDb/R1NGe1OPzpA==',
  alteredSignature:
    'MEUCIQCtIHJeH93Y+qpYeWrySphQgpNGNr/U+UyUlBkU6n7RAwIgJTz2C+8a8xonZGi6BpSzoQsbVRamr2nlxFDWYNH3j/0=',
};
const vectorNow = () => Number(vector.timestamp) * 1000;

function verifyVector(overrides: Partial<Parameters<typeof verifySendGridSignature>[0]> = {}) {
  return verifySendGridSignature({
    publicKey: vector.publicKey,
    signature: vector.signature,
    timestamp: vector.timestamp,
    rawBody: Buffer.from(vector.payload, 'utf8'),
    now: vectorNow,
    ...overrides,
  });
}

describe('SendGrid published test vector', () => {
  it('verifies', () => {
    expect(verifyVector()).toEqual({ ok: true });
  });

  it('rejects the payload with one extra byte, and the SDK payload "payload"', () => {
    expect(verifyVector({ rawBody: `${vector.payload} ` })).toEqual({
      ok: false,
      reason: 'invalid_signature',
    });
    expect(verifyVector({ rawBody: 'payload' })).toEqual({
      ok: false,
      reason: 'invalid_signature',
    });
  });

  it('rejects every single-byte change of the body', () => {
    const body = Buffer.from(vector.payload, 'utf8');
    for (let index = 0; index < body.length; index++) {
      const changed = Buffer.from(body);
      changed[index] = (changed[index] ?? 0) ^ 0x01;
      expect(verifyVector({ rawBody: changed }).ok).toBe(false);
    }
  });

  it('rejects the wrong key, an altered signature and a changed timestamp', () => {
    expect(verifyVector({ publicKey: vector.otherKey })).toEqual({
      ok: false,
      reason: 'invalid_signature',
    });
    expect(verifyVector({ signature: vector.alteredSignature })).toEqual({
      ok: false,
      reason: 'invalid_signature',
    });
    expect(verifyVector({ timestamp: '1588788368' })).toEqual({
      ok: false,
      reason: 'invalid_signature',
    });
    expect(verifyVector({ timestamp: 'timestamp' })).toEqual({
      ok: false,
      reason: 'malformed_header',
    });
  });

  it('rejects a stale timestamp even with a valid signature (default tolerance 600 s)', () => {
    const at = (offsetSeconds: number) => () => (Number(vector.timestamp) + offsetSeconds) * 1000;
    expect(verifyVector({ now: at(600) }).ok).toBe(true);
    expect(verifyVector({ now: at(601) })).toEqual({ ok: false, reason: 'stale_timestamp' });
    expect(verifyVector({ now: at(-601) })).toEqual({ ok: false, reason: 'stale_timestamp' });
    expect(verifyVector({ now: at(100), toleranceSeconds: 60 })).toEqual({
      ok: false,
      reason: 'stale_timestamp',
    });
  });

  it('accepts the key as PEM too', () => {
    const pem = parseSendGridPublicKey(vector.publicKey).export({ format: 'pem', type: 'spki' });
    expect(verifyVector({ publicKey: pem.toString() })).toEqual({ ok: true });
  });

  it('refuses missing or undecodable headers', () => {
    expect(verifyVector({ signature: undefined })).toEqual({
      ok: false,
      reason: 'missing_header',
    });
    expect(verifyVector({ timestamp: '' })).toEqual({ ok: false, reason: 'missing_header' });
    expect(verifyVector({ signature: 'not base64!' })).toEqual({
      ok: false,
      reason: 'malformed_header',
    });
    expect(verifyVector({ signature: 'AAAAAAAAAAAA' })).toEqual({
      ok: false,
      reason: 'invalid_signature',
    });
  });
});

describe('createSendGridVerifier', () => {
  const keys = generateSendGridKeyPair();
  const body = JSON.stringify([{ event: 'delivered', sg_event_id: 'e1', timestamp: 1700000000 }]);
  const now = () => 1_700_000_100_000;

  it('verifies a request signed with a fresh key pair, read from Headers or a plain record', () => {
    const verifier = createSendGridVerifier({ publicKey: keys.publicKeyBase64, now });
    const headers = sendGridSignedHeaders(keys.privateKey, body, 1_700_000_050);
    expect(verifier({ headers, rawBody: new TextEncoder().encode(body) })).toEqual({ ok: true });
    expect(verifier({ headers: new Headers(headers), rawBody: body })).toEqual({ ok: true });
    const lowerCased = Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]),
    );
    expect(verifier({ headers: lowerCased, rawBody: body })).toEqual({ ok: true });
  });

  it('refuses another key pair, a re-serialized body and an old signature', () => {
    const verifier = createSendGridVerifier({ publicKey: keys.publicKeyPem, now });
    const other = generateSendGridKeyPair();
    expect(
      verifier({
        headers: sendGridSignedHeaders(other.privateKey, body, 1_700_000_050),
        rawBody: body,
      }),
    ).toEqual({ ok: false, reason: 'invalid_signature' });
    const pretty = JSON.stringify(JSON.parse(body), null, 1);
    expect(
      verifier({
        headers: sendGridSignedHeaders(keys.privateKey, body, 1_700_000_050),
        rawBody: pretty,
      }),
    ).toEqual({ ok: false, reason: 'invalid_signature' });
    expect(
      verifier({
        headers: sendGridSignedHeaders(keys.privateKey, body, 1_699_999_000),
        rawBody: body,
      }),
    ).toEqual({ ok: false, reason: 'stale_timestamp' });
  });

  it('fails at construction on a key that is not P-256 or a zero tolerance', () => {
    expect(() => createSendGridVerifier({ publicKey: 'bm90IGEga2V5' })).toThrow();
    expect(() => createSendGridVerifier({ publicKey: '###' })).toThrow(TypeError);
    expect(() =>
      createSendGridVerifier({ publicKey: keys.publicKeyBase64, toleranceSeconds: 0 }),
    ).toThrow(RangeError);
  });
});
