import { describe, expect, it } from 'vitest';
import type { TenantRateLimiter } from '../../../../src/gateway/gateway-dependencies.ts';
import { MemoryRateLimiter } from '../../../../src/store/rate-limit/memory-rate-limiter.ts';
import { createTenantRateLimit } from '../../../../src/store/rate-limit/tenant-rate-limit.ts';

describe('tenant rate limit', () => {
  it('limits per organization at the key override or the default, with headers', async () => {
    const limiter = new MemoryRateLimiter({ now: () => 0 });
    const tenantLimit: TenantRateLimiter = createTenantRateLimit(limiter, { defaultRpm: 2 });
    const tenant = { organizationId: 'acme', keyId: 'k1', rpmLimit: null };
    const first = await tenantLimit.check(tenant);
    expect(first).toMatchObject({ allowed: true });
    expect(first.headers['x-ratelimit-limit-requests']).toBe('2');
    await tenantLimit.check(tenant);
    const refused = await tenantLimit.check(tenant);
    expect(refused.allowed).toBe(false);
    expect(refused.headers['Retry-After']).toBe('30');

    const generous = { organizationId: 'bigco', keyId: 'k2', rpmLimit: 1000 };
    expect((await tenantLimit.check(generous)).headers['x-ratelimit-remaining-requests']).toBe(
      '999',
    );
    await limiter.close();
  });
});
