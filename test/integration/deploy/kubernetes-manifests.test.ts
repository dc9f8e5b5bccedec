import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import type { IContainer, IEnvVar, IPodSpec } from 'kubernetes-models/v1';
import { ConfigMap, Service } from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { envSchema } from '../../../src/config/env.ts';
import { loadConfig, readEnv } from '../../../src/config/index.ts';
import { repositoryRoot } from '../../helpers/compiled-build.ts';
import { instructionsOf } from './dockerfile.ts';
import { runtimeStage } from './production-layout.ts';

/**
 * Issue 18, Must show 3: every Kubernetes manifest in deploy/kubernetes is validated against the
 * Kubernetes API schema (kubernetes-models: the OpenAPI schema of each kind, no cluster needed),
 * and the points that make rollouts safe are asserted: probes, grace period against the drain
 * time, preStop, resources, secrets by reference, the migration job.
 */
const directory = join(repositoryRoot, 'deploy/kubernetes');
const models = {
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
} as const;
type Kind = keyof typeof models;

interface Manifest {
  readonly file: string;
  readonly kind: Kind;
  readonly object: Record<string, unknown>;
}

const manifests: Manifest[] = readdirSync(directory)
  .filter((file) => file.endsWith('.yaml'))
  .flatMap((file) =>
    parseAllDocuments(readFileSync(join(directory, file), 'utf8')).map((document) => {
      expect(document.errors, file).toEqual([]);
      const object = document.toJS() as Record<string, unknown>;
      return { file, kind: `${object.apiVersion}/${object.kind}` as Kind, object };
    }),
  );

function only<K extends Kind>(kind: K): InstanceType<(typeof models)[K]> {
  const found = manifests.filter((manifest) => manifest.kind === kind);
  expect(found, kind).toHaveLength(1);
  const Model = models[kind] as unknown as new (data: unknown) => InstanceType<(typeof models)[K]>;
  return new Model(found[0]?.object);
}

const deployment = () => only('apps/v1/Deployment');
const podSpec = (): IPodSpec => deployment().spec?.template.spec as IPodSpec;
const gateway = (): IContainer => podSpec().containers[0] as IContainer;
const config = () => {
  const text = only('v1/ConfigMap').data?.['rekindle.config.json'];
  return loadConfig({ env: readEnv({}), file: JSON.parse(text ?? 'null') });
};
const envOf = (container: IContainer, name: string): IEnvVar | undefined =>
  container.env?.find((variable) => variable.name === name);

