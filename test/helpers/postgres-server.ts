import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PostgresServer {
  /** postgres://postgres@127.0.0.1:PORT/postgres (trust auth, superuser). */
  readonly url: string;
  readonly port: number;
  /** A URL for another database on the same cluster, created on first call. */
  database(name: string): Promise<string>;
  /**
   * Stops the server (`fast`: every connection is closed) and starts it again on the same port
   * and data; resolves once it accepts connections. `downMs` keeps it down that long in between.
   */
  restart(options?: { downMs?: number }): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Where a server binary is: on PATH, else in `pg_config --bindir` or Debian's
 * /usr/lib/postgresql/<major>/bin (the postgresql-15 package does not put initdb on PATH).
 */
export function postgresBinary(name: 'initdb' | 'pg_ctl' | 'postgres'): string | null {
  if (spawnSync('which', [name], { stdio: 'ignore' }).status === 0) {
    return name;
  }
  const config = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  const candidates = [
    ...(config.status === 0 ? [config.stdout.trim()] : []),
    '/usr/lib/postgresql/15/bin',
    '/usr/lib/postgresql/16/bin',
    '/usr/lib/postgresql/17/bin',
  ];
  for (const directory of candidates) {
    const path = join(directory, name);
    if (existsSync(path)) {
      return path;
    }
  }
  return null;
}

/** True when the PostgreSQL server binaries can be found. */
export function postgresBinariesAvailable(): boolean {
  return (['initdb', 'pg_ctl', 'postgres'] as const).every((binary) => postgresBinary(binary));
}

/** A free TCP port on 127.0.0.1 (the OS picks it; a tiny race with other starters is accepted). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const isRoot = process.getuid?.() === 0;

/** Runs a server binary; PostgreSQL refuses to run as root, so root runs it as `postgres`. */
function runServerBinary(name: 'initdb' | 'pg_ctl', args: readonly string[]): string {
  const binary = postgresBinary(name);
  if (!binary) {
    throw new Error(`${name} not found (install postgresql-15)`);
  }
  const [command, commandArgs] = isRoot
    ? ['runuser', ['-u', 'postgres', '--', binary, ...args]]
    : [binary, [...args]];
  return execFileSync(command, commandArgs as string[], { encoding: 'utf8', stdio: 'pipe' });
}

/**
 * A throwaway PostgreSQL cluster in a temp dir on a free port: trust auth, fsync off, started in
 * about a second. Call stop() in afterAll; it kills the server at once and removes the directory.
 */
export async function startPostgresServer(): Promise<PostgresServer> {
  const root = mkdtempSync(join(tmpdir(), 'rekindle-pg-'));
  const dataDir = join(root, 'data');
  const socketDir = join(root, 'sock');
  mkdirSync(socketDir);
  if (isRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chmodSync(root, 0o755);
    chownSync(root, uid, gid);
    chownSync(socketDir, uid, gid);
  }
  runServerBinary('initdb', [
    '-D',
    dataDir,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--no-sync',
  ]);
  const port = await freePort();
  const options = `-p ${port} -k ${socketDir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50`;
  const start = () =>
    runServerBinary('pg_ctl', [
      '-D',
      dataDir,
      '-w',
      '-l',
      join(root, 'server.log'),
      '-o',
      options,
      'start',
    ]);
  start();
  const base = `postgres://postgres@127.0.0.1:${port}`;
  const created = new Set<string>();
  let stopped = false;
  return {
    url: `${base}/postgres`,
    port,
    async database(name: string) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) {
        throw new Error(`invalid database name ${name}`);
      }
      if (!created.has(name)) {
        const { default: pg } = await import('pg');
        const client = new pg.Client({ connectionString: `${base}/postgres` });
        await client.connect();
        try {
          await client.query(`create database ${name}`);
        } finally {
          await client.end();
        }
        created.add(name);
      }
      return `${base}/${name}`;
    },
    async restart(restartOptions = {}) {
      runServerBinary('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
      if (restartOptions.downMs) {
        await new Promise((resolve) => setTimeout(resolve, restartOptions.downMs));
      }
      start();
    },
    async stop() {
      if (stopped) {
        return;
      }
      stopped = true;
      try {
        runServerBinary('pg_ctl', ['-D', dataDir, '-m', 'immediate', 'stop']);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
}
