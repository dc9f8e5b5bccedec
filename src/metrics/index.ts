export { createMetrics, type GatewayMetrics } from './gateway-metrics.ts';
export { createLogger, type Logger, silentLogger } from './logger.ts';
