import type { ApiKeyRecord } from '../../../store/index.ts';
import type { ConsoleViewer } from '../../session/console-viewer.ts';
import {
  CsrfField,
  Notice,
  OrganizationPicker,
  Section,
  TableWrap,
} from '../../views/components.tsx';
import { formatInstant } from '../../views/format.ts';
import { Layout } from '../../views/layout.tsx';

export interface KeysPageProps {
  readonly viewer: ConsoleViewer;
  readonly keys: readonly ApiKeyRecord[];
  readonly organizationId: string | null;
  readonly organizations: readonly string[];
  readonly notice: string | null;
  readonly defaultRpm: number;
}

export function KeysPage(props: KeysPageProps) {
  return (
    <Layout title="Keys" viewer={props.viewer} active="keys">
      <Notice text={props.notice} />
      <OrganizationPicker
        viewer={props.viewer}
        organizations={props.organizations}
        selected={props.organizationId}
        action="/console/keys"
      />
      <KeysTable {...props} />
      {props.viewer.canChange ? (
        <CreateForm {...props} />
      ) : (
        <p class="muted" data-read-only="true">
          This session is read-only: creating and revoking keys need the admin token.
        </p>
      )}
    </Layout>
  );
}

function KeysTable(props: KeysPageProps) {
  return (
    <Section title="API keys" id="api-keys">
      <TableWrap label="API keys">
        <table data-table="keys">
          <thead>
            <tr>
              <th scope="col">Prefix</th>
              <th scope="col">Organization</th>
              <th scope="col">Name</th>
              <th scope="col" class="number">
                Requests / min
              </th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">State</th>
              {props.viewer.canChange && <th scope="col">Action</th>}
            </tr>
          </thead>
          <tbody>
            {props.keys.map((key) => (
              <tr data-key={key.id}>
                <th scope="row">
                  <code>{key.key_prefix}</code>
                </th>
                <td>{key.organization_id}</td>
                <td>{key.name ?? '—'}</td>
                <td class="number">{key.rpm_limit ?? props.defaultRpm}</td>
                <td>{formatInstant(key.created_at)}</td>
                <td>{formatInstant(key.last_used_at)}</td>
                <td data-cell="state">
                  {key.revoked_at ? (
                    <span class="badge badge-bad">revoked {formatInstant(key.revoked_at)}</span>
                  ) : (
                    <span class="badge badge-good">live</span>
                  )}
                </td>
                {props.viewer.canChange && (
                  <td>
                    {!key.revoked_at && (
                      <form method="post" action="/console/actions/revoke-key">
                        <CsrfField viewer={props.viewer} />
                        <input type="hidden" name="id" value={key.id} />
                        <button type="submit" class="danger">
                          Revoke {key.key_prefix}
                        </button>
                      </form>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {props.keys.length === 0 && <p class="muted">No API keys.</p>}
    </Section>
  );
}

function CreateForm(props: KeysPageProps) {
  return (
    <Section title="Create a key" id="create-key">
      <form method="post" action="/console/actions/create-key" class="form-grid">
        <CsrfField viewer={props.viewer} />
        <div class="field">
          <label for="key-org">Organization</label>
          <input
            type="text"
            id="key-org"
            name="organization_id"
            value={props.organizationId ?? ''}
            required
          />
        </div>
        <div class="field">
          <label for="key-name">Name</label>
          <input type="text" id="key-name" name="name" placeholder="optional" />
        </div>
        <div class="field">
          <label for="key-rpm">Requests per minute</label>
          <input
            type="number"
            id="key-rpm"
            name="rpm"
            min="1"
            step="1"
            placeholder={String(props.defaultRpm)}
          />
        </div>
        <div class="field">
          <button type="submit">Create key…</button>
        </div>
      </form>
    </Section>
  );
}
