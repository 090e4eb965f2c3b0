// Test support: the real WASM core (build/web/.../segx_core.js) and the real DuckDB-wasm (Node
// blocking build), wrapped in the same adapter shape the page uses.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { tableToIPC } from 'apache-arrow';

import { CoreBridge } from '../../../web/core_bridge.js';
import { lockDown } from '../../../web/duckdb_lock.js';

const require = createRequire(import.meta.url);
export const repo = join(dirname(fileURLToPath(import.meta.url)), '../../..');

export async function startCore() {
  const dir = join(repo, 'build/web/src/web');
  const createSegxCore = require(join(dir, 'segx_core.js'));
  const M = await createSegxCore({ wasmBinary: readFileSync(join(dir, 'segx_core.wasm')), print: () => {}, printErr: process.env.SEGX_STDERR ? (s) => console.error(s) : () => {} });
  return new CoreBridge(M);
}

export async function startDuckDB() {
  const duckdb = require('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs');
  const dist = dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs'));
  const bundles = {
    mvp: { mainModule: join(dist, 'duckdb-mvp.wasm'), mainWorker: join(dist, 'duckdb-node-mvp.worker.cjs') },
    eh: { mainModule: join(dist, 'duckdb-eh.wasm'), mainWorker: join(dist, 'duckdb-node-eh.worker.cjs') },
  };
  const db = await duckdb.createDuckDB(bundles, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
  await db.instantiate();
  const conn = db.connect();
  // Locked down as the page's is (web/duckdb_lock.js).
  await lockDown((sql) => conn.query(sql));
  return {
    conn,
    registerBuffer: (name, bytes) => db.registerFileBuffer(name, bytes),
    dropFile: (name) => db.dropFile(name),
    query: (sql) => conn.query(sql),
    // The Node build bundles its own apache-arrow, which does not recognise our Table objects:
    // hand it an IPC stream instead.
    insertArrow: (table, name) => conn.insertArrowFromIPCStream(tableToIPC(table, 'stream'), { name, create: true }),
    batches: async function* (sql) {
      for (const b of conn.query(sql).batches) yield b;
    },
  };
}

export const utf8 = (s) => new TextEncoder().encode(s);

// Makes these the workspace's saved audiences (for `audience` rules), replacing the workspace,
// as a page start with them in storage would.
export function setSavedAudiences(bridge, definitions) {
  const r = bridge.loadWorkspace(JSON.stringify({ segx: 1, audiences: Object.fromEntries(definitions.map((d) => [d.id, d])) }));
  if (!r.ok) throw new Error(`setSavedAudiences: ${r.problem}`);
  const unread = bridge.state().saved.audiences.filter((a) => a.unread);
  if (unread.length) throw new Error(`setSavedAudiences: ${JSON.stringify(unread)}`);
}
