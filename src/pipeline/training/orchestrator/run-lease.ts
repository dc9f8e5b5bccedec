import type { Logger } from '../../../metrics/index.ts';
import type { TrainingRunsStore } from '../../../store/index.ts';

/** The run's lease was taken over (it ran out while this worker was stalled): stop at once. */
export class LeaseLostError extends Error {
  constructor(runId: string) {
    super(`lost the lease on training run ${runId}`);
    this.name = 'LeaseLostError';
  }
}

/**
 * A worker's hold on one run while it runs a step. Leases are short (a crashed worker's runs are
 * picked up within one lease) and renewed in the background while a step waits on a vendor; a
 * failed renewal marks the lease lost, and `assertHeld()` before any vendor side effect stops the
 * worker from acting on a run that another worker may now be driving.
 */
export class RunLease {
  #lost = false;
  readonly #timer: NodeJS.Timeout;

  constructor(
    private readonly options: {
      runs: TrainingRunsStore;
      runId: string;
      worker: string;
      leaseMs: number;
      now: () => Date;
      logger: Logger;
    },
  ) {
    this.#timer = setInterval(
      () => {
        this.renew().catch((error: unknown) => {
          options.logger.warn('renewing a training run lease failed', {
            run: options.runId,
            error,
          });
        });
      },
      Math.max(Math.floor(options.leaseMs / 3), 50),
    );
    this.#timer.unref();
  }

  get lost(): boolean {
    return this.#lost;
  }

  async renew(): Promise<boolean> {
    if (this.#lost) {
      return false;
    }
    const { runs, runId, worker, leaseMs, now } = this.options;
    const renewed = await runs.renewLease(runId, worker, leaseMs, now());
    if (!renewed) {
      this.#lost = true;
    }
    return renewed;
  }

  /** Renews now and throws when the lease is gone: call right before a non-idempotent call. */
  async assertHeld(): Promise<void> {
    if (!(await this.renew())) {
      throw new LeaseLostError(this.options.runId);
    }
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
