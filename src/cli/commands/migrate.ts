import { createStore, type Store } from '../../store/index.ts';
import type { CliCommand, CliContext } from '../cli-command.ts';
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
      const store = await open(context, { autoMigrate: false });
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
