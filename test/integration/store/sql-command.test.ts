import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type GatewayProcess,
  runRekindleCli,
  startGatewayProcess,
} from '../../helpers/gateway-process.ts';

/**
 * Issue 16, item 14: the guide's SQL on the default PGlite store. `npm start` owns the data
 * directory, so `rekindle sql` (REKINDLE_DATA_DIR only, no gateway URL or admin token) goes
 * through that gateway's `POST /admin/sql`, read-only unless --write. The gateway and every CLI
 * call are real processes.
 */
let gateway: GatewayProcess;
const cli = (args: string[]) => runRekindleCli(args, { REKINDLE_DATA_DIR: gateway.dataDir ?? '' });
const insert = "insert into organizations (id) values ('org_sql') returning id";
const count = "select count(*)::int as n from organizations where id = 'org_sql'";

function onlyJson(result: { exitCode: number; stdout: string; stderr: string }) {
  expect(result.exitCode, result.stderr).toBe(0);
  const lines = result.stdout.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0] ?? '');
}

beforeAll(async () => {
  gateway = await startGatewayProcess({ readyTimeoutMs: 200_000 });
  expect(gateway.dataDir).not.toBeNull();
}, 240_000);

afterAll(async () => {
  await gateway?.stop();
});

describe('rekindle sql while the gateway holds the embedded store', () => {
  it('refuses a change by default, saying how to allow it', async () => {
    const refused = await cli(['sql', insert]);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toMatch(/read-only transaction.*--write/);
    expect(onlyJson(await cli(['sql', '--json', count]))).toEqual({
      rows: [{ n: 0 }],
      row_count: 1,
      truncated: false,
      read_only: true,
      via: 'gateway',
    });
  }, 200_000);

  it('changes data with --write, and reads it back as a table', async () => {
    const written = onlyJson(await cli(['sql', '--write', '--json', insert]));
    expect(written).toMatchObject({ rows: [{ id: 'org_sql' }], read_only: false, via: 'gateway' });
    const text = await cli(['sql', "select id, name from organizations where id = 'org_sql'"]);
    expect(text.exitCode, text.stderr).toBe(0);
    expect(text.stdout.trimEnd().split('\n')).toEqual([
      'id      | name',
      '--------+-----',
      'org_sql |',
      '(1 row)',
    ]);
  }, 200_000);

  it('runs the operations guide’s flywheel query', async () => {
    const weekly = onlyJson(
      await cli([
        'sql',
        '--json',
        'select week_start, messages_sent, replies, meetings, deals, training_ready_count from flywheel_weekly order by week_start desc limit 8',
      ]),
    );
    expect(weekly).toMatchObject({ rows: [], row_count: 0, read_only: true });
  }, 200_000);

  it('answers a bad statement with PostgreSQL’s message and a non-zero exit', async () => {
    const bad = await cli(['sql', 'select * from no_such_table']);
    expect(bad.exitCode).not.toBe(0);
    expect(bad.stderr).toMatch(/no_such_table/);
  }, 200_000);
});
