import { GatewayError } from '../../errors/index.ts';

/** A refusal the console shows as a page, with its status (403 for a read-only session…). */
export class ConsoleError extends Error {
  readonly status: 400 | 401 | 403 | 404 | 409 | 415 | 422 | 500;

  constructor(status: ConsoleError['status'], message: string) {
    super(message);
    this.name = 'ConsoleError';
    this.status = status;
  }
}

export function forbidden(
  message = 'This session cannot make changes: sign in with the admin token.',
) {
  return new ConsoleError(403, message);
}

/**
 * What the error page says: a console refusal as it is; a gateway error (a registry conflict, an
 * unknown model, bad input the store refused) with its status and message; anything else a 500
 * without details (they go to the log).
 */
export function describeError(error: unknown): { status: ConsoleError['status']; message: string } {
  if (error instanceof ConsoleError) {
    return { status: error.status, message: error.message };
  }
  if (GatewayError.isInstance(error) && error.status >= 400 && error.status < 500) {
    const status = ([400, 401, 403, 404, 409, 415, 422] as const).find(
      (known) => known === error.status,
    );
    return { status: status ?? 400, message: error.message };
  }
  return { status: 500, message: 'Something went wrong on the gateway; the log has the details.' };
}
