// The RFM → SQL compiler as a differential oracle: every demo customer's days, orders, revenue,
// M, R/F/M scores and segment as the WASM core answers them (segx.run with members) equal the
// rows DuckDB returns for the statement the core compiles (bridge.sql), over the demo data
// loaded through the real loader into the tables of src/core/sql/audience_sql.h — for the
// quantile, thresholds and mean methods, total and mean_order, an earlier as-of, and segments
// that bound M. Then audiences with `rfm` rules (default and saved settings): same members.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';

import { loadAll, runSql } from '../support/contract_tables.mjs';
import { repo, startCore, startDuckDB } from '../support/node_env.mjs';

const BIG = { name: 'Big spenders', r: [1, 5], f: [1, 5], m: [5, 5], color: '#d62728' };
const rest = (m) => ({ name: `M ${m[0]}-${m[1]}`, r: [1, 5], f: [1, 5], m });
const SETTINGS = [
  { segx: 1, kind: 'rfm', id: 'q-total', name: 'quantile, total' },
  { segx: 1, kind: 'rfm', id: 'q-mean', name: 'quantile, mean order', monetary: 'mean_order' },
  { segx: 1, kind: 'rfm', id: 't-total', name: 'thresholds, total', method: 'thresholds' },
  // Cut points the demo's values hit exactly (a value equal to a cut point takes the lower bin).
  { segx: 1, kind: 'rfm', id: 't-mean', name: 'thresholds, mean order', method: 'thresholds', monetary: 'mean_order',
    thresholds: { r: [3, 14, 45, 120], f: [1, 3, 5, 9], m: [18.99, 40.99, 80, 150.5] } },
  { segx: 1, kind: 'rfm', id: 'mean-total', name: 'mean, total', method: 'mean' },
  { segx: 1, kind: 'rfm', id: 'mean-mean', name: 'mean, mean order', method: 'mean', monetary: 'mean_order' },
  { segx: 1, kind: 'rfm', id: 'q-m', name: 'quantile, M bounds', segments: [BIG, rest([1, 2]), rest([3, 4])] },
];
const COLUMNS = ['user_id', 'days', 'orders', 'revenue', 'monetary', 'r', 'f', 'm', 'segment'];

function coreRows(bridge, def) {
  const core = bridge.run(def, { members: true });
  assert.equal(core.ok, true, JSON.stringify(core.errors));
  const m = core.members;
  return { answer: core, rows: m.user_id.map((_, i) => Object.fromEntries(COLUMNS.map((c) => [c, m[c][i]]))) };
}

function sqlRows(bridge, db, def) {
  const compiled = bridge.sql(def);
  assert.equal(compiled.ok, true, JSON.stringify(compiled.errors));
  assert.equal(compiled.kind, 'rfm');
  const stmt = db.conn.prepare(compiled.sql);
  try {
    const rows = stmt.query().toArray().map((r) => r.toJSON());
    return {
      sql: compiled.sql,
      rows: rows.map((r) => Object.fromEntries(COLUMNS.map((c) => [c, c === 'user_id' || c === 'segment' ? r[c] : Number(r[c])]))),
    };
  } finally {
    stmt.close();
  }
}

// Equal row by row; money equal to the last bit but for summation order (|Δ| ≤ 1e-9 relative).
function assertSame(core, sql, what) {
  assert.equal(sql.rows.length, core.rows.length, `${what}: customers\n${sql.sql}`);
  for (let i = 0; i < core.rows.length; i++) {
    const a = core.rows[i], b = sql.rows[i];
    for (const c of ['user_id', 'days', 'orders', 'r', 'f', 'm', 'segment'])
      assert.equal(b[c], a[c], `${what}: ${a.user_id} ${c}\n${JSON.stringify(a)}\n${JSON.stringify(b)}`);
    for (const c of ['revenue', 'monetary'])
      assert.ok(Math.abs(a[c] - b[c]) <= 1e-9 * Math.max(1, Math.abs(a[c])), `${what}: ${a.user_id} ${c} ${a[c]} vs ${b[c]}`);
  }
}

