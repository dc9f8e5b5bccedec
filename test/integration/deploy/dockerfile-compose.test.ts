import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig, readEnv } from '../../../src/config/index.ts';
import { repositoryRoot } from '../../helpers/compiled-build.ts';
import { commandService, itWithServices } from '../../helpers/services.ts';
import { execForm, instructionsOf, parseCopy } from './dockerfile.ts';
import { runtimeStage } from './production-layout.ts';

/**
 * Issue 18, Must show 4 (and the systemd part of 3): Docker cannot run on this project's machines,
 * so deploy/Dockerfile and deploy/compose.yaml are parsed and their points asserted — non-root,
 * production dependencies only, a health check, the compiled start, the services present and wired
 * to files that exist. compiled-start.test.ts runs the Dockerfile's runtime file set for real.
 */
const deployDir = join(repositoryRoot, 'deploy');
const temporary = mkdtempSync(join(tmpdir(), 'rekindle-deploy-files-'));
afterAll(() => rmSync(temporary, { recursive: true, force: true }));

describe('deploy/Dockerfile', () => {
  const { stages, runtime } = runtimeStage(repositoryRoot);
  const build = stages.find((stage) => stage.name === 'build');
  const runs = (stage: typeof runtime) => instructionsOf(stage, 'RUN').map((run) => run.args);

  it('builds in a Node 20 slim stage with the dev dependencies and runs from another', () => {
    expect(stages.map((stage) => stage.base)).toEqual(['node:20-slim', 'node:20-slim']);
    expect(build).toBeDefined();
    expect(runs(build ?? runtime).some((run) => /^npm ci\b(?!.*--omit)/.test(run))).toBe(true);
    expect(runs(build ?? runtime)).toContain('npm run build');
  });

  it('installs only production dependencies and copies the build, not the sources', () => {
    expect(runs(runtime).some((run) => /^npm ci .*--omit=dev/.test(run))).toBe(true);
    const copies = instructionsOf(runtime, 'COPY').map(parseCopy);
    expect(copies.flatMap((copy) => copy.sources)).not.toContain('src');
    expect(copies.find((copy) => copy.from === 'build')).toMatchObject({
      sources: ['/app/dist'],
      destination: './dist',
    });
    expect(copies.flatMap((copy) => copy.sources)).toContain('supabase/migrations');
    const ignored = readFileSync(join(deployDir, 'Dockerfile.dockerignore'), 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', '.git']));
  });

  it('runs as a non-root user, from the compiled start, stopped by SIGTERM', () => {
    const users = instructionsOf(runtime, 'USER');
    expect(users.map((user) => user.args)).toEqual(['node']);
    const userLine = users[0]?.line ?? 0;
    // Nothing after USER may need root, and the process starts after it.
    expect(instructionsOf(runtime, 'RUN').every((run) => run.line < userLine)).toBe(true);
    const cmd = instructionsOf(runtime, 'CMD');
    expect(cmd).toHaveLength(1);
    expect(cmd.map(execForm)).toEqual([['node', 'dist/main.js']]);
    expect(cmd.every((instruction) => instruction.line > userLine)).toBe(true);
    expect(instructionsOf(runtime, 'STOPSIGNAL').map((signal) => signal.args)).toEqual(['SIGTERM']);
    expect(instructionsOf(runtime, 'ENTRYPOINT')).toEqual([]);
    expect(instructionsOf(runtime, 'EXPOSE').map((expose) => expose.args)).toEqual(['8787']);
  });

  it('checks /healthz with node itself (node:20-slim has no curl)', () => {
    const healthcheck = instructionsOf(runtime, 'HEALTHCHECK')[0]?.args ?? '';
    expect(healthcheck).toMatch(/--interval=\d+s/);
    const command = execForm({
      keyword: 'CMD',
      args: healthcheck.slice(healthcheck.indexOf('CMD') + 4),
      line: 0,
    });
    expect(command[0]).toBe('node');
    expect(command.join(' ')).toContain('/healthz');
    expect(healthcheck).not.toMatch(/curl|wget/);
  });
});

const compose = parse(readFileSync(join(deployDir, 'compose.yaml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }> | string[];
  stop_grace_period?: string;
}
const services = compose.services;
const gateways = Object.entries(services).filter(([name]) => /^gateway-\d+$/.test(name));
const mounts = (service: ComposeService | undefined) =>
  (service?.volumes ?? []).map((volume) => {
    const [host = '', container = ''] = volume.split(':');
    return { host, container, path: resolve(deployDir, host) };
  });

describe('deploy/compose.yaml', () => {
  it('runs two gateway replicas of deploy/Dockerfile, PostgreSQL 15, Redis, nginx, Prometheus, Grafana', () => {
    expect(gateways.map(([name]) => name)).toEqual(['gateway-1', 'gateway-2']);
    expect(services.postgres?.image).toBe('postgres:15');
    expect(services.redis?.image).toMatch(/^redis:/);
    for (const name of ['nginx', 'prometheus', 'grafana', 'migrate']) {
      expect(services[name], name).toBeDefined();
    }
    for (const [name, gateway] of gateways) {
      expect(gateway.build, name).toEqual({ context: '..', dockerfile: 'deploy/Dockerfile' });
      expect(
        existsSync(resolve(deployDir, gateway.build?.context ?? '', 'deploy/Dockerfile')),
      ).toBe(true);
      expect(gateway.environment?.DATABASE_URL).toMatch(/^postgres:\/\/[^@]+@postgres:5432\//);
      expect(gateway.environment?.REDIS_URL).toBe('redis://redis:6379');
    }
  });

  it('migrates first: every gateway waits for `rekindle migrate` to complete', () => {
    expect(services.migrate?.command).toEqual(['rekindle', 'migrate']);
    for (const [name, gateway] of gateways) {
      expect(gateway.depends_on, name).toMatchObject({
        migrate: { condition: 'service_completed_successfully' },
      });
    }
  });

  it('mounts files that exist, and a config the gateway accepts with a drain shorter than the stop grace', () => {
    for (const service of Object.values(services)) {
      for (const mount of mounts(service).filter((entry) => entry.host.startsWith('.'))) {
        expect(existsSync(mount.path), mount.host).toBe(true);
      }
    }
    const [, first] = gateways[0] ?? [];
    const configMount = mounts(first).find(
      (mount) => mount.container === first?.environment?.REKINDLE_CONFIG,
    );
    const file = JSON.parse(readFileSync(configMount?.path ?? '', 'utf8'));
    const config = loadConfig({ env: readEnv({}), file });
    const stopGraceSeconds = Number(/^(\d+)s$/.exec(first?.stop_grace_period ?? '')?.[1]);
    expect(stopGraceSeconds).toBeGreaterThan(config.server.shutdown_grace_ms / 1000);
  });

  it('puts nginx in front of exactly the gateway services, with deploy/nginx/rekindle.conf', () => {
    const conf = mounts(services.nginx).find((mount) => mount.container.startsWith('/etc/nginx/'));
    expect(conf?.path).toBe(join(deployDir, 'nginx/rekindle.conf'));
    const upstreams = [
      ...readFileSync(conf?.path ?? '', 'utf8').matchAll(/^\s*server\s+(\S+?):8787\b/gm),
    ];
    expect(upstreams.map((match) => match[1])).toEqual(gateways.map(([name]) => name));
  });

  it("gives Grafana the project's dashboards and a data source with the dashboards' uid", () => {
    const grafana = mounts(services.grafana);
    const provider = parse(
      readFileSync(join(repositoryRoot, 'grafana/provisioning/dashboards/rekindle.yml'), 'utf8'),
    ) as { providers: Array<{ options: { path: string } }> };
    expect(grafana).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: join(repositoryRoot, 'grafana/dashboards'),
          container: provider.providers[0]?.options.path,
        }),
        expect.objectContaining({ path: join(repositoryRoot, 'grafana/provisioning/dashboards') }),
      ]),
    );
    const source = grafana.find((mount) => mount.container.includes('provisioning/datasources'));
    const project = parse(
      readFileSync(join(repositoryRoot, 'grafana/provisioning/datasources/prometheus.yml'), 'utf8'),
    ) as { datasources: Array<{ uid: string; url: string }> };
    const composed = parse(readFileSync(source?.path ?? '', 'utf8')) as typeof project;
    expect(composed.datasources[0]?.uid).toBe(project.datasources[0]?.uid);
    expect(composed.datasources[0]?.url).toBe('http://prometheus:9090');
  });

  const promtool = [commandService('promtool')];
  itWithServices(
    promtool,
    "gives Prometheus the project's rules and every replica as a target (promtool)",
    () => {
      const prometheus = mounts(services.prometheus);
      const rules = prometheus.find(
        (mount) => mount.path === join(repositoryRoot, 'grafana/prometheus/rules'),
      );
      const configMount = prometheus.find(
        (mount) => mount.container === '/etc/prometheus/prometheus.yml',
      );
      const text = readFileSync(configMount?.path ?? '', 'utf8');
      const config = parse(text) as {
        rule_files: string[];
        scrape_configs: Array<{ static_configs: Array<{ targets: string[] }> }>;
      };
      expect(config.rule_files).toEqual([`${rules?.container}/*.yml`]);
      expect(config.scrape_configs[0]?.static_configs[0]?.targets).toEqual(
        gateways.map(([name]) => `${name}:8787`),
      );
      // promtool checks the config and loads every rule file, with the mount done by a copy.
      const copy = join(temporary, 'prometheus');
      cpSync(rules?.path ?? '', join(copy, 'rules'), { recursive: true });
      writeFileSync(join(copy, 'prometheus.yml'), text.replace(`${rules?.container}/`, 'rules/'));
      const output = execFileSync('promtool', ['check', 'config', join(copy, 'prometheus.yml')], {
        encoding: 'utf8',
      });
      expect(output).toMatch(/SUCCESS: \d+ rules found/);
    },
  );
});

describe('deploy/systemd/rekindle-gateway.service', () => {
  const unit = join(deployDir, 'systemd/rekindle-gateway.service');
  const text = readFileSync(unit, 'utf8');
  const systemd = [commandService('systemd-analyze')];

  itWithServices(systemd, 'passes `systemd-analyze verify` without a warning', () => {
    const result = spawnSync('systemd-analyze', ['verify', unit], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('runs the compiled start, drained by SIGTERM within its stop timeout, as a non-root user', () => {
    expect(text).toMatch(/^ExecStart=\S*node dist\/main\.js$/m);
    expect(text).toMatch(/^KillSignal=SIGTERM$/m);
    const stopSeconds = Number(/^TimeoutStopSec=(\d+)$/m.exec(text)?.[1]);
    const defaults = loadConfig({ env: readEnv({}), file: {} });
    expect(stopSeconds).toBeGreaterThan(defaults.server.shutdown_grace_ms / 1000 + 10);
    expect(text).toMatch(/^DynamicUser=yes$/m);
    expect(text).not.toMatch(/^User=root$/m);
  });
});
