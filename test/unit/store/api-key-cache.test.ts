import { describe, expect, it } from 'vitest';
import type { ApiKeyLookup } from '../../../src/gateway/tenant-authenticator.ts';
import { ApiKeyCache } from '../../../src/store/api-key-cache.ts';
import { generateApiKey } from '../../../src/store/api-keys/api-key-material.ts';
import type { ActiveApiKey } from '../../../src/store/api-keys/api-keys-store.ts';

/** An in-memory stand-in for the api_keys store functions. */
function keyStore() {
  const state = {
    keys: [] as ActiveApiKey[],
    revokedCount: 0,
    failNext: false,
    loads: 0,
    used: [] as string[][],
  };
  return {
    state,
    async listActive() {
      state.loads += 1;
      if (state.failNext) {
        state.failNext = false;
        throw new Error('store unavailable');
      }
      return { keys: [...state.keys], revokedCount: state.revokedCount };
    },
    async markUsed(ids: readonly string[]) {
      state.used.push([...ids]);
      return ids.length;
    },
  };
}

describe('ApiKeyCache', () => {
  it('is what the gateway’s tenant auth expects', () => {
    const lookup: ApiKeyLookup = new ApiKeyCache({ apiKeys: keyStore() });
    expect(lookup.hasKeys()).toBe(false);
  });

  it('authenticates from memory and keeps the last good keys when a refresh fails', async () => {
    const store = keyStore();
    const material = generateApiKey();
    store.state.keys.push({
      id: 'key-1',
      organization_id: 'acme',
      key_hash: material.hash,
      rpm_limit: null,
    });
    const cache = new ApiKeyCache({ apiKeys: store });
    await cache.refresh();
    const loads = store.state.loads;
    for (let index = 0; index < 100; index += 1) {
      expect(cache.authenticate(material.key)).toEqual({
        organizationId: 'acme',
        keyId: 'key-1',
        rpmLimit: null,
      });
    }
    expect(store.state.loads).toBe(loads);

    store.state.failNext = true;
    await expect(cache.refresh()).rejects.toThrow('store unavailable');
    expect(cache.authenticate(material.key)?.organizationId).toBe('acme');

    await cache.refresh();
    expect(store.state.used).toEqual([['key-1']]);
  });

  it('stays closed once keys existed, even if all are revoked', async () => {
    const store = keyStore();
    const cache = new ApiKeyCache({ apiKeys: store });
    await cache.refresh();
    expect(cache.hasKeys()).toBe(false);
    store.state.revokedCount = 1;
    await cache.refresh();
    expect(cache.hasKeys()).toBe(true);
    expect(cache.size).toBe(0);
  });

  it('coalesces concurrent refreshes into one load plus one follow-up', async () => {
    const store = keyStore();
    const cache = new ApiKeyCache({ apiKeys: store });
    await Promise.all([cache.refresh(), cache.refresh(), cache.refresh()]);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(store.state.loads).toBe(2);
  });

  it('rejects malformed bearers without hashing them', () => {
    const cache = new ApiKeyCache({ apiKeys: keyStore() });
    expect(cache.authenticate('')).toBeNull();
    expect(cache.authenticate('sk-openai-style')).toBeNull();
    expect(cache.authenticate(`rk_${'x'.repeat(31)}`)).toBeNull();
  });
});
