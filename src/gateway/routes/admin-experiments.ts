import type { Context, Hono } from 'hono';
import { GatewayError } from '../../errors/index.ts';
import type { ExperimentEvaluation, ExperimentService, Leaderboard } from '../../pipeline/index.ts';
import type { RolloutEvent } from '../../store/index.ts';
import type { GatewayEnv } from '../gateway-dependencies.ts';

export interface AdminExperimentsOptions {
  readonly experiments: ExperimentService;
  /** The audit trail (`rollout_events`), newest first. */
  readonly events: (route: string | undefined, limit: number) => Promise<readonly RolloutEvent[]>;
  /**
   * The readable tables of `format=table`: the CLI's text formatting (src/cli/format), handed in
   * by the composition root — the gateway itself formats no text.
   */
  readonly tables: {
    readonly leaderboard: (board: Leaderboard) => string;
    readonly decision: (evaluation: ExperimentEvaluation) => string;
  };
}

/**
 * Experiment read-outs over HTTP (docs/experiments.md):
 *   GET /admin/leaderboard[?route=][&now=][&format=table]
 *   GET /admin/experiments/{route}[?now=][&weekly_volume=][&format=table]
 *   GET /admin/rollout/events[?route=][&limit=]
 * JSON by default (the objects `rekindle leaderboard --json` / `rekindle evaluate --json` print);
 * `format=table` answers the readable table as text/plain. Errors use the normal error handler.
 */
export function registerAdminExperiments(app: Hono<GatewayEnv>, options: AdminExperimentsOptions) {
  const { experiments, events, tables } = options;

  app.get('/admin/leaderboard', async (context) => {
    const route = context.req.query('route') || undefined;
    const now = nowParameter(context);
    const table = wantsTable(context);
    if (route !== undefined) {
      const board = await experiments.leaderboard(route, { now });
      return table ? context.text(tables.leaderboard(board)) : context.json(board);
    }
    const boards = await experiments.leaderboards({ now });
    if (table) {
      return context.text(boards.map((board) => tables.leaderboard(board)).join('\n'));
    }
    return context.json({
      object: 'list',
      as_of: (now ?? new Date()).toISOString(),
      data: boards,
    });
  });

  app.get('/admin/experiments/:route', async (context) => {
    const evaluation = await experiments.evaluate(context.req.param('route'), {
      now: nowParameter(context),
      weeklyVolume: positiveParameter(context, 'weekly_volume'),
    });
    return wantsTable(context)
      ? context.text(tables.decision(evaluation))
      : context.json(evaluation);
  });

  app.get('/admin/rollout/events', async (context) => {
    const route = context.req.query('route') || undefined;
    const limit = positiveParameter(context, 'limit') ?? 100;
    if (!Number.isInteger(limit) || limit > 1000) {
      throw new GatewayError('invalid_value', '`limit` must be a whole number from 1 to 1000.', {
        param: 'limit',
      });
    }
    return context.json({ object: 'list', data: await events(route, limit) });
  });
}

function wantsTable(context: Context<GatewayEnv>): boolean {
  const format = context.req.query('format');
  if (format === undefined || format === '' || format === 'json') {
    return false;
  }
  if (format === 'table' || format === 'text') {
    return true;
  }
  throw new GatewayError('invalid_value', '`format` must be `json` or `table`.', {
    param: 'format',
  });
}

function nowParameter(context: Context<GatewayEnv>): Date | undefined {
  const text = context.req.query('now');
  if (text === undefined || text === '') {
    return undefined;
  }
  const value = Date.parse(text);
  if (Number.isNaN(value)) {
    throw new GatewayError('invalid_value', '`now` must be an ISO 8601 date-time.', {
      param: 'now',
    });
  }
  return new Date(value);
}

function positiveParameter(context: Context<GatewayEnv>, name: string): number | undefined {
  const text = context.req.query(name);
  if (text === undefined || text === '') {
    return undefined;
  }
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    throw new GatewayError('invalid_value', `\`${name}\` must be a positive number.`, {
      param: name,
    });
  }
  return value;
}
