import { describe, expect, it } from 'vitest';
import {
  createHubSpotVerifier,
  decodeHubSpotUri,
  verifyHubSpotSignature,
} from '../../../../../src/pipeline/outcomes/signatures/index.ts';
import { hubSpotSignedHeaders, signHubSpotV3 } from '../../../../helpers/webhook-signing.ts';

/**
 * HubSpot publishes no v3 vector. This one was computed independently for our reference notes
 * (webhooks-and-security.md §2.1) with HubSpot's documented example secret and URI.
 */
const vector = {
  clientSecret: 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy',
  method: 'POST',
  uri: 'https://www.example.com/webhook_uri',
  body: '{"example_field":"example_value"}',
  timestamp: '1700000000000',
  signature: 'rQEKkaNUiu+1qGF//O/pw4BCzstSqO1PyUnGICmf+7o=',
};

function verifyVector(overrides: Partial<Parameters<typeof verifyHubSpotSignature>[0]> = {}) {
  return verifyHubSpotSignature({
    clientSecret: vector.clientSecret,
    method: vector.method,
    uri: vector.uri,
    rawBody: vector.body,
    signature: vector.signature,
    timestamp: vector.timestamp,
    now: () => Number(vector.timestamp) + 1000,
    ...overrides,
  });
}

describe('HubSpot signature v3', () => {
  it('verifies the reference vector, which the test signer reproduces', () => {
    expect(verifyVector()).toEqual({ ok: true });
    expect(
      signHubSpotV3(vector.clientSecret, vector.method, vector.uri, vector.body, 1700000000000),
    ).toBe(vector.signature);
  });

  it('rejects a changed body, method, uri, secret or timestamp', () => {
    const invalid = { ok: false, reason: 'invalid_signature' };
    expect(verifyVector({ rawBody: `${vector.body} ` })).toEqual(invalid);
    expect(verifyVector({ method: 'PUT' })).toEqual(invalid);
    expect(verifyVector({ uri: 'https://www.example.com/webhook_uri?x=1' })).toEqual(invalid);
    expect(verifyVector({ clientSecret: 'another-secret' })).toEqual(invalid);
    expect(verifyVector({ timestamp: '1700000000001' })).toEqual(invalid);
  });

  it('rejects a timestamp older than five minutes', () => {
    const at = (offsetMs: number) => () => Number(vector.timestamp) + offsetMs;
    expect(verifyVector({ now: at(300_000) }).ok).toBe(true);
    expect(verifyVector({ now: at(300_001) })).toEqual({ ok: false, reason: 'stale_timestamp' });
    expect(verifyVector({ now: at(-300_001) })).toEqual({ ok: false, reason: 'stale_timestamp' });
  });

  it('refuses missing and malformed headers', () => {
    expect(verifyVector({ signature: undefined })).toEqual({ ok: false, reason: 'missing_header' });
    expect(verifyVector({ timestamp: 'soon' })).toEqual({ ok: false, reason: 'malformed_header' });
    expect(verifyVector({ signature: 'nope*' })).toEqual({ ok: false, reason: 'malformed_header' });
  });

  it('accepts a "+" that a proxy turned into a space', () => {
    expect(verifyVector({ signature: vector.signature.replace('+', ' ') })).toEqual({ ok: true });
  });

  it('decodes only the escapes HubSpot lists, and verifies either URI form', () => {
    expect(decodeHubSpotUri('https://h.example/p%3Aq?u=a%40b%2Fc%20d%2B')).toBe(
      'https://h.example/p:q?u=a@b/c%20d%2B',
    );
    const encoded = 'https://h.example/webhooks/crm?return=https%3A%2F%2Fapp.example%2Fx';
    const decoded = decodeHubSpotUri(encoded);
    const body = '[{"eventId":1}]';
    const signedDecoded = hubSpotSignedHeaders('secret', 'POST', decoded, body, 1_700_000_000_000);
    const signedAsSent = hubSpotSignedHeaders('secret', 'POST', encoded, body, 1_700_000_000_000);
    const verifier = createHubSpotVerifier({
      clientSecret: 'secret',
      now: () => 1_700_000_000_000,
    });
    for (const headers of [signedDecoded, signedAsSent]) {
      expect(verifier({ method: 'POST', uri: encoded, headers, rawBody: body })).toEqual({
        ok: true,
      });
    }
  });
});
