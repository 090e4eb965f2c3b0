// DuckDB-wasm in a Web Worker, loaded from files next to the page (no CDN), wrapped in the small
// adapter source_loader.js expects. When DuckDB-wasm traps (a RuntimeError inside its WASM:
// "table index is out of bounds", "memory access out of bounds", out of memory), every later
// query of that instance fails: the adapter then starts a fresh worker, locks it down, and tells
// `onRestart` (web/loads.js reads the loaded files into it again). The failed call still fails,
// saying so.
import * as duckdb from '@duckdb/duckdb-wasm';
import { RecordBatchReader } from 'apache-arrow';

import { lockDown } from './duckdb_lock.js';

// What a broken DuckDB-wasm instance reports (its WASM trapped, or its worker died). The worker
// passes on only the trap's message, without "RuntimeError", and which trap a fault ends in
// depends on the memory's state: `SELECT len(range(1000000000))` has given "memory access out
// of bounds", "table index is out of bounds" and a bare "function signature mismatch".
export const isTrap = (e) => /RuntimeError|(table index|memory access|table access|data segment) (is )?out of bounds|unreachable|Aborted\(|null function|function signature mismatch|unaligned access|call stack|worker.*(terminated|closed)/i
  .test(String(e && e.message ? e.message : e));

async function instance(bundle) {
  // The worker is started from a blob: URL that imports DuckDB's worker script: a worker whose
  // script comes from a URL of its own runs under that response's policy (none on a static
  // host), but a blob: worker inherits the page's Content-Security-Policy (index.html:
  // connect-src 'self'), so even a request DuckDB tried from the worker could not leave the origin.
  const boot = new Blob([`importScripts(${JSON.stringify(bundle.mainWorker)});`], { type: 'text/javascript' });
  const bootUrl = URL.createObjectURL(boot);
  const worker = new Worker(bootUrl);
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  try {
    await db.instantiate(bundle.mainModule, bundle.pthreadWorker);
  } finally {
    URL.revokeObjectURL(bootUrl);
  }
  await db.open({});
  const conn = await db.connect();
  // No request outside the origin, whatever SQL runs later (web/duckdb_lock.js); the settings are
  // the database's, so every later connection (the SQL tab's) has them too.
  await lockDown((sql) => conn.query(sql));
  return { db, conn, worker };
}

// How many result chunks are asked of the worker ahead of the one being read. DuckDB-wasm's
// own reader (conn.send) asks one ahead: then the worker waits a message round trip for every
// chunk of 2,048 rows, ~4,800 round trips for a file of 10M rows.
const kChunksAhead = 16;

// A query's result as a stream of Arrow record batches, the chunks fetched kChunksAhead ahead.
// Streamed: without it DuckDB-wasm materialises the whole result first.
async function streamQuery(conn, sql) {
  return conn.useUnsafe(async (bindings, connId) => {
    let header = await bindings.startPendingQuery(connId, sql, true);
    while (header == null) header = await bindings.pollPendingQuery(connId);
    async function* chunks() {
      yield header;
      // The worker answers in order: a null answer means "not ready yet" (ask once more), an
      // empty one the end; asks past the end are answered empty.
      const ahead = [];
      const ask = () => ahead.push(bindings.fetchQueryResults(connId));
      for (let i = 0; i < kChunksAhead; i++) ask();
      try {
        for (;;) {
          const chunk = await ahead.shift();
          ask();
          if (chunk == null) continue;
          if (chunk.length === 0) return;
          yield chunk;
        }
      } finally {
        // Every ask answered before the connection runs anything else.
        await Promise.allSettled(ahead);
      }
    }
    return RecordBatchReader.from(chunks());
  });
}

export async function startDuckDB(baseUrl) {
  const at = (p) => new URL(p, baseUrl).href;
  const bundles = {
    mvp: { mainModule: at('duckdb/duckdb-mvp.wasm'), mainWorker: at('duckdb/duckdb-browser-mvp.worker.js') },
    eh: { mainModule: at('duckdb/duckdb-eh.wasm'), mainWorker: at('duckdb/duckdb-browser-eh.worker.js') },
  };
  const bundle = await duckdb.selectBundle(bundles);
  let current = await instance(bundle);
  let restarting = null;

  const adapter = {
    get db() {
      return current.db;
    },
    get conn() {
      return current.conn;
    },
    generation: 0,      // bumped by every restart: connections and tables made before are gone
    onRestart: null,    // async (reason) => void, after a restart (the loads read their files again)
    // Starts a fresh instance after a trap; concurrent failures share one restart.
    restart(reason) {
      restarting ??= (async () => {
        const old = current;
        current = await instance(bundle);
        adapter.generation++;
        old.worker.terminate();
        if (adapter.onRestart) await adapter.onRestart(reason);
      })().finally(() => (restarting = null));
      return restarting;
    },
    registerBuffer: (name, bytes) => guard(() => current.db.registerFileBuffer(name, bytes)),
    // A Blob (a dropped File, or text converted to UTF-8) that DuckDB's worker reads in pieces
    // when a query needs them (FileReaderSync): nothing of it is copied into DuckDB's heap.
    registerBlob: (name, blob) => guard(() => current.db.registerFileHandle(name, blob, duckdb.DuckDBDataProtocol.BROWSER_FILEREADER, true)),
    dropFile: (name) => guard(() => current.db.dropFile(name)),
    query: (sql) => guard(() => current.conn.query(sql)),
    insertArrow: (table, name) => guard(() => current.conn.insertArrowTable(table, { name, create: true })),
    batches: async function* (sql) {
      try {
        for await (const batch of await streamQuery(current.conn, sql)) yield batch;
      } catch (e) {
        throw await trapped(e);
      }
    },
  };

  // A trap restarts DuckDB (not awaited by the failing call: the restart reads the loaded files
  // again, in the loads' queue, which may be waiting for this very call).
  async function trapped(e) {
    if (!isTrap(e)) return e;
    const reason = String(e.message || e).split('\n')[0];
    adapter.restart(reason).catch(() => {});
    return new Error(`DuckDB failed (${reason}); it is being restarted, and the loaded files read into it again`);
  }
  async function guard(call) {
    try {
      return await call();
    } catch (e) {
      throw await trapped(e);
    }
  }
  return adapter;
}
