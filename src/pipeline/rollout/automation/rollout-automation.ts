import type { GatewayMetrics, Logger } from '../../../metrics/index.ts';
import type {
  AutomationClaim,
  ChangeOptions,
  ClaimInput,
  RegistryRow,
} from '../../../store/index.ts';
import type { Decision, ExperimentEvaluation, VariantEvaluation } from '../decision/index.ts';
import { evaluateSnapshot, type RolloutSettings } from '../experiments/evaluate-snapshot.ts';
import type { LeaderboardSource } from '../leaderboard/index.ts';
import { decisionDetails } from './decision-details.ts';
import { ExperimentGauges } from './experiment-gauges.ts';

/** What the automation needs of the registry service (src/pipeline/rollout/registry). */
interface AutomationRegistry {
  current(): readonly RegistryRow[];
  reload(): Promise<void>;
  promote(route: string, ref: string, options?: ChangeOptions): Promise<RegistryRow>;
  rollback(route: string, ref: string | null, options?: ChangeOptions): Promise<RegistryRow>;
}

/** What it needs of the claims in the store (src/store/leaderboard-store.ts). */
interface AutomationClaims {
  claimAction(input: ClaimInput): Promise<AutomationClaim | null>;
  finishAction(
    decisionKey: string,
    holder: string,
    outcome: { status: 'applied' } | { status: 'failed'; error: string },
  ): Promise<AutomationClaim | null>;
}

export interface RolloutAutomationOptions {
  readonly rollout: RolloutSettings;
  readonly source: LeaderboardSource;
  readonly registry: AutomationRegistry;
  readonly claims: AutomationClaims;
  readonly metrics: Pick<GatewayMetrics, 'experimentRate'>;
  readonly logger: Logger;
  /** This gateway instance; holds the claims it makes. */
  readonly instanceId: string;
  readonly clock?: () => Date;
}

export type AutomationAction = 'promote' | 'rollback';

export interface ActionResult {
  readonly action: AutomationAction;
  readonly model_version: string;
  readonly decision_key: string;
  /** applied; skipped (no longer testing, or claimed elsewhere / already acted on); failed. */
  readonly outcome: 'applied' | 'not_testing' | 'not_claimed' | 'failed';
  readonly error?: string;
}

export interface RouteRound {
  readonly route: string;
  readonly decision: Decision | null;
  readonly actions: readonly ActionResult[];
  readonly error?: string;
}

/**
 * The guarded evaluation loop. Every interval, for each route whose registry has a baseline and
 * testing variants: evaluate, export the rates, and — only when `config.rollout` allows it —
 * promote a variant the engine says to promote (`auto_promote`) or roll back one whose guardrail is
 * significantly worse (`auto_rollback`; a goal metric that merely fell is left to people). Each
 * change goes through the registry service with `automatic: true`, the reason and the numbers
 * (→ `rollout_events`), after a claim in the store that makes it happen once per decision and on
 * one instance only.
 */
export class RolloutAutomation {
  readonly #options: RolloutAutomationOptions;
  readonly #gauges: ExperimentGauges;
  readonly #clock: () => Date;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<RouteRound[]> | undefined;

  constructor(options: RolloutAutomationOptions) {
    this.#options = options;
    this.#gauges = new ExperimentGauges(options.metrics);
    this.#clock = options.clock ?? (() => new Date());
  }

  /** Runs a round now and then every `evaluation_interval_ms` (0: never). */
  start(): void {
    const interval = this.#options.rollout.evaluation_interval_ms;
    if (interval <= 0 || this.#timer) {
      return;
    }
    const tick = () => {
      this.runOnce().catch((error: unknown) =>
        this.#options.logger.warn('experiment evaluation round failed', { error }),
      );
    };
    this.#timer = setInterval(tick, interval);
    this.#timer.unref();
    tick();
  }

