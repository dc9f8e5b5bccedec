export { PersistedResponses, type PersistedResponsesOptions } from './persisted-responses.ts';
export {
  MemoryResponseStore,
  type ResponseItem,
  type ResponseStore,
  type StoredResponse,
} from './response-store.ts';
