import type { GatewayConfig } from '../config/index.ts';
import type { ConsoleServices } from '../console/index.ts';
import type { GatewayMetrics, Logger } from '../metrics/index.ts';
import type {
  OutcomeTracker,
  RegistryService,
  ResponseStore,
  TrainingOrchestrator,
} from '../pipeline/index.ts';
import type { ChatRouter } from '../router/index.ts';
import type { ApiKeysStore, OutcomesStore, SqlResult, WebhookEventsStore } from '../store/index.ts';
import type {
  Readiness,
  TenantAuthenticator,
  TenantRateLimiter,
  TrackingSink,
} from './gateway-dependencies.ts';
import type { AdminExperimentsOptions } from './routes/admin-experiments.ts';

/**
 * Everything the HTTP app serves from, built by the composition root (src/main/) and passed in
 * explicitly: registerRoutes hands each route group the part it needs. Nothing here reads the
 * environment or opens a connection.
 */
export interface GatewayServices {
  /** The admin token in `config.server` is the one /admin checks (main may set a local one). */
  readonly config: GatewayConfig;
  readonly logger: Logger;
  readonly metrics: GatewayMetrics;
  /** Milliseconds since the epoch: request timings, webhook timestamps, `created` of models. */
  readonly now: () => number;
  readonly router: ChatRouter;
  /** /readyz: store reachable, registry and keys loaded. */
  readonly readiness: Readiness;

  // Tenant routes (/v1): who is calling, how fast, and where generated messages are recorded.
  readonly auth: TenantAuthenticator;
  readonly rateLimiter: TenantRateLimiter;
  readonly tracking: TrackingSink;
  readonly tracker: OutcomeTracker;
  /** Stored responses of /v1/responses, per organization. */
  readonly responses: ResponseStore;

  // Signed webhooks (/webhooks).
  readonly webhookEvents: WebhookEventsStore;

  // The admin API (/admin).
  readonly registry: RegistryService;
  readonly experiments: AdminExperimentsOptions;
  readonly training: TrainingOrchestrator;
  readonly outcomes: Pick<OutcomesStore, 'exportTrainingReady'>;
  readonly apiKeys: Pick<ApiKeysStore, 'create' | 'list' | 'revoke'>;
  /** The in-memory tenant keys, reloaded after an admin change. */
  readonly keys: { refresh(): Promise<void> };
  /** `POST /admin/sql`: one statement against the store, read-only unless `write`. */
  readonly sql: (query: string, options: { write: boolean }) => Promise<SqlResult>;

  // The operator console (/console).
  readonly console: ConsoleServices;
}
