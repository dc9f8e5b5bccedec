import { EventEmitter } from 'node:events';
import { GatewayError } from '../../errors/index.ts';
import { ProviderError } from '../provider-error.ts';

/**
 * The abort signal handed to undici: an EventEmitter with `aborted` and `reason`, which undici
 * accepts in place of an `AbortSignal`. On Node 20 creating an `AbortSignal` and adding and removing
 * a listener costs ~10–20 µs (it is made transferable); this costs well under 1 µs per attempt.
 */
class UpstreamAbortSignal extends EventEmitter {
  aborted = false;
  reason: ProviderError | undefined = undefined;

  abort(reason: ProviderError): void {
    if (!this.aborted) {
      this.aborted = true;
      this.reason = reason;
      this.emit('abort');
    }
  }
}

/**
 * One upstream attempt's lifetime: the abort signal handed to undici, the caller's signal
 * forwarded into it, and the timers. Whatever ends the attempt early (caller abort, deadline, idle
 * stall) aborts the signal with a ready-made `ProviderError`, so every later failure — a rejected
 * `request()`, a destroyed body — is classified by looking at why we aborted, not at undici's message.
 *
 * Timers: `timeoutMs` runs from sending the request until the whole answer (generate) or until the
 * first body byte (stream); after that a stream switches to `idleTimeoutMs` between chunks, counted
 * only while we are waiting on the upstream (a slow client reading our stream is not an upstream stall),
 * refreshed per chunk without allocating. A stream given a `streamTimeoutMs` (the route's total
 * budget left) also gets one fixed timer at its first byte that ends it when the budget runs out.
 */
export class UpstreamExchange {
  readonly signal = new UpstreamAbortSignal();
  readonly startedAt = performance.now();
  private timer: NodeJS.Timeout | undefined;
  private deadlineTimer: NodeJS.Timeout | undefined;
  private streamTimeoutMs: number | undefined;
  private idle = false;
  private waiting = true;
  private idleTimeoutMs = 0;

  constructor(
    readonly providerId: string,
    private readonly callerSignal: AbortSignal,
    private readonly timeoutMs: number,
  ) {
    if (callerSignal.aborted) {
      this.signal.abort(this.abortedError());
      return;
    }
    callerSignal.addEventListener('abort', this.onCallerAbort, { once: true });
    this.timer = setTimeout(this.onTimer, clampDelay(timeoutMs));
  }

  /** Why the attempt was cut short by us, if it was. */
  get failure(): ProviderError | undefined {
    return this.signal.reason;
  }

  /** Call before each wait on the upstream body. */
  waitForUpstream(): void {
    this.waiting = true;
    if (this.idle) {
      this.timer?.refresh();
    }
  }

  /**
   * A stream must end within `totalMs` of sending the request, however steadily chunks arrive;
   * armed at the first body byte (before it, `timeoutMs` already bounds the wait).
   */
  limitStream(totalMs: number | undefined): void {
    this.streamTimeoutMs = totalMs;
  }

  /** Call when a body chunk arrived; the first one switches the deadline to the idle timeout. */
  receivedFromUpstream(idleTimeoutMs: number): void {
    this.waiting = false;
    if (!this.idle && this.timer !== undefined) {
      this.idle = true;
      this.idleTimeoutMs = idleTimeoutMs;
      clearTimeout(this.timer);
      this.timer = setTimeout(this.onTimer, clampDelay(idleTimeoutMs));
      if (this.streamTimeoutMs !== undefined) {
        const left = this.startedAt + this.streamTimeoutMs - performance.now();
        this.deadlineTimer = setTimeout(this.onDeadline, clampDelay(left));
      }
    }
  }

  /**
   * Replaces the idle timeout, e.g. with a short grace after the stream's end marker: the rest of the
   * body (the chunked terminator) is read so the connection stays reusable, but a server that keeps
   * the response open after `[DONE]` cannot hold us.
   */
  setIdleTimeout(idleTimeoutMs: number): void {
    if (this.deadlineTimer !== undefined) {
      clearTimeout(this.deadlineTimer);
      this.deadlineTimer = undefined;
    }
    this.idle = true;
    this.idleTimeoutMs = idleTimeoutMs;
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = setTimeout(this.onTimer, clampDelay(idleTimeoutMs));
    }
  }

  /** Stops the timers and detaches from the caller's signal; safe to call more than once. */
  finish(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.deadlineTimer !== undefined) {
      clearTimeout(this.deadlineTimer);
      this.deadlineTimer = undefined;
    }
    this.callerSignal.removeEventListener('abort', this.onCallerAbort);
  }

  abort(error: ProviderError): void {
    this.signal.abort(error);
  }

  /** Maps anything thrown while talking to the upstream to the ProviderError it stands for. */
  toProviderError(error: unknown): GatewayError {
    const failure = this.failure;
    if (failure !== undefined) {
      return failure;
    }
    if (GatewayError.isInstance(error)) {
      return error;
    }
    const code = errorCode(error);
    if (code !== undefined && timeoutCodes.has(code)) {
      return new ProviderError(`${this.providerId} timed out (${code})`, {
        provider: this.providerId,
        kind: 'timeout',
        cause: error,
      });
    }
    return new ProviderError(
      `Could not reach ${this.providerId}${code === undefined ? '' : ` (${code})`}`,
      { provider: this.providerId, kind: 'connection', cause: error },
    );
  }

  private readonly onCallerAbort = (): void => {
    this.abort(this.abortedError());
  };

  private readonly onTimer = (): void => {
    if (!this.waiting) {
      return;
    }
    const message = this.idle
      ? `${this.providerId} stream stalled: no data for ${this.idleTimeoutMs} ms`
      : `${this.providerId} did not answer within ${this.timeoutMs} ms`;
    this.abort(new ProviderError(message, { provider: this.providerId, kind: 'timeout' }));
  };

  /** The stream's total budget ran out: ends it even while the client is slow to read. */
  private readonly onDeadline = (): void => {
    this.abort(
      new ProviderError(
        `${this.providerId} stream ran past the request's total timeout (${this.streamTimeoutMs} ms were left for this attempt)`,
        { provider: this.providerId, kind: 'timeout' },
      ),
    );
  };

  private abortedError(): ProviderError {
    return new ProviderError('The request was aborted by the client', {
      provider: this.providerId,
      kind: 'aborted',
      cause: this.callerSignal.reason,
    });
  }
}

/** Node fires delays above 2^31-1 ms at once; a huge configured timeout must mean "very long". */
function clampDelay(milliseconds: number): number {
  return Math.min(Math.max(0, milliseconds), 2_147_483_647);
}

const timeoutCodes = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
]);

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) {
    return undefined;
  }
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    return code;
  }
  const cause = (error as { cause?: unknown }).cause;
  return cause === error ? undefined : errorCode(cause);
}
