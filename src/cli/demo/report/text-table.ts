/** A table's cells, rendered as text here and as HTML by the report. */
export interface TableData {
  readonly headers: readonly string[];
  readonly rows: ReadonlyArray<readonly string[]>;
}

/** Columns (after the first) whose every cell is a number, a rate or a dash: right-aligned. */
export function numericColumns(table: TableData): boolean[] {
  return table.headers.map(
    (_, column) =>
      column > 0 && table.rows.every((row) => /^[-+$]?[\d.,]+%?$|^—$|^$/.test(row[column] ?? '')),
  );
}

/** A plain text table: columns padded to their widest cell, numbers right-aligned. */
export function textTable(table: TableData): string {
  const { headers, rows } = table;
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const numeric = numericColumns(table);
  const render = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        numeric[column] ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return [
    render(headers),
    render(widths.map((width) => '-'.repeat(width))),
    ...rows.map(render),
  ].join('\n');
}

export const count = (value: number): string => Math.round(value).toLocaleString('en-US');

export const rate = (value: number | null | undefined, digits = 1): string =>
  value === null || value === undefined || Number.isNaN(value)
    ? '—'
    : `${(value * 100).toFixed(digits)}%`;

export const share = (part: number, whole: number): string =>
  whole > 0 ? rate(part / whole) : '—';

export const usd = (value: number | null | undefined, digits = 2): string =>
  value === null || value === undefined || Number.isNaN(value)
    ? '—'
    : `$${value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;

export const signed = (value: number | null | undefined): string =>
  value === null || value === undefined
    ? '—'
    : `${value >= 0 ? '+' : ''}${(value * 100).toFixed(1)}%`;
