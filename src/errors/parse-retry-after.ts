/** Reads `retry-after-ms`, then `retry-after` (seconds or an HTTP date); ignores nonsense. */
export function parseRetryAfter(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  now: number = Date.now(),
): number | undefined {
  const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
  const milliseconds = first(headers['retry-after-ms']);
  if (milliseconds !== undefined) {
    const parsed = Number(milliseconds);
    if (Number.isFinite(parsed) && parsed >= 0) {
      return parsed;
    }
  }
  const retryAfter = first(headers['retry-after']);
  if (retryAfter === undefined) {
    return undefined;
  }
  const seconds = Number(retryAfter);
  if (Number.isFinite(seconds) && seconds >= 0) {
    return seconds * 1000;
  }
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Retryable per the vendors' SDK rules: 408, 409, 429, ≥ 500 (timeouts and resets are not statuses). */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}
