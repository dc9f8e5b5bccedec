import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { join } from 'node:path';

export interface MachineInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGb: number;
  readonly kernel: string;
  readonly node: string;
  readonly date: string;
  readonly packages: Record<string, string>;
}

function packageVersion(directory: string, name: string): string {
  const path = join(directory, 'node_modules', ...name.split('/'), 'package.json');
  return existsSync(path)
    ? (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version
    : 'not installed';
}

export function toolVersion(binary: string | null, args: readonly string[]): string {
  if (!binary) {
    return 'not used';
  }
  const result = spawnSync(binary, [...args], { encoding: 'utf8' });
  const text = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n')[0] ?? '';
  return text || 'unknown';
}

export function machineInfo(repoDir: string): MachineInfo {
  const cpuList = cpus();
  const packages: Record<string, string> = {};
  for (const name of [
    'hono',
    '@hono/node-server',
    'undici',
    'zod',
    'prom-client',
    '@electric-sql/pglite',
    'tsx',
    'uuid',
    'autocannon',
  ]) {
    packages[name] = packageVersion(repoDir, name);
  }
  return {
    cpuModel: cpuList[0]?.model ?? 'unknown',
    cores: cpuList.length,
    memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    kernel: release(),
    node: process.version,
    date: new Date().toISOString(),
    packages,
  };
}
