/**
 * The demo's clock: real time plus an offset the demo moves forward. It keeps ticking between
 * jumps, so latencies measured against it stay real; `advanceTo` jumps weeks in a moment. The
 * gateway, the webhook senders and the audience all read this one clock, so message timestamps,
 * webhook signatures and outcome windows agree with each other.
 */
export class SimulatedClock {
  #offsetMs: number;

  constructor(
    startMs: number,
    private readonly realNow: () => number = Date.now,
  ) {
    this.#offsetMs = startMs - realNow();
  }

  readonly now = (): number => this.realNow() + this.#offsetMs;

  /** Moves the clock to `timeMs` (never backwards). */
  advanceTo(timeMs: number): void {
    const current = this.now();
    if (timeMs > current) {
      this.#offsetMs += timeMs - current;
    }
  }

  advanceBy(milliseconds: number): void {
    this.advanceTo(this.now() + milliseconds);
  }
}

export const minuteMs = 60_000;
export const hourMs = 60 * minuteMs;
export const dayMs = 24 * hourMs;
export const weekMs = 7 * dayMs;
