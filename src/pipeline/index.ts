/**
 * The pipeline's public face: outcomes (tracking, webhooks, signatures, sentiment), training
 * (export, fine-tuners, orchestrator), rollout (registry, experiments, leaderboard) and the stored
 * responses of /v1/responses.
 */

export {
  ignoredSendGridEvents,
  normalizeSalesforceOutboundMessage,
  parseCrmWebhook,
  parseHubSpotWebhook,
  parsePipedriveWebhook,
  parseSalesforceFlowWebhook,
  parseSalesforceOutboundMessage,
  parseSendGridWebhook,
  type SalesforceMappingOptions,
  salesforceAck,
  soapFault,
  toWebhookEventInput,
} from './outcomes/events/index.ts';
export { replayJournal, TrackingJournal } from './outcomes/journal/index.ts';
export { OutcomeTracker } from './outcomes/outcome-tracker.ts';
export { type ClassifyReply, createSentimentAnalyzer } from './outcomes/sentiment/index.ts';
export {
  createBasicAuthVerifier,
  createHubSpotVerifier,
  createSalesforceOrganizationCheck,
  createSendGridVerifier,
  createStandardWebhookVerifier,
  hubSpotSignatureHeader,
  type SignatureVerification,
  type StandardWebhookRequestVerifier,
} from './outcomes/signatures/index.ts';
export { countStagesReached, startWebhookReconciliation } from './outcomes/stage-metrics.ts';
export { TrackingBuffer } from './outcomes/tracking-buffer.ts';
export {
  PersistedResponses,
  type ResponseItem,
  type ResponseStore,
  type StoredResponse,
} from './responses/index.ts';
export {
  type ArmValue,
  buildLeaderboard,
  type ComparedMetric,
  createJsonFileLeaderboardSource,
  createRolloutExperiments,
  createStoreLeaderboardSource,
  type Decision,
  type ExperimentEvaluation,
  ExperimentService,
  evaluateSnapshot,
  formatP,
  type Leaderboard,
  type LeaderboardRow,
  type LeaderboardSource,
  type MetricComparison,
  outcomeWindows,
  type PromotionCheck,
  type RolloutExperiments,
  type RolloutSettings,
  signedPercent,
  statistics,
  type VariantEvaluation,
} from './rollout/index.ts';
export { RegistryService, snapshotOfRegistry } from './rollout/registry/index.ts';
export {
  exportOutcomesToFiles,
  exportStatsHeader,
  exportTrainingJsonl,
  fineTuningProviderEntry,
  isFinishedRun,
  type OutcomeRow,
  type RunTrainingCycleInput,
  scheduleFromConfig,
  type TrainingExportStats,
  type TrainingFormat,
  TrainingOrchestrator,
  trainingCostSettingsFromConfig,
} from './training/index.ts';
