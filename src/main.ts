/**
 * The process entry (`npm start`, `node dist/main.js`): environment → config → gateway, then
 * SIGTERM/SIGINT drain it. Everything is built in src/main/ (startGateway); nothing imports this.
 */
import { pathToFileURL } from 'node:url';
import {
  ConfigError,
  type GatewayConfig,
  loadConfig,
  rawEnvironment,
  readEnv,
} from './config/index.ts';
import { startGateway } from './main/index.ts';

async function main(): Promise<void> {
  const env = readEnv();
  let config: GatewayConfig;
  try {
    config = loadConfig({ env, rawEnv: rawEnvironment() });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`rekindle: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const gateway = await startGateway({ config });
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) {
      process.stderr.write(`rekindle: second ${signal}, exiting now\n`);
      process.exit(1);
    }
    gateway.shutdown().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`rekindle: shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

const invokedDirectly = process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  main().catch((error: unknown) => {
    process.stderr.write(`rekindle: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
