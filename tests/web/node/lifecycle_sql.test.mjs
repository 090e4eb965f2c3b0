// The lifecycle and board → SQL compilers as differential oracles: for generated lifecycle
// definitions (day / week / month, any or a chosen activity event, short and long ranges,
// audience filters) and boards (last N days or {from, to}, dormancy thresholds, activity
// events, audience filters), the WASM core's answer (bridge.run) equals the rows DuckDB returns
// for the SQL the core compiles (bridge.sql), over the demo data in the tables of
// src/core/sql/audience_sql.h. Then audiences with `lifecycle` rules: same members.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';

import { loadAll, runSql } from '../support/contract_tables.mjs';
import { repo, startCore, startDuckDB } from '../support/node_env.mjs';
import { day, rng, sqlRows } from '../support/rng.mjs';

const EVENTS = ['page_view', 'view_item', 'search', 'add_to_cart', 'begin_checkout', 'purchase'];
const AUDIENCES = [
  { match: 'all', rules: [{ kind: 'property', attribute: 'country', op: 'eq', value: 'China' }] },
  { match: 'any', rules: [{ kind: 'property', attribute: 'plan', op: 'eq', value: 'plus' }, { kind: 'property', attribute: 'channel', op: 'eq', value: 'email' }] },
  { audience: 'china' },
];
const SAVED_AUDIENCES = {
  china: { segx: 1, id: 'china', name: 'China', root: { match: 'all', rules: [{ kind: 'property', attribute: 'country', op: 'eq', value: 'China' }] } },
};
const DATES = ['2025-10-01', '2025-12-20T08:00:00Z', '2026-02-01', '2026-04-10T12:30:00+08:00', '2026-06-01', '2026-08-15', '2026-10-01'];

function lifecycles(count, seed) {
  const r = rng(seed);
  const pick = (list) => list[Math.floor(r() * list.length)];
  return Array.from({ length: count }, (_, i) => {
    const period = ['day', 'week', 'month'][i % 3];
    const def = { segx: 1, kind: 'lifecycle', id: `l${i}`, name: `generated ${i}`, period,
      periods: period === 'day' ? 1 + Math.floor(r() * 120) : 1 + Math.floor(r() * 30) };
    if (r() < 0.6) def.event = pick(EVENTS);
    if (r() < 0.3) def.audience = pick(AUDIENCES);
    return def;
  });
}

function boards(count, seed) {
  const r = rng(seed);
  const pick = (list) => list[Math.floor(r() * list.length)];
  return Array.from({ length: count }, (_, i) => {
    const def = { segx: 1, kind: 'board', id: `b${i}`, name: `generated ${i}` };
    if (r() < 0.5) def.period = { last_days: pick([1, 7, 14, 30, 45, 90]) };
    else if (r() < 0.6) {
      const a = Math.floor(r() * (DATES.length - 1)), b = a + 1 + Math.floor(r() * (DATES.length - 1 - a));
      def.period = { from: DATES[a], to: DATES[b] };
    } else def.period = { from: pick(DATES.slice(0, -1)) };
    if (r() < 0.7) def.dormant_days = pick([1, 7, 30, 60, 90, 180]);
    if (r() < 0.5) def.event = pick(EVENTS);
    if (r() < 0.3) def.audience = pick(AUDIENCES);
    return def;
  });
}

const LIFECYCLES = lifecycles(45, 20261205);
const BOARDS = boards(40, 20261206);

function coreLifecycle(bridge, def) {
  const a = bridge.run(def);
  assert.equal(a.ok, true, JSON.stringify(a.errors));
  return a.periods.map((p) => ({ period: p.start, complete: p.complete, new: p.new, returning: p.returning, resurrecting: p.resurrecting, dormant: p.dormant }));
}

function sqlLifecycle(bridge, db, def) {
  const compiled = bridge.sql(def);
  assert.equal(compiled.ok, true, JSON.stringify(compiled.errors));
  assert.equal(compiled.kind, 'lifecycle');
  return { rows: sqlRows(db, compiled.sql).map((r) => ({ ...r, period: day(r.period) })), sql: compiled.sql };
}

const STATS = ['pool', 'active', 'buyers', 'orders'];
function coreBoard(bridge, def) {
  const a = bridge.run(def);
  assert.equal(a.ok, true, JSON.stringify(a.errors));
  const out = [];
  for (const [window, groups] of [['current', a.groups], ['previous', a.previous.groups]])
    for (const g of ['new', 'returning', 'dormant']) out.push({ window, group: g, ...Object.fromEntries([...STATS, 'revenue'].map((k) => [k, groups[g][k]])) });
  return out;
}

function sqlBoard(bridge, db, def) {
  const compiled = bridge.sql(def);
  assert.equal(compiled.ok, true, JSON.stringify(compiled.errors));
  assert.equal(compiled.kind, 'board');
  const rows = sqlRows(db, compiled.sql).map((r) => ({ window: r.window, group: r.group, ...Object.fromEntries([...STATS, 'revenue'].map((k) => [k, r[k]])) }));
  return { rows, sql: compiled.sql };
}

// Revenue sums in another order: equal to a few ulps.
function sameBoard(rows, core, message) {
  assert.deepEqual(rows.map((r) => ({ ...r, revenue: 0 })), core.map((r) => ({ ...r, revenue: 0 })), message);
  rows.forEach((r, i) => assert.ok(Math.abs(r.revenue - core[i].revenue) <= 1e-9 * Math.max(1, Math.abs(core[i].revenue)), `${message}\nrevenue ${r.revenue} vs ${core[i].revenue}`));
}

