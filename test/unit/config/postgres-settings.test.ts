import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, readEnv } from '../../../src/config/index.ts';

/** Issue 18: the PostgreSQL pool size and connection settings are config keys, with env overrides. */
const load = (env: Record<string, string>, file: unknown = {}) =>
  loadConfig({ env: readEnv(env), rawEnv: env, file });

describe('store.postgres', () => {
  it('defaults to a pool of 10, no statement timeout, 30 s idle timeout, application name rekindle-gateway', () => {
    expect(load({}).store.postgres).toEqual({
      pool_size: 10,
      statement_timeout_ms: 0,
      idle_timeout_ms: 30_000,
      connect_timeout_ms: 10_000,
      application_name: 'rekindle-gateway',
    });
  });

  it('reads the file, and DATABASE_* variables override it', () => {
    const file = {
      store: { postgres: { pool_size: 4, statement_timeout_ms: 5_000, application_name: 'a' } },
    };
    expect(load({}, file).store.postgres).toMatchObject({
      pool_size: 4,
      statement_timeout_ms: 5_000,
      application_name: 'a',
    });
    const overridden = load(
      {
        DATABASE_POOL_SIZE: '25',
        DATABASE_STATEMENT_TIMEOUT_MS: '30000',
        DATABASE_IDLE_TIMEOUT_MS: '1000',
        DATABASE_APPLICATION_NAME: 'rekindle-eu-1',
        DATABASE_LISTEN_URL: 'postgres://direct:5432/db',
      },
      file,
    ).store.postgres;
    expect(overridden).toEqual({
      pool_size: 25,
      statement_timeout_ms: 30_000,
      idle_timeout_ms: 1_000,
      connect_timeout_ms: 10_000,
      application_name: 'rekindle-eu-1',
      listen_url: 'postgres://direct:5432/db',
    });
  });

  it('refuses a pool size that is not a positive integer, naming the key', () => {
    for (const value of ['0', 'ten', '2.5']) {
      try {
        load({ DATABASE_POOL_SIZE: value });
        expect.unreachable(`DATABASE_POOL_SIZE=${value} was accepted`);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        expect((error as ConfigError).issues.join('\n')).toContain('store.postgres.pool_size');
      }
    }
  });
});
