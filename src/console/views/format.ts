/** How numbers, money, shares and instants read on every console page (en-US, UTC). */

const dash = '—';
const counts = new Intl.NumberFormat('en-US');

export function formatCount(value: number | null | undefined): string {
  return value === null || value === undefined ? dash : counts.format(value);
}

/** A share in [0, 1] as a percentage: 0.1234 → "12.3 %". */
export function formatPercent(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return dash;
  }
  return `${(value * 100).toFixed(digits)} %`;
}

/** A relative change: 0.052 → "+5.2 %". */
export function formatSignedPercent(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return dash;
  }
  const text = (value * 100).toFixed(digits);
  return `${value > 0 ? '+' : ''}${text} %`;
}

/** Dollars: cents above one cent, else four significant digits (token prices are small). */
export function formatUsd(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return dash;
  }
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && magnitude < 0.01) {
    return `$${value.toPrecision(4)}`;
  }
  return `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** A score in [0, 1] (quality, sentiment) with three decimals. */
export function formatScore(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? dash : value.toFixed(3);
}

export function formatSignedScore(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return dash;
  }
  return `${value > 0 ? '+' : ''}${value.toFixed(3)}`;
}

export function formatInterval(
  interval: readonly [number, number] | null | undefined,
  format: (value: number) => string = (value) => formatPercent(value),
): string {
  return interval ? `${format(interval[0])} – ${format(interval[1])}` : dash;
}

/** An instant as "2026-12-07 13:36 UTC" (the store's timestamps are UTC). */
export function formatInstant(value: string | null | undefined): string {
  if (!value) {
    return dash;
  }
  const time = Date.parse(value);
  if (Number.isNaN(time)) {
    return value;
  }
  return `${new Date(time).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function formatMilliseconds(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return dash;
  }
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;
}
