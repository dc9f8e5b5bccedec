import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Logger } from '../metrics/index.ts';
import type { GatewayApp } from './create-app.ts';

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  /** Requests (including open streams) not yet finished. */
  inFlight(): number;
  /**
   * Fails readiness, lets in-flight requests and streams finish up to `graceMs`, then closes every
   * connection. Resolves when the listener is closed.
   */
  drain(graceMs: number): Promise<{ drained: boolean; abandoned: number }>;
}

export async function startServer(options: {
  gateway: GatewayApp;
  host: string;
  port: number;
  logger: Logger;
}): Promise<RunningServer> {
  const { gateway, logger } = options;
  let inFlight = 0;
  const idleWaiters = new Set<() => void>();

  const server = await new Promise<Server>((resolve, reject) => {
    const created = serve(
      { fetch: gateway.app.fetch, hostname: options.host, port: options.port },
      () => resolve(created as Server),
    ) as Server;
    created.once('error', reject);
  });
  server.keepAliveTimeout = 65_000;
  server.on('request', (request, response) => {
    const isProbe =
      request.url === '/healthz' || request.url === '/readyz' || request.url === '/metrics';
    if (isProbe) {
      return;
    }
    inFlight += 1;
    response.once('close', () => {
      inFlight -= 1;
      if (inFlight === 0) {
        for (const wake of idleWaiters) {
          wake();
        }
      }
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
      const deadline = new Promise<false>((resolve) =>
        setTimeout(() => resolve(false), graceMs).unref(),
      );
      const idle = new Promise<true>((resolve) => {
        if (inFlight === 0) {
          resolve(true);
          return;
        }
        idleWaiters.add(() => resolve(true));
      });
      const drained = await Promise.race([idle, deadline]);
      const abandoned = inFlight;
      if (!drained) {
        logger.warn('shutdown deadline reached; closing open connections', { abandoned });
      }
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        if (!drained) {
          server.closeAllConnections();
        }
        // Keep-alive sockets that are idle now close; busy ones were waited for above.
        setTimeout(() => server.closeAllConnections(), 100).unref();
      });
      return { drained, abandoned };
    },
  };
}
