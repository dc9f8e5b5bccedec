export {
  ApiKeyCache,
  type ApiKeyCacheOptions,
  type AuthenticatedKey,
  apiKeysChannel,
} from './api-key-cache.ts';
export {
  type CreatedApiKeyJson,
  createdApiKeyJson,
  createdApiKeyJsonSchema,
  type PublicApiKey,
  publicApiKey,
  publicApiKeySchema,
} from './api-keys/api-key-json.ts';
export {
  type ApiKeyMaterial,
  generateApiKey,
  hashApiKey,
  looksLikeApiKey,
} from './api-keys/api-key-material.ts';
export {
  type ActiveApiKey,
  type ApiKeyRecord,
  ApiKeysStore,
  type CreateApiKeyInput,
  type CreatedApiKey,
} from './api-keys/api-keys-store.ts';
export {
  type ConsoleOverview,
  type ConsoleSessionRow,
  ConsoleStore,
  type CreateConsoleSessionInput,
  type FlywheelWeek,
  type OutcomeCursor,
  type OutcomeDetail,
  type OutcomeEvent,
  type OutcomeSearch,
  type OutcomeSearchPage,
  type OutcomeSummary,
} from './console-store.ts';
export {
  type CreateStoreOptions,
  createStore,
  type Store,
  type StoreSettings,
  storeOverTransport,
} from './create-store.ts';
export type {
  AutomationClaim,
  ClaimInput,
  DailyCohortRow,
  LeaderboardStore,
} from './leaderboard-store.ts';
export {
  defaultMigrationsDir,
  listMigrations,
  type MigrateOptions,
  type MigrationFile,
  type MigrationResult,
  migrate,
} from './migrate.ts';
export type {
  ChangeOptions,
  ModelRegistryStore,
  RegisterModelInput,
  RegistryRow,
  RolloutEvent,
} from './model-registry-store.ts';
export { type Organization, OrganizationsStore } from './organizations-store.ts';
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
  sentimentLabels,
} from './outcomes/outcome-inputs.ts';
export {
  isUuid,
  type OutcomeRecord,
  outcomeRecordSchema,
  type TrackedMessageRow,
} from './outcomes/outcome-record.ts';
export {
  OutcomesStore,
  type TrainingExportOptions,
  type TrainingExportPage,
} from './outcomes/outcomes-store.ts';
export * from './rate-limit/index.ts';
export type { SqlExecutor } from './sql-executor.ts';
export { StoreError, StoreInputError, StoreLockedError, toStoreError } from './store-errors.ts';
export type { ChannelListener, StoreTransport } from './store-transport.ts';
export type { TrainingRunsStore } from './training-runs-store.ts';
export {
  finishedTrainingRunStatuses,
  type ListTrainingRunsFilter,
  type StoredRunError,
  type TrainingRun,
  type TrainingRunDetail,
  type TrainingRunEvent,
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
export { PgliteTransport, type PgliteTransportOptions } from './transports/pglite-transport.ts';
export {
  PgliteWorkerTransport,
  type PgliteWorkerTransportOptions,
} from './transports/pglite-worker-transport.ts';
export {
  PostgresTransport,
  type PostgresTransportOptions,
} from './transports/postgres-transport.ts';
export {
  SupabaseTransport,
  type SupabaseTransportOptions,
} from './transports/supabase-transport.ts';
export type { WebhookEventsStore } from './webhook-events-store.ts';
export {
  type WebhookEventInput,
  type WebhookIngestResult,
  webhookEffectFlags,
} from './webhook-events-store.ts';
