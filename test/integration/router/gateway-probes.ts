import OpenAI from 'openai';

/**
 * Small clients the router and registry tests use against a real gateway over HTTP: the official
 * `openai` SDK (with the raw response, to read `x-rekindle-*` headers), the admin API, and
 * `/metrics` read the way Prometheus reads it.
 */
export function openaiClient(gatewayUrl: string, apiKey = 'unused-on-an-open-loopback-gateway') {
  return new OpenAI({ baseURL: `${gatewayUrl}/v1`, apiKey, maxRetries: 0, timeout: 30_000 });
}

export interface RoutedAnswer {
  readonly variant: string | null;
  readonly modelVersion: string | null;
  readonly model: string | null;
  readonly text: string;
}

/** One non-streaming chat completion; the lead id goes in the header or in `metadata.lead_id`. */
export async function chat(
  client: OpenAI,
  options: { model?: string; leadId?: string; leadIn?: 'header' | 'metadata'; content?: string },
): Promise<RoutedAnswer> {
  const leadIn = options.leadIn ?? 'header';
  const { data, response } = await client.chat.completions
    .create(
      {
        model: options.model ?? 'outreach',
        messages: [{ role: 'user', content: options.content ?? 'Write a short opener.' }],
        ...(options.leadId && leadIn === 'metadata'
          ? { metadata: { lead_id: options.leadId } }
          : {}),
      },
      options.leadId && leadIn === 'header'
        ? { headers: { 'x-rekindle-lead-id': options.leadId } }
        : {},
    )
    .withResponse();
  return {
    variant: response.headers.get('x-rekindle-variant'),
    modelVersion: response.headers.get('x-rekindle-model-version'),
    model: response.headers.get('x-rekindle-model'),
    text: data.choices[0]?.message.content ?? '',
  };
}

export interface AdminAnswer {
  readonly status: number;
  // biome-ignore lint/suspicious/noExplicitAny: JSON answers are checked field by field in tests.
  readonly body: any;
}

/** Calls the admin API; `token: null` sends no Authorization header. */
export async function admin(
  gatewayUrl: string,
  token: string | null,
  method: string,
  path: string,
  body?: unknown,
): Promise<AdminAnswer> {
  const headers: Record<string, string> = { 'x-rekindle-actor': 'router-test' };
  if (token !== null) {
    headers.authorization = `Bearer ${token}`;
  }
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
  }
  const response = await fetch(`${gatewayUrl}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** The value of one series in the Prometheus text a gateway serves, or null when absent. */
export async function metricValue(
  gatewayUrl: string,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): Promise<number | null> {
  const text = await (await fetch(`${gatewayUrl}/metrics`)).text();
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) {
      continue;
    }
    const braces = /^[^{ ]+(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!braces) {
      continue;
    }
    const present = Object.fromEntries(
      [...(braces[1] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([key, value]) => present[key] === value)) {
      return Number(braces[2]);
    }
  }
  return null;
}

/** The `model` a fake upstream was asked for in a recorded request. */
export function requestedModel(
  request: { readonly body: unknown } | undefined,
): string | undefined {
  const body = request?.body as { model?: unknown } | undefined;
  return typeof body?.model === 'string' ? body.model : undefined;
}

/** Polls `condition` every 5 ms until it holds; returns the milliseconds it took. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if (await condition()) {
      return performance.now() - started;
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** Runs `work` over `items` with at most `concurrency` in flight; results keep the input order. */
export async function mapConcurrently<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index] as T, index);
    }
  });
  await Promise.all(workers);
  return results;
}
