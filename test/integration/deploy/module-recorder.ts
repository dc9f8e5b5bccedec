/**
 * Records every ES module a Node process (and its node children) resolves, through a module
 * resolve hook preloaded with NODE_OPTIONS=--import: what a process loaded, not what it could
 * have. Each line of the log is `<pid> <url>`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface ModuleRecorder {
  /** Give the process this as NODE_OPTIONS. */
  readonly nodeOptions: string;
  /** The URLs each process loaded, by pid. */
  loadedByProcess(): Map<number, string[]>;
}

export function moduleRecorder(directory: string): ModuleRecorder {
  const log = join(directory, 'modules.log');
  const hooks = join(directory, 'record-hooks.mjs');
  const preload = join(directory, 'record-modules.mjs');
  writeFileSync(log, '');
  writeFileSync(
    hooks,
    `import { appendFileSync } from 'node:fs';
let log;
export function initialize(data) { log = data.log; }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(log, process.pid + ' ' + result.url + '\\n');
  return result;
}
`,
  );
  writeFileSync(
    preload,
    `import { register } from 'node:module';
register(${JSON.stringify(pathToFileURL(hooks).href)}, { data: { log: ${JSON.stringify(log)} } });
`,
  );
  return {
    nodeOptions: `--import=${pathToFileURL(preload).href}`,
    loadedByProcess() {
      const byProcess = new Map<number, string[]>();
      for (const line of readFileSync(log, 'utf8').split('\n')) {
        const [pid, url] = line.split(' ');
        if (pid && url) {
          byProcess.set(Number(pid), [...(byProcess.get(Number(pid)) ?? []), url]);
        }
      }
      return byProcess;
    },
  };
}

/** The modules of each process whose log contains a module ending in `entry`. */
export function processesRunning(recorder: ModuleRecorder, entry: string): string[][] {
  return [...recorder.loadedByProcess().values()].filter((urls) =>
    urls.some((url) => url.endsWith(entry)),
  );
}