describe('RFM SQL over the demo data equals the core', () => {
  let bridge, db;
  before(async () => {
    bridge = await startCore();
    db = await startDuckDB();
    await loadAll(bridge, db, ['users.csv', 'orders.csv', 'events.csv'].map((n) => [n, readFileSync(join(repo, 'data/demo', n))]));
    const r = bridge.loadWorkspace(JSON.stringify({ segx: 1, rfms: Object.fromEntries(SETTINGS.map((s) => [s.id, s])) }));
    assert.ok(r.ok, r.problem);
  });

  test('every customer\'s metrics, scores and segment, for every method and monetary setting', () => {
    for (const def of SETTINGS) {
      const core = coreRows(bridge, def);
      assertSame(core, sqlRows(bridge, db, def), def.name);
      // The comparison says something: many customers, every score used, ties in F.
      const max = def.method === 'mean' ? 2 : 5;
      assert.ok(core.rows.length > 100, `${def.name}: customers ${core.rows.length}`);
      for (const c of ['r', 'f', 'm']) assert.equal(new Set(core.rows.map((x) => x[c])).size, max, `${def.name}: ${c} scores`);
    }
    const q = coreRows(bridge, SETTINGS[0]).rows;
    assert.ok(new Set(q.map((x) => x.orders)).size < q.length / 5, 'F ties: NTILE splits them by id');
    const t = coreRows(bridge, SETTINGS[3]).rows;
    assert.ok(t.some((x) => [18.99, 40.99].includes(x.monetary)), 'M equal to a cut point');
  });

  test('an earlier as-of: later purchases ignored by both', () => {
    bridge.setAsOf(Date.UTC(2026, 3, 20, 6, 0) * 1000);
    try {
      const all = coreRows(bridge, SETTINGS[0]).rows.length;
      for (const def of SETTINGS) assertSame(coreRows(bridge, def), sqlRows(bridge, db, def), `${def.name}, earlier as-of`);
      bridge.setAsOf(NaN);
      assert.ok(coreRows(bridge, SETTINGS[0]).rows.length > all, 'fewer customers at the earlier as-of');
    } finally {
      bridge.setAsOf(NaN);
    }
  });

  test('audiences with rfm rules (default and saved settings): members equal', () => {
    const rules = [
      { kind: 'rfm', segments: ['Champions'] },
      { kind: 'rfm', segments: ['At Risk', "Can't Lose Them", 'Hibernating'] },
      { kind: 'rfm', r: [4, 5], f: [1, 2] },
      { kind: 'rfm', m: [5, 5] },
      { kind: 'rfm', rfm: 't-mean', segments: ['Loyal Customers', 'New Customers'] },
      { kind: 'rfm', rfm: 'mean-total', segments: ['重要价值客户'] },
      { kind: 'rfm', rfm: 'mean-mean', r: [2, 2], m: [1, 1] },
      { kind: 'rfm', rfm: 'q-m', segments: ['Big spenders'] },
    ];
    let nonEmpty = 0;
    for (const rule of rules) {
      for (const negate of [false, true]) {
        const def = { segx: 1, name: JSON.stringify(rule), root: { match: 'all', negate, rules: [rule] } };
        const core = bridge.run(def, { members: true });
        assert.equal(core.ok, true, JSON.stringify(core.errors));
        const compiled = bridge.sql(def);
        assert.equal(compiled.ok, true, JSON.stringify(compiled.errors));
        assert.deepEqual(runSql(db, compiled.sql), [...core.members].sort(), compiled.sql);
        if (!negate && core.size > 0) nonEmpty++;
      }
    }
    assert.ok(nonEmpty >= rules.length - 1, `non-empty rfm audiences: ${nonEmpty}`);
    // Two rules on one settings share one CTE; unknown settings are the core's error.
    const two = { segx: 1, root: { match: 'any', rules: [rules[0], rules[2], { kind: 'property', attribute: 'plan', op: 'eq', value: 'plus' }] } };
    const sql = bridge.sql(two).sql;
    assert.equal(sql.match(/"rfm_\d+" AS \(/g).length, 1);
    assert.deepEqual(runSql(db, sql), [...bridge.run(two, { members: true }).members].sort());
    const unknown = { segx: 1, root: { match: 'all', rules: [{ kind: 'rfm', rfm: 'nope', segments: ['x'] }] } };
    assert.deepEqual(bridge.sql(unknown).errors, bridge.run(unknown).errors);
  });

  test('hostile names: one safe statement', () => {
    const before = runSql(db, 'SELECT CAST(count(*) AS VARCHAR) AS user_id FROM events');
    const evil = { segx: 1, kind: 'rfm', name: `x */ ; DROP TABLE events; --\n`, segments: [
      { name: `'); DROP TABLE events; --`, r: [1, 5], f: [1, 3] }, { name: `a'\n;DELETE FROM events;--`, r: [1, 5], f: [4, 5] }] };
    assertSame(coreRows(bridge, evil), sqlRows(bridge, db, evil), 'hostile');
    assert.deepEqual(runSql(db, 'SELECT CAST(count(*) AS VARCHAR) AS user_id FROM events'), before);
    const bad = { segx: 1, kind: 'rfm', segments: [{ name: 'only', r: [1, 5], f: [1, 4] }] };
    assert.equal(bridge.sql(bad).ok, false);
    assert.deepEqual(bridge.sql(bad).errors, bridge.run(bad).errors);
  });
});
