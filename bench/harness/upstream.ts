import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { cannedCompletion, cannedStream } from './canned-responses.ts';
import { childrenOf, memoryOf, runCommand, type Service, spawnService } from './processes.ts';

/**
 * The fixed upstream: nginx answering `POST /v1/chat/completions` with a canned completion, or with
 * a canned SSE stream when the request accepts `text/event-stream` or comes to `/stream/v1/…`
 * (Portkey sends no such Accept header; its custom host says `/stream/v1` instead). Without nginx
 * (not root, no apt-get) an equally canned `node:http` server in this process stands in.
 */
export interface Upstream {
  readonly kind: 'nginx' | 'node';
  readonly version: string;
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  /** The process doing the work (nginx: its worker); null for the in-process stand-in. */
  workerPid(): number | null;
  memory(): { peakMb: number; currentMb: number } | null;
  stop(): Promise<void>;
}

function nginxString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

export function nginxConfig(prefix: string, port: number): string {
  return `worker_processes 1;
daemon off;
pid ${join(prefix, 'nginx.pid')};
error_log ${join(prefix, 'error.log')} warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${join(prefix, 'client-body')};
  keepalive_requests 10000000;
  keepalive_timeout 300s;
  server {
    listen 127.0.0.1:${port} reuseport;
    location = /v1/chat/completions {
      if ($http_accept ~* event-stream) { rewrite ^ /_canned_stream last; }
      default_type application/json;
      return 200 ${nginxString(cannedCompletion)};
    }
    location = /stream/v1/chat/completions { rewrite ^ /_canned_stream last; }
    location = /_canned_stream {
      internal;
      default_type text/event-stream;
      add_header cache-control no-cache;
      return 200 ${nginxString(cannedStream)};
    }
    location = / { return 200 'upstream ready'; }
  }
}
`;
}

/** nginx on PATH, or installed with apt-get when we are root; null when neither. */
export async function ensureDebianTool(
  binary: string,
  debianPackage: string,
): Promise<string | null> {
  const found = await which(binary);
  if (found) {
    return found;
  }
  if (process.getuid?.() !== 0 || !(await which('apt-get'))) {
    return null;
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    await runCommand('apt-get', ['install', '-y', '--no-install-recommends', debianPackage], {
      env,
      timeoutMs: 300_000,
    });
  } catch {
    await runCommand('apt-get', ['update'], { env, timeoutMs: 300_000 });
    await runCommand('apt-get', ['install', '-y', '--no-install-recommends', debianPackage], {
      env,
      timeoutMs: 300_000,
    });
  }
  return which(binary);
}

export async function which(binary: string): Promise<string | null> {
  for (const directory of (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/sbin'])) {
    const candidate = join(directory, binary);
    if (directory && existsSync(candidate)) {
      return candidate;
    }
  }
  return null;
}

export async function startUpstream(options: {
  workDir: string;
  logDir: string;
  port: number;
  preferNode?: boolean;
  /** apt-get nginx-light when missing (root only); otherwise only a nginx already on PATH. */
  install: boolean;
}): Promise<Upstream> {
  const nginx = options.preferNode
    ? null
    : options.install
      ? await ensureDebianTool('nginx', 'nginx-light')
      : await which('nginx');
  const origin = `http://127.0.0.1:${options.port}`;
  if (!nginx) {
    return startNodeUpstream(options.port);
  }
  const prefix = join(options.workDir, 'nginx');
  mkdirSync(join(prefix, 'client-body'), { recursive: true });
  const configPath = join(prefix, 'nginx.conf');
  writeFileSync(configPath, nginxConfig(prefix, options.port));
  const service: Service = await spawnService({
    name: 'upstream-nginx',
    command: nginx,
    args: ['-p', prefix, '-c', configPath],
    cwd: prefix,
    logDir: options.logDir,
    ready: async () => (await fetch(`${origin}/`)).ok,
  });
  return {
    kind: 'nginx',
    version: nginxVersion(nginx),
    origin,
    workerPid: () => childrenOf(service.pid)[0] ?? service.pid,
    memory: () => memoryOf(childrenOf(service.pid)[0] ?? service.pid),
    stop: () => service.stop(),
  };
}

function nginxVersion(nginx: string): string {
  // `nginx -v` prints on stderr.
  const result = spawnSync(nginx, ['-v'], { encoding: 'utf8' });
  return (result.stderr || result.stdout || 'nginx').trim().replace(/^nginx version:\s*/, '');
}

/** The stand-in when nginx cannot be had: canned bytes from a bare `node:http` server. */
async function startNodeUpstream(port: number): Promise<Upstream> {
  const completion = Buffer.from(cannedCompletion);
  const stream = Buffer.from(cannedStream);
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const wantsStream =
        (request.headers.accept ?? '').includes('event-stream') ||
        (request.url ?? '').startsWith('/stream/');
      const body =
        request.url === '/' ? Buffer.from('upstream ready') : wantsStream ? stream : completion;
      response.writeHead(200, {
        'content-type': wantsStream ? 'text/event-stream' : 'application/json',
        'content-length': body.length,
      });
      response.end(body);
    });
  });
  server.keepAliveTimeout = 300_000;
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    kind: 'node',
    version: `node:http ${process.version}`,
    origin: `http://127.0.0.1:${port}`,
    workerPid: () => null,
    // It lives in the harness's own process: its memory is not the upstream's.
    memory: () => null,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
