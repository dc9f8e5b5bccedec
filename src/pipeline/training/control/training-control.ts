/**
 * What `rekindle export` and `rekindle train` need, two ways: over the store directly (the CLI
 * owns the store and drives runs itself) or over a running gateway's admin API (an embedded
 * PGlite has one owner; with REKINDLE_GATEWAY_URL the CLI asks that owner).
 */
import type {
  ListTrainingRunsFilter,
  TrainingRun,
  TrainingRunDetail,
} from '../../../store/training-runs-store.ts';
import type { TrainingExportStats, TrainingFormat } from '../export/index.ts';
import type { RunTrainingCycleInput } from '../orchestrator/index.ts';

export interface ExportRequest {
  format: TrainingFormat;
  organizationId?: string | null;
  minQualityScore?: number;
  limit?: number | null;
  keepPii?: boolean;
  minExamples?: number;
}

export interface WaitOptions {
  /** Stop once this holds (default: the run finished). */
  until?: (run: TrainingRun) => boolean;
  onProgress?: (run: TrainingRunDetail) => void;
  signal?: AbortSignal;
}

export interface TrainingControl {
  /** `store` (this process drives runs) or `gateway` (the gateway's orchestrator does). */
  readonly mode: 'store' | 'gateway';
  /** Writes the JSONL to `output` (via `<output>.partial`, renamed when complete). */
  exportToFile(
    output: string,
    request: ExportRequest,
    onProgress?: (fetched: number) => void,
  ): Promise<TrainingExportStats>;
  startRun(input: RunTrainingCycleInput): Promise<TrainingRun>;
  getRun(ref: string): Promise<TrainingRunDetail>;
  listRuns(filter?: ListTrainingRunsFilter): Promise<TrainingRun[]>;
  cancelRun(ref: string, reason?: string | null): Promise<TrainingRun>;
  /** Until `until` holds or the run finished: drives it (store) or watches it (gateway). */
  waitForRun(runId: string, options?: WaitOptions): Promise<TrainingRunDetail>;
  close(): Promise<void>;
}
