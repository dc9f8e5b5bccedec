import type { RolloutEvent } from '../../store/index.ts';
import { Section, TableWrap } from '../views/components.tsx';
import { formatInstant } from '../views/format.ts';

/** A GET form to switch route (the configured routes and those in the registry). */
export function RoutePicker(props: { routes: readonly string[]; route: string; action: string }) {
  return (
    <form method="get" action={props.action} class="inline-form">
      <label for="route-picker">Route</label>
      <select id="route-picker" name="route">
        {props.routes.map((route) => (
          <option value={route} selected={route === props.route}>
            {route}
          </option>
        ))}
      </select>
      <button type="submit">Show</button>
    </form>
  );
}

/** The registry's audit trail (rollout_events), newest first. */
export function AuditTrail({ events }: { events: readonly RolloutEvent[] }) {
  return (
    <Section title="Audit trail" id="audit-trail">
      <TableWrap label="Audit trail">
        <table data-table="audit-trail">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Action</th>
              <th scope="col">Version</th>
              <th scope="col">Actor</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {events.map((event) => (
              <tr data-event={event.id}>
                <td>{formatInstant(event.created_at)}</td>
                <td data-cell="action">
                  {event.action}
                  {event.automatic ? ' (automatic)' : ''}
                </td>
                <td data-cell="version">{event.model_version ?? '—'}</td>
                <td data-cell="actor">{event.actor ?? '—'}</td>
                <td>{event.reason ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {events.length === 0 && <p class="muted">No registry changes on this route yet.</p>}
    </Section>
  );
}
