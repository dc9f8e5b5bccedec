import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import {
  exportStatsHeader,
  isFinishedRun,
  type TrainingExportStats,
} from '../../pipeline/index.ts';
import {
  type TrainingRun,
  type TrainingRunDetail,
  trainingRunDetailSchema,
  trainingRunSchema,
} from '../../store/index.ts';
import type { ExportRequest, TrainingAdmin } from './admin-client.ts';
import type { GatewayClient } from './gateway-client.ts';

/** Training over a running gateway: its orchestrator drives the runs; this side watches. */
export function httpTrainingAdmin(client: GatewayClient, pollIntervalMs: number): TrainingAdmin {
  /** A run as the API returns it; a cancel answers without the event history. */
  const run = async (method: string, path: string, body?: unknown): Promise<TrainingRunDetail> =>
    trainingRunDetailSchema.parse({
      events: [],
      ...(await client.request<object>(method, path, {
        ...(body === undefined ? {} : { body }),
        // Starting a cycle checks the training data, a cancel waits for the vendor: no time limit.
        ...(method === 'POST' ? { timeoutMs: null } : {}),
      })),
    });
  const runPath = (ref: string) => `/admin/training/runs/${encodeURIComponent(ref)}`;
  return {
    exportToFile: (output, request) => exportThroughGateway(client, output, request),
    startRun: (input) =>
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
    getRun: (ref) => run('GET', runPath(ref)),
    async listRuns(filter = {}) {
      const list = await client.request<{ data: unknown[] }>('GET', '/admin/training/runs', {
        query: {
          status: filter.status,
          route: filter.route,
          organization_id: filter.organizationId,
          limit: filter.limit === undefined ? undefined : String(filter.limit),
        },
      });
      return list.data.map((row): TrainingRun => trainingRunSchema.parse(row));
    },
    cancelRun: (ref, reason) => run('POST', `${runPath(ref)}/cancel`, reason ? { reason } : {}),
    async waitForRun(runId, options = {}) {
      const until = options.until ?? isFinishedRun;
      for (;;) {
        options.signal?.throwIfAborted();
        const current = await run('GET', runPath(runId));
        options.onProgress?.(current);
        if (until(current) || isFinishedRun(current)) {
          return current;
        }
        await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
      }
    },
  };
}

/** The gateway writes the JSONL and streams it, its stats in a header; kept only when complete. */
async function exportThroughGateway(
  client: GatewayClient,
  output: string,
  request: ExportRequest,
): Promise<TrainingExportStats> {
  const response = await client.send('POST', '/admin/training/export', {
    body: {
      format: request.format,
      organization_id: request.organizationId ?? null,
      ...(request.minQualityScore === undefined
        ? {}
        : { min_quality_score: request.minQualityScore }),
      limit: request.limit ?? null,
      keep_pii: request.keepPii ?? false,
      ...(request.minExamples === undefined ? {} : { min_examples: request.minExamples }),
    },
    timeoutMs: null,
  });
  const stats = JSON.parse(
    response.headers.get(exportStatsHeader) ?? 'null',
  ) as TrainingExportStats;
  const partial = `${output}.partial`;
  try {
    const body = response.body
      ? Readable.fromWeb(response.body as unknown as NodeReadableStream<Uint8Array>)
      : Readable.from([]);
    await pipeline(body, createWriteStream(partial));
    await rename(partial, output);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  return stats;
}
