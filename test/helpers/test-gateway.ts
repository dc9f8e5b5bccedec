import { loadConfig, readEnv } from '../../src/config/index.ts';
import { type RunningGateway, startGateway } from '../../src/main/index.ts';
import { createLogger, type Logger } from '../../src/metrics/index.ts';
import type { Store } from '../../src/store/index.ts';
import { sharedStore } from './pglite.ts';

export interface TestGatewayOptions {
  /** Environment variables as the gateway would read them (keys, base URLs, secrets). */
  env?: Record<string, string>;
  /** The config file's content. */
  file?: Record<string, unknown>;
  /** Defaults to the file's shared, migrated in-memory PGlite. */
  store?: Store;
  logger?: Logger;
}

/**
 * A whole gateway in this process on 127.0.0.1 and a free port, built by the real composition root
 * (`startGateway`), over the test file's shared PGlite unless a store is given. Logs are dropped unless
 * REKINDLE_TEST_LOGS is set.
 */
export async function startTestGateway(options: TestGatewayOptions = {}): Promise<RunningGateway> {
  const config = loadConfig({
    env: readEnv({ HOST: '127.0.0.1', PORT: '0', ...options.env }),
    rawEnv: options.env ?? {},
    file: withoutJournal(options.file ?? {}),
  });
  const store = options.store ?? (await sharedStore());
  const logger =
    options.logger ??
    (process.env.REKINDLE_TEST_LOGS
      ? createLogger({ level: 'debug' })
      : createLogger({ level: 'error', write: () => {} }));
  return startGateway({ config, store, logger });
}

/**
 * These gateways run over a store they do not own (often in memory) from the repository's
 * directory: a journal there would be shared by every test file. A test that wants it says so.
 */
function withoutJournal(file: Record<string, unknown>): Record<string, unknown> {
  const tracking = file.tracking;
  if (typeof tracking === 'object' && tracking !== null && 'journal' in tracking) {
    return file;
  }
  return {
    ...file,
    tracking: { ...(typeof tracking === 'object' ? tracking : {}), journal: false },
  };
}

export { sharedStore };
