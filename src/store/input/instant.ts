import { z } from 'zod';

/**
 * Instants as every input boundary takes them: RFC 3339 strictly — a full date and time with `Z`
 * or an offset, a real calendar day (no 30 February), a year PostgreSQL's timestamptz and ISO
 * strings share (0001–9999) — or Unix time. `Date.parse` guesses at anything (it read
 * `' OR '1'='1` as 2001-01-01 and `2026-02-30` as 2 March); nothing here guesses.
 */
const rfc3339 = z.iso.datetime({ offset: true });

const minYear = 1;
const maxYear = 9999;
const maxEpochMilliseconds = Date.UTC(maxYear, 11, 31, 23, 59, 59, 999);

function yearOf(value: string): number {
  return Number.parseInt(value.slice(0, 4), 10);
}

/** An RFC 3339 date-time with offset, or null; as given (the store parses the offset itself). */
function parseRfc3339(value: string): string | null {
  if (!rfc3339.safeParse(value).success) {
    return null;
  }
  const year = yearOf(value);
  return year >= minYear && year <= maxYear ? value : null;
}

export const rfc3339Instant = rfc3339.refine(
  (value) => parseRfc3339(value) !== null,
  `must be a year from ${minYear} to ${maxYear}`,
);

/**
 * Unix time → ISO 8601: seconds, or milliseconds when the number is that large (≥ 1e12, i.e.
 * after 2001 in milliseconds or after year 33658 in seconds); null past year 9999 or when not a
 * finite non-negative number.
 */
export function unixTimeToIso(value: number): string | null {
  if (!Number.isFinite(value) || value < 0) {
    return null;
  }
  const milliseconds = value >= 1e12 ? value : value * 1000;
  if (milliseconds > maxEpochMilliseconds) {
    return null;
  }
  return new Date(milliseconds).toISOString();
}

/**
 * ISO 8601 date-times as webhook senders write them: `T` or a space between date and time,
 * seconds and fractions optional, `Z`, `±HH:MM` or `±HHMM` (Salesforce), or no zone (read as
 * UTC: Pipedrive). The calendar is checked — 2026-02-30 is refused, not moved to 2 March.
 */
const isoDateTime =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?\s*(Z|z|[+-]\d{2}:?\d{2})?$/;

/** A strict ISO 8601 instant → its ISO string in UTC, or null. */
export function parseIsoInstant(value: string): string | null {
  const match = isoDateTime.exec(value.trim());
  if (match === null) {
    return null;
  }
  const [, y, mo, d, h = '00', mi = '00', sec = '00', fraction = '', zone = 'Z'] = match;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, sec].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (year < minYear || month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) {
    return null;
  }
  const daysInMonth = new Date(Date.UTC(2000, month, 0)).getUTCDate();
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day < 1 || day > (month === 2 ? (leap ? 29 : 28) : daysInMonth)) {
    return null;
  }
  const offsetMinutes = zoneOffsetMinutes(zone);
  if (offsetMinutes === null) {
    return null;
  }
  const local = new Date(0);
  local.setUTCFullYear(year, month - 1, day);
  local.setUTCHours(hour, minute, second, Math.floor(Number(`0${fraction}`) * 1000));
  return new Date(local.getTime() - offsetMinutes * 60_000).toISOString();
}

function zoneOffsetMinutes(zone: string): number | null {
  if (zone === 'Z' || zone === 'z') {
    return 0;
  }
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2));
  if (hours > 23 || minutes > 59) {
    return null;
  }
  return (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
}
