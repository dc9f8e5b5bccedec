import type { Env } from '../../config/index.ts';
import { readRecordedGateway, StoreLockedError } from '../../store/index.ts';
import { GatewayClientError } from './gateway-client.ts';

/** The gateway a locked PGlite store belongs to, and how to reach it. */
export interface LocalGatewayFallback {
  readonly url: string;
  /** The one that gateway made for this start (recorded with its URL), else REKINDLE_ADMIN_TOKEN. */
  readonly adminToken: string | undefined;
  /** An error of the attempt through that gateway, with what was tried when that went wrong. */
  explain(error: unknown): unknown;
}

/**
 * When opening the store failed because a live gateway on this machine owns the PGlite data
 * directory (StoreLockedError, the gateway's URL recorded in the lock), how to go through that
 * gateway instead; null otherwise — another error, or nothing recorded (then the StoreLockedError
 * stands).
 */
export function localGatewayFallback(error: unknown, env: Env): LocalGatewayFallback | null {
  const locked = storeLockedError(error);
  if (!locked) {
    return null;
  }
  const recorded = readRecordedGateway(locked.dataDir);
  if (!recorded) {
    return null;
  }
  const holder = `pid ${recorded.pid}, which holds ${locked.dataDir}`;
  return {
    url: recorded.url,
    adminToken: recorded.adminToken ?? env.REKINDLE_ADMIN_TOKEN,
    explain(failure) {
      if (!(failure instanceof GatewayClientError)) {
        return failure;
      }
      const hint =
        failure.code === 'admin_disabled'
          ? ` (the gateway at ${recorded.url} is ${holder}: start it with REKINDLE_ADMIN_TOKEN, and set the same here)`
          : failure.status === 401 || failure.status === 403
            ? ` (the gateway at ${recorded.url} is ${holder}: set REKINDLE_ADMIN_TOKEN to its admin token)`
            : ` (the gateway recorded by ${holder})`;
      const explained = new GatewayClientError(`${failure.message}${hint}`, failure);
      explained.cause = failure;
      return explained;
    },
  };
}

function storeLockedError(error: unknown): StoreLockedError | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    if (current instanceof StoreLockedError) {
      return current;
    }
    current = current.cause;
  }
  return null;
}
