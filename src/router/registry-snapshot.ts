import { hash } from 'node:crypto';

/** A `model_registry` row as the router needs it. */
export interface RegistryEntry {
  readonly id: string;
  readonly route: string;
  readonly modelId: string;
  readonly provider: string;
  readonly modelVersion: string;
  /** The model it was fine-tuned from, when known: a model without a table inherits its base's. */
  readonly baseModel?: string | null;
  readonly status: 'registered' | 'testing' | 'active' | 'deprecated' | 'rolled_back';
  readonly isBaseline: boolean;
  readonly trafficPercentage: number;
  readonly abTestGroup: string | null;
  /**
   * When the row was registered (ISO). Variants take their bucket ranges in registration order, so
   * registering or deploying a newer model never moves leads of an older variant; without it the
   * order falls back to the model version.
   */
  readonly createdAt?: string;
}

export interface Assignment {
  readonly entry: RegistryEntry;
  /** `baseline`, or the variant's A/B group (its model version when it has none). */
  readonly variant: string;
  readonly bucket: number;
}

interface RouteSplit {
  readonly baseline: RegistryEntry | undefined;
  /** Variants with their cumulative upper bucket bound, in a stable order. */
  readonly variants: ReadonlyArray<{ entry: RegistryEntry; upperBucket: number }>;
}

export const bucketCount = 10_000;

/**
 * Sticky assignment: the same (route, key) lands in the same bucket on every instance, because the
 * bucket is a hash and the split is ordered by registration time (then model version), not by the
 * order rows arrive in.
 */
export function assignmentBucket(route: string, key: string): number {
  // sha256(route ‖ 0x00 ‖ key): one-shot crypto.hash is ~2x cheaper per request than a Hash object
  // and gives the same digest, so every lead keeps its bucket.
  const digest = hash('sha256', `${route}\u0000${key}`, 'buffer');
  return Math.floor((digest.readUInt32BE(0) / 2 ** 32) * bucketCount);
}

/** An immutable view of the registry; the router swaps in a new one when the registry changes. */
export class RegistrySnapshot {
  private readonly splits = new Map<string, RouteSplit>();
  readonly entries: readonly RegistryEntry[];

  constructor(entries: readonly RegistryEntry[]) {
    this.entries = entries;
    const routes = new Set(entries.map((entry) => entry.route));
    for (const route of routes) {
      const rows = entries.filter((entry) => entry.route === route);
      const baseline = rows.find((entry) => entry.isBaseline && entry.status === 'active');
      const live = rows
        .filter((entry) => !entry.isBaseline && entry.status === 'testing')
        .filter((entry) => entry.trafficPercentage > 0)
        .sort(byRegistrationOrder);
      let cumulative = 0;
      const variants = live.map((entry) => {
        cumulative += Math.round(entry.trafficPercentage * (bucketCount / 100));
        return { entry, upperBucket: Math.min(cumulative, bucketCount) };
      });
      this.splits.set(route, { baseline, variants });
    }
  }

  static empty(): RegistrySnapshot {
    return new RegistrySnapshot([]);
  }

  hasRoute(route: string): boolean {
    const split = this.splits.get(route);
    return split !== undefined && (split.baseline !== undefined || split.variants.length > 0);
  }

  /** Undefined when the route has no registry entries (the config's models are used). */
  assign(route: string, key: string): Assignment | undefined {
    const split = this.splits.get(route);
    if (!split) {
      return undefined;
    }
    const bucket = assignmentBucket(route, key);
    for (const variant of split.variants) {
      if (bucket < variant.upperBucket) {
        return {
          entry: variant.entry,
          variant: variant.entry.abTestGroup ?? variant.entry.modelVersion,
          bucket,
        };
      }
    }
    return split.baseline ? { entry: split.baseline, variant: 'baseline', bucket } : undefined;
  }

  /**
   * Configured traffic share per model version (the baseline takes the rest). Without a registry
   * baseline the rest goes to the route's configured models: `configBaseline` is their version label.
   */
  trafficShares(
    route: string,
    configBaseline?: string,
  ): Array<{ modelVersion: string; share: number }> {
    const split = this.splits.get(route);
    if (!split) {
      return [];
    }
    const variantShare = split.variants.reduce((sum, v) => sum + v.entry.trafficPercentage, 0);
    const shares = split.variants.map((v) => ({
      modelVersion: v.entry.modelVersion,
      share: v.entry.trafficPercentage / 100,
    }));
    const baselineVersion = split.baseline?.modelVersion ?? configBaseline;
    if (baselineVersion !== undefined) {
      shares.unshift({
        modelVersion: baselineVersion,
        share: Math.max(0, 100 - variantShare) / 100,
      });
    }
    return shares;
  }

  findByModelId(modelId: string): RegistryEntry | undefined {
    return this.entries.find((entry) => entry.modelId === modelId);
  }
}

/** Older registrations first; ties (and rows without a time) by model version, then id. */
function byRegistrationOrder(a: RegistryEntry, b: RegistryEntry): number {
  const time = Date.parse(a.createdAt ?? '') - Date.parse(b.createdAt ?? '');
  if (Number.isFinite(time) && time !== 0) {
    return time;
  }
  return a.modelVersion.localeCompare(b.modelVersion) || a.id.localeCompare(b.id);
}
