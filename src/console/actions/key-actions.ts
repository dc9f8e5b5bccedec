import { ConsoleError } from '../http/console-error.ts';
import { renderPage } from '../http/render-page.ts';
import { KeyCreatedPage } from '../pages/keys/key-created-page.tsx';
import {
  type ActionPlan,
  type ConsoleAction,
  doneAt,
  optional,
  optionalNumber,
  required,
} from './console-action.ts';

interface CreateKeyInput {
  readonly organizationId: string;
  readonly name: string | null;
  readonly rpm: number | null;
}

/**
 * Keys through the store the admin API uses (POST /admin/keys, …/revoke); the gateway's
 * in-memory keys reload at once, so a new key works and a revoked one stops at the next request.
 */
export const createKeyAction: ConsoleAction<CreateKeyInput> = {
  name: 'create-key',
  parse: (form) => ({
    organizationId: required(form, 'organization_id', 'Organization', 128),
    name: optional(form, 'name', 200),
    rpm: optionalNumber(form, 'rpm', 'Requests per minute', {
      minimum: 1,
      maximum: 1_000_000_000,
      integer: true,
    }),
  }),
  plan: (input, services): ActionPlan => ({
    title: `Create an API key for ${input.organizationId}`,
    details: [
      ['Organization', input.organizationId],
      ['Name', input.name ?? '—'],
      ['Requests per minute', String(input.rpm ?? services.config.rate_limit.default_rpm)],
    ],
    consequence: 'The key is shown once, on the next page; only its hash is stored.',
    cancel: '/console/keys',
  }),
  async apply(input, services, viewer) {
    const created = await services.store.apiKeys.create({
      organizationId: input.organizationId,
      rpmLimit: input.rpm ?? services.config.rate_limit.default_rpm,
      name: input.name,
    });
    await reloadKeys(services);
    return {
      kind: 'page',
      render: (context) => {
        context.header('cache-control', 'no-store');
        return renderPage(
          context,
          KeyCreatedPage({ viewer, key: created.key, record: created.record }),
        );
      },
    };
  },
};

interface RevokeKeyInput {
  readonly id: string;
}

export const revokeKeyAction: ConsoleAction<RevokeKeyInput> = {
  name: 'revoke-key',
  parse: (form) => ({ id: required(form, 'id', 'Key id', 100) }),
  plan: (input): ActionPlan => ({
    title: `Revoke API key ${input.id}`,
    details: [['Key', input.id]],
    consequence:
      'Requests with the key are refused from now on, and console sessions signed in with it end.',
    danger: true,
    cancel: '/console/keys',
  }),
  async apply(input, services) {
    const revoked = await services.store.apiKeys.revoke(input.id);
    await reloadKeys(services);
    if (!revoked) {
      throw new ConsoleError(404, `No API key with id or prefix ${input.id}.`);
    }
    return doneAt(
      '/console/keys',
      'key_revoked',
      `${revoked.key_prefix} of ${revoked.organization_id}`,
    );
  },
};

async function reloadKeys(services: Parameters<ConsoleAction<unknown>['apply']>[1]): Promise<void> {
  await services.keys.refresh().catch((error: unknown) => {
    services.logger.warn(
      'api key reload after a console change failed; the next refresh applies it',
      {
        error,
      },
    );
  });
}
