import type { CliCommand } from '../cli-command.ts';
import { evaluateCommand } from './evaluate.ts';
import { keysCommands } from './keys.ts';
import { leaderboardCommand } from './leaderboard.ts';
import { migrateCommand } from './migrate.ts';
import { modelsCommands } from './models.ts';

/** Every `rekindle` command; each lives in its own file beside this one. */
export const commands: readonly CliCommand[] = [
  evaluateCommand,
  leaderboardCommand,
  migrateCommand,
  ...keysCommands,
  ...modelsCommands,
];
