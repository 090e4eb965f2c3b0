// The real WASM core receives what DuckDB-wasm parsed: row counts, types, exact values, UTF-8.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';

import { loadSource } from '../../../web/source_loader.js';
import { repo, startCore, startDuckDB, utf8 } from '../support/node_env.mjs';

let bridge, db;
before(async () => {
  bridge = await startCore();
  db = await startDuckDB();
});

const source = (name) => bridge.state('sources').find((s) => s.name === name);
const colIndex = (name, col) => source(name).columns.findIndex((c) => c.name === col);
const cell = (name, col, row) => bridge.cellText(name, colIndex(name, col), row);

describe('loading a CSV through DuckDB-wasm into the core', () => {
  const csv = [
    'user_id,city,amount,orders,signup,last_seen,vip',
    'u1,上海,12.50,3,2024-01-31,2024-05-01 10:20:30,true',
    'u2,São Paulo,-0.25,,2023-12-01,2024-05-02 00:00:00,false',
    'u3,,1e3,7,,2024-05-03 23:59:59.5,',
    '"u,4","quoted ""city""",0,1,2024-02-29,,true',
  ].join('\n');

  test('keeps every row and infers column types', async () => {
    const r = await loadSource({ db, bridge, name: 'mixed.csv', bytes: utf8(csv) });
    assert.equal(r.rows, 4);
    const s = source('mixed.csv');
    assert.equal(s.state, 'ready');
    assert.equal(s.rows, 4);
    assert.deepEqual(
      s.columns.map((c) => [c.name, c.type]),
      [['user_id', 'VARCHAR'], ['city', 'VARCHAR'], ['amount', 'DOUBLE'], ['orders', 'BIGINT'],
       ['signup', 'DATE'], ['last_seen', 'TIMESTAMP'], ['vip', 'BOOLEAN']],
    );
  });

  test('passes exact values, nulls and UTF-8 text', () => {
    assert.equal(cell('mixed.csv', 'city', 0), '上海');
    assert.equal(cell('mixed.csv', 'city', 1), 'São Paulo');
    assert.equal(cell('mixed.csv', 'city', 3), 'quoted "city"');
    assert.equal(cell('mixed.csv', 'user_id', 3), 'u,4');
    assert.equal(cell('mixed.csv', 'amount', 0), '12.5');
    assert.equal(cell('mixed.csv', 'amount', 1), '-0.25');
    assert.equal(cell('mixed.csv', 'amount', 2), '1000');
    assert.equal(cell('mixed.csv', 'orders', 2), '7');
    assert.equal(cell('mixed.csv', 'signup', 3), '2024-02-29');
    assert.equal(cell('mixed.csv', 'last_seen', 0), '2024-05-01 10:20:30');
    assert.equal(cell('mixed.csv', 'last_seen', 2), '2024-05-03 23:59:59.500000');
    assert.equal(cell('mixed.csv', 'vip', 1), 'false');
    const nulls = Object.fromEntries(source('mixed.csv').columns.map((c) => [c.name, c.nulls]));
    assert.deepEqual(nulls, { user_id: 0, city: 1, amount: 0, orders: 1, signup: 1, last_seen: 1, vip: 1 });
    // Distinct counts only non-null values: the filler of null rows is not a value.
    const distinct = Object.fromEntries(source('mixed.csv').columns.filter((c) => c.type === 'VARCHAR').map((c) => [c.name, c.distinct]));
    assert.deepEqual(distinct, { user_id: 4, city: 3 });
  });

  test('takes the latest event as the as-of time, unless one is set', async () => {
    await loadSource({ db, bridge, name: 'asof.csv', bytes: utf8('user_id,event,time\nu1,a,2024-05-03 23:59:59.5\nu2,b,2024-05-01 10:00:00\n') });
    assert.equal(bridge.state('as_of'), '2024-05-03 23:59:59.500000');
    bridge.setAsOf(Date.UTC(2024, 0, 1) * 1000);
    assert.equal(bridge.state('as_of'), '2024-01-01 00:00:00');
    assert.equal(bridge.state('as_of_is_default'), false);
    bridge.setAsOf(null);
    assert.equal(bridge.state('as_of'), '2024-05-03 23:59:59.500000');
  });

  test('loads the bundled demo files completely', async () => {
    for (const name of ['users.csv', 'orders.csv', 'events.csv']) {
      const bytes = readFileSync(join(repo, 'data/demo', name));
      const r = await loadSource({ db, bridge, name, bytes });
      const expected = bytes.toString('utf8').trimEnd().split('\n').length - 1;
      assert.equal(r.rows, expected, name);
      assert.equal(source(name).rows, expected, name);
      assert.equal(source(name).preview_rows, Math.min(expected, 1000), name);
    }
  });

  test('moves a file of many record batches intact into the model', async () => {
    const n = 50_000;
    const lines = ['user_id,event,timestamp,label'];
    const names = ['view', 'click', 'buy'];
    for (let i = 0; i < n; i++) lines.push(`u${i % 997},${names[i % 3]},2024-01-01 00:00:00+00:00,${i % 7 === 0 ? '' : 'L' + (i % 100)}`);
    const r = await loadSource({ db, bridge, name: 'many.csv', bytes: utf8(lines.join('\n')) });
    assert.equal(r.mapping.kind, 'events');
    const s = source('many.csv');
    assert.equal(s.rows, n);
    assert.equal(s.rejects.read, n);
    assert.equal(s.rejects.kept, n);
    const top = Object.fromEntries(bridge.state('overview').top_events.map((e) => [e.event, [e.events, e.users]]));
    assert.deepEqual(top.view, [Math.ceil(n / 3), 997]);
    assert.deepEqual(top.buy, [Math.floor(n / 3), 997]);
    const labels = s.columns.find((c) => c.name === 'label');
    assert.equal(labels.nulls, Math.ceil(n / 7));
    assert.equal(labels.distinct, 100);
  });

  // DuckDB keeps no copy of a CSV's rows (issue 14, item 3): the file's relation is a view over
  // read_csv of the registered bytes, which the page registers as the File itself.
  test('a loaded CSV is a view over its file: DuckDB holds no table of its rows', async () => {
    const rows = (sql) => db.query(sql).toArray().map((r) => r.toJSON());
    assert.deepEqual(rows(`SELECT table_name FROM duckdb_tables() WHERE table_name = 'many.csv'`), []);
    const [view] = rows(`SELECT sql FROM duckdb_views() WHERE view_name = 'many.csv'`);
    assert.match(view.sql, /read_csv\('\/segx\/upload_\d+', \(auto_detect = /);
    // Storage DuckDB holds for tables: none (the 50,000 rows above would take far more).
    const [mem] = rows(`SELECT coalesce(sum(memory_usage_bytes), 0)::DOUBLE AS b FROM duckdb_memory() WHERE tag IN ('BASE_TABLE', 'IN_MEMORY_TABLE')`);
    assert.equal(mem.b, 0);
    // And it reads the file as the load did.
    assert.deepEqual(rows(`SELECT count(*)::INT AS n, count(DISTINCT user_id)::INT AS u FROM "many.csv"`), [{ n: 50_000, u: 997 }]);
  });
});
