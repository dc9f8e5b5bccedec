import type { CliCommand } from '../cli-command.ts';

/** Every `rekindle` command; each lives in its own file beside this one. */
export const commands: readonly CliCommand[] = [];
