export {
  type RunningGateway,
  type StartGatewayOptions,
  startGateway,
} from './start-gateway.ts';
