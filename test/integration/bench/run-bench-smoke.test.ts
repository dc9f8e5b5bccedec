import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * `npm run bench -- --quick` end to end: the upstream, the bare proxy and Rekindle Gateway (on
 * PGlite, every request tracked) started, checked and measured, the table and RESULTS-style report
 * written. Durations are far too short for the figures to mean anything; this proves the harness
 * runs, not how fast anything is. Portkey is left out (it is installed from npm by the full run).
 */
const repoDir = join(import.meta.dirname, '..', '..', '..');
const workDir = mkdtempSync(join(tmpdir(), 'rekindle-bench-smoke-'));
let child: ChildProcess | undefined;

afterAll(() => {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
  }
  rmSync(workDir, { recursive: true, force: true });
});

function runQuickBench(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(repoDir, 'bench', 'run-bench.ts'),
        '--quick',
        '--no-portkey',
        '--work-dir',
        workDir,
        '--json',
        join(workDir, 'run.json'),
        '--results',
        join(workDir, 'RESULTS.md'),
      ],
      { cwd: repoDir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (data: Buffer) => {
      stdout += data.toString();
    });
    child.stderr?.on('data', (data: Buffer) => {
      stderr += data.toString();
    });
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

interface SmokeReport {
  summary: {
    targets: Array<{
      id: string;
      requestsPerSecond: number;
      p50Ms: number;
      firstByteP50Ms: number;
      errors: number;
      listening: string[];
    }>;
    checks: Array<{ target: string; name: string }>;
  };
  run: {
    rekindle: Array<{
      id: string;
      trackedRows: number;
      messagesSent: number;
      trackingDropped: number;
      variants: Record<string, number>;
    }>;
  };
}

describe('npm run bench -- --quick', () => {
  it('measures the upstream, the bare proxy and Rekindle, and writes the report', async () => {
    const { code, stdout, stderr } = await runQuickBench();
    expect(code, stderr.slice(-3000)).toBe(0);
    expect(stdout).toContain('req/s @16 conn');

    const report = JSON.parse(readFileSync(join(workDir, 'run.json'), 'utf8')) as SmokeReport;
    const ids = report.summary.targets.map((target) => target.id);
    expect(ids).toEqual(['upstream', 'bare', 'rekindle']);
    for (const target of report.summary.targets) {
      expect(target.errors, target.id).toBe(0);
      expect(target.requestsPerSecond, target.id).toBeGreaterThan(0);
      expect(Number.isFinite(target.p50Ms), target.id).toBe(true);
      expect(Number.isFinite(target.firstByteP50Ms), target.id).toBe(true);
      for (const address of target.listening) {
        expect(address.startsWith('127.0.0.1:'), `${target.id} listens on ${address}`).toBe(true);
      }
    }
    expect(report.summary.checks.map((check) => check.target)).toContain('rekindle');

    const [gateway] = report.run.rekindle;
    expect(gateway?.id).toBe('rekindle');
    // Every tracked request reached outcome_labels once the gateway stopped.
    expect(gateway?.messagesSent).toBeGreaterThan(0);
    expect(gateway?.trackedRows).toBe(gateway?.messagesSent);
    expect(gateway?.trackingDropped).toBe(0);
    // The registry's 10 % variant is served next to the baseline.
    expect(gateway?.variants.baseline).toBeGreaterThan(0);
    expect(gateway?.variants['variant-a']).toBeGreaterThan(0);

    expect(existsSync(join(workDir, 'RESULTS.md'))).toBe(true);
    const markdown = readFileSync(join(workDir, 'RESULTS.md'), 'utf8');
    expect(markdown).toContain('## Machine');
    expect(markdown).toContain('| (c) Rekindle Gateway (PGlite) |');
  }, 240_000);
});
