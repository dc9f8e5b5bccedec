import { ConfigError } from '../config/index.ts';
import {
  createTenantAuthenticator,
  isLoopback,
  type TenantAuthenticator,
} from '../gateway/index.ts';
import { ApiKeyCache, createStore, type Store } from '../store/index.ts';
import type { BuildContext } from './build-context.ts';

export interface StoreParts {
  readonly store: Store;
  /** Tenant keys in memory, kept current by LISTEN and a timer. */
  readonly keys: ApiKeyCache;
  readonly auth: TenantAuthenticator;
  /** The bind is a loopback address: an open gateway and a local admin token are allowed. */
  readonly loopback: boolean;
}

/**
 * Step 1: the store (the given one, or opened from `config.store` and then closed by this
 * gateway) and the tenant keys loaded from it. With no key in the store only a loopback bind may
 * start, accepting requests as organization `default`.
 */
export async function buildStore(context: BuildContext, given?: Store): Promise<StoreParts> {
  const { config, logger } = context;
  const store = given ?? (await createStore(config.store, { logger }));
  if (given === undefined) {
    context.onStop(() => store.close());
  }
  const keys = new ApiKeyCache({ apiKeys: store.apiKeys, notifications: store, logger });
  await keys.start();
  context.onStop(() => keys.stop());
  const loopback = isLoopback(config.server.host);
  if (!keys.hasKeys()) {
    if (!loopback) {
      throw new ConfigError([
        `server.host: ${config.server.host} is not a loopback address and no API keys exist; create one with \`rekindle keys create --org ORG\` first`,
      ]);
    }
    logger.warn('no API keys exist: accepting requests as organization "default" (loopback only)');
  }
  const auth = createTenantAuthenticator({ keys, allowOpen: loopback });
  return { store, keys, auth, loopback };
}
