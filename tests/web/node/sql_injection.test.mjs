// SQL injection, across every compiler: a shop whose every user-chosen name — attribute and
// property columns, event names, values, user and order ids, saved audience and funnel ids,
// RFM segment names, definition names — carries SQL's special characters (quotes of both kinds,
// comment openers, semicolons with a second statement, backslashes, LIKE wildcards, Chinese
// beside a quote). For an audience of each rule kind, a funnel, RFM, retention, lifecycle and
// the board, the SQL the core compiles must be one statement (prepare refuses more), run, agree
// with the core's own answer, and leave the canary table DuckDB holds beside the data untouched.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { loadAll, runSql } from '../support/contract_tables.mjs';
import { startCore, startDuckDB, utf8 } from '../support/node_env.mjs';
import { day, sqlRows } from '../support/rng.mjs';

// Each would end the literal or identifier it sits in if the compiler did not quote it.
const HOSTILE = [
  "it's",
  'say "hi"',
  'a\\b',
  "x'); DROP TABLE canary; --",
  'y" OR 1=1 --',
  '/* open',
  'semi;colon',
  '100%_like',
  "新年'特惠",
  '$1 ?',
];
const PLAN = "pl'an";                   // a user attribute column
const CITY = 'ci"ty';                   // another, with a double quote
const DROP = 'x"); DROP TABLE canary; --'; // a column named like an attack
const PROP = "pro'p */ --";             // an event property column
const BUY = "buy'; DROP TABLE canary; --";
const VIEW = 'view "item"';

