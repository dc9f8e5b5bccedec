import { createStore, type Store } from '../store/index.ts';
import type { CliContext } from './cli-command.ts';

/** How a command opens the store it works on (tests inject one). */
export type OpenStore = (context: CliContext, options: { autoMigrate: boolean }) => Promise<Store>;

/** The CLI opens the store itself: PGlite in REKINDLE_DATA_DIR, DATABASE_URL, or Supabase. */
export const openConfiguredStore: OpenStore = (context, options) =>
  createStore(context.config().store, { autoMigrate: options.autoMigrate });
