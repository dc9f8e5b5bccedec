export type {
  AdminClient,
  ExperimentsAdmin,
  KeysAdmin,
  ModelChange,
  ModelsAdmin,
} from './admin-client.ts';
export { experimentsOverSource } from './experiments-over-source.ts';
export { createGatewayClient } from './gateway-client.ts';
export { createHttpAdminClient } from './http-admin-client.ts';
export { routerReportNeedsGateway } from './in-process-admin-client.ts';
export { type AdminClientDependencies, withAdminClient } from './with-admin-client.ts';
