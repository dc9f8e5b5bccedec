import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, readEnv } from '../../../../src/config/index.ts';
import {
  exportTrainingJsonlToFiles,
  type OutcomeRow,
  trainingCostSettingsFromConfig,
} from '../../../../src/pipeline/training/export/index.ts';
import { createFineTuner } from '../../../../src/pipeline/training/fine-tuners/index.ts';
import {
  type RunningFineTuningFake,
  startFineTuningFake,
} from '../../../fakes/fine-tuning-fake.ts';
import {
  fromArray,
  outcomeRow,
  pollToEnd,
  type TemporaryDirectory,
  temporaryDirectory,
} from './training-test-data.ts';

describe('exported JSONL through each vendor fake', () => {
  let openai: RunningFineTuningFake<'openai'>;
  let together: RunningFineTuningFake<'together'>;
  let directory: TemporaryDirectory;
  const rows = Array.from(
    { length: 80 },
    (_, index) => outcomeRow(index, { quality_score: index % 5 === 0 ? 0.4 : 0.75 }) as OutcomeRow,
  );

  beforeAll(async () => {
    [openai, together, directory] = await Promise.all([
      startFineTuningFake({ vendor: 'openai' }),
      startFineTuningFake({ vendor: 'together' }),
      temporaryDirectory(),
    ]);
  });
  afterAll(async () => {
    await Promise.all([openai.close(), together.close(), directory.remove()]);
  });

  for (const vendor of ['openai', 'together'] as const) {
    it(`${vendor}: export → upload → fine-tune succeeds, and no lead PII reaches the vendor`, async () => {
      const fake = vendor === 'openai' ? openai : together;
      const config = loadConfig({
        env: readEnv(
          vendor === 'openai'
            ? { OPENAI_API_KEY: 'k', OPENAI_BASE_URL: fake.url }
            : { TOGETHER_API_KEY: 'k', TOGETHER_BASE_URL: fake.url },
        ),
        file: {},
      });
      const trainPath = join(directory.path, `${vendor}-train.jsonl`);
      const validationPath = join(directory.path, `${vendor}-validation.jsonl`);
      const stats = await exportTrainingJsonlToFiles(
        fromArray(rows),
        { trainPath, validationPath },
        {
          format: vendor,
          minQualityScore: config.training.min_quality_score,
          minExamples: config.training.min_examples,
          validationFraction: config.training.validation_fraction,
          costs: trainingCostSettingsFromConfig(config.training),
        },
      );
      expect(stats.written.total).toBe(64);

      const fineTuner = createFineTuner(vendor, config);
      const trainingFileId = await fineTuner.uploadTrainingFile({
        path: trainPath,
        filename: 'train.jsonl',
        kind: 'train',
      });
      const validationFileId =
        stats.written.validation > 0
          ? await fineTuner.uploadTrainingFile({
              path: validationPath,
              filename: 'validation.jsonl',
              kind: 'validation',
            })
          : null;
      const job = await fineTuner.createJob({ trainingFileId, validationFileId });
      const states = await pollToEnd(() => fineTuner.getJob(job.jobId));
      expect(states.at(-1)).toMatchObject({ status: 'succeeded', error: null });

      const uploaded = [...fake.routes.files.values()]
        .map((file) => file.content.toString('utf8'))
        .join('\n')
        .toLowerCase();
      for (const row of rows) {
        const lead = row.lead_data as Record<string, string>;
        for (const field of ['first_name', 'last_name', 'full_name', 'email', 'phone', 'company']) {
          expect(uploaded).not.toContain(String(lead[field]).toLowerCase());
        }
      }
    });
  }
});
