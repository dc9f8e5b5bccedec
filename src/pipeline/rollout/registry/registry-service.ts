import type { GatewayMetrics, Logger } from '../../../metrics/index.ts';
import type {
  ChangeOptions,
  ChannelListener,
  ModelRegistryStore,
  RegisterModelInput,
  RegistryRow,
} from '../../../store/index.ts';

const registryChannel = 'rekindle_registry';

/** A model the registry can hold: what a catalog name or a route's configured default resolves to. */
export interface RegistrableModel {
  /** The name requests and messages carry (`gpt-4o-mini`): the registered model version. */
  readonly name: string;
  readonly provider: string;
  /** The id sent upstream. */
  readonly upstreamModel: string;
}

/** After a failed reload (the database restarting), the next attempt comes this much later. */
const retryAfterFailureMs = 500;

/**
 * The registry operations, and the view every gateway instance routes by. A change made here
 * applies in this process at once; other instances hear it through LISTEN/NOTIFY (and reload after
 * the LISTEN connection comes back, as notifications sent meanwhile are lost), and a periodic
 * reload covers transports without LISTEN (Supabase rpc). Loads never overlap: a reload asked for
 * while one runs starts a fresh one right after it, so a change committed during a load is never
 * missed.
 */
export class RegistryService {
  private rows: readonly RegistryRow[] = [];
  private unlisten: (() => Promise<void>) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private loaded = false;
  private reloading: Promise<void> | undefined;
  /** The load that follows the running one, shared by everyone who asked meanwhile. */
  private queued: Promise<void> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private stopped = false;

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
      /**
       * The model a route's baseline traffic goes to without a registry baseline (its configured
       * default): registered as the baseline when a variant is deployed next to it.
       */
      routeDefault?: (route: string) => RegistrableModel | undefined;
      /** A catalog name → its model, so a baseline may be set by a model not yet registered. */
      resolveModel?: (ref: string) => RegistrableModel | undefined;
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
        this.unlisten = await notifications.listen(registryChannel, () =>
          this.reloadInBackground(),
        );
      } catch (error) {
        logger.warn('LISTEN on the registry channel failed; polling only', { error });
      }
    }
    const interval = this.options.pollIntervalMs ?? (this.unlisten ? 30_000 : 5_000);
    this.timer = setInterval(() => this.reloadInBackground(), interval);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) {
      clearInterval(this.timer);
    }
    if (this.retryTimer) {
      clearTimeout(this.retryTimer);
    }
    await this.unlisten?.();
  }

  /**
   * Reloads the whole registry (it is small). Resolves once a load that started after this call
   * has finished: a caller arriving while a load runs waits for the next one, which every caller
   * arriving meanwhile shares.
   */
  reload(): Promise<void> {
    if (!this.reloading) {
      this.reloading = this.load().finally(() => {
        this.reloading = undefined;
      });
      return this.reloading;
    }
    this.queued ??= this.reloading
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.reload();
      });
    return this.queued;
  }

  private async load(): Promise<void> {
    const rows = await this.options.store.list();
    this.rows = rows;
    this.loaded = true;
    this.options.onChange(rows);
  }

  /** A reload nobody waits for (NOTIFY, reconnect, timer); a failed one is retried soon. */
  private reloadInBackground(): void {
    this.reload().catch((error: unknown) => {
      this.options.logger.warn('registry reload failed; retrying', { error });
      if (!this.stopped && !this.retryTimer) {
        this.retryTimer = setTimeout(() => {
          this.retryTimer = undefined;
          this.reloadInBackground();
        }, retryAfterFailureMs);
        this.retryTimer.unref();
      }
    });
  }

  async list(route?: string): Promise<RegistryRow[]> {
    return this.options.store.list(route);
  }

  register(input: RegisterModelInput): Promise<RegistryRow> {
    // Registering moves no traffic: it is audited, not counted as a rollout action.
    return this.change(null, input.route, undefined, () => this.options.store.register(input));
  }

  /**
   * A reference the route does not hold but the catalog knows (`gpt-4o-mini`) is registered first,
   * under its catalog name as model version (audited as `register`), then made the baseline.
   */
  async setBaseline(route: string, ref: string, options?: ChangeOptions): Promise<RegistryRow> {
    const rows = await this.options.store.list(route);
    const model = rows.some((row) => namesRow(row, ref))
      ? undefined
      : this.options.resolveModel?.(ref);
    const baselineRef = model ? (await this.registerModel(route, model, options)).id : ref;
    return this.change('set_baseline', route, options, () =>
      this.options.store.setBaseline(route, baselineRef, options),
    );
  }

  async deploy(
    route: string,
    ref: string,
    trafficPercentage: number,
    abTestGroup: string | null,
    options?: ChangeOptions,
  ): Promise<RegistryRow> {
    await this.ensureBaseline(route, ref, options);
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

  /**
   * A variant deployed on a route without an active baseline would be compared with nothing: the
   * route's configured default, which serves the rest of the traffic, is registered and made the
   * baseline first (two audit rows: `register`, and `set_baseline` with the reason).
   */
  private async ensureBaseline(route: string, ref: string, options?: ChangeOptions) {
    const rows = await this.options.store.list(route);
    if (rows.some((row) => row.route === route && row.is_baseline && row.status === 'active')) {
      return;
    }
    const model = this.options.routeDefault?.(route);
    if (!model || rows.some((row) => namesRow(row, ref) && namesRow(row, model.name))) {
      return;
    }
    const registered = await this.registerModel(route, model, options);
    await this.setBaseline(route, registered.id, {
      actor: options?.actor ?? null,
      automatic: options?.automatic ?? false,
      reason: `route "${route}" had no baseline: its configured default ${model.name} became the baseline before a variant was deployed`,
    });
  }

  private registerModel(route: string, model: RegistrableModel, options?: ChangeOptions) {
    return this.register({
      route,
      model_id: model.upstreamModel,
      provider: model.provider,
      model_version: model.name,
      actor: options?.actor ?? null,
    });
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
    // A load already running may have read the registry before the change: reload() waits for one
    // that starts after it.
    await this.reload();
    return row;
  }
}

/** Whether a reference (id, version, model id, `provider/model`) names this row. */
function namesRow(row: RegistryRow, ref: string): boolean {
  return (
    row.id === ref ||
    row.model_version === ref ||
    row.model_id === ref ||
    `${row.provider}/${row.model_id}` === ref
  );
}
