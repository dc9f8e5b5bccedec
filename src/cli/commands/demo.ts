import { constants } from 'node:fs';
import { access, mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { type CliCommand, CliError, type ParsedArguments } from '../cli-command.ts';
import type { ProgressOutput } from '../demo/demo-progress.ts';
import { type DemoSettings, defaultDemoSettings, fastDemoSettings } from '../demo/demo-settings.ts';
import type { DemoEnvironment } from '../demo/index.ts';

export interface DemoCommandDependencies {
  /** Where progress goes (default: stderr, with bars when it is a terminal). */
  progressOutput?: ProgressOutput;
  /** The directory a relative `--report` is resolved against (default: the working directory). */
  cwd?: string;
  /** With `--serve`: resolves when the demo should stop (default: SIGINT or SIGTERM). */
  untilStopped?: () => Promise<void>;
}

/**
 * `rekindle demo [--seed N] [--variant-lift better|none] [--weeks N] [--leads-per-week N]
 * [--variant-share P] [--fast] [--report FILE] [--serve] [--port N] [--json]`: the whole learning
 * loop on this machine, against local simulators, in a few minutes; writes an HTML report. With
 * `--serve` the gateway, its console and the simulators keep running on the demo's data until
 * Ctrl-C. Exit 0 when the demo ran to its end, whatever the engine decided.
 */
export function createDemoCommand(dependencies: DemoCommandDependencies = {}): CliCommand {
  return {
    name: 'demo',
    summary: 'Run the learning loop end to end against local simulators and write an HTML report',
    usage:
      'demo [--seed 42] [--variant-lift better|none] [--weeks 10] [--leads-per-week 1000] [--variant-share 10] [--fast] [--report demo-report.html] [--serve] [--port 8787] [--json]',
    options: {
      seed: { type: 'string' },
      'variant-lift': { type: 'string' },
      weeks: { type: 'string' },
      'leads-per-week': { type: 'string' },
      'variant-share': { type: 'string' },
      fast: { type: 'boolean', default: false },
      report: { type: 'string' },
      serve: { type: 'boolean', default: false },
      port: { type: 'string' },
    },
    async run(context, args) {
      const settings = demoSettingsFrom(args);
      const reportPath = resolve(dependencies.cwd ?? process.cwd(), settings.reportPath);
      const output = dependencies.progressOutput ?? {
        write: (text: string) => process.stderr.write(text),
        isTTY: process.stderr.isTTY === true,
        columns: process.stderr.columns,
      };
      // A report path that cannot be written fails now, not after the whole run.
      await mkdir(dirname(reportPath), { recursive: true });
      await access(dirname(reportPath), constants.W_OK);
      // Loaded on use: the demo pulls in the whole gateway, which other commands do not need.
      const demo = await import('../demo/index.ts');
      const serve = args.values.serve === true;
      let consoleUrl: string | null = null;
      const report = await demo.runDemo(
        settings,
        context.json ? demo.silentProgress : demo.createDemoProgress(output),
        {
          hold: async (finished, environment) => {
            await writeFile(reportPath, demo.renderHtmlReport(finished));
            if (!serve) {
              return;
            }
            consoleUrl = `${environment.gateway.url}/console`;
            output.write(servingNotice(environment, consoleUrl));
            await (dependencies.untilStopped ?? untilSignal)();
          },
        },
      );
      const summary = demo.demoSummary(report, reportPath);
      return {
        json: serve ? { ...summary, console_url: consoleUrl } : summary,
        text: demo.formatDemoText(report, reportPath),
      };
    },
  };
}

/** Where the console is and how to sign in (stderr, also with --json: stdout stays one object). */
function servingNotice(environment: DemoEnvironment, consoleUrl: string): string {
  return [
    '',
    `The demo keeps running. Console: ${consoleUrl}`,
    `  sign in with the admin token ${environment.adminToken} (every organization; may act)`,
    `  or the campaigns' API key ${environment.apiKey} (organization northwind-outbound; read-only)`,
    'Ctrl-C stops the gateway and the simulators (the demo store is a temp dir: it goes too).',
    '',
  ].join('\n');
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export const demoCommand = createDemoCommand();

/** Flags over the defaults (`--fast` first, explicit flags win); bad values exit 2. */
function demoSettingsFrom(args: ParsedArguments): DemoSettings {
  const base = { ...defaultDemoSettings, ...(args.values.fast === true ? fastDemoSettings : {}) };
  const lift = args.values['variant-lift'] ?? base.variantLift;
  if (lift !== 'better' && lift !== 'none') {
    throw new CliError('--variant-lift must be "better" or "none"', 2);
  }
  const report = args.values.report;
  return {
    ...base,
    seed: integerFlag(args, 'seed', base.seed, 0, 2 ** 31 - 1),
    variantLift: lift,
    weeks: integerFlag(args, 'weeks', base.weeks, 1, 26),
    leadsPerWeek: integerFlag(args, 'leads-per-week', base.leadsPerWeek, 50, 20_000),
    variantShare: integerFlag(args, 'variant-share', base.variantShare, 1, 50),
    reportPath:
      typeof report === 'string' && report.trim() !== '' ? report.trim() : base.reportPath,
    port: integerFlag(args, 'port', args.values.serve === true ? 8787 : base.port, 0, 65_535),
  };
}

function integerFlag(
  args: ParsedArguments,
  name: string,
  fallback: number,
  minimum: number,
  maximum: number,
): number {
  const raw = args.values[name];
  if (raw === undefined) {
    return fallback;
  }
  const value = Number(raw);
  if (!Number.isInteger(value) || value < minimum || value > maximum) {
    throw new CliError(`--${name} must be a whole number from ${minimum} to ${maximum}`, 2);
  }
  return value;
}
