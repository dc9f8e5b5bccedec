/** JSON lines on stderr; small on purpose (the hot path logs nothing at info level). */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function createLogger(
  options: {
    level?: LogLevel;
    write?: (line: string) => void;
    base?: Record<string, unknown>;
  } = {},
): Logger {
  const threshold = order[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const base = options.base ?? {};
  const emit = (level: LogLevel, message: string, fields?: Record<string, unknown>) => {
    if (order[level] < threshold) {
      return;
    }
    const record: Record<string, unknown> = {
      time: new Date().toISOString(),
      level,
      msg: message,
      ...base,
      ...fields,
    };
    for (const [key, value] of Object.entries(record)) {
      if (value instanceof Error) {
        record[key] = { name: value.name, message: value.message };
      }
    }
    write(`${JSON.stringify(record)}\n`);
  };
  return {
    debug: (message, fields) => emit('debug', message, fields),
    info: (message, fields) => emit('info', message, fields),
    warn: (message, fields) => emit('warn', message, fields),
    error: (message, fields) => emit('error', message, fields),
    child: (fields) => createLogger({ ...options, base: { ...base, ...fields } }),
  };
}

/** For tests and embedding: drops everything. */
export const silentLogger: Logger = createLogger({ level: 'error', write: () => {} });
