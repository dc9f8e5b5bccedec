/**
 * The operator console served at /console (docs/console.md): server-rendered pages over the
 * store, the router and the admin API's services, with cookie sessions and CSRF tokens.
 */
export type { ConsoleServices } from './console-services.ts';
export { createLiveFigures } from './live/live-figures.ts';
export { registerConsole } from './register-console.ts';
