/**
 * A sender that behaves like SendGrid's delivery side: many concurrent connections, each batch signed
 * at send time, and a batch that did not get a 2xx (refused connection, reset, 5xx) sent again until it
 * does. It records which batches were acknowledged, so a test can check that every acknowledged event
 * is in the database even when the gateway is killed mid-load.
 */
import type { KeyObject } from 'node:crypto';
import { Pool } from 'undici';
import { sendGridSignedHeaders } from '../../helpers/webhook-signing.ts';
import type { Delivery } from './sendgrid-load.ts';

export interface SendReport {
  /** Requests made, retries included. */
  readonly attempts: number;
  /** Attempts that did not get a 2xx, by status code or error code. */
  readonly failures: Readonly<Record<string, number>>;
  /** Response bodies of the acknowledged attempts, by delivery position (undefined: never acknowledged). */
  readonly bodies: readonly unknown[];
  readonly elapsedMs: number;
}

export interface SendOptions {
  /** The gateway's base URL (asked again on every attempt). */
  url: () => string;
  privateKey: KeyObject;
  deliveries: readonly Delivery[];
  connections: number;
  /** Called after each acknowledged delivery with its position (the order acks arrived in). */
  onAcknowledged?: (position: number, acknowledgedSoFar: number) => void;
  /** Give up (and reject) after this long; a real sender gives up after a day. */
  deadlineMs?: number;
  retryDelayMs?: number;
  /** Attempts per delivery before it is left unacknowledged (default: until the deadline). */
  maxAttempts?: number;
}

export async function sendDeliveries(options: SendOptions): Promise<SendReport> {
  const started = performance.now();
  const deadline = Date.now() + (options.deadlineMs ?? 120_000);
  const failures: Record<string, number> = {};
  const bodies: unknown[] = new Array(options.deliveries.length);
  let attempts = 0;
  let acknowledged = 0;
  let next = 0;
  let pool: Pool | null = null;
  let poolUrl = '';
  const pools: Pool[] = [];
  const currentPool = () => {
    const url = options.url();
    if (!pool || poolUrl !== url) {
      pool = new Pool(url, {
        connections: options.connections,
        headersTimeout: 30_000,
        bodyTimeout: 30_000,
      });
      poolUrl = url;
      pools.push(pool);
    }
    return pool;
  };

  const attempt = async (delivery: Delivery): Promise<unknown | undefined> => {
    attempts += 1;
    try {
      const response = await currentPool().request({
        path: '/webhooks/sendgrid',
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...sendGridSignedHeaders(options.privateKey, delivery.body),
        },
        body: delivery.body,
      });
      const text = await response.body.text();
      if (response.statusCode >= 200 && response.statusCode < 300) {
        return JSON.parse(text);
      }
      const label = String(response.statusCode);
      failures[label] = (failures[label] ?? 0) + 1;
    } catch (error) {
      const label = (error as { code?: string }).code ?? (error as Error).name;
      failures[label] = (failures[label] ?? 0) + 1;
    }
    return undefined;
  };

  const worker = async () => {
    while (next < options.deliveries.length) {
      const position = next++;
      const delivery = options.deliveries[position] as Delivery;
      for (let attempted = 1; ; attempted += 1) {
        const body = await attempt(delivery);
        if (body !== undefined) {
          bodies[position] = body;
          acknowledged += 1;
          options.onAcknowledged?.(position, acknowledged);
          break;
        }
        if (attempted >= (options.maxAttempts ?? Number.POSITIVE_INFINITY)) {
          break;
        }
        if (Date.now() > deadline) {
          throw new Error(`delivery ${position} not acknowledged before the deadline`);
        }
        await new Promise((resolve) => setTimeout(resolve, options.retryDelayMs ?? 50));
      }
    }
  };

  try {
    await Promise.all(Array.from({ length: options.connections }, worker));
  } finally {
    await Promise.all(pools.map((each) => each.destroy()));
  }
  return { attempts, failures, bodies, elapsedMs: performance.now() - started };
}
