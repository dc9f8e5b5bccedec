/** A table's cells: rendered as text here, and as HTML by the demo's report. */
export interface TableData {
  readonly headers: readonly string[];
  readonly rows: ReadonlyArray<readonly string[]>;
}

export interface TableLayout {
  /** A line of dashes under the headers. */
  readonly rule?: boolean;
  /** Right-aligns the numeric columns (see numericColumns); every column is left-aligned otherwise. */
  readonly alignNumbers?: boolean;
}

/** Columns (after the first) whose every cell is a number, a rate or a dash. */
export function numericColumns(table: TableData): boolean[] {
  return table.headers.map(
    (_, column) =>
      column > 0 && table.rows.every((row) => /^[-+$]?[\d.,]+%?$|^—$|^$/.test(row[column] ?? '')),
  );
}

/**
 * The one text table of the CLI and the demo: each column padded to its widest cell, columns two
 * spaces apart, no trailing blanks.
 */
export function textTable(table: TableData, layout: TableLayout = {}): string {
  const { headers, rows } = table;
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const right = layout.alignNumbers ? numericColumns(table) : [];
  const render = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        right[column] ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd();
  const rule = layout.rule ? [render(widths.map((width) => '-'.repeat(width)))] : [];
  return [render(headers), ...rule, ...rows.map(render)].join('\n');
}
