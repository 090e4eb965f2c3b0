// The funnel → SQL compiler as a differential oracle: for generated funnels (every mode, windows
// in every unit, entry ranges, exclusions, step filters, audience filters), the per-step users
// the WASM core answers (bridge.run) equal the rows DuckDB returns for the SQL the core
// compiles (bridge.sql), over the demo data loaded through the real loader into the tables of
// src/core/sql/audience_sql.h (tests/web/support/contract_tables.mjs, `seq` included: the
// engine's tie rule). Then audiences with `funnel` rules: same members.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';

import { loadAll, runSql } from '../support/contract_tables.mjs';
import { repo, startCore, startDuckDB } from '../support/node_env.mjs';

// A small seeded generator (mulberry32), so that every run checks the same funnels.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const EVENTS = ['page_view', 'view_item', 'search', 'add_to_cart', 'begin_checkout', 'purchase'];
// Filters that fit the demo's event properties, some matching often, some rarely.
const FILTERS = [
  { property: 'device', op: 'eq', value: 'mobile' },
  { property: 'device', op: 'in', values: ['desktop', 'tablet'] },
  { property: 'category', op: 'eq', value: 'Electronics' },
  { property: 'category', op: 'not_in', values: ['Home', 'Books'] },
  { property: 'page', op: 'starts_with', value: '/c/' },
  { property: 'session_id', op: 'gt', value: 3000 },
  { property: 'item_id', op: 'is_set' },
  { property: 'currency', op: 'neq', value: 'EUR' },
  { property: 'category', op: 'eq', value: 'fashion', ci: true },
];
const WINDOWS = [
  { seconds: 1 }, { seconds: 90 }, { seconds: 3600 }, { seconds: 86400 },
  { minutes: 5 }, { minutes: 45 }, { minutes: 1440 },
  { hours: 1 }, { hours: 6 }, { hours: 48 },
  { days: 1 }, { days: 7 }, { days: 30 }, { days: 366 },
];
const AUDIENCES = [
  { match: 'all', rules: [{ kind: 'property', attribute: 'country', op: 'eq', value: 'China' }] },
  { match: 'any', rules: [{ kind: 'property', attribute: 'plan', op: 'eq', value: 'plus' }, { kind: 'property', attribute: 'channel', op: 'eq', value: 'email' }] },
  { match: 'all', negate: true, rules: [{ kind: 'behavior', event: 'purchase', window: { last_days: 60 } }] },
  { audience: 'china' },
];
// By a user attribute or the counted attempt's step-1 property; strings, a date, a boolean, an
// integer, with tops that leave values out (an "other" row) and properties that are often unset.
const BREAKDOWNS = [
  { attribute: 'country', top: 3 }, { attribute: 'plan', top: 10 }, { attribute: 'signup_date', top: 4 },
  { attribute: 'email_opt_in', top: 1 }, { property: 'device', top: 2 }, { property: 'category', top: 3 },
  { property: 'session_id', top: 5 }, { property: 'page', top: 1 },
];
const DATES = ['2025-11-15', '2025-12-20T08:00:00Z', '2026-02-01', '2026-04-10T12:30:00+08:00', '2026-06-01', '2026-08-15', '2026-10-01'];

function generate(count, seed) {
  const r = rng(seed);
  const pick = (list) => list[Math.floor(r() * list.length)];
  const out = [];
  for (let i = 0; i < count; i++) {
    const order = ['ordered', 'strict', 'unordered'][i % 3];
    const n = 2 + Math.floor(r() * 4);
    // Mostly a plausible path (so that later steps have users), sometimes any event.
    const start = Math.floor(r() * 3);
    const steps = Array.from({ length: n }, (_, k) => {
      const step = { event: r() < 0.7 ? EVENTS[Math.min(start + k, EVENTS.length - 1)] : pick(EVENTS) };
      if (r() < 0.25) step.where = [pick(FILTERS)];
      return step;
    });
    const def = { segx: 1, kind: 'funnel', id: `g${i}`, name: `generated ${i}`, steps, order, window: WINDOWS[i % WINDOWS.length] };
    if (r() < 0.4) {
      const a = Math.floor(r() * DATES.length), b = Math.floor(r() * DATES.length);
      const [from, to] = [DATES[Math.min(a, b)], DATES[Math.max(a, b)]];
      def.entry = r() < 0.2 ? { from } : r() < 0.25 ? { to } : { from, to };
    }
    if (order !== 'unordered' && r() < 0.4) {
      def.exclusions = [];
      for (let x = 0, xs = 1 + Math.floor(r() * 2); x < xs; x++) {
        const i1 = 1 + Math.floor(r() * (n - 1));
        const j = i1 + 1 + Math.floor(r() * (n - i1));
        const exclusion = { event: pick(EVENTS), between: [i1, j] };
        if (r() < 0.3) exclusion.where = [pick(FILTERS)];
        def.exclusions.push(exclusion);
      }
    }
    if (r() < 0.3) def.audience = pick(AUDIENCES);
    if (r() < 0.45) def.breakdown = pick(BREAKDOWNS);
    out.push(def);
  }
  return out;
}