describe('deploy/kubernetes', () => {
  it('holds only kinds it knows, each valid against the Kubernetes API schema', () => {
    expect(manifests.length).toBeGreaterThanOrEqual(6);
    for (const manifest of manifests) {
      const Model = models[manifest.kind] as
        | (new (
            data: unknown,
          ) => { validate(): void })
        | undefined;
      expect(Model, `${manifest.file}: ${manifest.kind}`).toBeDefined();
      expect(() => Model && new Model(manifest.object).validate(), manifest.file).not.toThrow();
    }
    expect(new Set(manifests.map((manifest) => manifest.kind))).toEqual(
      new Set(Object.keys(models)),
    );
  });

  it('the schema check catches a wrong field type (it is not a no-op)', () => {
    const broken = structuredClone(manifests.find((m) => m.kind === 'apps/v1/Deployment')?.object);
    const container = (broken as { spec: { template: { spec: IPodSpec } } }).spec.template.spec
      .containers[0] as IContainer;
    (container.ports as Array<{ containerPort: unknown }>)[0] = { containerPort: 'http' };
    expect(() => new Deployment(broken).validate()).toThrow(/containerPort/);
  });

  it('probes readiness on /readyz and liveness on /healthz, on the container port', () => {
    const container = gateway();
    const port = container.ports?.[0];
    expect(port).toMatchObject({ name: 'http', containerPort: 8787 });
    expect(envOf(container, 'PORT')?.value).toBe('8787');
    expect(container.readinessProbe?.httpGet).toMatchObject({ path: '/readyz', port: 'http' });
    expect(container.livenessProbe?.httpGet).toMatchObject({ path: '/healthz', port: 'http' });
    expect(container.startupProbe?.httpGet).toMatchObject({ path: '/healthz', port: 'http' });
  });

  it('gives the drain time to finish: preStop delay, then a grace period above preStop + drain', () => {
    const preStop = gateway().lifecycle?.preStop?.exec?.command;
    expect(preStop?.[0]).toBe('sleep');
    const preStopSeconds = Number(preStop?.[1]);
    expect(preStopSeconds).toBeGreaterThanOrEqual(3);
    const drainSeconds = config().server.shutdown_grace_ms / 1000;
    const grace = podSpec().terminationGracePeriodSeconds ?? 30;
    // The drain, then flushing tracked messages and closing the store: at least 10 s more.
    expect(grace).toBeGreaterThanOrEqual(preStopSeconds + drainSeconds + 10);
    const strategy = deployment().spec?.strategy;
    expect(strategy?.rollingUpdate?.maxUnavailable).toBe(0);
  });

  it('requests and limits CPU and memory, and runs as non-root', () => {
    const { resources, securityContext } = gateway();
    for (const key of ['cpu', 'memory']) {
      expect(resources?.requests?.[key], key).toBeDefined();
      expect(resources?.limits?.[key], key).toBeDefined();
    }
    expect(podSpec().securityContext?.runAsNonRoot).toBe(true);
    expect(securityContext?.allowPrivilegeEscalation).toBe(false);
  });

  it('sets only variables the gateway reads, takes secrets by reference, and mounts the config', () => {
    const container = gateway();
    const known = new Set([...Object.keys(envSchema.shape), 'NODE_OPTIONS']);
    for (const variable of container.env ?? []) {
      expect(known, variable.name).toContain(variable.name);
      if (/URL$|TOKEN|KEY|SECRET/.test(variable.name)) {
        expect(variable.value, `${variable.name} is a literal`).toBeUndefined();
        expect(variable.valueFrom?.secretKeyRef?.name).toBe('rekindle-secrets');
      }
    }
    expect(envOf(container, 'DATABASE_URL')?.valueFrom?.secretKeyRef?.optional).toBeFalsy();
    const mount = container.volumeMounts?.find((volume) => volume.name === 'config');
    const volume = podSpec().volumes?.find((entry) => entry.name === 'config');
    expect(volume?.configMap?.name).toBe(only('v1/ConfigMap').metadata?.name);
    expect(envOf(container, 'REKINDLE_CONFIG')?.value).toBe(
      `${mount?.mountPath}/rekindle.config.json`,
    );
    expect(config().store.postgres.pool_size).toBeGreaterThan(0);
  });

  it('points the Service, the PodDisruptionBudget and the autoscaler at the gateway pods', () => {
    const labels = deployment().spec?.template.metadata?.labels ?? {};
    const service = only('v1/Service');
    expect(labels).toMatchObject(service.spec?.selector ?? { missing: true });
    expect(service.spec?.ports?.[0]?.targetPort).toBe('http');
    const budget = only('policy/v1/PodDisruptionBudget');
    expect(labels).toMatchObject(budget.spec?.selector?.matchLabels ?? { missing: true });
    expect(budget.spec?.minAvailable).toBe(1);
    const autoscaler = only('autoscaling/v2/HorizontalPodAutoscaler');
    expect(autoscaler.spec?.scaleTargetRef).toMatchObject({
      kind: 'Deployment',
      name: deployment().metadata?.name,
    });
    expect(autoscaler.spec?.minReplicas).toBeGreaterThanOrEqual(2);
    // The autoscaler owns the replica count.
    expect(deployment().spec?.replicas).toBeUndefined();
  });

  it('migrates with a Job running `rekindle migrate` from the same image, which has that command', () => {
    const job = only('batch/v1/Job');
    const spec = job.spec?.template.spec as IPodSpec;
    const container = spec.containers[0] as IContainer;
    expect(container.command?.slice(0, 2)).toEqual(['rekindle', 'migrate']);
    expect(container.image).toBe(gateway().image);
    expect(spec.restartPolicy).toBe('Never');
    expect(envOf(container, 'DATABASE_URL')?.valueFrom?.secretKeyRef?.name).toBe(
      'rekindle-secrets',
    );
    const { runtime } = runtimeStage(repositoryRoot);
    const runs = instructionsOf(runtime, 'RUN').map((instruction) => instruction.args);
    expect(
      runs.some((run) => /ln -s \/app\/bin\/rekindle\.mjs \/usr\/local\/bin\/rekindle/.test(run)),
    ).toBe(true);
  });
});