describe('lifecycle and board SQL over the demo data equal the core', () => {
  let bridge, db;
  before(async () => {
    bridge = await startCore();
    db = await startDuckDB();
    await loadAll(bridge, db, ['users.csv', 'orders.csv', 'events.csv'].map((n) => [n, readFileSync(join(repo, 'data/demo', n))]));
    const r = bridge.loadWorkspace(JSON.stringify({ segx: 1, audiences: SAVED_AUDIENCES }));
    assert.ok(r.ok, r.problem);
  });

  test(`${LIFECYCLES.length} generated lifecycle definitions: every period's four numbers equal`, () => {
    let telling = 0;
    for (const def of LIFECYCLES) {
      const core = coreLifecycle(bridge, def);
      const { rows, sql } = sqlLifecycle(bridge, db, def);
      assert.deepEqual(rows, core, `${JSON.stringify(def)}\n${sql}`);
      if (core.some((p) => p.returning > 0 && p.dormant > 0 && p.resurrecting > 0)) telling++;
    }
    assert.ok(telling >= LIFECYCLES.length / 3, `telling definitions: ${telling}`);
  });

  test(`${BOARDS.length} generated boards: both windows' groups equal`, () => {
    let telling = 0, revenue = 0;
    for (const def of BOARDS) {
      const core = coreBoard(bridge, def);
      const { rows, sql } = sqlBoard(bridge, db, def);
      sameBoard(rows, core, `${JSON.stringify(def)}\n${sql}`);
      if (core.filter((g) => g.window === 'current' && g.buyers > 0).length >= 2) telling++;
      if (core.filter((g) => g.revenue > 0 && g.orders > 0).length >= 2) revenue++;
    }
    assert.ok(telling >= BOARDS.length / 3, `telling boards: ${telling}`);
    assert.ok(revenue >= BOARDS.length / 3, `boards with revenue: ${revenue}`);
  });

  test('earlier as-of times: both engines see nothing after it', () => {
    for (const t of [Date.UTC(2026, 3, 22, 6, 0), Date.UTC(2026, 0, 31, 23, 59, 59, 999)]) {
      bridge.setAsOf(t * 1000);
      try {
        for (const def of LIFECYCLES.slice(0, 15)) assert.deepEqual(sqlLifecycle(bridge, db, def).rows, coreLifecycle(bridge, def), JSON.stringify(def));
        for (const def of BOARDS.slice(0, 15)) {
          if (!bridge.run(def).ok) continue; // a `from` after this as-of
          sameBoard(sqlBoard(bridge, db, def).rows, coreBoard(bridge, def), JSON.stringify(def));
        }
      } finally {
        bridge.setAsOf(NaN);
      }
    }
  });

  test('audiences with lifecycle rules: members equal', () => {
    let nonEmpty = 0;
    for (const period of ['day', 'week', 'month'])
      for (const event of [undefined, 'view_item', 'purchase'])
        for (const stage of ['new', 'returning', 'resurrecting', 'dormant']) {
          const rule = { kind: 'lifecycle', stage, period, ...(event ? { event } : {}) };
          const def = { segx: 1, name: `${stage} ${period} ${event}`, root: { match: 'all', rules: [rule] } };
          const core = bridge.run(def, { members: true });
          assert.equal(core.ok, true, JSON.stringify(core.errors));
          const compiled = bridge.sql(def);
          assert.equal(compiled.ok, true, JSON.stringify(compiled.errors));
          assert.deepEqual(runSql(db, compiled.sql), [...core.members].sort(), compiled.sql);
          if (core.size > 0) nonEmpty++;
        }
    assert.ok(nonEmpty >= 24, `non-empty lifecycle audiences: ${nonEmpty}`);
    // The board's form: each group's members are the board's pool, in the core and in SQL.
    for (const def of BOARDS.slice(0, 12)) {
      if (def.audience) continue;
      const board = bridge.run(def);
      for (const group of ['new', 'returning', 'dormant']) {
        const rule = { kind: 'lifecycle', group, window: def.period ?? { last_days: 30 }, dormant_days: def.dormant_days ?? 90, ...(def.event ? { event: def.event } : {}) };
        const a = { segx: 1, name: `board ${group}`, root: { match: 'all', rules: [rule] } };
        const core = bridge.run(a, { members: true });
        assert.equal(core.ok, true, JSON.stringify(core.errors));
        assert.equal(core.size, board.groups[group].pool, JSON.stringify(rule));
        const compiled = bridge.sql(a);
        assert.equal(compiled.ok, true, JSON.stringify(compiled.errors));
        assert.deepEqual(runSql(db, compiled.sql), [...core.members].sort(), compiled.sql);
      }
    }
    const mixed = { segx: 1, name: 'mixed', root: { match: 'any', rules: [
      { kind: 'group', match: 'all', negate: true, rules: [{ kind: 'lifecycle', stage: 'dormant' }] },
      { kind: 'group', match: 'all', rules: [{ kind: 'lifecycle', stage: 'returning', period: 'month' }, { kind: 'property', attribute: 'plan', op: 'eq', value: 'plus' }] }] } };
    const core = bridge.run(mixed, { members: true });
    assert.deepEqual(runSql(db, bridge.sql(mixed).sql), [...core.members].sort());
  });

  test('errors are the core\'s', () => {
    for (const def of [
      { segx: 1, kind: 'lifecycle', event: `x'); DROP TABLE events; --` },
      { segx: 1, kind: 'board', event: 'nope', audience: { audience: 'missing' } },
      { segx: 1, kind: 'board', period: { from: '2030-01-01' } },
      { segx: 1, name: 'a', root: { match: 'all', rules: [{ kind: 'lifecycle', stage: 'new', event: 'nope' }] } },
    ]) {
      const compiled = bridge.sql(def);
      assert.equal(compiled.ok, false, JSON.stringify(def));
      assert.deepEqual(compiled.errors, bridge.run(def).errors);
    }
  });
});
