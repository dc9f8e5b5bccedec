/**
 * Fault injection shared by the chat simulators: scripted answers that misbehave like a real
 * upstream — a status with any headers and body (429 with `retry-after`, 500, 529 …), a hang, a
 * reset before or after the first bytes, a stream cut or stalled part-way, or raw SSE bytes.
 */
import type { ServerResponse } from 'node:http';
import { sendJson, sleep } from './simulator-http.ts';

/** Misbehaviours every chat simulator supports; `delayMs` on any script waits before acting. */
export type FaultScript =
  /** Answer this status, headers and body (an object is sent as JSON). */
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: unknown }
  /** Read the request, then never answer. */
  | { kind: 'hang' }
  /** Close the connection (TCP reset) before sending any header. */
  | { kind: 'reset-before-headers' }
  /** Stream: send the headers and the first frame, then reset. Non-stream: half a body, reset. */
  | { kind: 'reset-after-first-chunk' }
  /** Stream: send `afterFrames` frames (default 2), then end cleanly without the end marker. */
  | { kind: 'cut-stream'; afterFrames?: number }
  /** Stream: send `afterFrames` frames (default 1), then keep the connection open silently. */
  | { kind: 'stall'; afterFrames?: number }
  /** Send these exact byte pieces as a 200 `text/event-stream`, pausing between them. */
  | { kind: 'raw-stream'; pieces: string[]; pauseMs?: number };

export type Scripted<Script> = Script & { delayMs?: number };

function resetConnection(response: ServerResponse): void {
  const socket = response.socket;
  if (socket === null) {
    return;
  }
  if (typeof socket.resetAndDestroy === 'function') {
    socket.resetAndDestroy();
  } else {
    socket.destroy();
  }
}

function startEventStream(response: ServerResponse): void {
  response.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  response.flushHeaders();
}

/** Writes one frame and waits until it left the process, so a following reset cannot overtake it. */
function writeFrame(response: ServerResponse, frame: string): Promise<void> {
  return new Promise((resolve) => {
    response.write(frame, () => resolve());
  });
}

/**
 * Plays a stream's frames, applying a fault when given: the shared part of every vendor's SSE
 * answer. `endMarker` frames (e.g. `data: [DONE]`) are part of `frames`.
 */
export async function playStream(
  response: ServerResponse,
  frames: readonly string[],
  fault: FaultScript | undefined,
  frameDelayMs = 0,
  endDelayMs = 0,
): Promise<void> {
  startEventStream(response);
  let limit = frames.length;
  if (fault?.kind === 'reset-after-first-chunk' || fault?.kind === 'stall') {
    limit = fault.kind === 'stall' ? (fault.afterFrames ?? 1) : 1;
  } else if (fault?.kind === 'cut-stream') {
    limit = fault.afterFrames ?? 2;
  }
  for (const frame of frames.slice(0, limit)) {
    if (frameDelayMs > 0) {
      await sleep(frameDelayMs);
    }
    await writeFrame(response, frame);
  }
  if (fault?.kind === 'reset-after-first-chunk') {
    await sleep(20);
    resetConnection(response);
  } else if (fault?.kind !== 'stall') {
    if (endDelayMs > 0) {
      await sleep(endDelayMs);
    }
    response.end();
  }
}

/** Non-stream `reset-after-first-chunk`: the headers and half the body, then a reset. */
export function sendHalfThenReset(response: ServerResponse, json: string): void {
  response.writeHead(200, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(json),
  });
  response.write(json.slice(0, Math.floor(json.length / 2)), () => {
    setTimeout(() => resetConnection(response), 20);
  });
}

/**
 * Applies a fault that does not depend on the vendor. Returns true when the request is handled (or
 * deliberately never will be), false when the vendor simulator must produce the answer itself.
 */
export async function applyCommonFault(
  response: ServerResponse,
  script: FaultScript,
): Promise<boolean> {
  switch (script.kind) {
    case 'status':
      sendJson(response, script.status, script.body ?? '', script.headers ?? {});
      return true;
    case 'hang':
      return true;
    case 'reset-before-headers':
      resetConnection(response);
      return true;
    case 'raw-stream':
      startEventStream(response);
      for (const piece of script.pieces) {
        await writeFrame(response, piece);
        await sleep(script.pauseMs ?? 5);
      }
      response.end();
      return true;
    default:
      return false;
  }
}