const csvField = (v) => {
  const s = String(v ?? '');
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
const csv = (rows) => rows.map((r) => r.map(csvField).join(',')).join('\n') + '\n';

// Deterministic: 60 users whose ids carry quotes too, 3 months of events.
function hostileShop() {
  const ids = Array.from({ length: 60 }, (_, i) => (i % 4 === 0 ? `u'${i}` : i % 4 === 1 ? `u"${i}` : `u${i}`));
  const users = [['user_id', PLAN, CITY, DROP, 'signup_date']];
  ids.forEach((id, i) => users.push([id, HOSTILE[i % HOSTILE.length], HOSTILE[(i * 3) % HOSTILE.length], i % 2 ? 'yes' : "n'o", `2026-0${1 + (i % 3)}-1${i % 10}`]));
  const events = [['user_id', 'event', 'timestamp', PROP, 'order_id']];
  const orders = [['order_id', 'user_id', 'order_time', 'amount']];
  const stamp = (d, h) => `2026-${String(1 + Math.floor(d / 28)).padStart(2, '0')}-${String(1 + (d % 28)).padStart(2, '0')} ${String(h).padStart(2, '0')}:00:00`;
  let order = 0;
  ids.forEach((id, i) => {
    for (let k = 0; k < 1 + (i % 7); k++) {
      const d = (i * 5 + k * 11) % 84, h = (i + k) % 24;
      events.push([id, k % 3 === 2 ? HOSTILE[(i + k) % HOSTILE.length] : VIEW, stamp(d, h), HOSTILE[(i * k) % HOSTILE.length], '']);
      if ((i + k) % 3 === 0) {
        const oid = `o'${++order}"`;
        events.push([id, BUY, stamp(d, (h + 1) % 24), HOSTILE[k % HOSTILE.length], oid]);
        orders.push([oid, id, stamp(d, (h + 1) % 24), ((i * 37 + k * 13) % 200) + 0.5]);
      }
    }
  });
  return [['users.csv', utf8(csv(users))], ['events.csv', utf8(csv(events))], ['orders.csv', utf8(csv(orders))]];
}

const SAVED_AUDIENCE = { segx: 1, id: "a'1; --", name: 'saved "one"', root: { match: 'all', rules: [{ kind: 'property', attribute: PLAN, op: 'in', values: HOSTILE.slice(0, 5) }] } };
const SAVED_FUNNEL = { segx: 1, kind: 'funnel', id: 'f"1\'', name: "funnel'; --", steps: [{ event: VIEW }, { event: BUY }] };
const SEGMENTS = [
  { name: "Champ'ions", r: [4, 5], f: [1, 5], m: [1, 5] },
  { name: 'Rest"; DROP TABLE canary; --', r: [1, 3], f: [1, 5], m: [1, 5] },
];
const SAVED_RFM = { segx: 1, kind: 'rfm', id: "r'fm\"; --", name: 'rfm "saved"', segments: SEGMENTS };

// One audience per rule kind, every operator's literal hostile.
function audiences() {
  const prop = (attribute, op, extra) => ({ kind: 'property', attribute, op, ...extra });
  const all = (...rules) => ({ segx: 1, name: "aud'ience", root: { match: 'all', rules } });
  const out = [];
  for (const v of HOSTILE) {
    out.push(all(prop(PLAN, 'eq', { value: v })));
    out.push(all(prop(CITY, 'neq', { value: v })));
    out.push(all(prop(PLAN, 'contains', { value: v.slice(0, 3) })));
    out.push(all(prop(CITY, 'starts_with', { value: v.slice(0, 2) })));
    out.push(all({ kind: 'behavior', event: HOSTILE[HOSTILE.indexOf(v)], where: [{ property: PROP, op: 'neq', value: v }] }));
  }
  out.push(all(prop(PLAN, 'in', { values: HOSTILE }), prop(DROP, 'eq', { value: "n'o" })));
  out.push(all({ kind: 'behavior', event: BUY, count: { op: 'gte', value: 2, unit: 'orders' }, where: [{ property: PROP, op: 'in', values: HOSTILE }] }));
  out.push(all({ kind: 'behavior', event: VIEW, window: { last_days: 30 }, where: [{ property: PROP, op: 'contains', value: "'" }] }));
  out.push(all({ kind: 'audience', op: 'in', id: SAVED_AUDIENCE.id }));
  out.push(all({ kind: 'funnel', funnel: SAVED_FUNNEL.id, reached: 2 }));
  out.push(all({ kind: 'rfm', rfm: SAVED_RFM.id, segments: [SEGMENTS[0].name] }));
  out.push(all({ kind: 'rfm', rfm: SAVED_RFM.id, r: [2, 5], f: [1, 3] }));
  out.push(all({ kind: 'lifecycle', stage: 'new', period: 'month', event: BUY }));
  return out;
}

describe('every compiler quotes every name and value it is given', () => {
  let bridge, db;
  before(async () => {
    bridge = await startCore();
    db = await startDuckDB();
    await loadAll(bridge, db, hostileShop());
    db.query('CREATE TABLE canary AS SELECT 42 AS alive');
    const ws = { segx: 1, audiences: { [SAVED_AUDIENCE.id]: SAVED_AUDIENCE }, funnels: { [SAVED_FUNNEL.id]: SAVED_FUNNEL }, rfms: { [SAVED_RFM.id]: SAVED_RFM } };
    const r = bridge.loadWorkspace(JSON.stringify(ws));
    assert.ok(r.ok, r.problem);
  });

  const canaryAlive = () => assert.deepEqual(sqlRows(db, 'SELECT alive FROM canary'), [{ alive: 42 }]);
  const compile = (def) => {
    const c = bridge.sql(def);
    assert.equal(c.ok, true, `${JSON.stringify(def)}\n${JSON.stringify(c.errors)}`);
    return c.sql;
  };

  test('the shop loaded with its hostile names intact', () => {
    const s = bridge.state();
    assert.ok(s.overview.users >= 60, JSON.stringify(s.overview));
    assert.ok(s.overview.orders >= 20 && s.overview.attributes.length >= 4, JSON.stringify(s.overview));
    const names = sqlRows(db, 'SELECT DISTINCT event FROM events').map((r) => r.event);
    for (const n of [BUY, VIEW, ...HOSTILE.slice(0, 3)]) assert.ok(names.includes(n), n);
  });

  test('audiences of every rule kind: the same members, one statement each', () => {
    let nonEmpty = 0;
    for (const def of audiences()) {
      const core = bridge.run(def, { members: true });
      assert.equal(core.ok, true, `${JSON.stringify(def)}\n${JSON.stringify(core.errors)}`);
      const sql = runSql(db, compile(def)).sort();
      assert.deepEqual(sql, [...core.members].sort(), JSON.stringify(def));
      if (sql.length) nonEmpty++;
      canaryAlive();
    }
    assert.ok(nonEmpty >= 25, `audiences with members: ${nonEmpty}`); // the comparisons are telling
  });

  test('a funnel with hostile steps, filters and a breakdown: the same step counts', () => {
    for (const breakdown of [undefined, { attribute: CITY }, { property: PROP }]) {
      const def = { ...SAVED_FUNNEL, id: undefined, steps: [{ event: VIEW, where: [{ property: PROP, op: 'neq', value: HOSTILE[3] }] }, { event: BUY }], breakdown,
        audience: { match: 'any', rules: [{ kind: 'property', attribute: DROP, op: 'eq', value: "n'o" }, { kind: 'property', attribute: PLAN, op: 'eq', value: HOSTILE[0] }] } };
      const core = bridge.run(def);
      assert.equal(core.ok, true, JSON.stringify(core.errors));
      const rows = sqlRows(db, compile(def));
      const steps = breakdown ? core.steps.map((_, k) => rows.filter((r) => Number(r.step) === k + 1).reduce((n, r) => n + Number(r.users), 0)) : rows.map((r) => Number(r.users));
      assert.deepEqual(steps, core.steps.map((s) => s.users), JSON.stringify(breakdown));
      assert.ok(core.steps[0].users > 0);
      canaryAlive();
    }
  });

  test('RFM with hostile segment names: every customer in the same segment', () => {
    const def = { ...SAVED_RFM, id: undefined };
    const core = bridge.run(def, { members: true });
    assert.equal(core.ok, true, JSON.stringify(core.errors));
    const want = core.members.user_id.map((id, i) => `${id}|${core.members.segment[i]}`).sort();
    const got = sqlRows(db, compile(def)).map((r) => `${r.user_id}|${r.segment}`).sort();
    assert.deepEqual(got, want);
    assert.ok(new Set(core.members.segment).size === 2);
    canaryAlive();
  });

  test('retention, lifecycle and the board over hostile events: the same cells', () => {
    const ret = { segx: 1, kind: 'retention', name: "ret'", period: 'week', start: { event: VIEW }, return: { event: BUY }, periods: 8,
      audience: { match: 'all', rules: [{ kind: 'property', attribute: CITY, op: 'neq', value: HOSTILE[4] }] } };
    const core = bridge.run(ret);
    assert.equal(core.ok, true, JSON.stringify(core.errors));
    const cells = core.cohorts.flatMap((c) => c.counts.map((users, k) => `${c.start}|${k}|${users}`));
    const got = sqlRows(db, compile(ret)).map((r) => `${day(r.cohort)}|${r.period}|${r.users}`);
    assert.deepEqual(got, cells);
    canaryAlive();

    const life = { segx: 1, kind: 'lifecycle', name: 'life"', period: 'month', event: BUY };
    const lc = bridge.run(life);
    assert.equal(lc.ok, true, JSON.stringify(lc.errors));
    const want = lc.periods.map((p) => `${p.start}|${p.new}|${p.returning}|${p.resurrecting}|${p.dormant}`);
    assert.deepEqual(sqlRows(db, compile(life)).map((r) => `${day(r.period)}|${r.new}|${r.returning}|${r.resurrecting}|${r.dormant}`), want);
    canaryAlive();

    const board = { segx: 1, kind: 'board', name: "board'; --", event: BUY, dormant_days: 30 };
    const b = bridge.run(board);
    assert.equal(b.ok, true, JSON.stringify(b.errors));
    const rows = sqlRows(db, compile(board));
    for (const g of ['new', 'returning', 'dormant']) {
      const r = rows.find((x) => x.window === 'current' && x.group === g);
      assert.equal(r.pool, b.groups[g].pool, g);
      assert.equal(r.buyers, b.groups[g].buyers, g);
    }
    canaryAlive();
  });
});
