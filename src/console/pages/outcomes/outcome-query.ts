import type { OutcomeCursor, OutcomeSearch } from '../../../store/index.ts';
import { ConsoleError } from '../../http/console-error.ts';

/** The search form's fields, as the page echoes them back. */
export interface OutcomeFilters {
  readonly lead: string;
  readonly campaign: string;
  readonly id: string;
  readonly model_version: string;
  readonly from: string;
  readonly to: string;
  readonly org: string;
}

const datePattern = /^\d{4}-\d{2}-\d{2}$/;
const dayMs = 86_400_000;

export function readFilters(query: (name: string) => string | undefined): OutcomeFilters {
  const field = (name: string) => (query(name) ?? '').trim().slice(0, 200);
  return {
    lead: field('lead'),
    campaign: field('campaign'),
    id: field('id'),
    model_version: field('model_version'),
    from: field('from'),
    to: field('to'),
    org: field('org'),
  };
}

/** A day (UTC) as an instant: its start, or the start of the next day for an inclusive `to`. */
function day(text: string, name: string, endOfDay: boolean): Date | undefined {
  if (text === '') {
    return undefined;
  }
  if (!datePattern.test(text) || Number.isNaN(Date.parse(`${text}T00:00:00Z`))) {
    throw new ConsoleError(400, `${name} must be a date (YYYY-MM-DD).`);
  }
  return new Date(Date.parse(`${text}T00:00:00Z`) + (endOfDay ? dayMs : 0));
}

/** `before` travels as "<created_at>|<id>": the last row's exact timestamp text and its id. */
export function encodeCursor(cursor: OutcomeCursor): string {
  return `${cursor.created_at}|${cursor.id}`;
}

function decodeCursor(text: string | undefined): OutcomeCursor | undefined {
  if (!text) {
    return undefined;
  }
  const split = text.lastIndexOf('|');
  if (split < 1) {
    throw new ConsoleError(400, 'The page cursor is malformed.');
  }
  return { created_at: text.slice(0, split), id: text.slice(split + 1) };
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function toSearch(
  filters: OutcomeFilters,
  organizationId: string | null,
  before: string | undefined,
): OutcomeSearch {
  if (filters.id !== '' && !uuidPattern.test(filters.id)) {
    throw new ConsoleError(400, 'An outcome id is a UUID (as x-rekindle-outcome-id gives it).');
  }
  return {
    organizationId,
    leadId: filters.lead || undefined,
    campaignId: filters.campaign || undefined,
    outcomeId: filters.id || undefined,
    modelVersion: filters.model_version || undefined,
    from: day(filters.from, 'From', false),
    to: day(filters.to, 'To', true),
    before: decodeCursor(before),
    limit: 50,
  };
}

/** The query string of this search (for the next page's link), without empty fields. */
export function filterQuery(filters: OutcomeFilters, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries({ ...filters, ...extra })) {
    if (value !== '') {
      params.set(name, value);
    }
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}
