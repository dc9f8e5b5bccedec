import { describe, expect, it } from 'vitest';
import {
  canonicalSalesforceId,
  createBasicAuthVerifier,
  createSalesforceOrganizationCheck,
  toSalesforceId18,
} from '../../../../../src/pipeline/outcomes/signatures/index.ts';
import {
  basicAuthorization,
  newSalesforceId,
  salesforceId18,
} from '../../../../helpers/crm-fixtures.ts';

describe('Salesforce organization ids', () => {
  it('computes the 18-character suffix as Salesforce does', () => {
    // The org of Salesforce's own example payloads (15 → 18 characters).
    expect(toSalesforceId18('00D5e000000KQ2e')).toBe('00D5e000000KQ2eEAG');
    for (let index = 0; index < 50; index += 1) {
      const id = newSalesforceId('00D');
      expect(toSalesforceId18(id.slice(0, 15))).toBe(id);
      expect(salesforceId18(id.slice(0, 15))).toBe(id);
    }
  });

  it('restores the case of an 18-character id whatever case it arrives in', () => {
    expect(canonicalSalesforceId('00D5E000000KQ2EEAG')).toBe('00D5e000000KQ2e');
    expect(canonicalSalesforceId('00d5e000000kq2eeag')).toBe('00D5e000000KQ2e');
    expect(canonicalSalesforceId('00D5e000000KQ2e')).toBe('00D5e000000KQ2e');
    // A suffix claiming an uppercase digit is no id; wrong lengths neither.
    expect(canonicalSalesforceId('00D5e000000KQ2eZZZ')).toBeNull();
    expect(canonicalSalesforceId('00D5e000000KQ2')).toBeNull();
    expect(canonicalSalesforceId('00D5e000000KQ2e-AG')).toBeNull();
  });

  it('accepts the configured orgs in either form and refuses others', () => {
    const check = createSalesforceOrganizationCheck(['00D5e000000KQ2e']);
    expect(check('00D5e000000KQ2eEAG')).toEqual({ ok: true });
    expect(check('00d5e000000kq2eeag')).toEqual({ ok: true });
    expect(check('00D5e000000KQ2E')).toEqual({ ok: false, reason: 'unknown_organization' });
    expect(check('00D5e000000KQ2f')).toEqual({ ok: false, reason: 'unknown_organization' });
    expect(check(null)).toEqual({ ok: false, reason: 'missing_header' });
    expect(check('not an id')).toEqual({ ok: false, reason: 'malformed_header' });
    expect(createSalesforceOrganizationCheck(['00D5e000000KQ2eEAG'])('00D5e000000KQ2e')).toEqual({
      ok: true,
    });
    // An 18-character id whose suffix was made up by hand still matches on its 15 characters.
    const padded = createSalesforceOrganizationCheck(['00D000000000001']);
    expect(padded('00D000000000001AAA')).toEqual({ ok: true });
    expect(padded('00D000000000002AAA')).toEqual({ ok: false, reason: 'unknown_organization' });
    expect(createSalesforceOrganizationCheck(['00D000000000001AAA'])('00D000000000001')).toEqual({
      ok: true,
    });
    expect(() => createSalesforceOrganizationCheck(['00D'])).toThrow(
      /not a Salesforce organization id/,
    );
    expect(() => createSalesforceOrganizationCheck([])).toThrow(/at least one/);
  });
});

describe('createBasicAuthVerifier', () => {
  const verify = createBasicAuthVerifier({ user: 'pipedrive', password: 'p:ss wörd' });
  const check = (headers: Record<string, string>) => verify({ headers });

  it('accepts exactly the configured user and password (a colon in the password is fine)', () => {
    expect(check(basicAuthorization('pipedrive', 'p:ss wörd'))).toEqual({ ok: true });
    expect(
      check({ Authorization: basicAuthorization('pipedrive', 'p:ss wörd').authorization ?? '' }),
    ).toEqual({
      ok: true,
    });
  });

  it('refuses a wrong user or password, and missing or malformed headers', () => {
    expect(check(basicAuthorization('pipedrive', 'p:ss word'))).toEqual({
      ok: false,
      reason: 'invalid_credentials',
    });
    expect(check(basicAuthorization('Pipedrive', 'p:ss wörd'))).toEqual({
      ok: false,
      reason: 'invalid_credentials',
    });
    expect(check({})).toEqual({ ok: false, reason: 'missing_header' });
    expect(check({ authorization: 'Bearer abc' })).toEqual({
      ok: false,
      reason: 'malformed_header',
    });
    expect(check({ authorization: `Basic ${Buffer.from('nocolon').toString('base64')}` })).toEqual({
      ok: false,
      reason: 'malformed_header',
    });
    expect(() => createBasicAuthVerifier({ user: '', password: 'x' })).toThrow(/must not be empty/);
  });
});
