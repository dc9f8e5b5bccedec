import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { commandService, describeWithServices } from '../../helpers/services.ts';
import { ruleFiles } from './observed-queries.ts';

const prometheusDirectory = new URL('../../../grafana/prometheus/', import.meta.url).pathname;
const testsDirectory = join(prometheusDirectory, 'tests');
const ruleTestFiles = readdirSync(testsDirectory)
  .filter((file) => file.endsWith('.test.yml'))
  .map((file) => join(testsDirectory, file));

function promtool(...args: string[]) {
  const result = spawnSync('promtool', args, { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const temporaryDirectories: string[] = [];
afterAll(() => {
  for (const directory of temporaryDirectories) {
    rmSync(directory, { recursive: true, force: true });
  }
});

describeWithServices([commandService('promtool')], 'promtool', () => {
  it('accepts grafana/prometheus/prometheus.yml and the rule files it loads', () => {
    const result = promtool('check', 'config', join(prometheusDirectory, 'prometheus.yml'));
    expect(result.output).toContain('is valid prometheus config file syntax');
    expect(result.output).toMatch(/SUCCESS: [1-9]\d* rule files found/);
    expect(result.status).toBe(0);
  });

  it('accepts every rule file', () => {
    const files = ruleFiles();
    expect(files.length).toBeGreaterThan(0);
    const result = promtool('check', 'rules', ...files);
    expect(result.output).not.toContain('FAILED');
    expect(result.status).toBe(0);
  });

  it('passes the alert unit tests (each alert fires on some series and stays quiet on others)', () => {
    expect(ruleTestFiles.length).toBeGreaterThan(0);
    const result = promtool('test', 'rules', ...ruleTestFiles);
    expect(result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });

  it('fails the unit tests when an alert threshold is wrong', () => {
    // The same rules with the error-rate threshold at 50 % instead of 5 %: the test that expects
    // RekindleHighErrorRate to fire on a 14 % error share must now fail.
    const copy = mkdtempSync(join(tmpdir(), 'rekindle-promtool-'));
    temporaryDirectories.push(copy);
    cpSync(prometheusDirectory, copy, { recursive: true });
    const rulesPath = join(copy, 'rules', 'rekindle-alerts.yml');
    const original = readFileSync(rulesPath, 'utf8');
    const broken = original.replace(
      /(sum by \(route\) \(rate\(rekindle_requests_total\[5m\]\)\)\n\s*\) > )0\.05/,
      '$10.5',
    );
    expect(broken).not.toBe(original);
    writeFileSync(rulesPath, broken);

    const result = promtool('test', 'rules', join(copy, 'tests', 'rekindle-alerts.test.yml'));
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('alertname: RekindleHighErrorRate');
  });
});
