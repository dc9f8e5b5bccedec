import { readFileSync } from 'node:fs';
import { type SqlResult, SqlRunError } from '../../store/index.ts';
import { type AdminClientDependencies, withAdminClient } from '../admin-client/index.ts';
import { type CliCommand, CliError, type ParsedArguments } from '../cli-command.ts';

/**
 * `rekindle sql [--write] [--file FILE] [--json] "select …"`: the guide's SQL against whichever
 * store is configured — PGlite in REKINDLE_DATA_DIR, DATABASE_URL — or, when a gateway on this
 * machine holds the embedded PGlite (or REKINDLE_GATEWAY_URL is set), through that gateway's
 * `POST /admin/sql`. One statement, read-only unless --write.
 */
function createSqlCommand(dependencies: AdminClientDependencies = {}): CliCommand {
  return {
    name: 'sql',
    summary: 'Run one SQL statement against the configured store (read-only unless --write)',
    usage: 'sql [--write] [--file FILE] [--json] "select …"',
    options: { write: { type: 'boolean' }, file: { type: 'string' } },
    async run(context, args) {
      const query = queryOf(args);
      const write = args.values.write === true;
      const { result, via } = await withAdminClient(context, dependencies, async (client) => {
        try {
          return { result: await client.sql.query(query, { write }), via: client.mode };
        } catch (error) {
          throw error instanceof SqlRunError ? new CliError(error.message) : error;
        }
      });
      return { json: { ...result, via }, text: formatRows(result) };
    },
  };
}

function queryOf(args: ParsedArguments): string {
  const file = args.values.file;
  const text =
    typeof file === 'string'
      ? readFileSync(file === '-' ? 0 : file, 'utf8')
      : args.positionals.join(' ');
  if (text.trim() === '') {
    throw new CliError(
      'Give one SQL statement: rekindle sql "select count(*) from outcome_labels"',
      2,
    );
  }
  return text;
}

const cell = (value: unknown) =>
  value === null || value === undefined
    ? ''
    : typeof value === 'object'
      ? JSON.stringify(value)
      : String(value);

/** psql's aligned format: a header, a rule, the rows, and the count. */
function formatRows(result: SqlResult): string {
  const count = `(${result.row_count} ${result.row_count === 1 ? 'row' : 'rows'}${result.truncated ? `, first ${result.rows.length} shown` : ''})`;
  const first = result.rows[0];
  if (first === undefined) {
    return count;
  }
  const columns = Object.keys(first);
  const cells = result.rows.map((row) => columns.map((column) => cell(row[column])));
  const widths = columns.map((column, index) =>
    Math.max(column.length, ...cells.map((row) => (row[index] ?? '').length)),
  );
  const line = (values: readonly string[]) =>
    values
      .map((value, index) => value.padEnd(widths[index] ?? 0))
      .join(' | ')
      .trimEnd();
  return [
    line(columns),
    widths.map((width) => '-'.repeat(width)).join('-+-'),
    ...cells.map(line),
    count,
  ].join('\n');
}

export const sqlCommand = createSqlCommand();
