import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommand } from './processes.ts';

export const portkeyVersion = '1.15.2';
/** Streaming breaks with @hono/node-server > 1.14.2 (Portkey #1389); its Docker lockfile pins 1.13.5. */
export const portkeyNodeServerOverride = '1.13.5';

const benchDir = dirname(dirname(fileURLToPath(import.meta.url)));
export const bindLoopbackPreload = join(benchDir, 'portkey', 'bind-loopback.mjs');

export interface PortkeyInstall {
  readonly directory: string;
  readonly entry: string;
  readonly version: string;
  readonly nodeServerVersion: string;
}

/**
 * `@portkey-ai/gateway@1.15.2` in `bench/.work/portkey` with the `@hono/node-server` override,
 * installed with npm the first time (npm 11 blocks its patch-package postinstall: harmless, the
 * tarball ships no patches).
 */
export async function ensurePortkey(
  workDir: string,
  log: (line: string) => void,
): Promise<PortkeyInstall> {
  const directory = join(workDir, 'portkey');
  const entry = join(
    directory,
    'node_modules',
    '@portkey-ai',
    'gateway',
    'build',
    'start-server.js',
  );
  const installed = (name: string) => {
    const path = join(directory, 'node_modules', ...name.split('/'), 'package.json');
    return existsSync(path)
      ? (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version
      : null;
  };
  if (
    installed('@portkey-ai/gateway') !== portkeyVersion ||
    installed('@hono/node-server') !== portkeyNodeServerOverride ||
    !existsSync(entry)
  ) {
    log(`installing @portkey-ai/gateway@${portkeyVersion} into ${directory} (npm)`);
    mkdirSync(directory, { recursive: true });
    writeFileSync(
      join(directory, 'package.json'),
      `${JSON.stringify(
        {
          name: 'portkey-bench',
          private: true,
          dependencies: { '@portkey-ai/gateway': portkeyVersion },
          overrides: { '@hono/node-server': portkeyNodeServerOverride },
        },
        null,
        2,
      )}\n`,
    );
    await runCommand('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: directory,
      timeoutMs: 600_000,
    });
  }
  const version = installed('@portkey-ai/gateway');
  const nodeServerVersion = installed('@hono/node-server');
  if (
    version !== portkeyVersion ||
    nodeServerVersion !== portkeyNodeServerOverride ||
    !existsSync(entry)
  ) {
    throw new Error(
      `Portkey install in ${directory} is not as expected (gateway ${version}, @hono/node-server ${nodeServerVersion})`,
    );
  }
  return { directory, entry, version, nodeServerVersion };
}

/** `node --import bind-loopback.mjs start-server.js --headless --port=N` */
export function portkeyCommand(install: PortkeyInstall, port: number): string[] {
  return ['--import', bindLoopbackPreload, install.entry, '--headless', `--port=${port}`];
}
