export { ApiKeyCache } from './api-key-cache.ts';
export {
  type CreatedApiKeyJson,
  createdApiKeyJson,
  createdApiKeyJsonSchema,
  type PublicApiKey,
  publicApiKey,
  publicApiKeySchema,
} from './api-keys/api-key-json.ts';
export { type ApiKeyRecord, ApiKeysStore } from './api-keys/api-keys-store.ts';
export { isRowDataError, writeIsolating } from './batch-isolation.ts';

export type {
  ConsoleOverview,
  ConsoleSessionRow,
  ConsoleStore,
  FlywheelWeek,
  OutcomeCursor,
  OutcomeDetail,
  OutcomeSearch,
  OutcomeSearchPage,
  OutcomeSummary,
} from './console-store.ts';

export {
  createStore,
  type Store,
  type StoreSettings,
  storeOverTransport,
} from './create-store.ts';
export type { DeadLetter } from './dead-letters-store.ts';
export {
  columnId,
  columnMax,
  columnNumber,
  columnTypes,
  isPrintableId,
  maxIdLength,
} from './input/column-bounds.ts';
export { parseIsoInstant, unixTimeToIso } from './input/instant.ts';
export {
  jsonHasUnstorableText,
  jsonTooDeep,
  maxJsonDepth,
  scanJsonText,
} from './input/json-scan.ts';
export {
  isStorableText,
  type ReplacementCount,
  toStorableJson,
  toStorableText,
} from './input/storable-text.ts';
export type {
  AutomationClaim,
  ClaimInput,
  DailyCohortRow,
  LeaderboardStore,
} from './leaderboard-store.ts';

export type {
  ChangeOptions,
  ModelRegistryStore,
  RegisterModelInput,
  RegistryRow,
  RolloutEvent,
} from './model-registry-store.ts';

export {
  type DealInput,
  dealSchema,
  type MeetingInput,
  type MessageSentInput,
  meetingSchema,
  messageSentSchema,
  type ReplyInput,
  replySchema,
  type SentimentLabel,
} from './outcomes/outcome-inputs.ts';
export {
  isUuid,
  type OutcomeRecord,
  type TrackedMessageRow,
} from './outcomes/outcome-record.ts';
export {
  OutcomesStore,
  type StageRecorded,
} from './outcomes/outcomes-store.ts';
export * from './rate-limit/index.ts';

export { runSql, type SqlResult, SqlRunError } from './run-sql.ts';
export { StoreError, StoreLockedError } from './store-errors.ts';
export type { ChannelListener } from './store-transport.ts';
export type { StoredResponseRow, StoredResponsesStore } from './stored-responses-store.ts';
export type { TrainingRunsStore } from './training-runs-store.ts';
export {
  finishedTrainingRunStatuses,
  type ListTrainingRunsFilter,
  type StoredRunError,
  type TrainingRun,
  type TrainingRunDetail,
  type TrainingRunFields,
  type TrainingRunStatus,
  trainingRunDetailSchema,
  trainingRunSchema,
  trainingRunStatuses,
} from './training-runs-store.ts';
export {
  ownsDataDirLock,
  readRecordedGateway,
  recordGatewayInDataDir,
} from './transports/data-dir-lock.ts';
export { PgliteTransport } from './transports/pglite-transport.ts';

export type { WebhookEventsStore } from './webhook-events-store.ts';
export {
  type WebhookEventInput,
  type WebhookIngestResult,
  webhookEffectFlags,
} from './webhook-events-store.ts';
