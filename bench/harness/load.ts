import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'undici';
import { runCommand } from './processes.ts';

/** One target as the load generators see it. */
export interface Endpoint {
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  readonly path: string;
  /** Headers sent with every request (auth, provider headers). */
  readonly headers: Readonly<Record<string, string>>;
  /** Path for streaming requests when it differs (the upstream direct: `/stream/v1/…`). */
  readonly streamPath?: string;
  /** Extra headers for streaming requests (Portkey's custom host for the canned stream). */
  readonly streamHeaders?: Readonly<Record<string, string>>;
  /** Header that carries a fresh lead id per request (tracking and sticky A/B); none when unset. */
  readonly leadHeader?: string;
  /** Request bodies when the target speaks another API than chat (the Responses row). */
  readonly body?: string;
  readonly streamBody?: string;
}

export interface ThroughputResult {
  readonly tool: 'wrk' | 'autocannon';
  readonly requestsPerSecond: number;
  readonly requests: number;
  readonly errors: number;
}

/** Closed-loop load at fixed concurrency: wrk (one thread) when present, else autocannon (API). */
export async function measureThroughput(options: {
  endpoint: Endpoint;
  body: string;
  connections: number;
  durationSeconds: number;
  wrk: string | null;
  /** bench/harness/autocannon-runner.ts, used when wrk is missing. */
  autocannonRunner: string;
  workDir: string;
  leadPrefix: string;
}): Promise<ThroughputResult> {
  const { endpoint } = options;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    ...endpoint.headers,
  };
  if (options.wrk) {
    const script = join(options.workDir, `wrk-${options.leadPrefix}.lua`);
    writeFileSync(
      script,
      wrkScript(options.body, headers, endpoint.leadHeader, options.leadPrefix),
    );
    const output = await runCommand(
      options.wrk,
      [
        '-t1',
        `-c${options.connections}`,
        `-d${Math.max(1, Math.round(options.durationSeconds))}s`,
        '--timeout',
        '10s',
        '-s',
        script,
        `${endpoint.origin}${endpoint.path}`,
      ],
      { timeoutMs: (options.durationSeconds + 30) * 1000 },
    );
    return parseWrk(output);
  }
  const job = {
    url: `${endpoint.origin}${endpoint.path}`,
    body: options.body,
    headers,
    connections: options.connections,
    durationSeconds: options.durationSeconds,
    leadHeader: endpoint.leadHeader,
    leadPrefix: options.leadPrefix,
  };
  const output = await runCommand(
    process.execPath,
    ['--import', 'tsx', options.autocannonRunner, JSON.stringify(job)],
    { timeoutMs: (options.durationSeconds + 30) * 1000 },
  );
  const result = JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as {
    requestsPerSecond: number;
    requests: number;
    errors: number;
  };
  return { tool: 'autocannon', ...result };
}

function luaString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

function wrkScript(
  body: string,
  headers: Record<string, string>,
  leadHeader: string | undefined,
  leadPrefix: string,
): string {
  const lines = ['wrk.method = "POST"', `wrk.body = ${luaString(body)}`];
  for (const [name, value] of Object.entries(headers)) {
    lines.push(`wrk.headers[${luaString(name)}] = ${luaString(value)}`);
  }
  if (leadHeader) {
    lines.push(
      'local counter = 0',
      'request = function()',
      '  counter = counter + 1',
      `  wrk.headers[${luaString(leadHeader)}] = ${luaString(`${leadPrefix}-`)} .. counter`,
      '  return wrk.format()',
      'end',
    );
  }
  return `${lines.join('\n')}\n`;
}

export function parseWrk(output: string): ThroughputResult {
  const rate = /Requests\/sec:\s+([\d.]+)/.exec(output);
  const total = /(\d+) requests in/.exec(output);
  const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(output);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(
    output,
  );
  if (!rate?.[1] || !total?.[1]) {
    throw new Error(`cannot read wrk output:\n${output}`);
  }
  const socketErrors = socket ? socket.slice(1).reduce((sum, value) => sum + Number(value), 0) : 0;
  return {
    tool: 'wrk',
    requestsPerSecond: Number(rate[1]),
    requests: Number(total[1]),
    errors: Number(non2xx?.[1] ?? 0) + socketErrors,
  };
}

