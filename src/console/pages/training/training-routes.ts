import type { Hono } from 'hono';
import { fineTuningProviderEntry } from '../../../pipeline/index.ts';
import type { TrainingRunDetail } from '../../../store/index.ts';
import { noticeText } from '../../actions/notices.ts';
import type { ConsoleEnv } from '../../console-env.ts';
import type { ConsoleServices } from '../../console-services.ts';
import { ConsoleError } from '../../http/console-error.ts';
import { renderPage } from '../../http/render-page.ts';
import type { ConsoleViewer } from '../../session/console-viewer.ts';
import { streamTrainingExport } from './training-export.ts';
import { TrainingPage } from './training-page.tsx';
import { listProgress, runProgress } from './training-progress.ts';
import { TrainingRunPage } from './training-run-page.tsx';

/**
 * GET /console/training (runs, start form, export), /training/runs/{id}, their JSON progress
 * (polled by the page's script) and /training/export.jsonl. An organization's session sees the
 * runs trained on its own outcomes only.
 */
export function registerTraining(app: Hono<ConsoleEnv>, services: ConsoleServices): void {
  const listRuns = (viewer: ConsoleViewer) =>
    services.training.list({
      ...(viewer.organizationId === null ? {} : { organizationId: viewer.organizationId }),
      limit: 50,
    });

  const runFor = async (viewer: ConsoleViewer, id: string): Promise<TrainingRunDetail> => {
    // An unknown run is the orchestrator's 404, shown as such by the error page.
    const run = await services.training.get(id);
    if (viewer.organizationId !== null && run.organization_id !== viewer.organizationId) {
      throw new ConsoleError(404, 'No such training run in this organization.');
    }
    return run;
  };

  app.get('/training', async (context) => {
    const viewer = context.get('viewer');
    const providers = (['openai', 'together'] as const).filter(
      (provider) => fineTuningProviderEntry(provider, services.config)?.entry.api_key,
    );
    return renderPage(
      context,
      TrainingPage({
        viewer,
        runs: await listRuns(viewer),
        providers,
        minQualityScore: services.config.training.min_quality_score,
        route: services.config.training.route,
        notice: noticeText(context.req.query('done'), context.req.query('subject')),
      }),
    );
  });

  app.get('/training/progress.json', async (context) =>
    context.json(listProgress(await listRuns(context.get('viewer')))),
  );

  app.get('/training/export.jsonl', (context) => streamTrainingExport(context, services));

  app.get('/training/runs/:id', async (context) => {
    const viewer = context.get('viewer');
    const run = await runFor(viewer, context.req.param('id'));
    return renderPage(context, TrainingRunPage({ viewer, run }));
  });

  app.get('/training/runs/:id/progress.json', async (context) =>
    context.json(runProgress(await runFor(context.get('viewer'), context.req.param('id')))),
  );
}
