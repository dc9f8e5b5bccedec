/**
 * `npm run bench`: the upstream direct, a bare Hono + undici proxy, Rekindle Gateway and Portkey's
 * gateway side by side, measured in one interleaved run; prints the table and writes bench/RESULTS.md.
 * `npm run bench -- --quick` is the smoke mode the test suite runs (short, nothing installed).
 */
import { writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBenchOptions } from './harness/bench-options.ts';
import { consoleTable, summarize } from './harness/report.ts';
import { markdownReport } from './harness/results-markdown.ts';
import { runBenchmark } from './harness/run-benchmark.ts';

const repoDir = dirname(dirname(fileURLToPath(import.meta.url)));

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2), repoDir);
  const log = (line: string) => process.stderr.write(`bench: ${line}\n`);
  const run = await runBenchmark(options, repoDir, log);
  const summary = summarize(run);
  process.stdout.write(`${consoleTable(summary, options.rate)}\n`);
  if (options.resultsPath) {
    writeFileSync(options.resultsPath, markdownReport(run, summary));
    log(`wrote ${options.resultsPath}`);
  }
  if (options.jsonPath) {
    writeFileSync(options.jsonPath, `${JSON.stringify({ summary, run }, null, 2)}\n`);
    log(`wrote ${options.jsonPath}`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
