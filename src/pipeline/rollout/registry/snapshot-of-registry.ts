import { RegistrySnapshot } from '../../../router/index.ts';
import type { RegistryRow } from '../../../store/index.ts';

/** Registry rows (the store's shape) as the router reads them. */
export function snapshotOfRegistry(rows: readonly RegistryRow[]): RegistrySnapshot {
  return new RegistrySnapshot(
    rows.map((row) => ({
      id: row.id,
      route: row.route,
      modelId: row.model_id,
      provider: row.provider,
      modelVersion: row.model_version,
      baseModel: row.base_model,
      status: row.status,
      isBaseline: row.is_baseline,
      trafficPercentage: row.traffic_percentage,
      abTestGroup: row.ab_test_group,
      createdAt: row.created_at,
    })),
  );
}
