/**
 * Reactions waiting for their time: the audience plans them when a message is sent, the demo takes
 * the ones due whenever the simulated clock moves on.
 */
import type { AudienceEvent } from './audience-model.ts';

export class EventQueue {
  #pending: AudienceEvent[] = [];
  #sorted = true;

  push(events: readonly AudienceEvent[]): void {
    for (const event of events) {
      this.#pending.push(event);
    }
    this.#sorted = false;
  }

  get size(): number {
    return this.#pending.length;
  }

  /** Removes and returns the events due at `now`, oldest first. */
  takeDue(now: number): AudienceEvent[] {
    if (!this.#sorted) {
      this.#pending.sort((left, right) => left.at - right.at);
      this.#sorted = true;
    }
    let count = 0;
    while (
      count < this.#pending.length &&
      (this.#pending[count]?.at ?? Number.POSITIVE_INFINITY) <= now
    ) {
      count += 1;
    }
    return this.#pending.splice(0, count);
  }
}
