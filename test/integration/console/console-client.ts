/**
 * The console over plain HTTP, the way a browser talks to it: a cookie jar, form posts, no
 * redirects followed (tests look at them). For the checks that need no rendering — tenancy, CSRF,
 * cookies, headers — on every store.
 */
export interface ConsoleAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

export class ConsoleClient {
  readonly #baseUrl: string;
  readonly #cookies = new Map<string, string>();
  #lastCsrf: string | null = null;

  constructor(baseUrl: string) {
    this.#baseUrl = baseUrl;
  }

  /** The session's CSRF token, as the last page carried it in its forms. */
  get csrfToken(): string {
    if (this.#lastCsrf === null) {
      throw new Error('no page with a CSRF token was loaded yet');
    }
    return this.#lastCsrf;
  }

  cookie(name: string): string | undefined {
    return this.#cookies.get(name);
  }

  get(path: string, headers: Record<string, string> = {}): Promise<ConsoleAnswer> {
    return this.#send('GET', path, undefined, headers);
  }

  post(
    path: string,
    fields: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<ConsoleAnswer> {
    return this.#send('POST', path, new URLSearchParams(fields).toString(), {
      'content-type': 'application/x-www-form-urlencoded',
      ...headers,
    });
  }

  /** The sign-in form with its double-submit token; resolves to the POST's answer. */
  async signIn(credential: string): Promise<ConsoleAnswer> {
    const form = await this.get('/console/sign-in');
    const token = /name="_sign_in" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
    return this.post('/console/sign-in', { _sign_in: token, next: '/console', credential });
  }

  async #send(
    method: string,
    path: string,
    body: string | undefined,
    headers: Record<string, string>,
  ): Promise<ConsoleAnswer> {
    const cookie = [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(`${this.#baseUrl}${path}`, {
      method,
      redirect: 'manual',
      headers: { ...(cookie ? { cookie } : {}), ...headers },
      ...(body === undefined ? {} : { body }),
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const split = pair.indexOf('=');
      const name = pair.slice(0, split).trim();
      const value = pair.slice(split + 1).trim();
      if (value === '' || /max-age=0/i.test(line)) {
        this.#cookies.delete(name);
      } else {
        this.#cookies.set(name, value);
      }
    }
    const text = await response.text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(text)?.[1];
    if (csrf) {
      this.#lastCsrf = csrf;
    }
    return { status: response.status, headers: response.headers, body: text };
  }
}
