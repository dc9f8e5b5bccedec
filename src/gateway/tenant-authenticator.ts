import type { Tenant, TenantAuthenticator } from './gateway-dependencies.ts';
import { bearerToken } from './middleware/bearer.ts';

export interface ApiKeyLookup {
  /** Resolves a presented key from memory; null when unknown or revoked. */
  authenticate(key: string): Tenant | null;
  hasKeys(): boolean;
}

const defaultTenant: Tenant = Object.freeze({
  organizationId: 'default',
  keyId: null,
  rpmLimit: null,
});

/**
 * Keys in the store decide. With none at all the gateway is open as organization `default` — only
 * allowed on a loopback bind (the composition root refuses to start otherwise).
 */
export function createTenantAuthenticator(options: {
  keys: ApiKeyLookup | undefined;
  allowOpen: boolean;
}): TenantAuthenticator {
  const { keys, allowOpen } = options;
  return {
    authenticate(authorization) {
      if (keys?.hasKeys()) {
        const token = bearerToken(authorization);
        return token ? keys.authenticate(token) : null;
      }
      return allowOpen ? defaultTenant : null;
    },
  };
}

export function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === '::1' || host === 'localhost' || host.startsWith('127.');
}
