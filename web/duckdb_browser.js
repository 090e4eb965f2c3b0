// DuckDB-wasm in a Web Worker, loaded from files next to the page (no CDN), wrapped in the small
// adapter csv_loader.js expects.
import * as duckdb from '@duckdb/duckdb-wasm';

export async function startDuckDB(baseUrl) {
  const at = (p) => new URL(p, baseUrl).href;
  const bundles = {
    mvp: { mainModule: at('duckdb/duckdb-mvp.wasm'), mainWorker: at('duckdb/duckdb-browser-mvp.worker.js') },
    eh: { mainModule: at('duckdb/duckdb-eh.wasm'), mainWorker: at('duckdb/duckdb-browser-eh.worker.js') },
  };
  const bundle = await duckdb.selectBundle(bundles);
  const worker = new Worker(bundle.mainWorker);
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  await db.instantiate(bundle.mainModule, bundle.pthreadWorker);
  await db.open({});
  const conn = await db.connect();
  // Parquet and JSON readers are extensions DuckDB would download: never let it try.
  await conn.query('SET autoload_known_extensions=false');
  await conn.query('SET autoinstall_known_extensions=false');
  return {
    db,
    conn,
    registerBuffer: (name, bytes) => db.registerFileBuffer(name, bytes),
    dropFile: (name) => db.dropFile(name),
    query: (sql) => conn.query(sql),
    insertArrow: (table, name) => conn.insertArrowTable(table, { name, create: true }),
    batches: async function* (sql) {
      // Streamed: without the flag DuckDB-wasm materialises the whole result first.
      for await (const batch of await conn.send(sql, true)) yield batch;
    },
  };
}
