import { Notice } from '../../views/components.tsx';
import { Layout } from '../../views/layout.tsx';

export function SignInPage(props: {
  token: string;
  next: string;
  error: string | null;
  open: boolean;
}) {
  return (
    <Layout title="Sign in" viewer={null}>
      <section class="panel sign-in" aria-labelledby="sign-in-heading">
        <h2 id="sign-in-heading">Admin token or API key</h2>
        <Notice text={props.error} kind="error" />
        <p class="muted">
          The admin token (REKINDLE_ADMIN_TOKEN) sees every organization and may change the
          registry, training and keys. An organization's API key sees that organization only,
          read-only.
        </p>
        <form method="post" action="/console/sign-in" class="stacked">
          <input type="hidden" name="_sign_in" value={props.token} />
          <input type="hidden" name="next" value={props.next} />
          <div>
            <label for="credential">Token or key</label>
            <input
              type="password"
              id="credential"
              name="credential"
              autocomplete="current-password"
              required
            />
          </div>
          <div>
            <button type="submit">Sign in</button>
          </div>
        </form>
        {props.open && (
          <p>
            This gateway has no API keys yet:{' '}
            <a href="/console">continue as organization default</a>.
          </p>
        )}
      </section>
    </Layout>
  );
}
