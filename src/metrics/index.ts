export { createMetrics, type GatewayMetrics } from './gateway-metrics.ts';
export { createLogger, type Logger, silentLogger } from './logger.ts';
export type { PendingCell } from './pending-counts.ts';
