import type { GatewayMetrics, Logger } from '../../../metrics/index.ts';
import type {
  ChangeOptions,
  ChannelListener,
  ModelRegistryStore,
  RegisterModelInput,
  RegistryRow,
} from '../../../store/index.ts';

const registryChannel = 'rekindle_registry';

/**
 * The registry operations, and the view every gateway instance routes by. A change made here
 * applies in this process at once; other instances hear it through LISTEN/NOTIFY, and a periodic
 * reload covers transports without LISTEN (Supabase rpc) and dropped notifications.
 */
export class RegistryService {
  private rows: readonly RegistryRow[] = [];
  private unlisten: (() => Promise<void>) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private loaded = false;
  private reloading: Promise<void> | undefined;

  constructor(
    private readonly options: {
      store: ModelRegistryStore;
      /** LISTEN for changes made by other instances (the store); polling only without it. */
      notifications: ChannelListener;
      logger: Logger;
      onChange: (rows: readonly RegistryRow[]) => void;
      /**
       * Counts changes of traffic in `rekindle_rollout_actions_total{route,action,automatic}`:
       * set_baseline, deploy, promote, deprecate, rollback.
       */
      metrics?: Pick<GatewayMetrics, 'rolloutActionsTotal'>;
      /** Reload period; default 30 s with LISTEN, 5 s without (Supabase rpc). */
      pollIntervalMs?: number;
    },
  ) {}

  get isLoaded(): boolean {
    return this.loaded;
  }

  current(): readonly RegistryRow[] {
    return this.rows;
  }

  async start(): Promise<void> {
    await this.reload();
    const { notifications, logger } = this.options;
    if (notifications.listen) {
      try {
        this.unlisten = await notifications.listen(registryChannel, () => {
          this.reload().catch((error: unknown) => logger.warn('registry reload failed', { error }));
        });
      } catch (error) {
        logger.warn('LISTEN on the registry channel failed; polling only', { error });
      }
    }
    const interval = this.options.pollIntervalMs ?? (this.unlisten ? 30_000 : 5_000);
    this.timer = setInterval(() => {
      this.reload().catch((error: unknown) => logger.warn('registry reload failed', { error }));
    }, interval);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) {
      clearInterval(this.timer);
    }
    await this.unlisten?.();
  }

  /** Reloads the whole registry (it is small); concurrent callers share one load. */
  reload(): Promise<void> {
    this.reloading ??= (async () => {
      try {
        const rows = await this.options.store.list();
        this.rows = rows;
        this.loaded = true;
        this.options.onChange(rows);
      } finally {
        this.reloading = undefined;
      }
    })();
    return this.reloading;
  }

  async list(route?: string): Promise<RegistryRow[]> {
    return this.options.store.list(route);
  }

  register(input: RegisterModelInput): Promise<RegistryRow> {
    // Registering moves no traffic: it is audited, not counted as a rollout action.
    return this.change(null, input.route, undefined, () => this.options.store.register(input));
  }

  setBaseline(route: string, ref: string, options?: ChangeOptions): Promise<RegistryRow> {
    return this.change('set_baseline', route, options, () =>
      this.options.store.setBaseline(route, ref, options),
    );
  }

  deploy(
    route: string,
    ref: string,
    trafficPercentage: number,
    abTestGroup: string | null,
    options?: ChangeOptions,
  ): Promise<RegistryRow> {
    return this.change('deploy', route, options, () =>
      this.options.store.deploy(route, ref, trafficPercentage, abTestGroup, options),
    );
  }

  promote(route: string, ref: string, options?: ChangeOptions): Promise<RegistryRow> {
    return this.change('promote', route, options, () =>
      this.options.store.promote(route, ref, options),
    );
  }

  deprecate(route: string, ref: string, options?: ChangeOptions): Promise<RegistryRow> {
    return this.change('deprecate', route, options, () =>
      this.options.store.deprecate(route, ref, options),
    );
  }

  rollback(route: string, ref: string | null, options?: ChangeOptions): Promise<RegistryRow> {
    return this.change('rollback', route, options, () =>
      this.options.store.rollback(route, ref, options),
    );
  }

  private async change(
    action: string | null,
    route: string,
    options: ChangeOptions | undefined,
    operation: () => Promise<RegistryRow>,
  ): Promise<RegistryRow> {
    const row = await operation();
    if (action !== null) {
      this.options.metrics?.rolloutActionsTotal.inc({
        route,
        action,
        automatic: options?.automatic === true ? 'true' : 'false',
      });
    }
    // A load that started before the change may miss it: wait it out, then load again.
    await this.reloading?.catch(() => {});
    await this.reload();
    return row;
  }
}
