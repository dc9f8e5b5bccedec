import { withoutProviderPrefix } from '../../router/index.ts';
import type { FormFields } from '../console-env.ts';
import type { ConsoleServices } from '../console-services.ts';
import { ConsoleError } from '../http/console-error.ts';
import {
  type ActionPlan,
  type ConsoleAction,
  doneAt,
  optional,
  optionalNumber,
  required,
} from './console-action.ts';

/**
 * Registry changes, made through the RegistryService the admin API uses: stored with the audit
 * trail naming the console session, then the registry reloads and the router routes by it at
 * once (other replicas follow through LISTEN/NOTIFY).
 */
interface VersionInput {
  readonly route: string;
  readonly modelVersion: string;
  readonly reason: string | null;
  readonly returnTo: string;
}

interface ShareInput extends VersionInput {
  readonly share: number;
}

const routing = 'Routing changes at once, on this gateway and on every replica.';

function returnPath(form: FormFields): string {
  return form.return_to === 'models' ? 'models' : 'experiments';
}

function pagePath(input: VersionInput): string {
  return `/console/${input.returnTo}?route=${encodeURIComponent(input.route)}`;
}

function versionInput(form: FormFields, optionalVersion = false): VersionInput {
  const modelVersion = optionalVersion
    ? (optional(form, 'model_version', 200) ?? '')
    : required(form, 'model_version', 'Model version');
  return {
    route: required(form, 'route', 'Route'),
    modelVersion,
    reason: optional(form, 'reason'),
    returnTo: returnPath(form),
  };
}

function details(input: VersionInput, extra: ReadonlyArray<readonly [string, string]> = []) {
  return [
    ['Route', input.route],
    ...(input.modelVersion ? [['Model version', input.modelVersion] as const] : []),
    ...extra,
    ...(input.reason ? [['Reason', input.reason] as const] : []),
  ] as const;
}

export const promoteAction: ConsoleAction<VersionInput> = {
  name: 'promote',
  parse: (form) => versionInput(form),
  plan: (input): ActionPlan => ({
    title: `Promote ${input.modelVersion} to baseline of ${input.route}`,
    details: details(input),
    consequence: `${input.modelVersion} becomes the baseline and takes the traffic the variants leave; the current baseline is deprecated. ${routing}`,
    cancel: pagePath(input),
  }),
  async apply(input, services, viewer) {
    await services.registry.promote(input.route, input.modelVersion, {
      actor: viewer.actor,
      reason: input.reason,
    });
    return doneAt(pagePath(input), 'promoted', `${input.modelVersion} on ${input.route}`);
  },
};

export const rollbackAction: ConsoleAction<VersionInput> = {
  name: 'rollback',
  parse: (form) => versionInput(form, true),
  plan: (input): ActionPlan => ({
    title: input.modelVersion
      ? `Roll back ${input.modelVersion} on ${input.route}`
      : `Roll back the last promotion on ${input.route}`,
    details: details(input),
    consequence: input.modelVersion
      ? `${input.modelVersion} stops taking traffic (rolled back) unless it is the baseline, in which case the baseline before it returns. ${routing}`
      : `The baseline before the last promotion returns and the current one is rolled back. ${routing}`,
    danger: true,
    cancel: pagePath(input),
  }),
  async apply(input, services, viewer) {
    const row = await services.registry.rollback(input.route, input.modelVersion || null, {
      actor: viewer.actor,
      reason: input.reason,
    });
    return doneAt(
      pagePath(input),
      'rolled_back',
      `${row.model_version} on ${input.route} is now ${row.status}`,
    );
  },
};

function shareAction(name: 'share' | 'deploy'): ConsoleAction<ShareInput> {
  return {
    name,
    parse(form) {
      const share = optionalNumber(form, 'traffic_percentage', 'Traffic share', {
        minimum: 0,
        maximum: 100,
        exclusiveMinimum: true,
      });
      if (share === null) {
        throw new ConsoleError(400, 'Traffic share is required (percent of the route).');
      }
      return { ...versionInput(form), share };
    },
    plan: (input): ActionPlan => ({
      title:
        name === 'deploy'
          ? `Deploy ${input.modelVersion} to ${input.share} % of ${input.route}`
          : `Give ${input.modelVersion} ${input.share} % of ${input.route}`,
      details: details(input, [['Traffic share', `${input.share} %`]]),
      consequence: `${input.modelVersion} takes ${input.share} % of the route's traffic as a testing variant; the baseline takes what the variants leave. The experiment restarts its count from now. ${routing}`,
      cancel: pagePath(input),
    }),
    async apply(input, services, viewer) {
      await services.registry.deploy(input.route, input.modelVersion, input.share, null, {
        actor: viewer.actor,
      });
      return doneAt(
        pagePath(input),
        name === 'deploy' ? 'deployed' : 'share_changed',
        `${input.modelVersion} at ${input.share} % of ${input.route}`,
      );
    },
  };
}

export const shareChangeAction = shareAction('share');
export const deployAction = shareAction('deploy');

export const deprecateAction: ConsoleAction<VersionInput> = {
  name: 'deprecate',
  parse: (form) => versionInput(form),
  plan: (input): ActionPlan => ({
    title: `Deprecate ${input.modelVersion} on ${input.route}`,
    details: details(input),
    consequence: `${input.modelVersion} takes no more traffic; the baseline takes its share. ${routing}`,
    danger: true,
    cancel: pagePath(input),
  }),
  async apply(input, services, viewer) {
    await services.registry.deprecate(input.route, input.modelVersion, {
      actor: viewer.actor,
      reason: input.reason,
    });
    return doneAt(pagePath(input), 'deprecated', `${input.modelVersion} on ${input.route}`);
  },
};

interface RegisterInput {
  readonly route: string;
  readonly modelId: string;
  readonly provider: string;
  readonly modelVersion: string;
  readonly baseModel: string | null;
}

export const registerAction: ConsoleAction<RegisterInput> = {
  name: 'register',
  parse(form, services: ConsoleServices) {
    const modelId = required(form, 'model_id', 'Model id');
    const provider =
      optional(form, 'provider', 100) ?? services.router.resolveTarget(modelId)?.provider;
    if (!provider) {
      throw new ConsoleError(400, `Cannot tell the provider of ${modelId}: give the provider.`);
    }
    return {
      route: optional(form, 'route', 200) ?? services.config.default_route,
      modelId: withoutProviderPrefix(modelId, provider),
      provider,
      modelVersion: required(form, 'model_version', 'Model version', 64),
      baseModel: optional(form, 'base_model', 200),
    };
  },
  plan: (input): ActionPlan => ({
    title: `Register ${input.modelVersion} on ${input.route}`,
    details: [
      ['Route', input.route],
      ['Model id', input.modelId],
      ['Provider', input.provider],
      ['Model version', input.modelVersion],
      ['Base model', input.baseModel ?? '—'],
    ],
    consequence: 'The model is added to the registry; it takes no traffic until it is deployed.',
    cancel: `/console/models?route=${encodeURIComponent(input.route)}`,
  }),
  async apply(input, services, viewer) {
    await services.registry.register({
      route: input.route,
      model_id: input.modelId,
      provider: input.provider,
      model_version: input.modelVersion,
      base_model: input.baseModel,
      actor: viewer.actor,
    });
    return doneAt(
      `/console/models?route=${encodeURIComponent(input.route)}`,
      'registered',
      `${input.modelVersion} (${input.provider}/${input.modelId}) on ${input.route}`,
    );
  },
};
