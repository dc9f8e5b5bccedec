import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';
import { setImmediate as afterPoll } from 'node:timers/promises';

/**
 * Closing an idle keep-alive connection races with a client sending on it at that moment: the
 * client gets a reset for a request the gateway never read. So while requests keep arriving, a
 * drain closes no idle connection (each connection in use closes after its next response, which
 * carries `Connection: close`); idle connections are closed once no request has started for this
 * long, i.e. once the clients have gone quiet.
 */
const defaultIdleCloseMs = 1_000;
const sweepIntervalMs = 50;

interface ConnectionState {
  /** Requests of this connection not yet answered. */
  active: number;
  /** When the connection last had no request in flight (performance.now()). */
  idleSince: number;
}

export interface DrainResult {
  /** Every connection closed before the deadline. */
  readonly drained: boolean;
  /** Requests still unanswered at the deadline (their connections were closed). */
  readonly abandoned: number;
}

export interface ConnectionDrain {
  /**
   * After `announceMs` (readiness already failing, everything served as before, so that a load
   * balancer polling /readyz sees the drain), stops accepting connections; answers every request
   * from then on (and every in-flight one whose headers are not yet out) with `Connection:
   * close`; closes idle connections once clients are quiet; at `graceMs` (counted from the call)
   * closes whatever is left. Resolves when no connection is open.
   */
  drain(graceMs: number, options?: { announceMs?: number }): Promise<DrainResult>;
}

/**
 * Tracks the server's connections and requests from the start, so that a drain closes each
 * connection only when no request can be lost on it.
 */
export function trackConnections(
  server: Server,
  options: { idleCloseMs?: number } = {},
): ConnectionDrain {
  const idleCloseMs = options.idleCloseMs ?? defaultIdleCloseMs;
  const connections = new Map<Socket, ConnectionState>();
  const inFlight = new Set<ServerResponse>();
  let draining = false;
  let lastRequestAt = performance.now();
  let onClosed: (() => void) | null = null;

  server.on('connection', (socket: Socket) => {
    connections.set(socket, { active: 0, idleSince: performance.now() });
    socket.once('close', () => {
      connections.delete(socket);
      if (connections.size === 0) {
        onClosed?.();
      }
    });
  });
  // Ahead of the app's own listener, so the header is set before any answer can be written.
  server.prependListener('request', (request: IncomingMessage, response: ServerResponse) => {
    lastRequestAt = performance.now();
    const state = connections.get(request.socket);
    if (state) {
      state.active += 1;
    }
    inFlight.add(response);
    if (draining) {
      response.setHeader('connection', 'close');
    }
    response.once('close', () => {
      inFlight.delete(response);
      if (state) {
        state.active -= 1;
        state.idleSince = performance.now();
      }
    });
  });

  // Run right after a poll phase, so requests whose bytes have already arrived were read and
  // counted: a socket that looks idle here has no unread request in it.
  const closeIdle = async () => {
    await afterPoll();
    const now = performance.now();
    if (now - lastRequestAt < idleCloseMs) {
      return;
    }
    for (const [socket, state] of connections) {
      if (state.active === 0 && now - state.idleSince >= idleCloseMs) {
        socket.destroy();
      }
    }
  };

  return {
    async drain(graceMs, drainOptions = {}) {
      const deadlineAt = performance.now() + graceMs;
      const announceMs = Math.min(drainOptions.announceMs ?? 0, graceMs);
      if (announceMs > 0) {
        await new Promise((resolve) => setTimeout(resolve, announceMs));
      }
      draining = true;
      for (const response of inFlight) {
        if (!response.headersSent) {
          response.setHeader('connection', 'close');
        }
      }
      // After a poll phase, so connections the kernel has already completed are accepted first
      // (closing the listener resets those still queued). net.Server's close only stops
      // listening; http.Server's would also destroy every idle keep-alive connection at once.
      await afterPoll();
      NetServer.prototype.close.call(server);
      const closed = new Promise<true>((resolve) => {
        onClosed = () => resolve(true);
        if (connections.size === 0) {
          resolve(true);
        }
      });
      void closeIdle();
      const sweeper = setInterval(() => void closeIdle(), sweepIntervalMs);
      let deadlineTimer: NodeJS.Timeout | undefined;
      const deadline = new Promise<false>((resolve) => {
        deadlineTimer = setTimeout(() => resolve(false), deadlineAt - performance.now());
      });
      const drained = await Promise.race([closed, deadline]);
      clearInterval(sweeper);
      clearTimeout(deadlineTimer);
      const abandoned = inFlight.size;
      if (!drained) {
        server.closeAllConnections();
        for (const socket of connections.keys()) {
          socket.destroy();
        }
      }
      return { drained, abandoned };
    },
  };
}
