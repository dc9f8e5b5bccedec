import { describe, expect, it } from 'vitest';
import { numericColumns, textTable } from '../../../../src/cli/format/index.ts';

const table = {
  headers: ['Version', 'Messages', 'Rate', 'Note'],
  rows: [
    ['v1', '1,000', '12.5%', 'baseline'],
    ['v2-long-name', '20', '—', ''],
  ],
};

describe('textTable', () => {
  it('pads each column to its widest cell, two spaces apart, without trailing blanks', () => {
    expect(textTable(table)).toBe(
      [
        'Version       Messages  Rate   Note',
        'v1            1,000     12.5%  baseline',
        'v2-long-name  20        —',
      ].join('\n'),
    );
  });

  it('adds a rule under the headers and right-aligns numeric columns when asked', () => {
    expect(numericColumns(table)).toEqual([false, true, true, false]);
    expect(textTable(table, { rule: true, alignNumbers: true })).toBe(
      [
        'Version       Messages   Rate  Note',
        '------------  --------  -----  --------',
        'v1               1,000  12.5%  baseline',
        'v2-long-name        20      —',
      ].join('\n'),
    );
  });

  it('renders the headers alone when there are no rows', () => {
    expect(textTable({ headers: ['A', 'BB'], rows: [] }, { rule: true })).toBe('A  BB\n-  --');
  });
});
