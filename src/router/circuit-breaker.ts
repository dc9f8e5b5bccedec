/**
 * A breaker per model deployment. It opens when, within `window_ms`, at least `min_requests` calls
 * were made and the failure share reached `failure_threshold`; after `cooldown_ms` one probe is let
 * through (half-open): success closes it, failure re-opens it. A minimum volume keeps one unlucky
 * call from tripping it (LiteLLM's early cooldowns were a common complaint).
 */
export interface CircuitBreakerSettings {
  readonly failure_threshold: number;
  readonly min_requests: number;
  readonly window_ms: number;
  readonly cooldown_ms: number;
}

type State =
  | { kind: 'closed'; windowStart: number; total: number; failures: number }
  | { kind: 'open'; until: number }
  | { kind: 'half-open'; probeStartedAt: number };

export class CircuitBreakers {
  private readonly states = new Map<string, State>();

  constructor(
    private readonly settings: CircuitBreakerSettings,
    /** `remote`: opened because another replica announced it (see adoptOpen). */
    private readonly onStateChange: (
      key: string,
      open: boolean,
      origin: 'local' | 'remote',
    ) => void = () => {},
  ) {}

  /** Whether a call may go to `key` now; in half-open state only one probe at a time. */
  allow(key: string, now: number): boolean {
    const state = this.states.get(key);
    if (!state || state.kind === 'closed') {
      return true;
    }
    if (state.kind === 'open') {
      if (now < state.until) {
        return false;
      }
      this.states.set(key, { kind: 'half-open', probeStartedAt: now });
      return true;
    }
    // A probe that never reported back (process hiccup) must not wedge the breaker.
    if (now - state.probeStartedAt > this.settings.cooldown_ms) {
      this.states.set(key, { kind: 'half-open', probeStartedAt: now });
      return true;
    }
    return false;
  }

  recordSuccess(key: string, now: number): void {
    const state = this.states.get(key);
    if (state?.kind === 'half-open' || state?.kind === 'open') {
      this.states.set(key, { kind: 'closed', windowStart: now, total: 1, failures: 0 });
      this.onStateChange(key, false, 'local');
      return;
    }
    this.count(key, now, false);
  }

  recordFailure(key: string, now: number): void {
    const state = this.states.get(key);
    if (state?.kind === 'half-open') {
      this.open(key, now);
      return;
    }
    if (state?.kind === 'open') {
      return;
    }
    const counted = this.count(key, now, true);
    if (
      counted.total >= this.settings.min_requests &&
      counted.failures / counted.total >= this.settings.failure_threshold
    ) {
      this.open(key, now);
    }
  }

  /**
   * Opens `key` for `remainingMs` because another replica's breaker opened: this replica stops
   * sending traffic there without first failing `min_requests` times itself. An open state that
   * lasts longer already is kept; the probe after the cooldown stays local.
   */
  adoptOpen(key: string, now: number, remainingMs: number): void {
    const until = now + remainingMs;
    const state = this.states.get(key);
    if (remainingMs <= 0 || (state?.kind === 'open' && state.until >= until)) {
      return;
    }
    this.states.set(key, { kind: 'open', until });
    this.onStateChange(key, true, 'remote');
  }

  isOpen(key: string, now: number): boolean {
    const state = this.states.get(key);
    return state?.kind === 'open' ? now < state.until : state?.kind === 'half-open';
  }

  snapshot(now: number): Record<string, 'closed' | 'open' | 'half-open'> {
    const out: Record<string, 'closed' | 'open' | 'half-open'> = {};
    for (const [key, state] of this.states) {
      out[key] = state.kind === 'open' && now >= state.until ? 'half-open' : state.kind;
    }
    return out;
  }

  private open(key: string, now: number): void {
    this.states.set(key, { kind: 'open', until: now + this.settings.cooldown_ms });
    this.onStateChange(key, true, 'local');
  }

  private count(key: string, now: number, failed: boolean) {
    let state = this.states.get(key);
    if (state?.kind !== 'closed' || now - state.windowStart >= this.settings.window_ms) {
      state = { kind: 'closed', windowStart: now, total: 0, failures: 0 };
      this.states.set(key, state);
    }
    state.total += 1;
    if (failed) {
      state.failures += 1;
    }
    return state;
  }
}
