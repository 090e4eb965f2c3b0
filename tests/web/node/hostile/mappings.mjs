// Hostile mappings (a mapping may come from a shared workspace): each refused with a problem
// naming the key, the file's earlier mapped rows kept; none reaches outside the file.
import assert from 'node:assert/strict';

const kFile = { name: 'm.csv', bytes: 'user_id,order_id,time,amount,qty\nu1,o1,2024-03-01 10:00:00,10,2\nu2,o2,2024-03-02 10:00:00,20,1\n' };
const good = { kind: 'orders', user_id: 'user_id', time: 'time', time_format: 'auto', tz_offset_minutes: 0, event: null, event_constant: 'purchase', revenue: 'amount', revenue_expr: null, order_id: 'order_id', filter: null, columns: [] };

// Loads m.csv, applies `patch` over the good mapping, and returns the outcome; the source's
// mapped rows must still be the good ones afterwards.
const mapping = (name, patch, pattern) => ({
  name: `mapping: ${name}`,
  run: async (ctx) => {
    const loaded = await ctx.load(kFile, { mapping: { ...good, source: 'm.csv' } });
    assert.ok(loaded.ok, loaded.error);
    const before = ctx.bridge.state('overview');
    const r = await ctx.loads.editMapping('m.csv', { ...good, ...patch }, true);
    const after = ctx.bridge.state('overview');
    return { ...r, message: (r.problems || []).join('; '), loaded: ['m.csv'], before, after };
  },
  error: pattern,
  check: (r) => assert.deepEqual([r.after.orders, r.after.revenue], [r.before.orders, r.before.revenue], 'the earlier mapping stays'),
});

export const mappingCases = [
  mapping('read_csv of a URL', { revenue_expr: "read_csv('http://127.0.0.1:9/x')" }, /"read_csv" is not allowed/),
  mapping('a URL in a string', { filter: "\"user_id\" = 'http://127.0.0.1:9/'" }, /URLs are not allowed/),
  mapping('a subquery', { filter: '(SELECT count(*) FROM "m.csv") > 0' }, /"SELECT" is not allowed/),
  mapping('a second statement', { filter: 'true; DROP TABLE "events.csv"' }, /";" is not allowed/),
  mapping('a comment hiding the rest', { filter: 'true --' }, /"--" is not allowed/),
  mapping('ATTACH', { revenue_expr: "attach('x')" }, /"attach" is not allowed/),
  mapping('COPY', { filter: "copy" }, /"copy" is not allowed/),
  mapping('INSTALL', { filter: 'install' }, /"install" is not allowed/),
  mapping('repeat of 2e9 characters', { revenue_expr: "length(repeat('x', 2000000000))" }, /"repeat" is not allowed/),
  mapping('range of 1e12', { revenue_expr: 'len(range(1000000000000))' }, /"range" is not allowed/),
  mapping('getenv', { filter: "getenv('HOME') IS NOT NULL" }, /"getenv" is not allowed/),
  mapping('current_setting', { filter: "current_setting('enable_external_access')" }, /"current_setting" is not allowed/),
  mapping('a dollar-quoted string', { filter: '$$x$$ = \'x\'' }, /"\$" is not allowed/),
  mapping('an escape string', { filter: "E'\\'' = 'x'" }, /escape strings/),
  mapping('an unknown column', { revenue: 'nope' }, /revenue: no column named "nope"/),
  mapping('an unknown kind', { kind: 'sessions' }, /kind/),
  mapping('an unknown time format', { time_format: 'klingon' }, /time_format/),
  mapping('a huge time zone offset', { tz_offset_minutes: 1e12 }, /tz_offset_minutes/),
  mapping('a non-text user id', { user_id: 42 }, /user_id: expected text/),
  mapping('an expression longer than 2000 characters', { filter: '1 = 1 AND '.repeat(300) + 'true' }, /longer than 2000/),
  mapping('a filter DuckDB refuses', { filter: 'no_such_function("qty")' }, /filter: the expression could not run/),
  mapping('a revenue expression DuckDB refuses', { revenue: null, revenue_expr: '"qty" *** 2' }, /revenue_expr/),
  { ...mapping('a division by zero', { revenue: null, revenue_expr: '"amount" / 0' }), check: (r) => (assert.equal(r.ok, true), assert.ok(Number.isFinite(r.after.revenue), `revenue ${r.after.revenue}`)) },
  mapping('not an object', null, /kind: expected one of users, events, orders/),
];
// `null` above replaces the whole mapping: run it as given.
mappingCases[mappingCases.length - 1].run = async (ctx) => {
  const loaded = await ctx.load(kFile, { mapping: { ...good, source: 'm.csv' } });
  assert.ok(loaded.ok, loaded.error);
  const before = ctx.bridge.state('overview');
  let r;
  try {
    r = await ctx.loads.editMapping('m.csv', null, true);
  } catch (e) {
    r = { ok: false, problems: [`threw: ${e.message}`] };
  }
  return { ...r, message: (r.problems || []).join('; '), loaded: ['m.csv'], before, after: ctx.bridge.state('overview') };
};
