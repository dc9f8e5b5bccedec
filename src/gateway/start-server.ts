import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Logger } from '../metrics/index.ts';
import { type DrainResult, trackConnections } from './connection-drain.ts';
import type { GatewayApp } from './create-app.ts';

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  /** Requests (including open streams) not yet finished. */
  inFlight(): number;
  /**
   * Fails readiness at once and, after the announce time, stops accepting connections; requests
   * on open connections are answered with `Connection: close`, idle connections closed, in-flight
   * requests and streams finish up to `graceMs` (announce included); then every connection left
   * is closed. Resolves when none is open.
   */
  drain(graceMs: number): Promise<DrainResult>;
}

export async function startServer(options: {
  gateway: GatewayApp;
  host: string;
  port: number;
  logger: Logger;
  /** How long a connection must be idle before a drain closes it (see connection-drain.ts). */
  idleCloseMs?: number;
  /** On drain, how long readiness fails before the listener closes (server.shutdown_announce_ms). */
  announceMs?: number;
}): Promise<RunningServer> {
  const { gateway, logger } = options;
  let inFlight = 0;

  const server = await new Promise<Server>((resolve, reject) => {
    const created = serve(
      { fetch: gateway.app.fetch, hostname: options.host, port: options.port },
      () => resolve(created as Server),
    ) as Server;
    created.once('error', reject);
  });
  // Above the 60 s idle timeout of nginx's upstream keepalive and of cloud load balancers, so the
  // proxy, not the gateway, closes an idle connection (a close from this side races a reuse).
  server.keepAliveTimeout = 65_000;
  const connections = trackConnections(server, {
    ...(options.idleCloseMs === undefined ? {} : { idleCloseMs: options.idleCloseMs }),
  });
  server.on('request', (request, response) => {
    const isProbe =
      request.url === '/healthz' || request.url === '/readyz' || request.url === '/metrics';
    if (isProbe) {
      return;
    }
    inFlight += 1;
    response.once('close', () => {
      inFlight -= 1;
    });
  });

  const address = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    server,
    inFlight: () => inFlight,
    async drain(graceMs) {
      gateway.health.draining = true;
      const result = await connections.drain(graceMs, { announceMs: options.announceMs ?? 0 });
      if (!result.drained) {
        logger.warn('shutdown deadline reached; closed the connections still open', {
          abandoned: result.abandoned,
        });
      }
      return result;
    },
  };
}
