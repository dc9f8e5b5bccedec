import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { GatewayError } from '../../../providers/errors.ts';
import {
  type TrainingRun,
  type TrainingRunDetail,
  trainingRunDetailSchema,
  trainingRunSchema,
} from '../../../store/training-runs-store.ts';
import type { TrainingExportStats } from '../export/index.ts';
import { exportStatsHeader, isFinishedRun } from '../orchestrator/index.ts';
import type { TrainingControl } from './training-control.ts';

export interface RemoteTrainingControlOptions {
  /** The gateway's base URL (REKINDLE_GATEWAY_URL), e.g. http://127.0.0.1:8787. */
  baseUrl: string;
  /** REKINDLE_ADMIN_TOKEN. */
  adminToken: string | undefined;
  /** How often waitForRun asks for the run (default 1 s). */
  pollIntervalMs?: number;
  actor?: string;
}

/** The gateway's admin API answered with an error (its envelope's message, status and code). */
export class GatewayRequestError extends GatewayError {
  constructor(message: string, status: number, code: string | null) {
    super(message, {
      status,
      type: status >= 500 ? 'server_error' : 'invalid_request_error',
      code,
    });
    this.name = 'GatewayRequestError';
  }
}

/** The CLI over a running gateway: the gateway's orchestrator drives runs; this side watches. */
export function createRemoteTrainingControl(
  options: RemoteTrainingControlOptions,
): TrainingControl {
  const base = options.baseUrl.replace(/\/+$/, '');
  if (!options.adminToken) {
    throw new GatewayError(
      'REKINDLE_GATEWAY_URL is set but REKINDLE_ADMIN_TOKEN is not: the admin API needs it',
      { status: 401, type: 'invalid_request_error', code: 'admin_token_missing' },
    );
  }
  const headers = {
    authorization: `Bearer ${options.adminToken}`,
    'x-rekindle-actor': options.actor ?? 'cli',
  };

  async function request(method: string, path: string, body?: unknown): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers: {
          ...headers,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      throw new GatewayRequestError(
        `cannot reach the gateway at ${base}: ${(error as Error).message}`,
        503,
        'gateway_unreachable',
      );
    }
    if (!response.ok) {
      const text = await response.text();
      let message = text.slice(0, 500);
      let code: string | null = null;
      try {
        const parsed = JSON.parse(text) as { error?: { message?: string; code?: string | null } };
        message = parsed.error?.message ?? message;
        code = parsed.error?.code ?? null;
      } catch {
        // not the JSON envelope: keep the text
      }
      throw new GatewayRequestError(`${message} (HTTP ${response.status})`, response.status, code);
    }
    return response;
  }

  const json = async (method: string, path: string, body?: unknown) =>
    (await request(method, path, body)).json() as Promise<unknown>;
  /** A run as the API returns it; a cancel answers without the event history. */
  const run = async (method: string, path: string, body?: unknown): Promise<TrainingRunDetail> =>
    trainingRunDetailSchema.parse({ events: [], ...((await json(method, path, body)) as object) });

  return {
    mode: 'gateway',
    async exportToFile(output, exportRequest) {
      const response = await request('POST', '/admin/training/export', {
        format: exportRequest.format,
        organization_id: exportRequest.organizationId ?? null,
        ...(exportRequest.minQualityScore === undefined
          ? {}
          : { min_quality_score: exportRequest.minQualityScore }),
        limit: exportRequest.limit ?? null,
        keep_pii: exportRequest.keepPii ?? false,
        ...(exportRequest.minExamples === undefined
          ? {}
          : { min_examples: exportRequest.minExamples }),
      });
      const stats = JSON.parse(
        response.headers.get(exportStatsHeader) ?? 'null',
      ) as TrainingExportStats;
      const partial = `${output}.partial`;
      try {
        if (response.body) {
          await pipeline(
            Readable.fromWeb(response.body as unknown as NodeReadableStream<Uint8Array>),
            createWriteStream(partial),
          );
        } else {
          await pipeline(Readable.from([]), createWriteStream(partial));
        }
        await rename(partial, output);
      } catch (error) {
        await rm(partial, { force: true });
        throw error;
      }
      return stats;
    },
    startRun: async (input) =>
      run('POST', '/admin/training/runs', {
        provider: input.provider,
        model_version: input.modelVersion ?? null,
        ...(input.minQualityScore === undefined
          ? {}
          : { min_quality_score: input.minQualityScore }),
        deploy_immediately: input.deployImmediately ?? false,
        ab_test_traffic: input.abTestTraffic ?? null,
        organization_id: input.organizationId ?? null,
        ...(input.route ? { route: input.route } : {}),
        ...(input.hyperparameters ? { hyperparameters: input.hyperparameters } : {}),
      }),
    getRun: (ref) => run('GET', `/admin/training/runs/${encodeURIComponent(ref)}`),
    async listRuns(filter = {}) {
      const query = new URLSearchParams();
      for (const [key, value] of Object.entries({
        status: filter.status,
        route: filter.route,
        organization_id: filter.organizationId,
        limit: filter.limit,
      })) {
        if (value !== undefined) {
          query.set(key, String(value));
        }
      }
      const list = (await json('GET', `/admin/training/runs?${query}`)) as { data: unknown[] };
      return list.data.map((row): TrainingRun => trainingRunSchema.parse(row));
    },
    cancelRun: (ref, reason) =>
      run(
        'POST',
        `/admin/training/runs/${encodeURIComponent(ref)}/cancel`,
        reason ? { reason } : {},
      ),
    async waitForRun(runId, waitOptions = {}) {
      const until = waitOptions.until ?? isFinishedRun;
      for (;;) {
        waitOptions.signal?.throwIfAborted();
        const current = await run('GET', `/admin/training/runs/${encodeURIComponent(runId)}`);
        waitOptions.onProgress?.(current);
        if (until(current) || isFinishedRun(current)) {
          return current;
        }
        await new Promise((resolve) => setTimeout(resolve, options.pollIntervalMs ?? 1_000));
      }
    },
    close: async () => {},
  };
}
