import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { prometheusService } from '../../helpers/prometheus-server.ts';
import {
  commandService,
  itWithServices,
  pgProveService,
  postgresService,
  redisService,
  type ServiceRequirement,
} from '../../helpers/services.ts';
import {
  type Coverage,
  type CoverageEntry,
  coveragesOf,
  type GroupName,
} from './coverage-types.ts';
import { demoCoverage } from './demo-coverage.ts';
import { deployCoverage } from './deploy-coverage.ts';
import { experimentsAndTrainingCoverage } from './experiments-training-coverage.ts';
import { type DocCommand, extractAllCommands } from './extract-commands.ts';
import { integrationsCoverage } from './integrations-coverage.ts';
import { keysCoverage } from './keys-coverage.ts';
import { operationsCoverage } from './operations-coverage.ts';
import { performanceCoverage } from './performance-coverage.ts';
import { readmeCoverage, supabaseCoverage } from './readme-and-supabase-coverage.ts';
import { closeSandboxServices, openSandbox, runCommandInSandbox } from './sandbox-groups.ts';
import { substitute } from './shell-sandbox.ts';
import {
  rolloutAndWebhooksCoverage,
  trainingTroubleshootingCoverage,
} from './troubleshooting-coverage.ts';

/**
 * Issue 9, Must show 3: every command in docs/ and the README is run by a test or by .ci/run.
 *
 * Every shell command of a fenced bash/sh/shell/console/crontab block of README.md and
 * docs/**\/*.md (extract-commands.ts) must have an entry in the table below (the *-coverage.ts
 * files). An entry either runs the command for real in a sandbox group — a clean environment, a temp
 * data directory, a throwaway PostgreSQL / Redis / Prometheus, local fakes of OpenAI and Supabase's
 * rpc endpoint, the docs' placeholders (`127.0.0.1:8787`, `YOUR-PROJECT-REF`…) replaced by the
 * sandbox's values — and checks its exit code and output; or names the test file that runs it (which
 * must exist and contain the call), or `.ci/run`; or says why it cannot run here. A new command in a
 * doc without an entry fails the first test, an entry whose command left the docs fails the second.
 */

const repositoryRoot = join(import.meta.dirname, '../../..');
const coverage: readonly CoverageEntry[] = [
  ...readmeCoverage,
  ...keysCoverage,
  ...supabaseCoverage,
  ...operationsCoverage,
  ...trainingTroubleshootingCoverage,
  ...integrationsCoverage,
  ...rolloutAndWebhooksCoverage,
  ...experimentsAndTrainingCoverage,
  ...demoCoverage,
  ...performanceCoverage,
  ...deployCoverage,
];
const commands = extractAllCommands(repositoryRoot);
const keyOf = (doc: string, command: string) => `${doc}: ${command}`;
const entries = new Map(coverage.map((entry) => [keyOf(entry.doc, entry.command), entry]));
const entryOf = (command: DocCommand) => entries.get(keyOf(command.doc, command.text));
const runsFor = (entry: CoverageEntry) =>
  coveragesOf(entry).some((how) => how.kind === 'run' || how.kind === 'server');
const readRepositoryFile = (path: string) => readFileSync(join(repositoryRoot, path), 'utf8');

const groups: ReadonlyArray<{
  group: GroupName;
  title: string;
  services: () => ServiceRequirement[];
}> = [
  {
    group: 'readme',
    title: "the README's quick start and tenancy on the embedded store",
    services: () => [commandService('curl')],
  },
  {
    group: 'experiments',
    title: "experiments.md's evaluate and leaderboard, from a file and from the store",
    services: () => [postgresService()],
  },
  {
    group: 'supabase',
    title:
      'deploy-supabase.md over DATABASE_URL (PostgreSQL 15, pg_prove) and the Supabase rpc transport',
    services: () => [postgresService(), pgProveService()],
  },
  {
    group: 'operations',
    title: 'operations.md and integrations.md on a replica (PostgreSQL, Redis, fake OpenAI)',
    services: () => [
      postgresService(),
      redisService(),
      commandService('psql'),
      commandService('curl'),
      commandService('openssl'),
    ],
  },
  {
    group: 'prometheus',
    title: 'operations.md: promtool and Prometheus with grafana/prometheus',
    services: () => [prometheusService(), commandService('promtool')],
  },
];

