/**
 * The operator console served at /console (docs/console.md): server-rendered pages over the
 * store, the router and the admin API's services, with cookie sessions and CSRF tokens.
 */
export type { ConsoleKeyOwner, ConsoleServices, ConsoleTenants } from './console-services.ts';
export {
  createLiveFigures,
  type LiveFigures,
  type LiveReading,
} from './live/live-figures.ts';
export { registerConsole } from './register-console.ts';
