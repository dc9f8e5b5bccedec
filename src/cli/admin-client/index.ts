export type {
  AdminClient,
  ExperimentsAdmin,
  ExportRequest,
  KeysAdmin,
  ModelChange,
  ModelsAdmin,
  RegisterRequest,
  TrainingAdmin,
  WaitOptions,
} from './admin-client.ts';
export { experimentsOverSource } from './experiments-over-source.ts';
export { createGatewayClient, type GatewayClient, GatewayClientError } from './gateway-client.ts';
export { createHttpAdminClient } from './http-admin-client.ts';
export {
  createInProcessAdminClient,
  routerReportNeedsGateway,
} from './in-process-admin-client.ts';
export {
  type AdminClientChoice,
  type AdminClientDependencies,
  withAdminClient,
} from './with-admin-client.ts';
