import { createStore, type Store, StoreLockedError } from '../../store/index.ts';
import { type CliCommand, type CliContext, CliError } from '../cli-command.ts';
import type { OpenStore } from '../open-configured-store.ts';

export interface StoreCommandDependencies {
  /** Opens the store the command works on (tests inject one); default: from the config. */
  openStore?: OpenStore;
}

/** A migration may rewrite a large table: the configured statement timeout does not apply to it. */
function openStoreForMigrations(
  context: CliContext,
  options: { autoMigrate: boolean },
): Promise<Store> {
  const store = context.config().store;
  return createStore(
    { ...store, postgres: { ...store.postgres, statement_timeout_ms: 0 } },
    options,
  );
}

/** `rekindle migrate [--json]`: applies pending supabase/migrations, recording what ran. */
export function createMigrateCommand(dependencies: StoreCommandDependencies = {}): CliCommand {
  const open = dependencies.openStore ?? openStoreForMigrations;
  return {
    name: 'migrate',
    summary: 'Apply pending database migrations (PGlite, DATABASE_URL); a second run is a no-op',
    usage: 'migrate [--json]',
    options: {},
    async run(context) {
      const store = await open(context, { autoMigrate: false }).catch((error: unknown) => {
        throw migrateRefusal(error);
      });
      try {
        const result = await store.migrate({
          onApply: (migration) =>
            context.progress(`applying ${migration.version}_${migration.name}`),
        });
        const applied = result.applied.map((migration) => `${migration.version}_${migration.name}`);
        const adopted = result.adopted.map((migration) => `${migration.version}_${migration.name}`);
        const adoptedText =
          adopted.length > 0
            ? `Adopted the baseline over the migrations it replaced (recorded, not run):\n${adopted.map((name) => `  ${name}`).join('\n')}\n`
            : '';
        return {
          json: {
            transport: store.kind,
            applied,
            already_applied: result.alreadyApplied.length,
            adopted,
          },
          text:
            adoptedText +
            (applied.length > 0
              ? `Applied ${applied.length} migration(s) on ${store.kind}:\n${applied.map((name) => `  ${name}`).join('\n')}`
              : `Database is up to date (${result.alreadyApplied.length} migrations applied earlier).`),
        };
      } finally {
        await store.close();
      }
    },
  };
}

export const migrateCommand = createMigrateCommand();

/**
 * A gateway holding the embedded store cannot migrate it for the CLI (and needs not: it applies
 * pending migrations itself when it starts), so the generic "set REKINDLE_GATEWAY_URL" advice of
 * the lock error would only lead to the same refusal.
 */
function migrateRefusal(error: unknown): unknown {
  let locked: unknown = error;
  while (locked instanceof Error && !(locked instanceof StoreLockedError)) {
    locked = locked.cause;
  }
  if (!(locked instanceof StoreLockedError)) {
    return error;
  }
  return new CliError(
    `the embedded database in ${locked.dataDir} is in use by another process: it is in use by a running gateway (pid ${locked.ownerPid}). ` +
      'A gateway applies pending migrations itself when it starts: restart it to migrate, or stop it and run `rekindle migrate` again.',
  );
}
