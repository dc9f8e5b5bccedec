/**
 * The floor for a Node gateway: Hono on @hono/node-server and an undici Pool, body parsed, `model`
 * rewritten and re-sent, the answer relayed (text for JSON, bytes for SSE). No auth, routing,
 * metrics or tracking. Run: `BARE_UPSTREAM=http://127.0.0.1:9001 BARE_PORT=8790 node --import tsx bench/bare-proxy.ts`.
 */
import { Readable } from 'node:stream';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { Pool } from 'undici';

const upstream = process.env.BARE_UPSTREAM ?? 'http://127.0.0.1:9001';
const port = Number(process.env.BARE_PORT ?? '8790');
const pool = new Pool(upstream, { connections: 128 });
const app = new Hono();

app.post('/v1/chat/completions', async (context) => {
  const body = await context.req.json<Record<string, unknown>>();
  body.model = 'bench-model-a';
  const stream = body.stream === true;
  const response = await pool.request({
    method: 'POST',
    path: '/v1/chat/completions',
    headers: {
      'content-type': 'application/json',
      accept: stream ? 'text/event-stream' : 'application/json',
    },
    body: JSON.stringify(body),
  });
  if (stream) {
    return new Response(Readable.toWeb(response.body) as ReadableStream, {
      status: response.statusCode,
      headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' },
    });
  }
  return context.body(await response.body.text(), 200, { 'content-type': 'application/json' });
});
app.get('/', (context) => context.text('bare proxy ready'));

serve({ fetch: app.fetch, hostname: '127.0.0.1', port });
// A clean exit on SIGTERM (so `--cpu-prof` writes its profile).
process.on('SIGTERM', () => process.exit(0));
