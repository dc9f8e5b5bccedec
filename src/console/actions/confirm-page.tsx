import type { FormFields } from '../console-env.ts';
import { csrfField } from '../http/csrf-check.ts';
import type { ConsoleViewer } from '../session/console-viewer.ts';
import { CsrfField } from '../views/components.tsx';
import { Layout } from '../views/layout.tsx';
import type { ActionPlan } from './console-action.ts';

/**
 * The confirmation step: what will change, and a form that posts the same fields again with
 * `confirm=yes` (and the session's CSRF token); Cancel goes back without changing anything.
 */
export function ConfirmPage(props: {
  viewer: ConsoleViewer;
  action: string;
  plan: ActionPlan;
  fields: FormFields;
}) {
  const { plan } = props;
  const carried = Object.entries(props.fields).filter(
    ([name]) => name !== csrfField && name !== 'confirm',
  );
  return (
    <Layout title="Confirm" viewer={props.viewer}>
      <section class="panel" aria-labelledby="confirm-heading" data-confirm={props.action}>
        <h2 id="confirm-heading">{plan.title}</h2>
        <dl class="facts">
          {plan.details.map(([label, value]) => (
            <>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </>
          ))}
        </dl>
        <p>{plan.consequence}</p>
        <form method="post" action={`/console/actions/${props.action}`} class="actions">
          <CsrfField viewer={props.viewer} />
          {carried.map(([name, value]) => (
            <input type="hidden" name={name} value={value} />
          ))}
          <input type="hidden" name="confirm" value="yes" />
          <button type="submit" class={plan.danger ? 'danger' : undefined}>
            Confirm
          </button>
          <a class="button secondary" href={plan.cancel}>
            Cancel
          </a>
        </form>
      </section>
    </Layout>
  );
}
