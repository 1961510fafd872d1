/**
 * Worker thread that writes prediction-log rows into a SQLite store through its own connection.
 * better-sqlite3 is synchronous: an insert, and above all the WAL checkpoint that follows some
 * commits (tens of milliseconds, an fsync), would otherwise stop the server's event loop.
 *
 * Messages in: `{id, rows}` to insert (one transaction), `{close: true}` to finish. Out:
 * `{id}` or `{id, error}` per write, `{closed: true}` at the end.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openStore, type Store } from '../store/index.js';
import type { LogRow } from './log-sink.js';

type Message = { id: number; rows: LogRow[] } | { close: true };

const port = parentPort!;
let store: Promise<Store> | undefined;
let chain: Promise<void> = Promise.resolve();

port.on('message', (message: Message) => {
  chain = chain.then(async () => {
    if ('close' in message) {
      if (store) await (await store).close().catch(() => {});
      port.postMessage({ closed: true });
      port.close();
      return;
    }
    try {
      store ??= openStore(workerData as { url: string; workspace: string });
      const db = await store;
      await db.transaction((trx) => trx.insertInto('prediction_log').values(message.rows).execute());
      port.postMessage({ id: message.id });
    } catch (e) {
      port.postMessage({ id: message.id, error: e instanceof Error ? e.message : String(e) });
    }
  });
});
