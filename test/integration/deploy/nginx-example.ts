/**
 * deploy/nginx/rekindle.conf run for real: the example's upstream servers and listen port are
 * replaced by the test's, and it is included in a minimal nginx.conf (pid, logs and temp files in
 * a temp prefix) — every other directive is the example's own.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryRoot } from '../../helpers/compiled-build.ts';
import { freePort } from '../../helpers/postgres-server.ts';

export interface NginxExample {
  readonly url: string;
  /** The example as run (after substitution). */
  readonly config: string;
  errorLog(): string;
  stop(): Promise<void>;
}

/** The example with `server gateway-N:8787` → the given upstreams and `listen 8080` → `listen`. */
function templatedExample(upstreams: readonly string[], listen: string): string {
  const example = readFileSync(join(repositoryRoot, 'deploy/nginx/rekindle.conf'), 'utf8');
  const servers = [...example.matchAll(/^(\s*server\s+)gateway-(\d+):8787\b/gm)];
  if (servers.length !== upstreams.length) {
    throw new Error(`the example has ${servers.length} upstream servers, not ${upstreams.length}`);
  }
  let index = 0;
  const withUpstreams = example.replace(
    /^(\s*server\s+)gateway-\d+:8787\b/gm,
    (_match, prefix: string) => `${prefix}${upstreams[index++]}`,
  );
  if (!/^\s*listen 8080;$/m.test(withUpstreams)) {
    throw new Error('the example no longer listens on 8080');
  }
  return withUpstreams.replace(/^(\s*)listen 8080;$/m, `$1listen ${listen};`);
}

export async function startNginxExample(
  prefix: string,
  upstreams: readonly string[],
): Promise<NginxExample> {
  const port = await freePort();
  mkdirSync(prefix, { recursive: true });
  // Run as root, nginx's workers run as nobody: the temp directories must be theirs to write.
  for (const directory of ['client-body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) {
    mkdirSync(join(prefix, directory), { recursive: true });
    chmodSync(join(prefix, directory), 0o777);
  }
  const config = templatedExample(upstreams, `127.0.0.1:${port}`);
  writeFileSync(join(prefix, 'rekindle.conf'), config);
  writeFileSync(
    join(prefix, 'nginx.conf'),
    `daemon off;
worker_processes 1;
pid ${join(prefix, 'nginx.pid')};
error_log ${join(prefix, 'error.log')} warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${join(prefix, 'client-body')};
  proxy_temp_path ${join(prefix, 'proxy')};
  fastcgi_temp_path ${join(prefix, 'fastcgi')};
  uwsgi_temp_path ${join(prefix, 'uwsgi')};
  scgi_temp_path ${join(prefix, 'scgi')};
  include ${join(prefix, 'rekindle.conf')};
}
`,
  );
  const child: ChildProcess = spawn('nginx', ['-p', prefix, '-c', join(prefix, 'nginx.conf')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const errorLog = () => {
    try {
      return stderr + readFileSync(join(prefix, 'error.log'), 'utf8');
    } catch {
      return stderr;
    }
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    const status = await fetch(`${url}/healthz`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) {
      break;
    }
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error(`nginx did not serve /healthz:\n${errorLog()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    config,
    errorLog,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        // QUIT: nginx's graceful stop (TERM is its fast one).
        child.kill('SIGQUIT');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}
