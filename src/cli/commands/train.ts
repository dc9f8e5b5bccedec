import { isFinishedRun } from '../../pipeline/index.ts';
import type { TrainingRun, TrainingRunDetail } from '../../store/index.ts';
import { type AdminClientDependencies, withAdminClient } from '../admin-client/index.ts';
import {
  type CliCommand,
  type CliContext,
  CliError,
  type ParsedArguments,
} from '../cli-command.ts';
import { describeRunStatus, formatTrainingRun, formatTrainingRunList } from '../format/index.ts';

export function stringFlag(args: ParsedArguments, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

export function numberFlag(
  args: ParsedArguments,
  name: string,
  check: (value: number) => boolean,
  requirement: string,
): number | undefined {
  const text = stringFlag(args, name);
  if (text === undefined) {
    return undefined;
  }
  const value = Number(text);
  if (!Number.isFinite(value) || !check(value)) {
    throw new CliError(`--${name} must be ${requirement}`, 2);
  }
  return value;
}

/** Prints a line whenever the run's status (or the vendor's) changes, and every 30 s otherwise. */
function progressPrinter(context: CliContext): (run: TrainingRunDetail) => void {
  const started = Date.now();
  let last = '';
  let lastPrinted = 0;
  return (run) => {
    const line = `${run.model_version} ${describeRunStatus(run)}${run.provider_job_id ? ` — job ${run.provider_job_id}` : ''}`;
    const now = Date.now();
    if (line !== last || now - lastPrinted >= 30_000) {
      const elapsed = Math.round((now - started) / 1000);
      context.progress(
        `[${String(Math.floor(elapsed / 60)).padStart(2, '0')}:${String(elapsed % 60).padStart(2, '0')}] ${line}`,
      );
      last = line;
      lastPrinted = now;
    }
  };
}

/** Handed to the vendor (or finished): `train` without --wait returns here when it drives runs. */
const handedOver = (run: TrainingRun) => run.status === 'queued' || run.status === 'running';
const exitCodeOf = (run: TrainingRun) =>
  run.status === 'failed' || run.status === 'cancelled' ? 1 : 0;

export function createTrainCommands(dependencies: AdminClientDependencies = {}): CliCommand[] {
  return [trainCommand(dependencies), statusCommand(dependencies), cancelCommand(dependencies)];
}

function trainCommand(dependencies: AdminClientDependencies): CliCommand {
  return {
    name: 'train',
    summary: 'Start a training cycle: export, fine-tune, register (and deploy) the new model',
    usage:
      'train --provider openai|together [--model-version v1.0.0] [--min-quality-score 0.6] [--organization-id ORG] [--route outreach] [--deploy-immediately --ab-test-traffic 10] [--wait] [--json]',
    options: {
      provider: { type: 'string' },
      'model-version': { type: 'string' },
      'min-quality-score': { type: 'string' },
      'organization-id': { type: 'string' },
      route: { type: 'string' },
      'deploy-immediately': { type: 'boolean', default: false },
      'ab-test-traffic': { type: 'string' },
      wait: { type: 'boolean', default: false },
    },
    async run(context, args) {
      const provider = stringFlag(args, 'provider');
      if (provider !== 'openai' && provider !== 'together') {
        throw new CliError('--provider openai|together is required', 2);
      }
      const deployImmediately = args.values['deploy-immediately'] === true;
      const traffic = numberFlag(args, 'ab-test-traffic', (v) => v > 0 && v <= 100, 'in (0, 100]');
      if (traffic !== undefined && !deployImmediately) {
        throw new CliError('--ab-test-traffic needs --deploy-immediately', 2);
      }
      const minQualityScore = numberFlag(
        args,
        'min-quality-score',
        (v) => v >= 0 && v <= 1,
        'in [0, 1]',
      );
      const wait = args.values.wait === true;
      const route = stringFlag(args, 'route');
      // The gateway's orchestrator drives runs; in-process, this process does while it waits.
      const { run, mode } = await withAdminClient(context, dependencies, async (client) => {
        const { training, mode } = client;
        const created = await training.startRun({
          provider,
          modelVersion: stringFlag(args, 'model-version') ?? null,
          ...(minQualityScore === undefined ? {} : { minQualityScore }),
          organizationId: stringFlag(args, 'organization-id') ?? null,
          ...(route ? { route } : {}),
          deployImmediately,
          abTestTraffic: traffic ?? null,
          triggeredBy: 'cli',
        });
        context.progress(
          `training run ${created.id} (${created.model_version} on ${provider}) started${mode === 'gateway' ? ' on the gateway' : ''}`,
        );
        const current =
          !wait && mode === 'gateway'
            ? await training.getRun(created.id)
            : await training.waitForRun(created.id, {
                until: wait ? isFinishedRun : handedOver,
                onProgress: progressPrinter(context),
              });
        return { run: current, mode };
      });
      const next =
        wait || isFinishedRun(run)
          ? ''
          : `\n\nFollow it with \`rekindle train status ${run.id}\`${mode === 'gateway' ? '' : ' --wait (or a running gateway resumes it)'}.`;
      return {
        json: run as unknown as Record<string, unknown>,
        text: `${formatTrainingRun(run)}${next}`,
        exitCode: exitCodeOf(run),
      };
    },
  };
}

function statusCommand(dependencies: AdminClientDependencies): CliCommand {
  return {
    name: 'train status',
    summary: 'Show a training run (by id or model version), or list recent runs',
    usage: 'train status [RUN] [--wait] [--limit 20] [--json]',
    options: {
      wait: { type: 'boolean', default: false },
      limit: { type: 'string' },
    },
    async run(context, args) {
      const ref = args.positionals[0];
      const limit = numberFlag(
        args,
        'limit',
        (v) => Number.isInteger(v) && v > 0,
        'a positive whole number',
      );
      return withAdminClient(context, dependencies, async ({ training }) => {
        if (!ref) {
          const runs = await training.listRuns({ limit: limit ?? 20 });
          return {
            json: { object: 'list', data: runs },
            text: formatTrainingRunList(runs),
          };
        }
        let run = await training.getRun(ref);
        if (args.values.wait === true && !isFinishedRun(run)) {
          run = await training.waitForRun(run.id, { onProgress: progressPrinter(context) });
        }
        return {
          json: run as unknown as Record<string, unknown>,
          text: formatTrainingRun(run),
          exitCode: args.values.wait === true ? exitCodeOf(run) : 0,
        };
      });
    },
  };
}

function cancelCommand(dependencies: AdminClientDependencies): CliCommand {
  return {
    name: 'train cancel',
    summary: "Cancel a training run (and its vendor job); the vendor's answer is kept",
    usage: 'train cancel RUN [--reason TEXT] [--json]',
    options: { reason: { type: 'string' } },
    async run(context, args) {
      const ref = args.positionals[0];
      if (!ref) {
        throw new CliError(
          'give the run id (or model version), as shown by `rekindle train status`',
          2,
        );
      }
      const run = await withAdminClient(context, dependencies, ({ training }) =>
        training.cancelRun(ref, stringFlag(args, 'reason') ?? null),
      );
      return {
        json: run as unknown as Record<string, unknown>,
        text: formatTrainingRun(run),
      };
    },
  };
}

export const trainCommands = createTrainCommands();
