/**
 * The recorded-shape CRM payloads of test/fixtures/crm (Pipedrive webhooks v2 bodies, Salesforce
 * Outbound Message envelopes, a Salesforce Flow body) with their per-test values filled in, and the
 * credentials those vendors send. Independent of src/: ids and checksums are computed here the way
 * the vendors document them.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const fixtureDirectory = join(import.meta.dirname, '../fixtures/crm');

/**
 * A fixture with `{{name}}` replaced by `values.name` (XML-escaped in .xml files) and
 * `"{{name:number}}"` (quotes included) by the bare number, so a JSON fixture keeps the types the
 * vendor sends. A placeholder left without a value is an error, not a silent literal.
 */
export function crmFixture(
  name: string,
  values: Readonly<Record<string, string | number>>,
): string {
  const text = readFileSync(join(fixtureDirectory, name), 'utf8');
  const xml = name.endsWith('.xml');
  const filled = text
    .replace(/"\{\{([a-z_]+):number\}\}"/g, (_match, key: string) =>
      String(placeholderValue(values, key)),
    )
    .replace(/\{\{([a-z_]+)\}\}/g, (_match, key: string) => {
      const value = String(placeholderValue(values, key));
      return xml ? escapeXml(value) : value;
    });
  return filled;
}

function placeholderValue(
  values: Readonly<Record<string, string | number>>,
  key: string,
): string | number {
  const value = values[key];
  if (value === undefined) {
    throw new Error(`fixture placeholder {{${key}}} has no value`);
  }
  return value;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** `Authorization: Basic base64(user:password)`, as Pipedrive sends its `http_auth_*`. */
export function basicAuthorization(user: string, password: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
}

const alphanumeric = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const suffixAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** The 18-character id: the 15-character one plus one suffix character per 5 (bit i = char i uppercase). */
export function salesforceId18(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 15; chunk += 5) {
    let bits = 0;
    for (let index = 0; index < 5; index += 1) {
      if (/[A-Z]/.test(id15.charAt(chunk + index))) {
        bits += 2 ** index;
      }
    }
    suffix += suffixAlphabet.charAt(bits);
  }
  return `${id15}${suffix}`;
}

/** A fresh 18-character Salesforce id with a key prefix (`006` Opportunity, `04l` Notification…). */
export function newSalesforceId(prefix: string): string {
  const bytes = randomBytes(15 - prefix.length);
  let id15 = prefix;
  for (const byte of bytes) {
    id15 += alphanumeric.charAt(byte % alphanumeric.length);
  }
  return salesforceId18(id15);
}
