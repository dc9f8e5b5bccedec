import { parseArgs } from 'node:util';
import { type Env, type GatewayConfig, loadConfig, rawEnvironment } from '../config/index.ts';
import { type CliCommand, type CliContext, CliError } from './cli-command.ts';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** Runs one command line; returns the exit code. Kept apart from main.ts so tests can drive it. */
export async function runCli(
  argv: readonly string[],
  env: Env,
  commands: readonly CliCommand[],
  io: CliIo,
): Promise<number> {
  const json = argv.includes('--json');
  const command = findCommand(argv, commands);
  if (!command || argv.includes('--help') || argv.length === 0) {
    const help = helpText(commands, command);
    if (!command && argv.length > 0 && !argv.includes('--help')) {
      io.stderr(
        `rekindle: unknown command "${argv.filter((a) => !a.startsWith('-')).join(' ')}"\n`,
      );
      io.stderr(help);
      return 2;
    }
    io.stdout(help);
    return 0;
  }
  const rest = argv.slice(command.name.split(' ').length);
  let config: GatewayConfig | undefined;
  const context: CliContext = {
    env,
    json,
    config: () => {
      config ??= loadConfig({ env, rawEnv: rawEnvironment() });
      return config;
    },
    progress: (message) => {
      if (!json) {
        io.stderr(`${message}\n`);
      }
    },
  };
  try {
    const parsed = parseArgs({
      args: [...rest],
      options: { ...command.options, json: { type: 'boolean', default: false } },
      allowPositionals: true,
      strict: true,
    });
    const result = await command.run(context, parsed);
    io.stdout(json ? `${JSON.stringify(result.json)}\n` : ensureNewline(result.text));
    return result.exitCode ?? 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`rekindle ${command.name}: ${message}\n`);
    return error instanceof CliError ? error.exitCode : 1;
  }
}

function findCommand(argv: readonly string[], commands: readonly CliCommand[]) {
  const words = argv.filter((arg) => !arg.startsWith('-')).slice(0, 2);
  const two = words.join(' ');
  return (
    commands.find((command) => command.name === two && argv.slice(0, 2).join(' ') === two) ??
    commands.find((command) => command.name === words[0] && argv[0] === words[0])
  );
}

function helpText(commands: readonly CliCommand[], command: CliCommand | undefined): string {
  if (command) {
    const flags = Object.entries(command.options)
      .map(([name, option]) => `  --${name}${option.type === 'string' ? ' VALUE' : ''}`)
      .join('\n');
    return `rekindle ${command.usage ?? command.name}\n\n${command.summary}\n\n${flags}\n  --json\n`;
  }
  const width = Math.max(...commands.map((c) => c.name.length), 4);
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `usage: rekindle <command> [--json]\n\n${lines.join('\n')}\n`;
}

function ensureNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

export type { Env };
