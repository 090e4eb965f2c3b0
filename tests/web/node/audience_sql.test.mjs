// The audience → SQL compiler as a differential oracle: for every definition below, the members
// the WASM core evaluates (bridge.run) equal the rows DuckDB returns for the SQL the core compiles
// (bridge.sql), over the demo data loaded through the real loader. The `users` and `events`
// tables are built from the loaded files as src/core/sql/audience_sql.h documents them
// (tests/web/support/contract_tables.mjs).
// Every statement is run through prepare(), which refuses more than one statement.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';

import { loadAll, runSql } from '../support/contract_tables.mjs';
import { repo, setSavedAudiences, startCore, startDuckDB, utf8 } from '../support/node_env.mjs';

const doc = (name, root) => ({ segx: 1, id: name.replace(/\W+/g, '-'), name, root });
const all = (...rules) => ({ kind: 'group', match: 'all', rules });
const any = (...rules) => ({ kind: 'group', match: 'any', rules });
const prop = (attribute, op, v, extra = {}) => ({ kind: 'property', attribute, op, ...(Array.isArray(v) ? { values: v } : v === undefined ? {} : { value: v }), ...extra });
const did = (event, extra = {}) => ({ kind: 'behavior', event, ...extra });
const where = (property, op, v, extra = {}) => ({ property, op, ...(Array.isArray(v) ? { values: v } : v === undefined ? {} : { value: v }), ...extra });
const sum = (op, v, of = 'revenue', property) => ({ aggregate: { fn: 'sum', of, ...(property ? { property } : {}), op, ...(Array.isArray(v) ? { values: v } : { value: v }) } });
const agg = (fn, op, v, property) => ({ aggregate: { fn, of: property ? 'property' : 'revenue', ...(property ? { property } : {}), op, ...(Array.isArray(v) ? { values: v } : { value: v }) } });

// Asserts core members == DuckDB rows; returns the size.
function same(bridge, db, def) {
  const core = bridge.run(def, { members: true });
  assert.equal(core.ok, true, JSON.stringify(core.errors));
  const compiled = bridge.sql(def);
  assert.equal(compiled.ok, true, JSON.stringify(compiled.errors));
  const rows = runSql(db, compiled.sql);
  assert.deepEqual([...rows].sort(), [...core.members].sort(), compiled.sql);
  assert.deepEqual(rows, [...rows].sort(), 'ORDER BY user_id');
  return core.size;
}

// ---- the demo corpus -----------------------------------------------------------------------

const PROPERTY = [
  doc('eq', all(prop('country', 'eq', 'China'))),
  doc('neq excludes nulls', all(prop('country', 'neq', 'China'))),
  doc('in', all(prop('country', 'in', ['China', 'Japan', 'Nowhere']))),
  doc('not_in excludes nulls', all(prop('country', 'not_in', ['United States', 'India']))),
  doc('contains', all(prop('city', 'contains', 'o'))),
  doc('not_contains', all(prop('city', 'not_contains', ','))),
  doc('starts_with Chinese', all(prop('city', 'starts_with', '上'))),
  doc('ci eq', all(prop('channel', 'eq', 'EMAIL', { ci: true }))),
  doc('ci in', all(prop('channel', 'in', ['Email', 'REFERRAL'], { ci: true }))),
  doc('ci contains', all(prop('channel', 'contains', 'SEARCH', { ci: true }))),
  // ASCII folding only: "MÜNCHEN" does not fold to "münchen", "MüNCHEN" does.
  doc('ci folds ASCII only', any(prop('city', 'eq', 'MÜNCHEN', { ci: true }), prop('city', 'eq', 'MüNCHEN', { ci: true }))),
  doc('ci starts_with', all(prop('city', 'starts_with', 'SãO', { ci: true }))),
  doc('string gt', all(prop('age_band', 'gt', '35'))),
  doc('string lte', all(prop('age_band', 'lte', '35-44'))),
  doc('string between', all(prop('age_band', 'between', ['25-34', '45-54']))),
  doc('string ordering is bytes', all(prop('city', 'gt', 'Z'))),
  doc('date gte', all(prop('signup_date', 'gte', '2026-01-01'))),
  doc('date lt', all(prop('signup_date', 'lt', '2025-12-01'))),
  doc('date gt (exclusive)', all(prop('signup_date', 'gt', '2026-03-15'))),
  doc('date lte with a time', all(prop('signup_date', 'lte', '2026-03-15T12:00:00+08:00'))),
  doc('date between', all(prop('signup_date', 'between', ['2026-03-01', '2026-05-31']))),
  doc('date eq', all(prop('signup_date', 'eq', '2026-02-14'))),
  doc('bool eq', all(prop('email_opt_in', 'eq', true))),
  doc('bool neq', all(prop('email_opt_in', 'neq', true))),
  doc('bool in', all(prop('email_opt_in', 'in', [false]))),
  doc('is_set', all(prop('city', 'is_set'))),
  doc('is_not_set', all(prop('age_band', 'is_not_set'))),
  doc('empty string is a value', all(prop('city', 'neq', ''))),
];

