import type { ConsoleViewer } from '../session/console-viewer.ts';
import { Layout } from './layout.tsx';

const titles: Record<number, string> = {
  400: 'That did not work',
  401: 'Sign in first',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Conflict',
  415: 'Unsupported form',
  422: 'Cannot do that',
  500: 'Something went wrong',
};

export function ErrorPage(props: {
  viewer: ConsoleViewer | null;
  status: number;
  message: string;
}) {
  return (
    <Layout title={titles[props.status] ?? 'Error'} viewer={props.viewer}>
      <section class="panel" aria-label="What happened">
        <p class="notice notice-error" role="alert" data-status={props.status}>
          {props.message}
        </p>
        <p>
          <a href="/console">Back to the overview</a>
        </p>
      </section>
    </Layout>
  );
}
