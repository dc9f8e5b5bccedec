import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { type AdminClientDependencies, withAdminClient } from '../admin-client/index.ts';
import { type CliCommand, CliError } from '../cli-command.ts';
import { formatExportStats } from '../format/index.ts';
import { numberFlag, stringFlag } from './train.ts';

/**
 * `rekindle export --output FILE [--organization-id ORG] [--min-quality-score 0.6] [--limit N]
 * [--format openai|together] [--keep-pii] [--min-examples N]`: the seed's
 * `DataFormatter.export_to_jsonl` — training-ready outcomes as chat fine-tuning JSONL, PII
 * scrubbed, deduplicated, with stats and cost estimates. The file appears only when the export
 * passed its checks.
 */
export function createExportCommand(dependencies: AdminClientDependencies = {}): CliCommand {
  return {
    name: 'export',
    summary: 'Export training-ready outcomes to fine-tuning JSONL (PII scrubbed), with stats',
    usage:
      'export --output FILE [--organization-id ORG] [--min-quality-score 0.6] [--limit N] [--format openai|together] [--keep-pii] [--min-examples N] [--json]',
    options: {
      output: { type: 'string' },
      'organization-id': { type: 'string' },
      'min-quality-score': { type: 'string' },
      limit: { type: 'string' },
      format: { type: 'string' },
      'keep-pii': { type: 'boolean', default: false },
      'min-examples': { type: 'string' },
    },
    async run(context, args) {
      const outputFlag = stringFlag(args, 'output');
      if (!outputFlag) {
        throw new CliError('--output FILE is required', 2);
      }
      const output = resolve(outputFlag);
      const format = stringFlag(args, 'format') ?? 'openai';
      if (format !== 'openai' && format !== 'together') {
        throw new CliError('--format must be openai or together', 2);
      }
      const minQualityScore = numberFlag(
        args,
        'min-quality-score',
        (v) => v >= 0 && v <= 1,
        'in [0, 1]',
      );
      const limit = numberFlag(
        args,
        'limit',
        (v) => Number.isInteger(v) && v > 0,
        'a positive whole number',
      );
      const minExamples = numberFlag(
        args,
        'min-examples',
        (v) => Number.isInteger(v) && v >= 0,
        'a whole number',
      );
      const keepPii = args.values['keep-pii'] === true;
      await prepareOutputFolder(output);
      const { stats, mode } = await withAdminClient(context, dependencies, async (client) => {
        context.progress(
          client.mode === 'gateway'
            ? `exporting through the gateway at ${client.gatewayUrl}…`
            : 'exporting training-ready outcomes…',
        );
        const result = await client.training.exportToFile(
          output,
          {
            format,
            organizationId: stringFlag(args, 'organization-id') ?? null,
            ...(minQualityScore === undefined ? {} : { minQualityScore }),
            limit: limit ?? null,
            keepPii,
            ...(minExamples === undefined ? {} : { minExamples }),
          },
          (fetched) => context.progress(`  ${fetched} outcomes read`),
        );
        return { stats: result, mode: client.mode };
      });
      if (keepPii) {
        context.progress('warning: --keep-pii: names, emails and phone numbers were NOT removed');
      }
      return {
        json: { output, format, via: mode, stats },
        text: formatExportStats(output, stats),
      };
    },
  };
}

export const exportCommand = createExportCommand();

/**
 * `--output ./training_data/x.jsonl` in a fresh checkout: the folder is made (as `mkdir -p`
 * would), so the export does not die on a raw ENOENT; an output that is itself a folder is a
 * usage error, said in words.
 */
async function prepareOutputFolder(output: string): Promise<void> {
  const existing = await stat(output).catch(() => null);
  if (existing?.isDirectory()) {
    throw new CliError(
      `--output ${output} is a folder: name the file to write, e.g. ${output}/train.jsonl`,
      2,
    );
  }
  try {
    await mkdir(dirname(output), { recursive: true });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliError(`cannot create the folder of --output ${output}: ${reason}`);
  }
}
