import type { ConsoleViewer } from './session/console-viewer.ts';

/** A urlencoded form: the first value of every field. */
export type FormFields = Readonly<Record<string, string>>;

interface ConsoleVariables {
  /** Who is looking, resolved from the session cookie by the session middleware. */
  viewer: ConsoleViewer;
  /** The urlencoded body of a POST, read once (by the CSRF check, then the route). */
  form: FormFields;
  /** When the console began handling the request (Server-Timing). */
  consoleStartedAt: number;
}

export interface ConsoleEnv {
  Variables: ConsoleVariables;
}
