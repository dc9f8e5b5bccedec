import { describe, expect, it } from 'vitest';
import {
  createStandardWebhookVerifier,
  verifyStandardWebhook,
} from '../../../../../src/pipeline/outcomes/signatures/index.ts';
import {
  generateStandardWebhookSecret,
  standardWebhookHeaders,
} from '../../../../helpers/webhook-signing.ts';

/**
 * The Standard Webhooks reference library's published example ("sign function works" in
 * standard-webhooks/standard-webhooks, libraries/javascript/src/webhook.test.ts): secret
 * whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw, id msg_p5jXN8AQM9LWM0D4loKWxJek, timestamp 1614265330,
 * payload '{"test": 2432232314}' → v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=
 */
const example = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  webhookId: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: '1614265330',
  payload: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const exampleNow = () => Number(example.timestamp) * 1000;

function verifyExample(overrides: Partial<Parameters<typeof verifyStandardWebhook>[0]> = {}) {
  return verifyStandardWebhook({
    secrets: [example.secret],
    webhookId: example.webhookId,
    timestamp: example.timestamp,
    signature: example.signature,
    rawBody: example.payload,
    now: exampleNow,
    ...overrides,
  });
}

describe('Standard Webhooks published example', () => {
  it('verifies, with or without the whsec_ prefix, and the test signer reproduces it', () => {
    expect(verifyExample()).toEqual({ ok: true });
    expect(verifyExample({ secrets: ['MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'] })).toEqual({ ok: true });
    const headers = standardWebhookHeaders(
      example.secret,
      example.webhookId,
      example.payload,
      Number(example.timestamp),
    );
    expect(headers['webhook-signature']).toBe(example.signature);
  });

  it('rejects a changed body, id or timestamp', () => {
    expect(verifyExample({ rawBody: '{"test": 2432232315}' })).toEqual({
      ok: false,
      reason: 'invalid_signature',
    });
    expect(verifyExample({ webhookId: 'msg_other' })).toEqual({
      ok: false,
      reason: 'invalid_signature',
    });
    expect(verifyExample({ timestamp: '1614265331' })).toEqual({
      ok: false,
      reason: 'invalid_signature',
    });
  });

  it('enforces ±300 s by default', () => {
    const at = (offset: number) => () => (Number(example.timestamp) + offset) * 1000;
    expect(verifyExample({ now: at(300) }).ok).toBe(true);
    expect(verifyExample({ now: at(-300) }).ok).toBe(true);
    expect(verifyExample({ now: at(301) })).toEqual({ ok: false, reason: 'stale_timestamp' });
    expect(verifyExample({ now: at(-301) })).toEqual({ ok: false, reason: 'stale_timestamp' });
  });

  it('accepts any matching signature among several, and any of several secrets (rotation)', () => {
    const signature = `v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= ${example.signature}`;
    expect(verifyExample({ signature })).toEqual({ ok: true });
    const newSecret = generateStandardWebhookSecret();
    expect(verifyExample({ secrets: [newSecret, example.secret] })).toEqual({ ok: true });
    expect(verifyExample({ secrets: [newSecret] })).toEqual({
      ok: false,
      reason: 'invalid_signature',
    });
  });

  it('ignores other signature versions and refuses headers it cannot read', () => {
    expect(verifyExample({ signature: example.signature.replace('v1,', 'v1a,') })).toEqual({
      ok: false,
      reason: 'invalid_signature',
    });
    expect(verifyExample({ signature: 'v1,' })).toEqual({ ok: false, reason: 'invalid_signature' });
    expect(verifyExample({ signature: 'g0hM9SsE' })).toEqual({
      ok: false,
      reason: 'malformed_header',
    });
    expect(verifyExample({ timestamp: 'hello' })).toEqual({
      ok: false,
      reason: 'malformed_header',
    });
    expect(verifyExample({ webhookId: undefined })).toEqual({
      ok: false,
      reason: 'missing_header',
    });
    expect(verifyExample({ signature: '' })).toEqual({ ok: false, reason: 'missing_header' });
  });
});

describe('createStandardWebhookVerifier', () => {
  it('reads the three headers and verifies raw bytes', () => {
    const secrets = [generateStandardWebhookSecret(), generateStandardWebhookSecret()];
    const body = Buffer.from('{"event":"deal.closed","deal_id":"123","amount":15000}');
    const verifier = createStandardWebhookVerifier({ secrets, now: () => 1_700_000_000_000 });
    const headers = standardWebhookHeaders(secrets[1] ?? '', 'msg_1', body, 1_700_000_010);
    expect(verifier({ headers: new Headers(headers), rawBody: body })).toEqual({ ok: true });
    const bothSigned = standardWebhookHeaders(secrets, 'msg_1', body, 1_700_000_010);
    expect(bothSigned['webhook-signature']?.split(' ')).toHaveLength(2);
    expect(verifier({ headers: bothSigned, rawBody: body })).toEqual({ ok: true });
    expect(verifier({ headers: {}, rawBody: body })).toEqual({
      ok: false,
      reason: 'missing_header',
    });
  });

  it('refuses an empty secret list or a secret that is not base64', () => {
    expect(() => createStandardWebhookVerifier({ secrets: [] })).toThrow(TypeError);
    expect(() => createStandardWebhookVerifier({ secrets: ['whsec_not base64'] })).toThrow(
      TypeError,
    );
  });
});