export interface LatencySamples {
  /** Milliseconds, in completion order. */
  readonly samples: number[];
  readonly errors: number;
  readonly sent: number;
  /** Requests sent per second over the run (close to the asked rate when the client kept up). */
  readonly achievedRate: number;
}

/**
 * Open-loop load at a fixed rate (wrk2-style schedule): request i is sent at t0 + i/rate whatever
 * the earlier ones are doing, on a pool with enough connections that none waits for a free one.
 * Latency runs from sending to the last body byte, measured with performance.now().
 */
export async function measureFixedRate(options: {
  endpoint: Endpoint;
  body: string;
  rate: number;
  durationSeconds: number;
  leadPrefix: string;
}): Promise<LatencySamples> {
  const { endpoint, rate } = options;
  const pool = new Pool(endpoint.origin, { connections: 64 });
  const total = Math.max(1, Math.round(rate * options.durationSeconds));
  const interval = 1000 / rate;
  const samples: number[] = [];
  let errors = 0;
  let sent = 0;
  let done = 0;
  const baseHeaders = { 'content-type': 'application/json', ...endpoint.headers };
  const finished = new Promise<void>((resolve) => {
    const send = (index: number) => {
      const headers = endpoint.leadHeader
        ? { ...baseHeaders, [endpoint.leadHeader]: `${options.leadPrefix}-${index}` }
        : baseHeaders;
      const started = performance.now();
      pool
        .request({ method: 'POST', path: endpoint.path, headers, body: options.body })
        .then(async (response) => {
          await response.body.arrayBuffer();
          if (response.statusCode === 200) {
            samples.push(performance.now() - started);
          } else {
            errors += 1;
          }
        })
        .catch(() => {
          errors += 1;
        })
        .finally(() => {
          done += 1;
          if (done === total) {
            resolve();
          }
        });
    };
    const startedAt = performance.now();
    const tick = () => {
      const now = performance.now();
      while (sent < total && startedAt + sent * interval <= now) {
        send(sent);
        sent += 1;
      }
      if (sent < total) {
        setTimeout(tick, Math.max(0, startedAt + sent * interval - performance.now()));
      }
    };
    tick();
  });
  const started = performance.now();
  await finished;
  const elapsed = (performance.now() - started) / 1000;
  await pool.close();
  return { samples, errors, sent, achievedRate: sent / Math.max(elapsed, options.durationSeconds) };
}

export interface StreamSamples {
  readonly firstByteMs: number[];
  readonly lastByteMs: number[];
  readonly errors: number;
}

/** Sequential streaming requests: time to the first body byte and to the last, one at a time. */
export async function measureStreaming(options: {
  endpoint: Endpoint;
  body: string;
  requests: number;
  leadPrefix: string;
}): Promise<StreamSamples> {
  const { endpoint } = options;
  // A chat stream ends with `data: [DONE]`; a Responses stream with its `response.completed` event
  // (followed by a large JSON line, so it is looked for in every chunk, not in the tail).
  const endMarker = endpoint.streamBody ? 'event: response.completed' : '[DONE]';
  const pool = new Pool(endpoint.origin, { connections: 1 });
  const firstByteMs: number[] = [];
  const lastByteMs: number[] = [];
  let errors = 0;
  const baseHeaders = {
    'content-type': 'application/json',
    accept: 'text/event-stream',
    ...endpoint.headers,
    ...endpoint.streamHeaders,
  };
  for (let index = 0; index < options.requests; index++) {
    const headers = endpoint.leadHeader
      ? { ...baseHeaders, [endpoint.leadHeader]: `${options.leadPrefix}-${index}` }
      : baseHeaders;
    const started = performance.now();
    let first: number | undefined;
    let tail = '';
    let ended = false;
    try {
      const response = await pool.request({
        method: 'POST',
        path: endpoint.streamPath ?? endpoint.path,
        headers,
        body: options.body,
      });
      for await (const chunk of response.body) {
        first ??= performance.now();
        const window = tail + (chunk as Buffer).toString('utf8');
        ended ||= window.includes(endMarker);
        tail = window.slice(-64);
      }
      const last = performance.now();
      if (response.statusCode === 200 && first !== undefined && ended) {
        firstByteMs.push(first - started);
        lastByteMs.push(last - started);
      } else {
        errors += 1;
      }
    } catch {
      errors += 1;
    }
  }
  await pool.close();
  return { firstByteMs, lastByteMs, errors };
}