const FUNNELS = generate(72, 20260131);

// Hand-written cases that the generator may miss: repeated steps, a step that is its own
// exclusion, ties of equal times (purchases and "order" events of the same instant), the
// longest funnels.
const HAND = [
  { segx: 1, kind: 'funnel', name: 'repeated steps', steps: [{ event: 'view_item' }, { event: 'view_item' }, { event: 'view_item' }], window: { hours: 2 } },
  // Each order is a purchase (orders.csv's row) and an "order" event (order_events.csv) at the
  // same instant: orders.csv was loaded first, so its row comes first in stored order (seq), and
  // only that order connects.
  { segx: 1, kind: 'funnel', name: 'tie: purchase then its order row', steps: [{ event: 'purchase', where: [{ property: 'currency', op: 'is_set' }] }, { event: 'order' }], window: { seconds: 1 } },
  { segx: 1, kind: 'funnel', name: 'tie: order row then its purchase', steps: [{ event: 'order' }, { event: 'purchase', where: [{ property: 'device', op: 'is_set' }] }], window: { seconds: 1 } },
  { segx: 1, kind: 'funnel', name: 'tie, strict', order: 'strict', steps: [{ event: 'purchase', where: [{ property: 'currency', op: 'is_set' }] }, { event: 'order' }], window: { seconds: 1 } },
  { segx: 1, kind: 'funnel', name: 'tie in an exclusion', steps: [{ event: 'begin_checkout' }, { event: 'order' }], exclusions: [{ event: 'purchase', where: [{ property: 'currency', op: 'is_set' }], between: [1, 2] }], window: { days: 1 } },
  { segx: 1, kind: 'funnel', name: 'checkout to purchase at the same instant', steps: [{ event: 'begin_checkout' }, { event: 'purchase' }], window: { seconds: 1 } },
  { segx: 1, kind: 'funnel', name: 'exclusion is a step', steps: [{ event: 'page_view' }, { event: 'view_item' }, { event: 'add_to_cart' }], exclusions: [{ event: 'view_item', between: [1, 3] }], window: { days: 3 } },
  { segx: 1, kind: 'funnel', name: 'unordered, one event many steps', order: 'unordered', steps: [{ event: 'view_item' }, { event: 'view_item', where: [{ property: 'device', op: 'eq', value: 'mobile' }] }, { event: 'purchase' }], window: { days: 2 } },
  { segx: 1, kind: 'funnel', name: 'eight steps', steps: ['page_view', 'view_item', 'add_to_cart', 'view_item', 'add_to_cart', 'begin_checkout', 'purchase', 'page_view'].map((event) => ({ event })), window: { days: 30 } },
];

function coreSteps(bridge, def) {
  const core = bridge.run(def);
  assert.equal(core.ok, true, JSON.stringify(core.errors));
  return core.steps.map((s) => s.users);
}

function sqlRows(bridge, db, def) {
  const compiled = bridge.sql(def);
  assert.equal(compiled.ok, true, JSON.stringify(compiled.errors));
  assert.equal(compiled.kind, 'funnel');
  const stmt = db.conn.prepare(compiled.sql);
  try {
    return { rows: stmt.query().toArray().map((r) => r.toJSON()), sql: compiled.sql };
  } finally {
    stmt.close();
  }
}

// The per-step users (with a breakdown: its rows' sums).
function sqlSteps(bridge, db, def) {
  const { rows, sql } = sqlRows(bridge, db, def);
  if (def.breakdown) {
    const users = def.steps.map(() => 0);
    for (const r of rows) users[Number(r.step) - 1] += Number(r.users);
    return { users, sql };
  }
  assert.deepEqual(rows.map((r) => Number(r.step)), def.steps.map((_, k) => k + 1));
  assert.deepEqual(rows.map((r) => r.event), def.steps.map((s) => s.event));
  return { users: rows.map((r) => Number(r.users)), sql };
}

