/**
 * How an rpc becomes SQL: `select public.<name>(<arg> => $1, …) as result`. Arguments travel as text
 * parameters of unknown type, so PostgreSQL coerces each to the function's declared parameter type
 * (jsonb, uuid, numeric, timestamptz…) exactly as PostgREST does with a JSON body. Shared by the
 * PGlite and pg transports and by the PostgREST-compatible test fake.
 */
const identifier = /^[a-z_][a-z0-9_]*$/;

export interface RpcStatement {
  readonly sql: string;
  readonly params: (string | null)[];
}

const statementCache = new Map<string, string>();

export function rpcStatement(
  name: string,
  args: Readonly<Record<string, unknown>> = {},
  schema = 'public',
): RpcStatement {
  const names = Object.keys(args).filter((key) => args[key] !== undefined);
  const cacheKey = `${schema}.${name}(${names.join(',')})`;
  let sql = statementCache.get(cacheKey);
  if (sql === undefined) {
    if (!identifier.test(name) || !identifier.test(schema)) {
      throw new TypeError(`invalid store function name: ${schema}.${name}`);
    }
    for (const argument of names) {
      if (!identifier.test(argument)) {
        throw new TypeError(`invalid argument name for ${name}: ${argument}`);
      }
    }
    const list = names.map((argument, index) => `${argument} => $${index + 1}`).join(', ');
    sql = `select ${schema}.${name}(${list}) as result`;
    if (statementCache.size < 1000) {
      statementCache.set(cacheKey, sql);
    }
  }
  return { sql, params: names.map((argument) => serializeArgument(args[argument])) };
}

/** null stays NULL; objects and arrays become JSON; dates ISO strings; the rest their text. */
function serializeArgument(value: unknown): string | null {
  if (value === null || value === undefined) {
    return null;
  }
  if (value instanceof Date) {
    return value.toISOString();
  }
  if (typeof value === 'object') {
    return JSON.stringify(value);
  }
  return String(value);
}
