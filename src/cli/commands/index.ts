import type { CliCommand } from '../cli-command.ts';
import { configCommands } from './config.ts';
import { demoCommand } from './demo.ts';
import { evaluateCommand } from './evaluate.ts';
import { exportCommand } from './export.ts';
import { keysCommands } from './keys.ts';
import { leaderboardCommand } from './leaderboard.ts';
import { migrateCommand } from './migrate.ts';
import { modelsCommands } from './models.ts';
import { sqlCommand } from './sql.ts';
import { trainCommands } from './train.ts';

/** Every `rekindle` command; each lives in its own file beside this one. */
export const commands: readonly CliCommand[] = [
  ...configCommands,
  evaluateCommand,
  leaderboardCommand,
  migrateCommand,
  ...keysCommands,
  ...modelsCommands,
  exportCommand,
  ...trainCommands,
  sqlCommand,
  demoCommand,
];
