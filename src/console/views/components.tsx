import type { Child } from 'hono/jsx';
import { csrfField } from '../http/csrf-check.ts';
import type { ConsoleViewer } from '../session/console-viewer.ts';

export function CsrfField({ viewer }: { viewer: ConsoleViewer }) {
  return <input type="hidden" name={csrfField} value={viewer.csrfToken} />;
}

/** One figure with its label; `name` is a stable hook (data-stat) for scripts and tests. */
export function Stat(props: { name: string; label: string; value: string; hint?: string }) {
  return (
    <div class="stat">
      <dt>{props.label}</dt>
      <dd data-stat={props.name}>{props.value}</dd>
      {props.hint && <dd class="hint">{props.hint}</dd>}
    </div>
  );
}

export function Stats({ label, children }: { label: string; children?: Child }) {
  return (
    <dl class="stats" aria-label={label}>
      {children}
    </dl>
  );
}

export function Notice({ text, kind = 'done' }: { text: string | null; kind?: 'done' | 'error' }) {
  if (!text) {
    return null;
  }
  return (
    <p class={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {text}
    </p>
  );
}

/** Wide tables scroll sideways inside the page on a narrow screen instead of widening it. */
export function TableWrap({ label, children }: { label: string; children?: Child }) {
  return (
    <section class="table-wrap" aria-label={label} tabindex={0}>
      {children}
    </section>
  );
}

export function Section(props: { title: string; id?: string; children?: Child }) {
  const headingId = `${props.id ?? slug(props.title)}-heading`;
  return (
    <section class="panel" aria-labelledby={headingId} id={props.id}>
      <h2 id={headingId}>{props.title}</h2>
      {props.children}
    </section>
  );
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/**
 * A GET form for admins to narrow a page to one organization (free text, the known ones
 * suggested: outcomes may name an organization that has no row of its own); an organization's
 * session has only its own and sees no picker.
 */
export function OrganizationPicker(props: {
  viewer: ConsoleViewer;
  organizations: readonly string[];
  selected: string | null;
  action: string;
  hidden?: Readonly<Record<string, string | undefined>>;
}) {
  if (props.viewer.organizationId !== null) {
    return null;
  }
  return (
    <form method="get" action={props.action} class="inline-form">
      {Object.entries(props.hidden ?? {}).map(([name, value]) =>
        value === undefined ? null : <input type="hidden" name={name} value={value} />,
      )}
      <label for="org-picker">Organization</label>
      <input
        type="text"
        id="org-picker"
        name="org"
        list="org-picker-options"
        value={props.selected ?? ''}
        placeholder="All organizations"
      />
      <datalist id="org-picker-options">
        {props.organizations.map((id) => (
          <option value={id} />
        ))}
      </datalist>
      <button type="submit">Show</button>
    </form>
  );
}
