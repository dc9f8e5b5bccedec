export { RegistryService, registryChannel } from './registry-service.ts';
