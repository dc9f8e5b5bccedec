import type { ApiKeyRecord } from '../../../store/index.ts';
import type { ConsoleViewer } from '../../session/console-viewer.ts';
import { Section } from '../../views/components.tsx';
import { Layout } from '../../views/layout.tsx';

/** The one time a key is shown: this response (not cached, not repeatable). */
export function KeyCreatedPage(props: {
  viewer: ConsoleViewer;
  key: string;
  record: ApiKeyRecord;
}) {
  return (
    <Layout title="Key created" viewer={props.viewer} active="keys">
      <Section title={`New key for ${props.record.organization_id}`} id="new-key">
        <p>Copy it now: it is shown once. Only its hash is stored.</p>
        <p class="secret" data-new-key={props.record.id}>
          {props.key}
        </p>
        <p>
          Prefix <code>{props.record.key_prefix}</code>, {props.record.rpm_limit ?? 'default'}{' '}
          requests per minute.
        </p>
        <p>
          <a href="/console/keys">Back to the keys</a>
        </p>
      </Section>
    </Layout>
  );
}
