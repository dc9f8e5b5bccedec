/**
 * Which stage of a request a CPU-profile frame belongs to. A sample goes to the innermost frame of
 * its stack that a rule claims; frames no rule claims (V8 builtins such as JSON.parse, Node's
 * generic stream and event plumbing) are transparent, so their time lands on whoever called them.
 */
export const stages = [
  'parse',
  'auth',
  'rate limit',
  'plan',
  'upstream request',
  'upstream answer',
  'metrics',
  'headers',
  'tracking enqueue + journal',
  'store write (gateway side)',
  'route handler + middleware glue',
  'HTTP server (node:http, node-server, Hono)',
  'Node core (sockets, timers, event loop)',
  'garbage collection',
  'V8 / native (program)',
] as const;

export type Stage = (typeof stages)[number];

export interface Frame {
  readonly functionName: string;
  readonly url: string;
}

/** Gateway files by their path under src/ (or dist/, compiled), most specific first. */
const gatewayFiles: ReadonlyArray<readonly [RegExp, Stage]> = [
  [/journal/, 'tracking enqueue + journal'],
  [/gateway\/(openai-wire|read-json-body)\.|chat\/is-valid-chat-request\.|body-limit\./, 'parse'],
  [/tenant-auth\.|tenant-authenticator\.|middleware\/bearer\.|api-key-cache\.|api-keys\//, 'auth'],
  [/rate-limit\//, 'rate limit'],
  [
    /router\/(route-planner|registry-snapshot|model-catalog|request-needs|capab\w*)|chat\/request-context\./,
    'plan',
  ],
  [
    /parse-openai-completion\.|stream-translator\.|http\/(sse-parser|relay-sse-stream|read-sse-events)\.|without-null-usage\./,
    'upstream answer',
  ],
  [
    /metrics\/|request-metrics\.|call-accounting\.|performance-tracker\.|stage-metrics\.|router\/cost\./,
    'metrics',
  ],
  [/response-headers\.|middleware\/request-context\./, 'headers'],
  [/chat\/outcome-id\./, 'tracking enqueue + journal'],
  [/tracking-buffer\.|outcome-tracker\./, 'store write (gateway side)'],
  [/store\//, 'store write (gateway side)'],
  [/providers\/|router\//, 'upstream request'],
  [/gateway\//, 'route handler + middleware glue'],
];

/** undici's functions that read the answer (the HTTP/1 parser and the body consumers). */
const undiciAnswer =
  /^(execute|readMore|onHeadersComplete|onHeaderField|onHeaderValue|onStatus|onBody|onMessageComplete|onData|onComplete|onHeaders|consume\w*|chunksDecode|text|json|push|wasm_\w*|\d+)$/;
const nodeHeaders =
  /^(writeHead|setHeader|_storeHeader|processHeader|storeHeader|validateHeaderName|validateHeaderValue|checkInvalidHeaderChar|checkIsHttpToken|_implicitHeader|buildOutgoingHttpHeaders|matchHeader|setHeaders?)$/;

function packageStage(url: string, name: string): Stage | null {
  if (url.includes('/node_modules/prom-client/')) {
    return 'metrics';
  }
  if (url.includes('/node_modules/zod/')) {
    return 'parse';
  }
  if (url.includes('/node_modules/undici/')) {
    return undiciAnswer.test(name) || url.includes('/api/readable.js')
      ? 'upstream answer'
      : 'upstream request';
  }
  if (/\/node_modules\/(pg|pg-protocol|pg-types|pg-pool|postgres-\w+|@electric-sql)\//.test(url)) {
    return 'store write (gateway side)';
  }
  if (url.includes('/node_modules/@hono/node-server/')) {
    if (nodeHeaders.test(name) || /Headers/.test(name)) {
      return 'headers';
    }
    if (/^(readBody\w*|consumeBody\w*|toArrayBuffer|text|arrayBuffer)$/.test(name)) {
      return 'parse';
    }
    return 'HTTP server (node:http, node-server, Hono)';
  }
  if (url.includes('/node_modules/hono/')) {
    if (url.endsWith('/request.js') && /^(text|json|#cachedBody|cachedBody)$/.test(name)) {
      return 'parse';
    }
    return 'HTTP server (node:http, node-server, Hono)';
  }
  return null;
}

/** The stage a frame claims, or null when it is transparent. */
export function stageOfFrame(frame: Frame): Stage | null {
  const { url, functionName: name } = frame;
  if (url === '') {
    return null;
  }
  if (url.startsWith('node:')) {
    if (nodeHeaders.test(name)) {
      return 'headers';
    }
    if (/^node:_http_(server|common|incoming|outgoing)$/.test(url)) {
      return 'HTTP server (node:http, node-server, Hono)';
    }
    return null;
  }
  if (url.includes('/node_modules/')) {
    return packageStage(url, name);
  }
  const gatewayPath = /\/(?:src|dist)\/(.+)$/.exec(url)?.[1];
  if (gatewayPath === undefined) {
    return null;
  }
  if (gatewayPath.startsWith('gateway/routes/chat-completions.') && name === 'track') {
    return 'tracking enqueue + journal';
  }
  if (gatewayPath.startsWith('pipeline/outcomes/tracking-buffer.') && name === 'push') {
    return 'tracking enqueue + journal';
  }
  if (gatewayPath.startsWith('router/chat-router.') && name === 'plan') {
    return 'plan';
  }
  for (const [pattern, stage] of gatewayFiles) {
    if (pattern.test(gatewayPath)) {
      return stage;
    }
  }
  return 'route handler + middleware glue';
}

/** A whole stack (leaf first): the innermost claim, else what the leaf itself is. */
export function stageOfStack(stack: readonly Frame[]): Stage {
  const leaf = stack[0];
  if (leaf?.functionName === '(garbage collector)') {
    return 'garbage collection';
  }
  if (leaf?.functionName === '(program)') {
    return 'V8 / native (program)';
  }
  for (const frame of stack) {
    const stage = stageOfFrame(frame);
    if (stage !== null) {
      return stage;
    }
  }
  return 'Node core (sockets, timers, event loop)';
}
