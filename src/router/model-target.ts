import type { ModelCapabilities } from '../config/index.ts';

/** One concrete deployment the router can call: a provider and the model id it is sent. */
export interface ModelTarget {
  /** The name reported in `x-rekindle-model` and metrics: catalog name, provider/model or ft: id. */
  readonly name: string;
  readonly provider: string;
  readonly upstreamModel: string;
  /** USD per 1M tokens; null when unknown (cost is then recorded as unknown, and counted). */
  readonly pricing: { readonly input: number; readonly output: number } | null;
  readonly contextWindow: number | null;
  /** What the model can serve; the planner keeps only targets whose table covers the request. */
  readonly capabilities: ModelCapabilities;
  /** Registry version when the target comes from the model registry. */
  readonly modelVersion?: string;
}

/** Breaker, metrics and latency tracking key on this: one entry per provider deployment. */
export function targetKey(target: ModelTarget): string {
  return `${target.provider}/${target.upstreamModel}`;
}
