export { PersistedResponses } from './persisted-responses.ts';
export type { ResponseItem, ResponseStore, StoredResponse } from './response-store.ts';