  async stop(): Promise<void> {
    if (this.#timer) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
    await this.#running?.catch(() => {});
  }

  /** One round over every route with an experiment; a round already running is joined. */
  runOnce(): Promise<RouteRound[]> {
    this.#running ??= this.#round().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #round(): Promise<RouteRound[]> {
    const routes = experimentRoutes(this.#options.registry.current());
    this.#gauges.retain(new Set(routes));
    const rounds: RouteRound[] = [];
    for (const route of routes) {
      try {
        rounds.push(await this.#evaluateRoute(route));
      } catch (error) {
        this.#options.logger.warn('experiment evaluation failed', { route, error });
        rounds.push({ route, decision: null, actions: [], error: errorMessage(error) });
      }
    }
    return rounds;
  }

  async #evaluateRoute(route: string): Promise<RouteRound> {
    const now = this.#clock();
    const snapshot = await this.#options.source.load(route, now);
    this.#gauges.update(snapshot.aggregates);
    const evaluation = evaluateSnapshot(snapshot, this.#options.rollout, { now, clockNow: now });
    const actions: ActionResult[] = [];
    const { auto_promote: autoPromote, auto_rollback: autoRollback } = this.#options.rollout;
    if (autoRollback) {
      // Harm first: a variant that hurts recipients goes before anything is promoted.
      for (const variant of evaluation.variants) {
        if (variant.decision === 'rollback' && variant.guardrail_failed) {
          actions.push(await this.#act('rollback', evaluation, variant));
        }
      }
    }
    if (autoPromote && evaluation.decision === 'promote') {
      const winner = evaluation.variants.find(
        (variant) => variant.model_version === evaluation.promoted_variant,
      );
      if (winner) {
        actions.push(await this.#act('promote', evaluation, winner));
      }
    }
    return { route, decision: evaluation.decision, actions };
  }

  async #act(
    action: AutomationAction,
    evaluation: ExperimentEvaluation,
    variant: VariantEvaluation,
  ): Promise<ActionResult> {
    const { registry, claims, instanceId, logger } = this.#options;
    const route = evaluation.route;
    const decisionKey = `${action}:${route}:${variant.model_version}:${variant.deployed_at ?? 'undeployed'}`;
    const result = (outcome: ActionResult['outcome'], error?: string): ActionResult => ({
      action,
      model_version: variant.model_version,
      decision_key: decisionKey,
      outcome,
      ...(error === undefined ? {} : { error }),
    });
    // The decision was made on the registry as the source read it; act only if it still holds.
    await registry.reload();
    const row = registry
      .current()
      .find(
        (candidate) =>
          candidate.route === route && candidate.model_version === variant.model_version,
      );
    if (row?.status !== 'testing' || row.is_baseline) {
      return result('not_testing');
    }
    const details = decisionDetails(evaluation, variant, decisionKey);
    const claim = await claims.claimAction({
      decisionKey,
      route,
      modelVersion: variant.model_version,
      action,
      holder: instanceId,
      details,
    });
    if (!claim) {
      return result('not_claimed');
    }
    const change: ChangeOptions = {
      actor: 'rollout-automation',
      automatic: true,
      reason: automaticReason(action, variant),
      details,
    };
    try {
      if (action === 'promote') {
        await registry.promote(route, variant.model_version, change);
      } else {
        await registry.rollback(route, variant.model_version, change);
      }
    } catch (error) {
      const message = errorMessage(error);
      logger.error('automatic rollout change failed', { route, action, error });
      await claims
        .finishAction(decisionKey, instanceId, { status: 'failed', error: message })
        .catch((finishError: unknown) =>
          logger.warn('recording the failure failed', { finishError }),
        );
      return result('failed', message);
    }
    await claims
      .finishAction(decisionKey, instanceId, { status: 'applied' })
      .catch((error: unknown) => logger.warn('recording the applied change failed', { error }));
    logger.info('automatic rollout change', {
      route,
      action,
      model_version: variant.model_version,
      reason: change.reason,
    });
    return result('applied');
  }
}

/** Routes with an active baseline and at least one testing variant that takes traffic. */
export function experimentRoutes(rows: readonly RegistryRow[]): string[] {
  const routes = new Set<string>();
  for (const row of rows) {
    if (!row.is_baseline && row.status === 'testing' && row.traffic_percentage > 0) {
      const hasBaseline = rows.some(
        (candidate) =>
          candidate.route === row.route && candidate.is_baseline && candidate.status === 'active',
      );
      if (hasBaseline) {
        routes.add(row.route);
      }
    }
  }
  return [...routes].sort();
}

function automaticReason(action: AutomationAction, variant: VariantEvaluation): string {
  const why = variant.reasons.join('; ');
  return action === 'promote'
    ? `automatic promotion (auto_promote): ${why}`
    : `automatic rollback (auto_rollback), guardrail significantly worse: ${why}`;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
