import { createHash } from 'node:crypto';
import {
  constantTimeEqual,
  type HeaderSource,
  readHeader,
  refused,
  type SignatureVerification,
  verified,
} from './signature-verification.ts';

/**
 * HTTP Basic credentials on a webhook (Pipedrive's only authentication: `http_auth_user` /
 * `http_auth_password` set when the webhook is created, sent as `Authorization: Basic …` on every
 * delivery). Both parts are compared through their SHA-256 digests, so neither the content nor the
 * length of the configured values leaks through timing.
 */
export interface BasicAuthCredentials {
  user: string;
  password: string;
}

export type BasicAuthVerifier = (request: { headers: HeaderSource }) => SignatureVerification;

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

export function createBasicAuthVerifier(credentials: BasicAuthCredentials): BasicAuthVerifier {
  if (credentials.user === '' || credentials.password === '') {
    throw new TypeError('Basic auth user and password must not be empty');
  }
  const user = digest(credentials.user);
  const password = digest(credentials.password);
  return function verifyBasicAuth(request) {
    const header = readHeader(request.headers, 'authorization');
    if (header === undefined || header === '') {
      return refused('missing_header');
    }
    const match = /^Basic[ ]+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(header);
    if (match === null) {
      return refused('malformed_header');
    }
    const decoded = Buffer.from(match[1] ?? '', 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) {
      return refused('malformed_header');
    }
    // Both compared every time: which half was wrong does not show in the timing.
    const userMatches = constantTimeEqual(user, digest(decoded.slice(0, colon)));
    const passwordMatches = constantTimeEqual(password, digest(decoded.slice(colon + 1)));
    return userMatches && passwordMatches ? verified : refused('invalid_credentials');
  };
}
