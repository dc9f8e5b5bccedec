import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ConsoleClient } from '../console/console-client.ts';

/**
 * Issue 14: `rekindle demo --serve` leaves the gateway and its console running on the demo's data
 * (a short run: --fast, one experiment week, any free port) until SIGINT, then stops cleanly and
 * prints its summary — with the console's URL — as the one JSON object on stdout.
 */
const repositoryRoot = join(import.meta.dirname, '../../..');
// The demo alone takes under a minute on two idle cores; several times that beside other tests.
const eightMinutes = 480_000;
let workDir: string;
let child: ChildProcess;
let stdout = '';
let stderr = '';
let exited: Promise<number | null>;
let consoleUrl: string;
let adminToken: string;
let apiKey: string;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'rekindle-demo-serve-'));
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
  for (const name of ['HOME', 'TMPDIR', 'LANG']) {
    const value = process.env[name];
    if (value) {
      env[name] = value;
    }
  }
  child = spawn(
    process.execPath,
    [
      'bin/rekindle.mjs',
      'demo',
      '--fast',
      '--weeks',
      '1',
      '--serve',
      '--port',
      '0',
      '--json',
      '--report',
      join(workDir, 'report.html'),
    ],
    { cwd: repositoryRoot, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      const url = /Console: (http:\/\/127\.0\.0\.1:\d+\/console)/.exec(stderr)?.[1];
      const admin = /the admin token (\S+) /.exec(stderr)?.[1];
      const key = /API key (rk_\S+) /.exec(stderr)?.[1];
      if (url && admin && key) {
        [consoleUrl, adminToken, apiKey] = [url, admin, key];
        resolve();
      }
    });
    void exited.then((code) => reject(new Error(`demo exited (${code}) first: ${stderr}`)));
  });
}, eightMinutes);

afterAll(async () => {
  if (child?.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
  }
  await rm(workDir, { recursive: true, force: true });
});

const stat = (body: string, name: string) =>
  Number(
    (new RegExp(`data-stat="${name}">([^<]*)<`).exec(body)?.[1] ?? 'NaN').replace(/[,\s]/g, ''),
  );

it('serves the console on the demo data until SIGINT, then exits 0 with its summary', async () => {
  const origin = consoleUrl.replace(/\/console$/, '');
  const admin = new ConsoleClient(origin);
  expect((await admin.signIn(adminToken)).status).toBe(303);
  const overview = await admin.get('/console?window=all');
  expect(overview.status).toBe(200);
  const outcomes = stat(overview.body, 'outcomes');
  expect(outcomes).toBeGreaterThan(1_000);
  const models = await admin.get('/console/models?route=outreach');
  for (const version of ['v0', 'v1.0.0', 'v1.1.0']) {
    expect(models.body).toContain(`data-version="${version}"`);
  }
  const training = await admin.get('/console/training');
  expect(training.body).toContain('ftjob-');

  const tenant = new ConsoleClient(origin);
  expect((await tenant.signIn(apiKey)).status).toBe(303);
  const page = await tenant.get('/console/outcomes');
  expect(Number(/data-matches="(\d+)/.exec(page.body)?.[1])).toBeGreaterThan(0);
  expect(page.body).toMatch(/data-viewer="[^"]*"[^>]*>northwind-outbound</);

  child.kill('SIGINT');
  expect(await exited).toBe(0);
  const lines = stdout.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  const summary = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
  expect(summary.console_url).toBe(consoleUrl);
  expect(summary.messages_sent).toBe(outcomes);
  // Stopped: the port no longer answers.
  await expect(fetch(consoleUrl)).rejects.toThrow();
});
