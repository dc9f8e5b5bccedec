/**
 * The program the PGlite worker thread runs (see pglite-worker-transport.ts). It is kept as source
 * text and started with `eval: true` so the same code runs under tsx, vitest and the compiled
 * `dist/` without a separate worker file to build or locate; it is plain JavaScript with no import
 * of ours, only PGlite's own module (its URL comes in through workerData).
 *
 * Protocol (one message per request, answered by `id`):
 *   {op: 'query', id, sql, params, tx?}  → {id, ok: true, rows}
 *   {op: 'exec', id, sql, tx?}           → {id, ok: true}
 *   {op: 'begin', id}                    → {id, ok: true} once the transaction holds PGlite
 *   {op: 'commit' | 'rollback', id, tx}  → {id, ok: true} once it has ended
 *   {op: 'listen' | 'unlisten', id, channel}
 *   {op: 'close', id}                    → {id, ok: true}, then the thread ends
 * Failures answer {id, ok: false, error: {message, code, …}}; NOTIFY payloads arrive unasked as
 * {op: 'notify', channel, payload}. Work on one PGlite is serialized by PGlite itself.
 */
export const pgliteWorkerSource = String.raw`
const { parentPort, workerData } = require('node:worker_threads');

function describe(error) {
  const out = { message: error && error.message ? String(error.message) : String(error) };
  for (const key of ['code', 'detail', 'hint', 'position', 'where', 'schema', 'table', 'column',
    'constraint', 'severity']) {
    if (error && typeof error[key] === 'string') out[key] = error[key];
  }
  return out;
}

async function main() {
  const { PGlite } = await import(workerData.pgliteUrl);
  let db;
  try {
    db = await PGlite.create(workerData.dataPath);
  } catch (error) {
    parentPort.postMessage({ op: 'opened', ok: false, error: describe(error) });
    return;
  }
  const transactions = new Map();
  const unlisteners = new Map();
  const target = (tx) => (tx === undefined ? db : transactions.get(tx).tx);

  async function handle(message) {
    switch (message.op) {
      case 'query': {
        const result = await target(message.tx).query(message.sql, message.params);
        return { rows: result.rows };
      }
      case 'exec':
        await target(message.tx).exec(message.sql);
        return {};
      case 'begin':
        return new Promise((opened, failed) => {
          const entry = {};
          entry.ended = db
            .transaction(
              (tx) =>
                new Promise((commit, rollback) => {
                  entry.tx = tx;
                  entry.commit = commit;
                  entry.rollback = rollback;
                  transactions.set(message.id, entry);
                  opened({});
                }),
            )
            .finally(() => transactions.delete(message.id));
          entry.ended.catch((error) => failed(error));
        });
      case 'commit': {
        const entry = transactions.get(message.tx);
        entry.commit();
        await entry.ended;
        return {};
      }
      case 'rollback': {
        const entry = transactions.get(message.tx);
        entry.rollback(new Error('rolled back'));
        await entry.ended.catch(() => undefined);
        return {};
      }
      case 'listen': {
        const unlisten = await db.listen(message.channel, (payload) =>
          parentPort.postMessage({ op: 'notify', channel: message.channel, payload }),
        );
        unlisteners.set(message.channel, unlisten);
        return {};
      }
      case 'unlisten': {
        const unlisten = unlisteners.get(message.channel);
        unlisteners.delete(message.channel);
        if (unlisten) await unlisten();
        return {};
      }
      case 'close':
        await db.close();
        return { closed: true };
      default:
        throw new Error('unknown PGlite worker op: ' + message.op);
    }
  }

  parentPort.on('message', (message) => {
    handle(message).then(
      (result) => {
        parentPort.postMessage({ id: message.id, ok: true, ...result });
        if (result.closed) parentPort.close();
      },
      (error) => parentPort.postMessage({ id: message.id, ok: false, error: describe(error) }),
    );
  });
  parentPort.postMessage({ op: 'opened', ok: true });
}

main().catch((error) => parentPort.postMessage({ op: 'opened', ok: false, error: describe(error) }));
`;
