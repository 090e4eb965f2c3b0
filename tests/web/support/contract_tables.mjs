// Test support: the tables of the SQL contract (src/core/sql/audience_sql.h: `users` and
// `events`) built in DuckDB-wasm from files loaded through the real loader, and one-statement
// runs of compiled SQL. Used by the audience and funnel SQL oracles.
import assert from 'node:assert/strict';

import { contractTablesSql } from '../../../web/contract_tables.js';
import { quoteIdent } from '../../../web/load_support.js';
import { loadSource } from '../../../web/source_loader.js';

// `loaded`: loadSource results in load order (relations named after the files); the statements
// are web/contract_tables.js's, shared with the command-line runner. They number rows by rowid,
// as the runner's tables have it: a CSV's relation is a view over the file (no rowid), so each
// file is copied into a table first, in file order.
export function createContractTables(db, loaded) {
  for (const l of loaded) if (l.mapping.kind !== 'users') {
    const t = l.columns.find((c) => c.name === l.mapping.time).type;
    assert.match(t, /^TIMESTAMP/, `${l.name}: a time column DuckDB typed (text times are the core's to parse)`);
  }
  const table = (l) => quoteIdent(`segx/oracle/${l.name}`);
  for (const l of loaded) db.query(`CREATE OR REPLACE TABLE ${table(l)} AS SELECT * FROM ${quoteIdent(l.name)}`);
  for (const sql of contractTablesSql(loaded.map((l) => ({ table: `segx/oracle/${l.name}`, name: l.name, mapping: l.mapping, columns: l.columns })))) db.query(sql);
}

export async function loadAll(bridge, db, files) {
  const loaded = [];
  for (const [name, bytes, mapping] of files) loaded.push(await loadSource({ db, bridge, name, bytes, mapping: mapping && { ...mapping, source: name } }));
  for (const s of bridge.state().sources) assert.equal(s.rejects.total, 0, `${s.name}: no rejected rows`);
  createContractTables(db, loaded);
  return loaded;
}

// One statement (prepare refuses more), its rows' user ids.
export function runSql(db, sql) {
  const stmt = db.conn.prepare(sql);
  try {
    return stmt.query().toArray().map((r) => String(r.toJSON().user_id));
  } finally {
    stmt.close();
  }
}

