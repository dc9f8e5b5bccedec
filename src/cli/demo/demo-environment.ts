/**
 * Everything the demo runs against, started on 127.0.0.1 only: the simulated OpenAI and Together
 * APIs, an embedded PGlite in a temp dir, and the gateway itself in this process — built by the
 * real composition root (`startGateway`) on the simulated clock, with the simulators as its
 * upstreams, a tenant API key for the campaigns, an admin token, and freshly generated webhook
 * signing keys. No key, URL or setting is read from the caller's environment.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, readEnv } from '../../config/index.ts';
import { type RunningGateway, startGateway } from '../../main/index.ts';
import { createLogger } from '../../metrics/index.ts';
import { createStore, type Store } from '../../store/index.ts';
import {
  type AdminClient,
  createGatewayClient,
  createHttpAdminClient,
} from '../admin-client/index.ts';
import { type SimulatedUpstream, startSimulatedUpstream } from '../simulators/index.ts';
import { generateWebhookKeys, type WebhookKeys } from './audience/webhook-signing.ts';
import { type DemoSettings, demoGatewayFile, organizationId } from './demo-settings.ts';
import type { SimulatedClock } from './simulated-clock.ts';

export interface DemoEnvironment {
  readonly openai: SimulatedUpstream;
  readonly together: SimulatedUpstream;
  readonly gateway: RunningGateway;
  readonly store: Store;
  /** The gateway's admin API, as the CLI's commands reach it. */
  readonly admin: AdminClient;
  /** The campaigns' tenant key (organization `northwind-outbound`). */
  readonly apiKey: string;
  /** The admin token made for this run (the admin API and the console's sign-in). */
  readonly adminToken: string;
  readonly keys: WebhookKeys;
  /** The gateway's warnings and errors (JSON lines), shown if the demo fails. */
  readonly logs: readonly string[];
  close(): Promise<void>;
}

export async function startDemoEnvironment(
  settings: DemoSettings,
  clock: SimulatedClock,
): Promise<DemoEnvironment> {
  const dataDir = await mkdtemp(join(tmpdir(), 'rekindle-demo-'));
  const logs: string[] = [];
  const closers: Array<() => Promise<unknown>> = [
    () => rm(dataDir, { recursive: true, force: true }),
  ];
  const close = async () => {
    for (const closer of closers.reverse()) {
      await closer().catch(() => {});
    }
  };
  try {
    const seed = String(settings.seed);
    const upstream = (vendor: 'openai' | 'together') =>
      startSimulatedUpstream({
        vendor,
        apiKey: `sk-demo-${vendor}-${randomBytes(6).toString('hex')}`,
        organization: 'northwind',
        seed,
        now: clock.now,
      });
    const openai = await upstream('openai');
    closers.push(() => openai.close());
    const together = await upstream('together');
    closers.push(() => together.close());

    const keys = generateWebhookKeys();
    const adminToken = randomBytes(24).toString('base64url');
    const config = loadConfig({
      env: readEnv({
        OPENAI_API_KEY: openai.apiKey,
        OPENAI_BASE_URL: openai.url,
        TOGETHER_API_KEY: together.apiKey,
        TOGETHER_BASE_URL: together.url,
        REKINDLE_ADMIN_TOKEN: adminToken,
        SENDGRID_WEBHOOK_PUBLIC_KEY: keys.sendGridPublicKey,
        CRM_WEBHOOK_SECRET: keys.crmSecret,
      }),
      rawEnv: {},
      file: demoGatewayFile(settings, dataDir),
    });
    const logger = createLogger({ level: 'warn', write: (line) => logs.push(line) });
    const store = await createStore(config.store, { logger });
    closers.push(() => store.close());
    const { key: apiKey } = await store.apiKeys.create({ organizationId, name: 'demo campaigns' });
    const gateway = await startGateway({ config, store, logger, now: clock.now });
    closers.push(() => gateway.shutdown());
    const admin = createHttpAdminClient(
      createGatewayClient({ url: gateway.url, adminToken, actor: 'demo' }),
    );
    return { openai, together, gateway, store, admin, apiKey, adminToken, keys, logs, close };
  } catch (error) {
    await close();
    throw error;
  }
}
