import { cpuMicrosecondsOf } from '../harness/processes.ts';
import { percentile } from '../harness/stats.ts';

/** A console page timed over `requests` sequential loads (after warm-up loads not counted). */
export interface PageTiming {
  readonly name: string;
  readonly path: string;
  readonly requests: number;
  /** The server's own time per load, from its `Server-Timing: console;dur=…` header (ms). */
  readonly serverP50Ms: number;
  readonly serverP95Ms: number;
  readonly serverMaxMs: number;
  /** From sending the request to the last byte of the page, on 127.0.0.1 (ms). */
  readonly wallP50Ms: number;
  readonly wallP95Ms: number;
  /**
   * CPU time (user + system, every thread: PGlite's worker too) the gateway process spent per
   * measured load, from /proc — unlike the times above, it does not grow when other work shares
   * the machine. Null off Linux.
   */
  readonly cpuMsPerLoad: number | null;
  readonly bytes: number;
}

export interface TimedPage {
  readonly name: string;
  readonly path: string;
}

/** A signed-in admin session on the console, as a browser holds it: the session cookie. */
export async function signInAsAdmin(baseUrl: string, adminToken: string): Promise<string> {
  const form = await fetch(`${baseUrl}/console/sign-in`);
  const formCookie = cookiesOf(form.headers);
  const token = /name="_sign_in" value="([^"]+)"/.exec(await form.text())?.[1];
  if (!token) {
    throw new Error('the sign-in form carries no _sign_in token');
  }
  const answer = await fetch(`${baseUrl}/console/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: formCookie },
    body: new URLSearchParams({ _sign_in: token, next: '/console', credential: adminToken }),
  });
  await answer.arrayBuffer();
  const session = cookiesOf(answer.headers);
  if (answer.status !== 303 || session === '') {
    throw new Error(`sign-in answered ${answer.status} without a session cookie`);
  }
  return session;
}

export async function timePage(options: {
  baseUrl: string;
  cookie: string;
  page: TimedPage;
  /** The gateway's process id, for its CPU time. */
  pid: number;
  requests: number;
  warmup: number;
  /** Text the page must hold (checked on every load), so an error page is never timed. */
  expect: string;
}): Promise<PageTiming> {
  const server: number[] = [];
  const wall: number[] = [];
  let bytes = 0;
  let cpuStart: number | null = null;
  for (let index = 0; index < options.warmup + options.requests; index += 1) {
    if (index === options.warmup) {
      cpuStart = cpuMicrosecondsOf(options.pid);
    }
    const started = performance.now();
    const response = await fetch(`${options.baseUrl}${options.page.path}`, {
      headers: { cookie: options.cookie, accept: 'text/html' },
    });
    const body = await response.text();
    const elapsed = performance.now() - started;
    if (response.status !== 200 || !body.includes(options.expect)) {
      throw new Error(`${options.page.path} answered ${response.status}: ${body.slice(0, 300)}`);
    }
    const timing = /console;dur=([\d.]+)/.exec(response.headers.get('server-timing') ?? '');
    if (!timing?.[1]) {
      throw new Error(`${options.page.path} answered without Server-Timing`);
    }
    if (index >= options.warmup) {
      server.push(Number(timing[1]));
      wall.push(elapsed);
      bytes = Buffer.byteLength(body);
    }
  }
  const cpuEnd = cpuMicrosecondsOf(options.pid);
  return {
    name: options.page.name,
    path: options.page.path,
    requests: options.requests,
    serverP50Ms: percentile(server, 50),
    serverP95Ms: percentile(server, 95),
    serverMaxMs: Math.max(...server),
    wallP50Ms: percentile(wall, 50),
    wallP95Ms: percentile(wall, 95),
    cpuMsPerLoad:
      cpuStart === null || cpuEnd === null ? null : (cpuEnd - cpuStart) / 1000 / options.requests,
    bytes,
  };
}

function cookiesOf(headers: Headers): string {
  return headers
    .getSetCookie()
    .map((line) => line.split(';')[0] ?? '')
    .filter((pair) => pair.includes('=') && !pair.endsWith('='))
    .join('; ');
}
