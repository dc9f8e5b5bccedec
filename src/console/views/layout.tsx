import type { Child } from 'hono/jsx';
import { assetPath } from '../assets/console-assets.ts';
import type { ConsoleViewer } from '../session/console-viewer.ts';
import { CsrfField } from './components.tsx';

type NavKey = 'overview' | 'experiments' | 'models' | 'training' | 'outcomes' | 'keys';

const navigation: ReadonlyArray<readonly [NavKey, string, string]> = [
  ['overview', 'Overview', '/console'],
  ['experiments', 'Experiments', '/console/experiments'],
  ['models', 'Models', '/console/models'],
  ['training', 'Training', '/console/training'],
  ['outcomes', 'Outcomes', '/console/outcomes'],
  ['keys', 'Keys', '/console/keys'],
];

export interface LayoutProps {
  readonly title: string;
  readonly viewer: ConsoleViewer | null;
  readonly active?: NavKey | undefined;
  readonly children?: Child;
}

/** The page around every console view: navigation, who is signed in, sign-out, the content. */
export function Layout({ title, viewer, active, children }: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        {/* No favicon request: the console has none, and a 404 per page helps nobody. */}
        <link rel="icon" href="data:," />
        <title>{`${title} · Rekindle console`}</title>
        <link rel="stylesheet" href={assetPath('css')} />
        <script src={assetPath('js')} defer />
      </head>
      <body>
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        <header class="top-bar">
          <a class="brand" href="/console">
            Rekindle <span>console</span>
          </a>
          {viewer && (
            <nav aria-label="Console pages">
              <ul>
                {navigation.map(([key, label, href]) => (
                  <li>
                    <a href={href} aria-current={key === active ? 'page' : undefined}>
                      {label}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          )}
          {viewer && (
            <div class="session">
              <span class="viewer" data-viewer={viewer.kind}>
                {viewer.label}
              </span>
              {viewer.kind !== 'admin' && (
                <a href="/console/sign-in" class="quiet-link">
                  Sign in as admin
                </a>
              )}
              <form method="post" action="/console/sign-out">
                <CsrfField viewer={viewer} />
                <button type="submit" class="link-button">
                  Sign out
                </button>
              </form>
            </div>
          )}
        </header>
        <main id="main">
          <h1>{title}</h1>
          {children}
        </main>
      </body>
    </html>
  );
}
