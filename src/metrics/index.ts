export { createMetrics, type GatewayMetrics } from './gateway-metrics.ts';
