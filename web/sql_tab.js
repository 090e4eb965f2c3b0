// The SQL tab's half in the page (src/app/sql): runs the queries the interface asks for in the
// page's DuckDB, on a connection of its own so that a long query never holds up a load, streams
// the result's first rows into the core (the same column calls as a file's first rows), and
// downloads every row as CSV. DuckDB runs in its worker: the page keeps drawing while it works,
// and Cancel interrupts it.
//
import { isTrap } from './duckdb_browser.js';
import { explainLocked, internalFile } from './duckdb_lock.js';
import { projectionFor, quoteLiteral } from './load_support.js';

const kMaxRows = 100_000;  // rows kept for the table: src/app/sql/sql_state.h kMaxSqlRows

export function wireSqlTab({ M, bridge, db, loads, sqlTables }) {
  let conn = null;
  let running = null;  // {id, cancelled}

  let connGeneration = -1;
  // A connection of its own, made again after DuckDB was restarted (db.generation).
  const connection = async () => {
    if (!conn || connGeneration !== db.generation) {
      connGeneration = db.generation;
      conn = await db.db.connect();
    }
    return conn;
  };

  // `users` and `events` as "Copy SQL" names them (web/sql_tables.js: written by the core from
  // its model, so a query here sees exactly the data the core evaluates), after the loads asked
  // for so far.
  const refreshViews = () => loads.run(() => sqlTables.refresh());

  // What the lock-down refuses (web/duckdb_lock.js) is said in words first, in the interface
  // language, DuckDB's own after (as DuckDB wrote it).
  const fail = (id, e, lineOffset) => {
    const text = String(e && e.message ? e.message : e);
    const locked = explainLocked(text);
    // The tab's own connection bypasses the adapter's guard: a trap here restarts DuckDB too.
    if (isTrap(text)) {
      db.restart(text.split('\n')[0]).catch(() => {});
      bridge.call('sql_result_fail', id, bridge.tr('msg_sql_duckdb_restarting', text.split('\n')[0]), 0);
      return;
    }
    bridge.call('sql_result_fail', id, locked ? `${bridge.shown(locked)}\n${text}` : text, lineOffset);
  };

  M.segxSqlRun = async (id, text) => {
    const me = { id, cancelled: false };
    running = me;
    const t0 = performance.now();
    let c;
    try {
      await refreshViews();
      c = await connection();
    } catch (e) {
      fail(id, e, 0);
      return;
    }
    // The user's query goes on a line of its own inside the wrapper, so that DuckDB's "LINE n"
    // is the query's line n + 1.
    const wrapped = `FROM (\n${text}\n) AS q`;
    let columns;
    try {
      columns = (await c.query(`DESCRIBE SELECT * ${wrapped}`)).toArray().map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
    } catch (e) {
      if (!me.cancelled) fail(id, e, 1);
      return;
    }
    if (me.cancelled) return;
    const handle = bridge.call('sql_result_begin', id);
    if (handle <= 0) return;  // replaced or cancelled meanwhile
    const cols = columns.map((col) => {
      const [sql, coreType] = projectionFor(col.name, col.type);
      return { sql, coreType, name: col.name, index: bridge.addColumn(handle, col.name, coreType) };
    });
    let total = 0;
    let kept = 0;
    try {
      const select = `SELECT ${cols.map((x) => x.sql).join(', ') || '*'} ${wrapped}`;
      const reader = await c.send(select, true);
      for await (const batch of reader) {
        if (me.cancelled) break;
        total += batch.numRows;
        // Whole batches until about kMaxRows are kept (a batch is a few thousand rows).
        if (kept >= kMaxRows) continue;
        cols.forEach((x, i) => {
          for (const data of batch.getChildAt(i).data) bridge.appendData(handle, x.index, x.coreType, data, x.name);
        });
        kept += batch.numRows;
      }
    } catch (e) {
      if (!me.cancelled) fail(id, e, 1);
      return;
    }
    if (me.cancelled) return;
    bridge.call('sql_result_end', handle, total, performance.now() - t0);
    if (running === me) running = null;
  };

  M.segxSqlCancel = async (id) => {
    if (!running || running.id !== id) return;
    running.cancelled = true;
    try {
      await conn?.cancelSent();
    } catch {
      // Nothing was streaming: the run stops at its next step.
    }
  };

  M.segxSqlCsv = async (text) => {
    const name = internalFile(`sql_${Date.now()}.csv`);
    try {
      await refreshViews();
      const c = await connection();
      await c.query(`COPY (SELECT * FROM (\n${text}\n) AS q) TO ${quoteLiteral(name)} (FORMAT CSV, HEADER true)`);
      const bytes = await db.db.copyFileToBuffer(name);
      const url = URL.createObjectURL(new Blob([bytes], { type: 'text/csv' }));
      const a = Object.assign(document.createElement('a'), { href: url, download: 'segx-query.csv' });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      bridge.status('info', bridge.tr('msg_sql_csv_downloaded', 'segx-query.csv', (bytes.length / 1024).toFixed(0)));
    } catch (e) {
      bridge.status('error', bridge.tr('msg_sql_csv_failed', String(e.message || e).split('\n')[0]));
    } finally {
      await db.db.dropFile(name).catch(() => {});
    }
  };

  return { refreshViews };
}

