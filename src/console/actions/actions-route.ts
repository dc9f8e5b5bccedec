import type { Hono } from 'hono';
import type { ConsoleEnv, FormFields } from '../console-env.ts';
import type { ConsoleServices } from '../console-services.ts';
import { ConsoleError, forbidden } from '../http/console-error.ts';
import { renderPage } from '../http/render-page.ts';
import type { ConsoleViewer } from '../session/console-viewer.ts';
import { ConfirmPage } from './confirm-page.tsx';
import type { ActionPlan, ActionResult, ConsoleAction } from './console-action.ts';
import { createKeyAction, revokeKeyAction } from './key-actions.ts';
import {
  deployAction,
  deprecateAction,
  promoteAction,
  registerAction,
  rollbackAction,
  shareChangeAction,
} from './registry-actions.ts';
import { trainAction } from './training-action.ts';

/** An action with its input type hidden: parse once, then plan or apply that input. */
interface PreparedAction {
  readonly plan: ActionPlan;
  apply(viewer: ConsoleViewer): Promise<ActionResult>;
}

type ActionEntry = (form: FormFields, services: ConsoleServices) => PreparedAction;

function entry<Input>(action: ConsoleAction<Input>): [string, ActionEntry] {
  return [
    action.name,
    (form, services) => {
      const input = action.parse(form, services);
      return {
        plan: action.plan(input, services),
        apply: (viewer) => action.apply(input, services, viewer),
      };
    },
  ];
}

const actions: ReadonlyMap<string, ActionEntry> = new Map([
  entry(promoteAction),
  entry(rollbackAction),
  entry(shareChangeAction),
  entry(deployAction),
  entry(deprecateAction),
  entry(registerAction),
  entry(trainAction),
  entry(createKeyAction),
  entry(revokeKeyAction),
]);

/**
 * POST /console/actions/{name}: every change the console makes. Only admin sessions may (403
 * otherwise, before the form is even read for meaning); the CSRF middleware ran already. Without
 * `confirm=yes` the answer is the confirmation page; with it the change is applied.
 */
export function registerActions(app: Hono<ConsoleEnv>, services: ConsoleServices): void {
  app.post('/actions/:name', async (context) => {
    const name = context.req.param('name');
    const prepare = actions.get(name);
    if (!prepare) {
      throw new ConsoleError(404, 'There is no such console action.');
    }
    const viewer = context.get('viewer');
    if (!viewer.canChange) {
      throw forbidden();
    }
    const form = context.get('form');
    const prepared = prepare(form, services);
    if (form.confirm !== 'yes') {
      return renderPage(
        context,
        ConfirmPage({ viewer, action: name, plan: prepared.plan, fields: form }),
      );
    }
    const result = await prepared.apply(viewer);
    return result.kind === 'redirect' ? context.redirect(result.to, 303) : result.render(context);
  });
}
