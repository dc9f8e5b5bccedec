import { GatewayError } from '../../../errors/index.ts';
import type { ExperimentEvaluation } from '../decision/index.ts';
import {
  buildLeaderboard,
  type Leaderboard,
  type LeaderboardSource,
} from '../leaderboard/index.ts';
import { evaluateSnapshot, type RolloutSettings } from './evaluate-snapshot.ts';

/** A route that is neither configured nor in the model registry. */
class RouteNotFoundError extends GatewayError {
  constructor(route: string) {
    super(
      'route_not_found',
      `No route \`${route}\`: it is neither configured nor in the model registry.`,
      { param: 'route' },
    );
    this.name = 'RouteNotFoundError';
  }
}

export interface ExperimentServiceOptions {
  readonly source: LeaderboardSource;
  readonly rollout: RolloutSettings;
  /** Routes that exist: the configured ones and those with registry rows. */
  readonly knownRoutes: () => readonly string[];
  readonly clock?: () => Date;
}

export interface EvaluateRouteOptions {
  readonly now?: Date | undefined;
  readonly weeklyVolume?: number | undefined;
}

/** Leaderboards and decisions per route, from one source (the admin API and the automation). */
export class ExperimentService {
  readonly #options: ExperimentServiceOptions;
  readonly #clock: () => Date;

  constructor(options: ExperimentServiceOptions) {
    this.#options = options;
    this.#clock = options.clock ?? (() => new Date());
  }

  routes(): string[] {
    return [...new Set(this.#options.knownRoutes())].sort();
  }

  async leaderboard(route: string, options: { now?: Date | undefined } = {}): Promise<Leaderboard> {
    this.#requireRoute(route);
    const clockNow = this.#clock();
    const snapshot = await this.#options.source.load(route, options.now ?? clockNow);
    return buildLeaderboard(snapshot.aggregates, options.now ?? snapshot.asOf ?? clockNow);
  }

  async leaderboards(options: { now?: Date | undefined } = {}): Promise<Leaderboard[]> {
    const boards: Leaderboard[] = [];
    for (const route of this.routes()) {
      boards.push(await this.leaderboard(route, options));
    }
    return boards;
  }

  async evaluate(route: string, options: EvaluateRouteOptions = {}): Promise<ExperimentEvaluation> {
    this.#requireRoute(route);
    const clockNow = this.#clock();
    const snapshot = await this.#options.source.load(route, options.now ?? clockNow);
    return evaluateSnapshot(snapshot, this.#options.rollout, {
      now: options.now,
      clockNow,
      weeklyVolume: options.weeklyVolume,
    });
  }

  #requireRoute(route: string): void {
    if (!this.#options.knownRoutes().includes(route)) {
      throw new RouteNotFoundError(route);
    }
  }
}
