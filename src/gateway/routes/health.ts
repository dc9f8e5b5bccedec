import type { Hono } from 'hono';
import type { GatewayEnv, Readiness } from '../gateway-dependencies.ts';

export interface HealthState {
  /** Set on SIGTERM: readiness fails so load balancers stop sending, liveness stays up. */
  draining: boolean;
}

export function registerHealth(
  app: Hono<GatewayEnv>,
  options: { readiness: Readiness; state: HealthState },
): void {
  const { readiness: probe, state } = options;
  app.get('/healthz', (context) => context.json({ status: 'ok' }));
  app.get('/readyz', async (context) => {
    if (state.draining) {
      // No store round trip while draining: the answer is 503 whatever the checks say.
      return context.json({ status: 'draining' }, 503);
    }
    const readiness = await probe.ready();
    const failed = Object.keys(readiness.checks).filter((name) => readiness.checks[name] !== true);
    return readiness.ready
      ? context.json({ status: 'ready', checks: readiness.checks }, 200)
      : context.json({ status: 'not_ready', checks: readiness.checks, failed }, 503);
  });
}

export interface CachedCheckOptions {
  /** How long an outcome is reused (default 1 s): /readyz under load costs one probe per period. */
  readonly ttlMs?: number;
  /** A probe that takes longer fails (default 2 s): an unreachable host must not hang /readyz. */
  readonly timeoutMs?: number;
  readonly now?: () => number;
}

/**
 * A readiness probe (e.g. a store round trip) whose outcome is cached for `ttlMs`; concurrent
 * callers share one probe. Resolves true when the probe resolved in time, false otherwise.
 */
export function cachedCheck(
  probe: () => Promise<unknown>,
  options: CachedCheckOptions = {},
): () => Promise<boolean> {
  const ttlMs = options.ttlMs ?? 1_000;
  const timeoutMs = options.timeoutMs ?? 2_000;
  const now = options.now ?? Date.now;
  let outcome: { ok: boolean; at: number } | undefined;
  let running: Promise<boolean> | undefined;
  const run = async (): Promise<boolean> => {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      return await Promise.race([probe().then(() => true), timedOut]);
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  };
  return () => {
    if (outcome !== undefined && now() - outcome.at < ttlMs) {
      return Promise.resolve(outcome.ok);
    }
    running ??= run().then((ok) => {
      outcome = { ok, at: now() };
      running = undefined;
      return ok;
    });
    return running;
  };
}
