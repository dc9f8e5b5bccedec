import {
  constantTimeEqual,
  refused,
  type SignatureVerification,
  verified,
} from './signature-verification.ts';

/**
 * Salesforce ids come in two forms: 15 characters, case-sensitive (what Setup → Company Information
 * shows as the Organization ID), and 18 characters, the same id plus a 3-character suffix that encodes
 * the case of the first 15 (what Outbound Messages carry). Comparing the 15-character form with its
 * case restored makes either form, in either letter case for the 18-character one, match.
 */
const suffixAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** The 3-character case-checksum suffix of a 15-character id. */
export function salesforceIdSuffix(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk += 1) {
    let bits = 0;
    for (let index = 0; index < 5; index += 1) {
      const character = id15[chunk * 5 + index] ?? '';
      if (character >= 'A' && character <= 'Z') {
        bits |= 1 << index;
      }
    }
    suffix += suffixAlphabet[bits];
  }
  return suffix;
}

/** The case-correct 15-character form of a 15- or 18-character id, or null if it is not one. */
export function canonicalSalesforceId(id: string): string | null {
  if (/^[A-Za-z0-9]{15}$/.test(id)) {
    return id;
  }
  if (!/^[A-Za-z0-9]{18}$/.test(id)) {
    return null;
  }
  let restored = '';
  for (let chunk = 0; chunk < 3; chunk += 1) {
    const bits = suffixAlphabet.indexOf((id[15 + chunk] ?? '').toUpperCase());
    for (let index = 0; index < 5; index += 1) {
      const character = id[chunk * 5 + index] ?? '';
      const upper = (bits >> index) & 1;
      if (/[0-9]/.test(character)) {
        if (upper) {
          return null;
        }
        restored += character;
      } else {
        restored += upper ? character.toUpperCase() : character.toLowerCase();
      }
    }
  }
  return restored;
}

/** The 18-character form (what Salesforce sends), for docs and logs. */
export function toSalesforceId18(id: string): string | null {
  const canonical = canonicalSalesforceId(id);
  return canonical === null ? null : `${canonical}${salesforceIdSuffix(canonical)}`;
}

export type SalesforceOrganizationCheck = (received: string | null) => SignatureVerification;

/**
 * Accepts a message whose `OrganizationId` is one of the configured organizations (15 or 18
 * characters each). The id is no secret — anyone can write it into a SOAP body — so this only keeps
 * other Salesforce orgs out when the endpoint also admits only Salesforce (IP allowlist or the
 * Salesforce client certificate; docs/integrations.md).
 */
export function createSalesforceOrganizationCheck(
  organizationIds: readonly string[],
): SalesforceOrganizationCheck {
  const allowed = organizationIds.map((id) => {
    const canonical = canonicalSalesforceId(id.trim());
    if (canonical === null) {
      throw new TypeError(`not a Salesforce organization id (15 or 18 characters): ${id}`);
    }
    return Buffer.from(canonical, 'utf8');
  });
  if (allowed.length === 0) {
    throw new TypeError('at least one Salesforce organization id is required');
  }
  return function checkSalesforceOrganization(received) {
    if (received === null || received === '') {
      return refused('missing_header');
    }
    const canonical = canonicalSalesforceId(received.trim());
    if (canonical === null) {
      return refused('malformed_header');
    }
    const candidate = Buffer.from(canonical, 'utf8');
    let matched = false;
    for (const id of allowed) {
      matched = constantTimeEqual(id, candidate) || matched;
    }
    return matched ? verified : refused('unknown_organization');
  };
}
