#!/usr/bin/env node
// In a checkout the CLI runs from the TypeScript sources through tsx, so `npm ci` needs no build
// step. An install without the sources or without tsx — the container image: dist/ and the
// production dependencies only — runs the compiled dist/cli/main.js and never loads tsx.
import { existsSync } from 'node:fs';

const sources = new URL('../src/cli/main.ts', import.meta.url);
const tsx = existsSync(sources) ? await import('tsx/esm/api').catch(notInstalled) : null;
if (tsx) {
  tsx.register();
  await import(sources.href);
} else {
  await import('../dist/cli/main.js').catch((error) => {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND') {
      throw error;
    }
    process.stderr.write('rekindle: no compiled CLI in dist/ and no tsx: run `npm run build`\n');
    process.exit(1);
  });
}

function notInstalled(error) {
  if (error?.code === 'ERR_MODULE_NOT_FOUND') {
    return null;
  }
  throw error;
}
