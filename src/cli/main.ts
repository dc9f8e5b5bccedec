import { readEnv } from '../config/index.ts';
import { commands } from './commands/index.ts';
import { runCli } from './run-cli.ts';

const exitCode = await runCli(process.argv.slice(2), readEnv(), commands, {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
process.exitCode = exitCode;
