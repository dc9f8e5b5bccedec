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
function salesforceIdSuffix(id15: string): string {
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
 * characters each): the case-restored 15-character forms are equal, or — for an 18-character id
 * whose suffix was made up by hand — the first 15 characters are, exactly. The id is no secret
 * (anyone can write it into a SOAP body), so this only keeps other Salesforce orgs out when the
 * endpoint also admits only Salesforce (IP allowlist or the Salesforce client certificate;
 * docs/integrations.md).
 */
export function createSalesforceOrganizationCheck(
  organizationIds: readonly string[],
): SalesforceOrganizationCheck {
  if (organizationIds.length === 0) {
    throw new TypeError('at least one Salesforce organization id is required');
  }
  const allowed = organizationIds.map((id) => {
    const forms = comparableForms(id.trim());
    if (forms === null) {
      throw new TypeError(`not a Salesforce organization id (15 or 18 characters): ${id}`);
    }
    return forms;
  });
  return function checkSalesforceOrganization(received) {
    if (received === null || received === '') {
      return refused('missing_header');
    }
    const candidate = comparableForms(received.trim());
    if (candidate === null) {
      return refused('malformed_header');
    }
    let matched = false;
    for (const id of allowed) {
      const sameId =
        id.canonical !== null && candidate.canonical !== null
          ? constantTimeEqual(id.canonical, candidate.canonical)
          : false;
      matched = constantTimeEqual(id.first15, candidate.first15) || sameId || matched;
    }
    return matched ? verified : refused('unknown_organization');
  };
}

function comparableForms(id: string): { canonical: Buffer | null; first15: Buffer } | null {
  if (!/^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$/.test(id)) {
    return null;
  }
  const canonical = canonicalSalesforceId(id);
  return {
    canonical: canonical === null ? null : Buffer.from(canonical, 'utf8'),
    first15: Buffer.from(id.slice(0, 15), 'utf8'),
  };
}
