import { afterAll, beforeAll, expect, it } from 'vitest';
import { columnMax, columnTypes } from '../../../src/store/index.ts';
import { dealSchema, messageSentSchema } from '../../../src/store/outcomes/outcome-inputs.ts';
import type { SqlExecutor } from '../../../src/store/sql-executor.ts';
import { describeWithServices } from '../../helpers/services.ts';
import { hostileStoreCases, stopHostileStores } from './hostile-stores.ts';

/**
 * Issue 15, findings 3 and 5: a number the schema accepted overflowed its column (cost_usd ≥ 1e6,
 * latency_ms ≥ 2³¹, deal_value 1e12, rpm ≥ 2³¹: each a 500). The bounds the zod schemas use
 * (src/store/input/column-bounds.ts) are proved here against the columns' real types, read from
 * information_schema on PGlite and PostgreSQL: the largest value each bound allows is stored, the
 * next one is refused by the database itself — and by the schema.
 */
afterAll(stopHostileStores, 120_000);

interface ColumnRow {
  data_type: string;
  numeric_precision: number | null;
  numeric_scale: number | null;
}

type Table = keyof typeof columnTypes;

const columns = Object.entries(columnTypes).flatMap(([table, byColumn]) =>
  Object.entries(byColumn).map(([column, type]) => ({ table: table as Table, column, type })),
);

for (const storeCase of hostileStoreCases()) {
  describeWithServices(storeCase.services, `column bounds on ${storeCase.name}`, () => {
    let sql: SqlExecutor;
    beforeAll(async () => {
      sql = await storeCase.openExecutor();
    }, 300_000);

    const describeColumn = async (table: string, column: string) => {
      const rows = await sql.query<ColumnRow>(
        `select data_type, numeric_precision, numeric_scale from information_schema.columns
          where table_schema = 'public' and table_name = $1 and column_name = $2`,
        [table, column],
      );
      expect(rows, `${table}.${column} exists`).toHaveLength(1);
      return rows[0] as ColumnRow;
    };

    it('every declared bound is its column’s type in information_schema', async () => {
      for (const { table, column, type } of columns) {
        const actual = await describeColumn(table, column);
        expect(actual.data_type, `${table}.${column}`).toBe(type.type);
        if (type.type === 'numeric') {
          expect(
            [Number(actual.numeric_precision), Number(actual.numeric_scale)],
            `${table}.${column}`,
          ).toEqual([type.precision, type.scale]);
        }
      }
    });

    it('every numeric and integer column of outcome_labels and api_keys is declared', async () => {
      const rows = await sql.query<{ table_name: string; column_name: string }>(
        `select table_name, column_name from information_schema.columns
          where table_schema = 'public' and table_name in ('outcome_labels', 'api_keys')
            and data_type in ('integer', 'numeric', 'smallint', 'real', 'double precision')`,
      );
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        expect(
          Object.hasOwn(columnTypes[row.table_name as Table], row.column_name),
          `${row.table_name}.${row.column_name} has a declared bound`,
        ).toBe(true);
      }
    });

    it('the largest allowed number is stored and the next is refused by the column', async () => {
      for (const { table, column, type } of columns) {
        if (type.type === 'text') {
          continue;
        }
        const cast =
          type.type === 'numeric' ? `numeric(${type.precision},${type.scale})` : type.type;
        const max = columnMax(table, column as never);
        const [row] = await sql.query<{ value: string }>(
          `select ($1::numeric)::${cast}::text as value`,
          [String(max)],
        );
        expect(Number(row?.value), `${table}.${column} holds ${max}`).toBeCloseTo(max, 6);
        const next = type.type === 'numeric' ? 10 ** (type.precision - type.scale) : max + 1;
        await expect(
          sql.query(`select ($1::numeric)::${cast} as value`, [String(next)]),
          `${table}.${column} refuses ${next}`,
        ).rejects.toThrow(/out of range|overflow/);
      }
    });

    it('the schemas refuse what the columns refuse', () => {
      const sent = { lead_id: 'l', message_body: 'b' };
      expect(messageSentSchema.safeParse({ ...sent, cost_usd: 999_999.99999999 }).success).toBe(
        true,
      );
      expect(messageSentSchema.safeParse({ ...sent, cost_usd: 1e6 }).success).toBe(false);
      expect(messageSentSchema.safeParse({ ...sent, latency_ms: 2 ** 31 - 1 }).success).toBe(true);
      expect(messageSentSchema.safeParse({ ...sent, latency_ms: 2 ** 31 }).success).toBe(false);
      expect(dealSchema.safeParse({ deal_value: 999_999_999_999.99 }).success).toBe(true);
      expect(dealSchema.safeParse({ deal_value: 1e12 }).success).toBe(false);
      expect(dealSchema.safeParse({ deal_value: '1000000000000' }).success).toBe(false);
    });
  });
}
