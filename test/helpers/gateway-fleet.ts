/**
 * N gateway processes (replicas) sharing one PostgreSQL, as a deployment behind a load balancer
 * runs them: the first one migrates the database and creates the API keys, the others start on
 * the migrated database. stop() stops them all.
 *
 * const fleet = await startGatewayFleet({ count: 3, databaseUrl, env, config });
 * afterAll(() => fleet?.stop());
 */
import {
  type CreatedApiKey,
  type GatewayProcess,
  type GatewayProcessOptions,
  startGatewayProcess,
} from './gateway-process.ts';

export interface GatewayFleet {
  readonly replicas: readonly GatewayProcess[];
  /** The keys the first replica created (`apiKeys`), in order. */
  readonly apiKeys: readonly CreatedApiKey[];
  stop(): Promise<void>;
}

export async function startGatewayFleet(
  options: Omit<GatewayProcessOptions, 'databaseUrl' | 'dataDir' | 'port'> & {
    count: number;
    databaseUrl: string;
  },
): Promise<GatewayFleet> {
  const { count, ...shared } = options;
  const replicas: GatewayProcess[] = [];
  const stop = async () => {
    await Promise.all(replicas.map((replica) => replica.stop()));
  };
  try {
    replicas.push(await startGatewayProcess(shared));
    const { apiKeys: _keys, ...rest } = shared;
    const others = await Promise.allSettled(
      Array.from({ length: count - 1 }, () => startGatewayProcess({ ...rest, migrate: false })),
    );
    for (const started of others) {
      if (started.status === 'fulfilled') {
        replicas.push(started.value);
      }
    }
    const failed = others.find((started) => started.status === 'rejected');
    if (failed) {
      throw failed.reason;
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { replicas, apiKeys: replicas[0]?.apiKeys ?? [], stop };
}