const GROUPS = [
  doc('nested groups and negate', all(
    any(prop('country', 'eq', 'China'), prop('country', 'eq', 'Japan')),
    { kind: 'group', match: 'all', negate: true, rules: [prop('plan', 'eq', 'free')] },
  )),
  doc('negated group includes nulls', all({ kind: 'group', match: 'any', negate: true, rules: [prop('country', 'eq', 'China'), prop('age_band', 'eq', '18-24')] })),
  doc('deep nesting', any(all(prop('device', 'eq', 'mobile'), any(prop('plan', 'eq', 'plus'), all(prop('channel', 'eq', 'social'), { kind: 'group', match: 'any', negate: true, rules: [prop('city', 'is_set')] }))), prop('country', 'eq', 'Brazil'))),
  doc('empty all inside any', any(all(), prop('country', 'eq', 'China'))),
  doc('empty any inside all', all(prop('country', 'eq', 'China'), any())),
  doc('negated empty any', all({ kind: 'group', match: 'any', negate: true, rules: [] }, prop('plan', 'eq', 'plus'))),
];

const BEHAVIOR = [
  doc('did in the last 30 days', all(did('purchase', { window: { last_days: 30 } }))),
  doc('did not, from/to', all(did('purchase', { did: false, window: { from: '2026-07-01', to: '2026-10-01T00:00:00Z' } }))),
  doc('count gte with a filter', all(did('view_item', { where: [where('category', 'eq', 'Electronics')], count: { op: 'gte', value: 3 } }))),
  doc('count between, last_days, starts_with filter', all(did('search', { where: [where('page', 'starts_with', '/search?q=')], window: { last_days: 90 }, count: { op: 'between', values: [1, 20] } }))),
  doc('count eq', all(did('add_to_cart', { count: { op: 'eq', value: 2 } }))),
  doc('count lte includes zero', all(did('add_to_cart', { window: { last_days: 60 }, count: { op: 'lte', value: 1 } }))),
  doc('count eq 0', all(did('purchase', { count: { op: 'eq', value: 0 } }))),
  doc('did false with a count', all(did('page_view', { did: false, count: { op: 'gte', value: 10 } }))),
  doc('window from only', all(did('begin_checkout', { window: { from: '2026-09-15' } }))),
  doc('window to only', all(did('begin_checkout', { window: { to: '2026-01-15T12:00:00+08:00' } }))),
  doc('window to past as-of', all(did('purchase', { window: { from: '2026-10-20', to: '2027-01-01' }, count: { op: 'gte', value: 2 } }))),
  doc('BIGINT and in filters', all(did('page_view', { where: [where('device', 'in', ['desktop', 'tablet']), where('session_id', 'gt', 4000.5)], count: { op: 'gte', value: 2 } }))),
  doc('filters: ci, not_in, not_contains, is_not_set', all(did('page_view', { where: [where('page', 'contains', 'BLOG', { ci: true }), where('device', 'not_in', ['mobile']), where('page', 'not_contains', 'fashion'), where('item_id', 'is_not_set')] }))),
  doc('filter neq on a property null on other sources', all(did('purchase', { where: [where('currency', 'neq', 'EUR')], count: { op: 'gte', value: 3 } }))),
  doc('filter is_set', all(did('purchase', { where: [where('items', 'is_set')], count: { op: 'between', values: [2, 4] } }))),
  doc('sum of revenue', all(did('purchase', sum('gte', 200)))),
  doc('sum of revenue in a window', all(did('purchase', { window: { last_days: 120 }, ...sum('lt', 60) }))),
  doc('avg of revenue between', all(did('purchase', agg('avg', 'between', [30, 60])))),
  doc('min of revenue', all(did('purchase', agg('min', 'lt', 20)))),
  doc('max of revenue', all(did('purchase', { window: { last_days: 180 }, ...agg('max', 'gt', 150) }))),
  doc('neq of revenue', all(did('purchase', agg('max', 'neq', 18.99)))),
  doc('revenue of another event is NULL', any(did('view_item', sum('gte', 0)), prop('country', 'eq', 'France'))),
  doc('sum of a BIGINT property', all(did('purchase', sum('gte', 6, 'property', 'items')))),
  doc('avg of a BIGINT property with a filter', all(did('purchase', { where: [where('category', 'in', ['Home', 'Books'])], ...agg('avg', 'gt', 1.5, 'items') }))),
  doc('min of session_id', all(did('search', { window: { last_days: 45 }, ...agg('min', 'lte', 8000, 'session_id') }))),
  doc('first purchase in the last 60 days', all(did('purchase', { occurrence: 'first', window: { last_days: 60 } }))),
  doc('last purchase in a range', all(did('purchase', { occurrence: 'last', window: { from: '2026-04-01', to: '2026-07-01' } }))),
  doc('first view_item with a filter, to only', all(did('view_item', { occurrence: 'first', where: [where('category', 'eq', 'Books')], window: { to: '2026-02-01' } }))),
  doc('last search, all time', all(did('search', { occurrence: 'last' }))),
  // Count units: distinct orders (an event without an order id is its own order) and UTC days.
  doc('count of orders', all(did('purchase', { count: { op: 'gte', value: 3, unit: 'orders' } }))),
  doc('orders in a window, between', all(did('purchase', { window: { last_days: 180 }, count: { op: 'between', values: [2, 4], unit: 'orders' } }))),
  doc('orders of events without order ids are the events', all(did('view_item', { count: { op: 'gte', value: 12, unit: 'orders' } }))),
  doc('count of days with a filter', all(did('page_view', { where: [where('device', 'eq', 'mobile')], window: { last_days: 120 }, count: { op: 'between', values: [2, 5], unit: 'days' } }))),
  doc('days eq, all time', all(did('search', { count: { op: 'eq', value: 3, unit: 'days' } }))),
  doc('did not, days lte', all(did('view_item', { did: false, window: { from: '2026-03-01', to: '2026-09-01' }, count: { op: 'lte', value: 1, unit: 'days' } }))),
  doc('mixed', all(
    prop('channel', 'in', ['email', 'referral']),
    prop('city', 'is_set'),
    did('view_item', { count: { op: 'gte', value: 3 } }),
    { kind: 'group', match: 'any', negate: true, rules: [did('purchase', { window: { last_days: 90 } })] },
  )),
];