// The breakdown rows as the core answers them: [{row, value, steps: [users...]}].
function sqlBreakdown(bridge, db, def) {
  const { rows, sql } = sqlRows(bridge, db, def);
  const out = [];
  for (const r of rows) {
    const k = Number(r.step);
    if (k === 1) out.push({ row: r.row, value: r.value ?? null, steps: [] });
    const last = out[out.length - 1];
    assert.equal(last.row, r.row, sql);
    assert.equal(r.event, def.steps[k - 1].event);
    last.steps.push(Number(r.users));
  }
  return { breakdown: out, sql };
}
const SAVED_AUDIENCES = {
  china: { segx: 1, id: 'china', name: 'China', root: { match: 'all', rules: [{ kind: 'property', attribute: 'country', op: 'eq', value: 'China' }] } },
};

describe('funnel SQL over the demo data equals the core', () => {
  let bridge, db;
  before(async () => {
    bridge = await startCore();
    db = await startDuckDB();
    // The demo's purchases are one per order (the events file's merge into the orders file's),
    // so ties come from orders.csv again as events named "order", at the purchases' instants.
    const orderEvents = { kind: 'events', user_id: 'user_id', time: 'order_time', time_format: 'auto', tz_offset_minutes: 0, event: null,
      event_constant: 'order', revenue: null, revenue_expr: '', order_id: null, filter: '', columns: ['category'] };
    await loadAll(bridge, db, [...['users.csv', 'orders.csv', 'events.csv'].map((n) => [n, readFileSync(join(repo, 'data/demo', n))]),
      ['order_events.csv', readFileSync(join(repo, 'data/demo', 'orders.csv')), orderEvents]]);
    const saved = FUNNELS.slice(0, 6).map((f) => [f.id, f]);
    const r = bridge.loadWorkspace(JSON.stringify({ segx: 1, audiences: SAVED_AUDIENCES, funnels: Object.fromEntries(saved) }));
    assert.ok(r.ok, r.problem);
  });

  test('the demo has same-instant events of one user (the tie rule matters)', () => {
    const ties = Number(Object.values(db.query('SELECT count(*) FROM (SELECT user_id, time FROM events GROUP BY ALL HAVING count(*) > 1)').toArray()[0].toJSON())[0]);
    assert.ok(ties > 0, 'users with two events at one instant');
  });

  test(`${FUNNELS.length} generated funnels: per-step users equal`, () => {
    let telling = 0;
    for (const def of FUNNELS) {
      const core = coreSteps(bridge, def);
      const { users, sql } = sqlSteps(bridge, db, def);
      assert.deepEqual(users, core, `${JSON.stringify(def)}\n${sql}`);
      if (core[1] > 0 && core[0] > core[core.length - 1]) telling++;
    }
    // Most funnels have users past step 1 and lose some on the way: the comparison says something.
    assert.ok(telling >= FUNNELS.length / 3, `telling funnels: ${telling}`);
  });

  test('breakdowns: the rows (top values, other, not set) equal the core\'s', () => {
    const defs = FUNNELS.filter((d) => d.breakdown);
    const kinds = new Set();
    for (const def of defs) {
      const core = bridge.run(def);
      assert.equal(core.ok, true, JSON.stringify(core.errors));
      const want = core.breakdown.map((b) => ({ row: b.row, value: b.value, steps: b.steps.map((s) => s.users) }));
      const { breakdown, sql } = sqlBreakdown(bridge, db, def);
      assert.deepEqual(breakdown, want, `${JSON.stringify(def)}\n${sql}`);
      for (const b of want) kinds.add(b.row);
    }
    assert.ok(defs.length >= 20, `funnels with a breakdown: ${defs.length}`);
    assert.deepEqual([...kinds].sort(), ['not_set', 'other', 'value'], 'every kind of row was compared');
    // Every mode with a property breakdown (the counted attempt's step-1 event), one by hand each.
    for (const order of ['ordered', 'strict', 'unordered']) {
      const def = { segx: 1, kind: 'funnel', order, steps: [{ event: 'view_item' }, { event: 'add_to_cart' }, { event: 'purchase' }],
        window: { days: 2 }, breakdown: { property: 'category', top: 2 } };
      const core = bridge.run(def).breakdown.map((b) => ({ row: b.row, value: b.value, steps: b.steps.map((s) => s.users) }));
      assert.ok(core.length >= 3, order);
      assert.deepEqual(sqlBreakdown(bridge, db, def).breakdown, core, order);
    }
  });

  test('hand-written funnels: repeated steps, ties, exclusions that are steps, long funnels', () => {
    const ties = HAND.filter((d) => d.name.startsWith('tie')).map((d) => coreSteps(bridge, d)[1]);
    assert.ok(ties[0] > 0 && ties[1] < ties[0] && ties[2] > 0, `the tie rule decides: ${ties}`);
    for (const def of HAND) {
      const core = coreSteps(bridge, def);
      assert.ok(core[0] > 0, def.name);
      const { users, sql } = sqlSteps(bridge, db, def);
      assert.deepEqual(users, core, `${def.name}\n${sql}`);
    }
  });

  test('an earlier as-of: both engines see nothing after it', () => {
    bridge.setAsOf(Date.UTC(2026, 3, 20, 6, 0) * 1000);
    try {
      for (const def of [...FUNNELS.slice(0, 18), ...HAND]) assert.deepEqual(sqlSteps(bridge, db, def).users, coreSteps(bridge, def), JSON.stringify(def));
    } finally {
      bridge.setAsOf(NaN);
    }
  });

  test('audiences with funnel rules: members equal', () => {
    let nonEmpty = 0;
    for (const f of FUNNELS.slice(0, 6)) {
      for (const [form, k] of [['reached', 1], ['reached', 2], ['dropped_after', 1], ['reached', f.steps.length], ['dropped_after', f.steps.length - 1]]) {
        const def = { segx: 1, name: `${form} ${k} of ${f.id}`, root: { match: 'all', rules: [{ kind: 'funnel', funnel: f.id, [form]: k }] } };
        const core = bridge.run(def, { members: true });
        assert.equal(core.ok, true, JSON.stringify(core.errors));
        const compiled = bridge.sql(def);
        assert.equal(compiled.ok, true, JSON.stringify(compiled.errors));
        assert.deepEqual(runSql(db, compiled.sql), [...core.members].sort(), compiled.sql);
        if (core.size > 0) nonEmpty++;
      }
    }
    // Mixed with other rules, negated, and two funnels in one audience.
    const mixed = { segx: 1, name: 'mixed', root: { match: 'any', rules: [
      { kind: 'group', match: 'all', negate: true, rules: [{ kind: 'funnel', funnel: 'g0', reached: 2 }] },
      { kind: 'group', match: 'all', rules: [{ kind: 'funnel', funnel: 'g1', dropped_after: 1 }, { kind: 'property', attribute: 'plan', op: 'eq', value: 'plus' }] }] } };
    const core = bridge.run(mixed, { members: true });
    assert.equal(core.ok, true, JSON.stringify(core.errors));
    assert.deepEqual(runSql(db, bridge.sql(mixed).sql), [...core.members].sort());
    assert.ok(nonEmpty >= 15, `non-empty funnel audiences: ${nonEmpty}`);
  });

  test('hostile names and values: one safe statement, or the core\'s errors', () => {
    const before = runSql(db, 'SELECT CAST(count(*) AS VARCHAR) AS user_id FROM events');
    const evil = { segx: 1, kind: 'funnel', name: `x */ ; DROP TABLE events; --\n`, steps: [
      { event: 'view_item', where: [{ property: 'category', op: 'neq', value: `'); DROP TABLE events; --` }] },
      { event: 'purchase', where: [{ property: 'currency', op: 'not_in', values: [`a'\n;DELETE FROM events;--`] }] }] };
    assert.deepEqual(sqlSteps(bridge, db, evil).users, coreSteps(bridge, evil));
    const unknown = { segx: 1, kind: 'funnel', steps: [{ event: `purchase'); DROP TABLE events; --` }, { event: 'purchase', where: [{ property: 'x" FROM users; --', op: 'eq', value: 1 }] }] };
    const compiled = bridge.sql(unknown);
    assert.equal(compiled.ok, false);
    assert.deepEqual(compiled.errors, bridge.run(unknown).errors);
    assert.deepEqual(runSql(db, 'SELECT CAST(count(*) AS VARCHAR) AS user_id FROM events'), before);
  });
});
