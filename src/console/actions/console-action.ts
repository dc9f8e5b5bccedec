import type { Context } from 'hono';
import type { ConsoleEnv, FormFields } from '../console-env.ts';
import type { ConsoleServices } from '../console-services.ts';
import { ConsoleError } from '../http/console-error.ts';
import type { ConsoleViewer } from '../session/console-viewer.ts';

/** What the confirmation step shows before a change is made. */
export interface ActionPlan {
  readonly title: string;
  readonly details: ReadonlyArray<readonly [string, string]>;
  /** What happens, in a sentence ("routing changes at once…"). */
  readonly consequence: string;
  readonly danger?: boolean;
  /** Where Cancel goes. */
  readonly cancel: string;
}

export type ActionResult =
  | { readonly kind: 'redirect'; readonly to: string }
  | { readonly kind: 'page'; readonly render: (context: Context<ConsoleEnv>) => Promise<Response> };

/**
 * One change the console can make: parse the form (400 on bad input), describe it for the
 * confirmation step, then apply it through the same service the admin API uses.
 */
export interface ConsoleAction<Input> {
  readonly name: string;
  parse(form: FormFields, services: ConsoleServices): Input;
  plan(input: Input, services: ConsoleServices): ActionPlan;
  apply(input: Input, services: ConsoleServices, viewer: ConsoleViewer): Promise<ActionResult>;
}

export function required(form: FormFields, name: string, label: string, max = 200): string {
  const value = form[name]?.trim() ?? '';
  if (value === '') {
    throw new ConsoleError(400, `${label} is required.`);
  }
  if (value.length > max) {
    throw new ConsoleError(400, `${label} is longer than ${max} characters.`);
  }
  return value;
}

export function optional(form: FormFields, name: string, max = 500): string | null {
  const value = form[name]?.trim() ?? '';
  if (value.length > max) {
    throw new ConsoleError(400, `${name} is longer than ${max} characters.`);
  }
  return value === '' ? null : value;
}

/** A number within [minimum, maximum] (exclusive minimum when asked); null when left empty. */
export function optionalNumber(
  form: FormFields,
  name: string,
  label: string,
  range: { minimum: number; maximum: number; exclusiveMinimum?: boolean; integer?: boolean },
): number | null {
  const text = form[name]?.trim() ?? '';
  if (text === '') {
    return null;
  }
  const value = Number(text);
  const low = range.exclusiveMinimum ? value <= range.minimum : value < range.minimum;
  if (
    !Number.isFinite(value) ||
    low ||
    value > range.maximum ||
    (range.integer && !Number.isInteger(value))
  ) {
    const bound = range.exclusiveMinimum
      ? `more than ${range.minimum}`
      : `at least ${range.minimum}`;
    throw new ConsoleError(
      400,
      `${label} must be a ${range.integer ? 'whole ' : ''}number, ${bound} and at most ${range.maximum}.`,
    );
  }
  return value;
}

/** A redirect back to a page with a notice the page words itself (never text from the URL). */
export function doneAt(path: string, done: string, subject: string): ActionResult {
  const separator = path.includes('?') ? '&' : '?';
  return {
    kind: 'redirect',
    to: `${path}${separator}done=${encodeURIComponent(done)}&subject=${encodeURIComponent(subject)}`,
  };
}