const SAVED = [
  doc('china', all(prop('country', 'eq', 'China'))),
  doc('buyers', all(did('purchase'))),
  doc('china buyers', all({ kind: 'audience', op: 'in', id: 'china' }, { kind: 'audience', op: 'in', id: 'buyers' })),
];
const REFERENCES = [
  doc('in a nested reference', all({ kind: 'audience', op: 'in', id: 'china-buyers' }, prop('plan', 'eq', 'plus'))),
  doc('not_in', all({ kind: 'audience', op: 'not_in', id: 'buyers' })),
  doc('referenced twice', any({ kind: 'audience', op: 'in', id: 'china' }, all({ kind: 'audience', op: 'not_in', id: 'china' }, { kind: 'audience', op: 'in', id: 'china-buyers' }), prop('country', 'eq', 'Japan'))),
];

// Definitions whose answer is all or nobody by design.
const TRIVIAL = new Set(['empty-all-inside-any', 'empty-any-inside-all', 'revenue-of-another-event-is-NULL']);

describe('audience SQL over the demo data equals the core', () => {
  let bridge, db;
  before(async () => {
    bridge = await startCore();
    db = await startDuckDB();
    await loadAll(bridge, db, ['users.csv', 'orders.csv', 'events.csv'].map((n) => [n, readFileSync(join(repo, 'data/demo', n))]));
    setSavedAudiences(bridge, SAVED);
  });

  test('the contract tables hold what the core holds', () => {
    const o = bridge.state('overview');
    const one = (sql) => Number(Object.values(db.query(sql).toArray()[0].toJSON())[0]);
    assert.equal(one('SELECT count(*) FROM (SELECT user_id FROM users UNION SELECT user_id FROM events)'), o.users);
    assert.equal(one('SELECT count(*) FROM events'), o.events);
    assert.equal(Math.round(one('SELECT sum(revenue) FROM events') * 100), Math.round(o.revenue * 100));
  });

  for (const [group, defs] of [['property', PROPERTY], ['group', GROUPS], ['behavior', BEHAVIOR], ['reference', REFERENCES]]) {
    for (const def of defs) {
      test(`${group}: ${def.name}`, () => {
        const size = same(bridge, db, def);
        if (!TRIVIAL.has(def.id)) assert.ok(size > 0 && size < 2000, `a telling definition matches some users, not all: ${size}`);
      });
    }
  }

  test('an earlier as-of: behavior rules see nothing after it, in both engines', () => {
    bridge.setAsOf(Date.UTC(2026, 5, 15, 12, 30) * 1000);
    try {
      assert.equal(bridge.state('as_of'), '2026-06-15 12:30:00');
      for (const def of BEHAVIOR) same(bridge, db, def);
      for (const def of REFERENCES) same(bridge, db, def);
    } finally {
      bridge.setAsOf(NaN);
    }
  });

  test('the header names the audience and the as-of; the statement is readable, one rule per line', () => {
    const { sql } = bridge.sql(GROUPS[0]);
    assert.match(sql, /^-- segx audience "nested groups and negate" as of 2026-10-31T23:51:45Z\n/);
    assert.match(sql, /\n {4}COALESCE\("u"\."country" = 'China', FALSE\)\n {4}OR COALESCE\("u"\."country" = 'Japan', FALSE\)\n/);
  });

  test('hostile names and values: errors like evaluation, or one safe statement that matches', () => {
    const counts = () => runSql(db, 'SELECT CAST(count(*) AS VARCHAR) AS user_id FROM users UNION ALL SELECT CAST(count(*) AS VARCHAR) FROM events');
    const before = counts();
    // Unknown names are errors, with the same paths and messages as evaluation.
    for (const def of [
      doc('hostile attribute', all(prop(`'); DROP TABLE users; --`, 'is_set'))),
      doc('hostile event', all(did(`purchase'); DROP TABLE events; --`))),
      doc('hostile property', all(did('purchase', { where: [where('x" FROM users; --', 'eq', 'y')] }))),
      doc('hostile reference', all({ kind: 'audience', op: 'in', id: `"); DROP TABLE users; --` })),
    ]) {
      const compiled = bridge.sql(def);
      assert.equal(compiled.ok, false);
      assert.equal(compiled.sql, undefined);
      assert.deepEqual(compiled.errors, bridge.run(def).errors);
    }
    // Hostile values and names of the definition itself: one statement, same members.
    const evil = { ...doc('x', all(prop('country', 'not_in', [`'); DROP TABLE users; --`, `a'\n;DELETE FROM events;\u0000--`]), did('purchase', { where: [where('category', 'neq', `'||(SELECT 1)||'`)] }))),
      name: `Evil */ name\n; DROP TABLE users; --\r\u2028` };
    assert.ok(same(bridge, db, evil) > 0);
    assert.equal(bridge.sql(evil).sql.split('\n')[0], `-- segx audience "Evil */ name\\u000A; DROP TABLE users; --\\u000D\\u2028" as of 2026-10-31T23:51:45Z`);
    const evilId = `"); DROP TABLE users; --\n*/`;
    setSavedAudiences(bridge, [...SAVED, { segx: 1, id: evilId, name: 'evil id', root: all(prop('plan', 'eq', 'plus')) }]);
    try {
      const ref = doc('hostile id', all({ kind: 'audience', op: 'not_in', id: evilId }, prop('device', 'eq', 'mobile')));
      assert.ok(same(bridge, db, ref) > 0);
      assert.match(bridge.sql(ref).sql, /\n {2}-- audience "\\"\); DROP TABLE users; --\\u000A\*\/"\n/);
    } finally {
      setSavedAudiences(bridge, SAVED);
    }
    assert.deepEqual(counts(), before);
  });
});

