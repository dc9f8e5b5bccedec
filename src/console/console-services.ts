import type { GatewayConfig } from '../config/index.ts';
import type { GatewayMetrics, Logger } from '../metrics/index.ts';
import type {
  ExperimentService,
  RegistryService,
  TrainingOrchestrator,
} from '../pipeline/index.ts';
import type { ChatRouter } from '../router/index.ts';
import type { RolloutEvent, Store } from '../store/index.ts';
import type { LiveFigures } from './live/live-figures.ts';

/** Who a presented API key belongs to, as the gateway's in-memory key cache knows it. */
interface ConsoleKeyOwner {
  readonly organizationId: string;
  readonly keyId: string;
}

export interface ConsoleTenants {
  /** The key's owner; null when the key is unknown or revoked. */
  authenticateKey(key: string): ConsoleKeyOwner | null;
  /** True while the gateway takes requests without a key (no keys, loopback bind) as `default`. */
  isOpen(): boolean;
}

/**
 * Everything the console reads and acts through, built by the composition root (src/main) from
 * the same parts the admin API uses: a change made in the console is the admin API's change.
 */
export interface ConsoleServices {
  /** `server.admin_token` is the token that signs in with full access (main may set a local one). */
  readonly config: GatewayConfig;
  readonly logger: Logger;
  readonly metrics: GatewayMetrics;
  /** The gateway's clock (windows of the overview; the demo runs on a simulated one). */
  readonly now: () => number;
  readonly store: Pick<Store, 'console' | 'outcomes' | 'apiKeys' | 'organizations' | 'leaderboard'>;
  readonly registry: RegistryService;
  readonly router: ChatRouter;
  /** The experiment service of the admin API and the automation (every organization). */
  readonly experiments: ExperimentService;
  /** The audit trail of registry changes, newest first. */
  readonly rolloutEvents: (route: string | undefined, limit: number) => Promise<RolloutEvent[]>;
  readonly training: TrainingOrchestrator;
  readonly tenants: ConsoleTenants;
  /** Reloads the gateway's in-memory keys after a key is created or revoked here. */
  readonly keys: { refresh(): Promise<void> };
  readonly live: LiveFigures;
}
