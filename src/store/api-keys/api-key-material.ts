import { hash, randomBytes } from 'node:crypto';

/**
 * Tenant API keys: `rk_` + 32 base64url characters (192 random bits). Only the SHA-256 hex of the
 * whole key is stored — enough for a key this random, and cheap to check on every request. The
 * first 11 characters (`rk_` + 8) are kept in clear as the prefix people recognize a key by.
 */
const apiKeyPrefixLength = 11;
const keyPattern = /^rk_[A-Za-z0-9_-]{32}$/;

export interface ApiKeyMaterial {
  readonly key: string;
  readonly prefix: string;
  readonly hash: string;
}

export function generateApiKey(): ApiKeyMaterial {
  const key = `rk_${randomBytes(24).toString('base64url')}`;
  return { key, prefix: key.slice(0, apiKeyPrefixLength), hash: hashApiKey(key) };
}

export function hashApiKey(key: string): string {
  // One-shot hash: about a third of the cost of a Hash object, and it runs on every request.
  return hash('sha256', key, 'hex');
}

/** Cheap shape check before hashing anything a client sent. */
export function looksLikeApiKey(value: string): boolean {
  return keyPattern.test(value);
}
