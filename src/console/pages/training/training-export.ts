import { PassThrough, Readable } from 'node:stream';
import type { Context } from 'hono';
import {
  exportTrainingJsonl,
  type OutcomeRow,
  trainingCostSettingsFromConfig,
} from '../../../pipeline/index.ts';
import type { ConsoleEnv } from '../../console-env.ts';
import type { ConsoleServices } from '../../console-services.ts';
import { ConsoleError } from '../../http/console-error.ts';
import { organizationScope } from '../../session/console-viewer.ts';

/**
 * GET /console/training/export.jsonl: the training-ready outcomes of the viewer's scope as chat
 * fine-tuning JSONL, PII scrubbed (the export core's default, never switched off here), streamed
 * line by line as the store's keyset pages arrive; a client that goes away stops the export.
 */
export function streamTrainingExport(context: Context<ConsoleEnv>, services: ConsoleServices) {
  const viewer = context.get('viewer');
  const organizationId = organizationScope(viewer, context.req.query('org'));
  const format = context.req.query('format') || 'openai';
  if (format !== 'openai' && format !== 'together') {
    throw new ConsoleError(400, 'format must be openai or together.');
  }
  const { training } = services.config;
  const qualityText = context.req.query('min_quality_score');
  const minQualityScore = qualityText ? Number(qualityText) : training.min_quality_score;
  if (!Number.isFinite(minQualityScore) || minQualityScore < 0 || minQualityScore > 1) {
    throw new ConsoleError(400, 'min_quality_score must be a number from 0 to 1.');
  }
  const body = new PassThrough();
  const rows = services.store.outcomes.exportTrainingReady({ organizationId, minQualityScore });
  exportTrainingJsonl(
    rows as AsyncIterable<OutcomeRow>,
    { train: body },
    {
      format,
      organizationId,
      minQualityScore,
      keepPii: false,
      validationFraction: 0,
      minExamples: 0,
      ...(training.dedupe_capacity === undefined
        ? {}
        : { dedupeCapacity: training.dedupe_capacity }),
      costs: trainingCostSettingsFromConfig(training),
      signal: context.req.raw.signal,
    },
  ).then(
    () => body.end(),
    (error: unknown) => {
      services.logger.warn('console training export stopped', { error });
      body.destroy(error instanceof Error ? error : new Error(String(error)));
    },
  );
  const name = `training-${organizationId ?? 'all'}-${format}.jsonl`.replace(
    /[^A-Za-z0-9._-]/g,
    '_',
  );
  return context.body(Readable.toWeb(body) as ReadableStream<Uint8Array>, 200, {
    'content-type': 'application/jsonl; charset=utf-8',
    'content-disposition': `attachment; filename="${name}"`,
    'cache-control': 'no-store',
  });
}