describe('every command in README.md and docs/ is accounted for', () => {
  it('finds the commands of the README and the operator docs', () => {
    const docs = new Set(commands.map((command) => command.doc));
    for (const doc of [
      'README.md',
      'docs/deploy-supabase.md',
      'docs/operations.md',
      'docs/integrations.md',
    ]) {
      expect(docs, doc).toContain(doc);
    }
    expect(commands.length).toBeGreaterThanOrEqual(50);
  });

  it('has an entry for every documented command', () => {
    const missing = commands
      .filter((command) => !entryOf(command))
      .map((command) => `${command.doc}:${command.line}  ${command.text}`);
    expect(
      missing,
      'add these to the table in test/integration/docs/*-coverage.ts (run them, name the test that does, or say why they cannot run)',
    ).toEqual([]);
  });

  it('has no entry for a command that no doc has, and none twice', () => {
    const documented = new Set(commands.map((command) => keyOf(command.doc, command.text)));
    const stale = coverage.filter((entry) => !documented.has(keyOf(entry.doc, entry.command)));
    expect(stale.map((entry) => keyOf(entry.doc, entry.command))).toEqual([]);
    expect(entries.size).toBe(coverage.length);
  });

  it('points at test files that exist and make the documented call', () => {
    const problems: string[] = [];
    const check = (entry: CoverageEntry, file: string, contains: readonly string[]) => {
      if (!existsSync(join(repositoryRoot, file))) {
        problems.push(`${entry.command}: ${file} does not exist`);
        return;
      }
      const text = readRepositoryFile(file);
      for (const fragment of contains) {
        if (!text.includes(fragment)) {
          problems.push(`${entry.command}: ${file} does not contain ${fragment}`);
        }
      }
    };
    for (const entry of coverage) {
      for (const how of coveragesOf(entry)) {
        if (how.kind === 'test') {
          check(entry, how.file, how.contains);
        } else if (how.kind === 'ci') {
          check(entry, '.ci/run', [how.contains]);
        } else if (how.kind === 'not-runnable') {
          expect(how.reason.length, entry.command).toBeGreaterThan(20);
          if (how.equivalent) {
            check(entry, how.equivalent.file, how.equivalent.contains);
          }
        } else if (how.kind === 'same-as') {
          const twin = entries.get(keyOf(how.doc, entry.command));
          if (!twin || !runsFor(twin)) {
            problems.push(`${entry.command}: ${how.doc} has no run entry for the same command`);
          }
        } else if ((how.kind === 'run' || how.kind === 'server') && how.part) {
          if (!entry.command.includes(how.part)) {
            problems.push(`${entry.command}: does not contain the part ${how.part}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
    // `.ci/run` runs the README's test command exactly, after `npm ci`.
    expect(readRepositoryFile('.ci/run')).toMatch(/^npm ci\b[\s\S]*^npm test$/m);
  });

  it('runs every run entry in a sandbox group that exists', () => {
    const declared = new Set(groups.map((group) => group.group));
    const homeless = coverage.filter((entry) =>
      coveragesOf(entry).some(
        (how) => (how.kind === 'run' || how.kind === 'server') && !declared.has(how.group),
      ),
    );
    expect(homeless.map((entry) => keyOf(entry.doc, entry.command))).toEqual([]);
  });

  it('runs every setup line: a command of its block that runs comes after it', () => {
    const orphans = commands.filter((command) => {
      const entry = entryOf(command);
      if (!entry || !coveragesOf(entry).some((how) => how.kind === 'setup')) {
        return false;
      }
      return !commands.some((later) => {
        const laterEntry = entryOf(later);
        return (
          later.doc === command.doc &&
          later.block === command.block &&
          later.line > command.line &&
          laterEntry !== undefined &&
          runsFor(laterEntry)
        );
      });
    });
    expect(orphans.map((command) => `${command.doc}:${command.line} ${command.text}`)).toEqual([]);
  });

  it('keeps the commands that cannot run here few, each with its reason', () => {
    const notRunnable = coverage.filter((entry) =>
      coveragesOf(entry).every((how: Coverage) => how.kind === 'not-runnable'),
    );
    expect(notRunnable.map((entry) => keyOf(entry.doc, entry.command))).toEqual([
      'README.md: export OPENAI_API_KEY=sk-…',
      'README.md: export TOGETHER_API_KEY=…',
      'README.md: export ANTHROPIC_API_KEY=sk-ant-…',
      'README.md: npm start',
      'docs/deploy-supabase.md: supabase link --project-ref YOUR-PROJECT-REF',
      'docs/deploy-supabase.md: supabase db push',
      // Manual benchmarks (minutes of load each), kept out of .ci/run's 15 minutes.
      'docs/console.md: npm run bench:console',
      'docs/performance.md: npm run bench:console',
      'docs/performance.md: npm run bench:stages',
    ]);
  });
});

describe.concurrent('the documented commands, run', () => {
  afterAll(() => closeSandboxServices());

  for (const { group, title, services } of groups) {
    itWithServices(
      services(),
      title,
      async () => {
        const sandbox = await openSandbox(group, repositoryRoot);
        const failures: string[] = [];
        try {
          for (const entry of coverage) {
            if (
              entry.doc &&
              coveragesOf(entry).some((how) => how.kind === 'sandbox-env' && how.group === group)
            ) {
              // `export NAME=VALUE` the sandbox stands in for: it must hold that value.
              const [name, value] = entry.command.replace(/^export /, '').split('=');
              if (sandbox.env[name ?? ''] !== substitute(value ?? '', sandbox.replacements)) {
                failures.push(
                  `${entry.command}: the sandbox sets ${name}=${sandbox.env[name ?? '']}`,
                );
              }
            }
          }
          for (const entry of coverage) {
            for (const how of coveragesOf(entry)) {
              if ((how.kind !== 'run' && how.kind !== 'server') || how.group !== group) {
                continue;
              }
              for (const occurrence of commands.filter(
                (command) => command.doc === entry.doc && command.text === entry.command,
              )) {
                const failure = await runCommandInSandbox(
                  sandbox,
                  occurrence,
                  how,
                  commands,
                  entryOf,
                );
                if (failure) {
                  failures.push(
                    `${occurrence.doc}:${occurrence.line}  ${occurrence.text}\n${failure}`,
                  );
                }
              }
            }
          }
        } finally {
          await sandbox.close();
        }
        if (failures.length > 0) {
          for (const server of sandbox.serverHistory) {
            failures.push(`server output (last 6 kB):\n${server.output().slice(-6000)}`);
          }
        }
        expect(failures, failures.join('\n\n')).toEqual([]);
      },
      240_000,
    );
  }
});
