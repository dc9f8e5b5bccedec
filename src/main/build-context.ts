import type { GatewayConfig } from '../config/index.ts';
import type { GatewayMetrics, Logger } from '../metrics/index.ts';

/** What every build step gets: the parsed config, the process's logger, metrics and clock. */
export interface BuildContext {
  readonly config: GatewayConfig;
  readonly logger: Logger;
  readonly metrics: GatewayMetrics;
  /** Milliseconds since the epoch (the demo runs on a simulated clock). */
  readonly now: () => number;
  /**
   * Registers how to stop what a step just started. Stops run in reverse order — last started,
   * first stopped, the store last of all — on shutdown, and when a later step fails.
   */
  onStop(stop: () => Promise<unknown>): void;
}

export interface StopList {
  push(stop: () => Promise<unknown>): void;
  /** Runs every registered stop once, newest first; a failing stop is logged and skipped. */
  run(): Promise<void>;
}

export function createStopList(logger: Logger): StopList {
  const stops: Array<() => Promise<unknown>> = [];
  return {
    push: (stop) => {
      stops.push(stop);
    },
    async run() {
      for (let stop = stops.pop(); stop !== undefined; stop = stops.pop()) {
        await stop().catch((error: unknown) => logger.warn('shutdown step failed', { error }));
      }
    },
  };
}
