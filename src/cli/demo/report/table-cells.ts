/** The demo's cell texts: counts, rates, money and signed lifts, with a dash when unknown. */
export const count = (value: number): string => Math.round(value).toLocaleString('en-US');

export const rate = (value: number | null | undefined, digits = 1): string =>
  value === null || value === undefined || Number.isNaN(value)
    ? '—'
    : `${(value * 100).toFixed(digits)}%`;

export const share = (part: number, whole: number): string =>
  whole > 0 ? rate(part / whole) : '—';

export const usd = (value: number | null | undefined, digits = 2): string =>
  value === null || value === undefined || Number.isNaN(value)
    ? '—'
    : `$${value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;

export const signed = (value: number | null | undefined): string =>
  value === null || value === undefined
    ? '—'
    : `${value >= 0 ? '+' : ''}${(value * 100).toFixed(1)}%`;
