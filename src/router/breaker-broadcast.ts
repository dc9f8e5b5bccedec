/**
 * How replicas share open circuit breakers (ARCHITECTURE §8: breaker state in Redis when
 * `REDIS_URL` is set). Counting stays local — no Redis call on the hot path — but when one
 * replica's breaker opens it announces it, and every other replica opens its own breaker for the
 * rest of the cooldown, so a failing deployment stops getting traffic from the whole fleet at once.
 */
export interface BreakerOpened {
  /** The deployment: `provider/upstream model` (the breaker key). */
  readonly key: string;
  /** The model name used in metrics (`rekindle_circuit_open{model}`). */
  readonly model: string;
  /** How much longer it stays open. */
  readonly remainingMs: number;
}

export interface BreakerBroadcast {
  /** Tells the other replicas; never throws, never waits (a broadcast outage is logged). */
  publish(opened: BreakerOpened): void;
  /** Registers the receiver; breakers still open elsewhere are replayed to it at once. */
  onOpened(listener: (opened: BreakerOpened) => void): void;
}
