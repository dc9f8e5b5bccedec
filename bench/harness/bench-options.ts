import { parseArgs } from 'node:util';

export interface BenchOptions {
  /** Measurement rounds; each round visits every target, in a rotated order. */
  readonly rounds: number;
  readonly connections: number;
  readonly throughputSeconds: number;
  /** Fixed-rate phase: requests per second and duration. */
  readonly rate: number;
  readonly rateSeconds: number;
  /** Sequential streaming requests per target per round. */
  readonly streamRequests: number;
  readonly warmupSeconds: number;
  /** `auto`: measured when already installed in the work dir (quick mode's default). */
  readonly portkey: 'on' | 'off' | 'auto';
  /** apt-get nginx-light/wrk when missing and root (off in quick mode). */
  readonly install: boolean;
  readonly upstream: 'nginx' | 'node';
  /** How the Rekindle process runs: compiled by `tsc -p tsconfig.build.json`, or through tsx. */
  readonly rekindleRun: 'compiled' | 'tsx';
  /** Also measure Rekindle with its store on a local PostgreSQL server (c2); `auto` = when installed. */
  readonly postgres: 'on' | 'off' | 'auto';
  /** Also measure Rekindle as this many node:cluster workers over PostgreSQL (c3); 0 = not. */
  readonly clusterWorkers: number;
  readonly workDir: string;
  /** Markdown report; null writes none. */
  readonly resultsPath: string | null;
  readonly jsonPath: string | null;
  /** Run the Rekindle process under --cpu-prof (profiles in <workDir>/profiles). */
  readonly profile: boolean;
  readonly quick: boolean;
  /** How the run was started, for the report. */
  readonly commandLine: string;
}

export const usage = `npm run bench -- [--quick] [--rounds N] [--seconds S] [--rate R] [--stream-requests N]
  [--no-portkey] [--no-postgres] [--tsx] [--upstream nginx|node] [--results PATH|none] [--json PATH]
  [--profile] [--cluster N]`;

export function parseBenchOptions(argv: readonly string[], repoDir: string): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean', default: false },
      rounds: { type: 'string' },
      seconds: { type: 'string' },
      rate: { type: 'string' },
      'stream-requests': { type: 'string' },
      connections: { type: 'string' },
      warmup: { type: 'string' },
      'no-portkey': { type: 'boolean', default: false },
      'no-postgres': { type: 'boolean', default: false },
      postgres: { type: 'boolean', default: false },
      tsx: { type: 'boolean', default: false },
      cluster: { type: 'string' },
      portkey: { type: 'boolean', default: false },
      upstream: { type: 'string' },
      results: { type: 'string' },
      json: { type: 'string' },
      'work-dir': { type: 'string' },
      profile: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  const quick = values.quick === true;
  const number = (text: string | undefined, fallback: number) => {
    if (text === undefined) {
      return fallback;
    }
    const parsed = Number(text);
    if (!Number.isFinite(parsed) || parsed <= 0) {
      throw new Error(`not a positive number: ${text}\n${usage}`);
    }
    return parsed;
  };
  const seconds = number(values.seconds, quick ? 1 : 5);
  const upstream = values.upstream ?? 'nginx';
  if (upstream !== 'nginx' && upstream !== 'node') {
    throw new Error(`--upstream must be nginx or node\n${usage}`);
  }
  const results = values.results ?? (quick ? 'none' : `${repoDir}/bench/RESULTS.md`);
  return {
    rounds: Math.round(number(values.rounds, quick ? 1 : 3)),
    connections: Math.round(number(values.connections, 16)),
    throughputSeconds: seconds,
    rate: number(values.rate, quick ? 200 : 500),
    rateSeconds: seconds,
    streamRequests: Math.round(number(values['stream-requests'], quick ? 10 : 100)),
    warmupSeconds: number(values.warmup, quick ? 1 : 6),
    portkey: values['no-portkey'] ? 'off' : values.portkey ? 'on' : quick ? 'auto' : 'on',
    install: !quick,
    upstream,
    rekindleRun: values.tsx || quick ? 'tsx' : 'compiled',
    postgres: values['no-postgres']
      ? 'off'
      : values.postgres || values.cluster
        ? 'on'
        : quick
          ? 'off'
          : 'auto',
    clusterWorkers: values.cluster === undefined ? 0 : Math.round(number(values.cluster, 2)),
    workDir: values['work-dir'] ?? `${repoDir}/bench/.work`,
    resultsPath: results === 'none' ? null : results,
    jsonPath: values.json ?? null,
    profile: values.profile === true,
    quick,
    commandLine: ['npm run bench', ...(argv.length > 0 ? ['--', ...argv] : [])].join(' '),
  };
}
