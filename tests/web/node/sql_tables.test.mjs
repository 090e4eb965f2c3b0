// The `users` and `events` views "Copy SQL" runs over in the page (web/sql_tables.js), written
// by the core from its model (src/core/sql/contract_tables.h): row for row the contract tables
// built independently from the files (tests/web/support/contract_tables.mjs), and copied SQL run
// over them gives the core's members.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';

import { SqlTables } from '../../../web/sql_tables.js';
import { loadAll, runSql } from '../support/contract_tables.mjs';
import { repo, startCore, startDuckDB } from '../support/node_env.mjs';

// Every row of a table as JSON text, without `seq` (each side numbers the stored order its own way), sorted.
const rowsOf = (db, table, columns) =>
  db.query(`SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM ${table}`).toArray()
    .map((r) => JSON.stringify(r.toJSON(), (k, v) => (typeof v === 'bigint' ? Number(v) : v))).sort();

describe('the SQL views in the page', () => {
  let bridge, oracle, page;
  before(async () => {
    bridge = await startCore();
    oracle = await startDuckDB();
    await loadAll(bridge, oracle, ['users.csv', 'orders.csv', 'events.csv'].map((n) => [n, readFileSync(join(repo, 'data/demo', n))]));
    page = await startDuckDB();
    assert.equal(await new SqlTables({ db: page, bridge }).refresh(), true);
  });

  test('users and events hold exactly the contract rows', () => {
    const cols = (db, t) => db.query(`DESCRIBE ${t}`).toArray().map((r) => [String(r.column_name), String(r.column_type)]);
    assert.deepEqual(cols(page, 'users'), cols(oracle, 'users'));
    assert.deepEqual(cols(page, 'events'), cols(oracle, 'events'));
    const userCols = cols(page, 'users').map(([n]) => n);
    assert.deepEqual(rowsOf(page, 'users', userCols), rowsOf(oracle, 'users', userCols));
    const eventCols = cols(page, 'events').map(([n]) => n).filter((n) => n !== 'seq');
    const events = rowsOf(page, 'events', eventCols);
    assert.ok(events.length > 1000);
    assert.deepEqual(events, rowsOf(oracle, 'events', eventCols));
  });

  test('copied SQL runs as is over them and gives the core\'s members', () => {
    const defs = [
      { kind: 'property', attribute: 'country', op: 'eq', value: 'China' },
      { kind: 'behavior', event: 'purchase', count: { op: 'gte', value: 2 }, window: { last_days: 90 } },
      { kind: 'behavior', event: 'purchase', aggregate: { fn: 'sum', of: 'revenue', op: 'gt', value: 300 } },
    ];
    for (const rule of defs) {
      const def = { segx: 1, name: 'x', root: { match: 'all', rules: [rule] } };
      const core = bridge.run(def, { members: true });
      assert.equal(core.ok, true, JSON.stringify(core));
      const sql = bridge.sql(def).sql;
      assert.deepEqual(runSql(page, sql), [...core.members].sort(), sql);
    }
  });

  test('written in many slices of users, the tables hold the same rows', async () => {
    const sliced = await startDuckDB();
    // 50 events a slice: the demo's events arrive in well over a hundred slices.
    assert.equal(await new SqlTables({ db: sliced, bridge, sliceRows: 50 }).refresh(), true);
    for (const t of ['users', 'events']) {
      const columns = page.query(`DESCRIBE ${t}`).toArray().map((r) => String(r.column_name));
      assert.deepEqual(rowsOf(sliced, t, columns), rowsOf(page, t, columns), t);
    }
    // Their rows are in the compressed database of their own; the views read them from there.
    const where = sliced.query(`SELECT database_name AS d, table_name AS t FROM duckdb_tables() ORDER BY t`).toArray().map((r) => `${r.d}.${r.t}`);
    assert.deepEqual(where, ['segx/contract.events', 'segx/contract.users']);
  });

  test('a second refresh with the model unchanged does nothing', async () => {
    const tables = new SqlTables({ db: page, bridge });
    await tables.refresh();
    assert.equal(await tables.refresh(), false);
  });
});