// ---- hostile column names in the data itself -----------------------------------------------

describe('audience SQL over files with hostile column names equals the core', () => {
  let bridge, db;
  before(async () => {
    bridge = await startCore();
    db = await startDuckDB();
    const users = 'user_id,"we""ird","\'); DROP TABLE users; --",城市,SELECT\n' +
      'u1,a,p,上海,1\nu2,b,,北京,2\nu3,"c\'d",q,,3\nu5,"",r,上海,4\n';
    const events = 'user_id,event,timestamp,"pa""ge",属性\n' +
      'u1,"x\'); DROP TABLE events; --",2026-01-01 10:00:00,/a,1.5\n' +
      'u2,view,2026-01-02 10:00:00,/b,2.5\n' +
      'u2,"x\'); DROP TABLE events; --",2026-01-02 11:00:00,/a,4\n' +
      'u4,view,2026-01-03 10:00:00,,3\n';
    await loadAll(bridge, db, [['crm "users".csv', utf8(users)], ['ev\'ents.csv', utf8(events)]]);
  });

  const DEFS = [
    doc('quote in a name', all(prop('we"ird', 'eq', "c'd"))),
    doc('SQL in a name', all(prop(`'); DROP TABLE users; --`, 'is_set'))),
    doc('Chinese name', all(prop('城市', 'eq', '上海'))),
    doc('keyword name', all(prop('SELECT', 'gt', 1.5))),
    doc('hostile event and property', all(did(`x'); DROP TABLE events; --`, { where: [where('pa"ge', 'eq', '/a')], count: { op: 'eq', value: 1 } }))),
    doc('Chinese property', all(did('view', sum('gte', 2.6, 'property', '属性')))),
    doc('negated', all({ kind: 'group', match: 'all', negate: true, rules: [prop('we"ird', 'in', ['a', ''])] })),
  ];
  for (const def of DEFS) {
    test(def.name, () => {
      const size = same(bridge, db, def);
      assert.ok(size > 0 && size < 5, `matches some users: ${size}`);
    });
  }
});
