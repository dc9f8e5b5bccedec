export { RegistryService } from './registry-service.ts';
export { snapshotOfRegistry } from './snapshot-of-registry.ts';
