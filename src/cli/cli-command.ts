import type { ParseArgsConfig } from 'node:util';
import type { Env, GatewayConfig } from '../config/index.ts';

export type CliOptions = NonNullable<ParseArgsConfig['options']>;

export interface CliContext {
  readonly env: Env;
  /** Parsed once on first use, so commands that need no config work with a broken one. */
  config(): GatewayConfig;
  readonly json: boolean;
  /** Human progress lines (stderr), silent with --json. */
  progress(message: string): void;
}

interface CliResult {
  /** Printed as exactly one JSON object with --json. */
  readonly json: Record<string, unknown>;
  /** Printed otherwise. */
  readonly text: string;
  readonly exitCode?: number;
}

export interface ParsedArguments {
  readonly values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  readonly positionals: readonly string[];
}

export interface CliCommand {
  /** One or two words: `migrate`, `keys create`. */
  readonly name: string;
  readonly summary: string;
  readonly usage?: string;
  readonly options: CliOptions;
  run(context: CliContext, args: ParsedArguments): Promise<CliResult>;
}

/** An error the CLI prints as one line (no stack) before exiting non-zero. */
export class CliError extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}
