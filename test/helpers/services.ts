import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, it } from 'vitest';
import { postgresBinariesAvailable } from './postgres-server.ts';
import { redisServerAvailable } from './redis-server.ts';

/**
 * External services a test needs (PostgreSQL, Redis, pg_prove, Prometheus…). Locally a missing
 * service skips the tests that need it; with REKINDLE_REQUIRE_SERVICES=1 (CI) it fails them, so a
 * missing install step can never turn into a green run. describe.skipIf / it.skipIf are used only
 * here.
 */
export interface ServiceRequirement {
  readonly name: string;
  readonly available: boolean;
  readonly reason: string | null;
}

export const servicesRequired = process.env.REKINDLE_REQUIRE_SERVICES === '1';

/** `check` returns null when the service is usable, else why not. */
export function requireService(name: string, check: () => string | null): ServiceRequirement {
  let reason: string | null;
  try {
    reason = check();
  } catch (error) {
    reason = error instanceof Error ? error.message : String(error);
  }
  if (reason !== null && servicesRequired) {
    throw new Error(`service ${name} is required (REKINDLE_REQUIRE_SERVICES=1) but ${reason}`);
  }
  return { name, available: reason === null, reason };
}

/** describe() that runs only when every listed service is available (see requireService). */
export function describeWithServices(
  services: readonly ServiceRequirement[],
  title: string,
  body: () => void,
): void {
  const missing = services.filter((service) => !service.available);
  const suffix =
    missing.length > 0
      ? ` [skipped: ${missing.map((s) => `${s.name}: ${s.reason}`).join('; ')}]`
      : '';
  describe.skipIf(missing.length > 0)(`${title}${suffix}`, body);
}

/** it() that runs only when every listed service is available. */
export function itWithServices(
  services: readonly ServiceRequirement[],
  title: string,
  body: () => Promise<void> | void,
  timeoutMs?: number,
): void {
  const missing = services.filter((service) => !service.available);
  it.skipIf(missing.length > 0)(title, body, timeoutMs);
}

function commandMissing(command: string): string | null {
  return spawnSync('which', [command], { stdio: 'ignore' }).status === 0
    ? null
    : `${command} is not on PATH`;
}

export const postgresService = (): ServiceRequirement =>
  requireService('postgresql', () =>
    postgresBinariesAvailable() ? null : 'initdb/pg_ctl/postgres are not on PATH',
  );

export const redisService = (): ServiceRequirement =>
  requireService('redis', () => (redisServerAvailable() ? null : 'redis-server is not on PATH'));

export const pgProveService = (): ServiceRequirement =>
  requireService('pg_prove', () => {
    const missing = commandMissing('pg_prove');
    if (missing) {
      return missing;
    }
    const control = spawnSync('pg_config', ['--sharedir'], { encoding: 'utf8' });
    const shareDir = control.status === 0 ? control.stdout.trim() : '/usr/share/postgresql/15';
    return existsSync(`${shareDir}/extension/pgtap.control`)
      ? null
      : `the pgtap extension is not installed (${shareDir}/extension/pgtap.control)`;
  });

export const commandService = (command: string): ServiceRequirement =>
  requireService(command, () => commandMissing(command));
