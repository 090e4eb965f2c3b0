// Times far from the rest of the data and sums that overflow (issue 17, defect 1): a model of
// times from year 1 to 9999 and of amounts up to 1e308 works, or is refused with a message naming
// the row; every analysis over it answers (ok, or refused with errors), and the module lives on.
// They share the corpus's module (a crash would fail every later case's "the module still
// answers" check); the slowest run on a module of their own (isolated).
import assert from 'node:assert/strict';


const analyses = [
  { segx: 1, name: 'recent buyers', root: { match: 'all', rules: [{ kind: 'behavior', did: true, event: 'buy', window: { last_days: 30 } }] } },
  { segx: 1, kind: 'funnel', name: 'view-buy', steps: [{ event: 'view' }, { event: 'buy' }], order: 'ordered', window: { days: 7 } },
  { segx: 1, kind: 'retention', name: 'weekly', period: 'week', start: { event: 'view' }, return: { event: 'buy' }, mode: 'exact', periods: 4, cohorts: 4 },
  { segx: 1, kind: 'lifecycle', name: 'daily', period: 'day', periods: 30 },
  { segx: 1, kind: 'rfm', name: 'RFM', method: 'quantile', monetary: 'total' },
];

// Every analysis answers: {ok: true, ...} or {ok: false, errors} with messages; never a throw.
function analysesAnswer(ctx) {
  for (const d of analyses) {
    const r = ctx.bridge.run(d);
    assert.equal(typeof r.ok, 'boolean', `${d.kind || 'audience'}: ${JSON.stringify(r).slice(0, 200)}`);
    if (!r.ok) for (const e of r.errors) assert.ok(e.message && !/out of bounds|bad_alloc|exception/i.test(e.message), e.message);
    if (r.ok && 'revenue' in r) assert.ok(Number.isFinite(r.revenue));
  }
  const o = ctx.bridge.state('overview');
  assert.ok(Number.isFinite(o.revenue), `revenue ${o.revenue}`);
}

// An events file with the base rows plus one odd time: loaded (and every analysis answers) or
// refused naming the row.
const timeCase = (name, time, { ordersAmount } = {}) => ({
  name: `time: ${name}`,
  run: async (ctx) => {
    const file = ordersAmount === undefined
      ? { name: 'odd-times.csv', bytes: `user_id,event,time\nu1,view,2024-03-01 10:00:00\nu2,buy,${time}\nu3,view,2024-03-02 10:00:00\n` }
      : { name: 'odd-sums.csv', bytes: `user_id,order_id,time,amount\nu1,o1,2024-03-01 10:00:00,${ordersAmount}\nu2,o2,2024-03-02 10:00:00,${ordersAmount}\n` };
    const r = await ctx.load(file);
    return { ...r, loaded: [file.name] };
  },
  check: (r, ctx) => {
    if (!r.ok) assert.match(r.error, /row|line/, r.error);
    analysesAnswer(ctx);
  },
});

const asOf = (text, expected) => ({
  name: `setAsOf(${JSON.stringify(text)})`,
  // segx.setAsOf's path (web/core_bridge.js setAsOfInput: the core's time reader).
  run: (ctx) => {
    try {
      ctx.bridge.setAsOfInput(text);
      return { ok: true, us: ctx.bridge.state('as_of_us') };
    } catch (e) {
      return { ok: false, message: e.message };
    }
  },
  check: (r) => {
    if (expected instanceof RegExp) {
      assert.equal(r.ok, false, `expected a refusal, got ${r.us}`);
      assert.match(r.message, expected);
      assert.ok(r.message.includes(JSON.stringify(String(text)).slice(0, 20)) || typeof text !== 'string', r.message);
    } else {
      assert.equal(r.ok, true, r.message);
      assert.equal(r.us, expected);
    }
  },
});

export const timeSumCases = [
  timeCase('0001-01-01', '0001-01-01 00:00:00'),
  timeCase('9999-12-31', '9999-12-31 23:59:59'),
  timeCase('year 1000', '1000-06-15 12:00:00'),
  timeCase('1970-01-01', '1970-01-01 00:00:00'),
  timeCase('1900-02-28', '1900-02-28 00:00:00'),
  timeCase('2100-01-01', '2100-01-01 00:00:00'),
  timeCase('epoch seconds', '1709287200'),
  timeCase('epoch milliseconds among seconds', '1709287200000'),
  timeCase('a negative epoch', '-62135596800'),
  timeCase('epoch 1e20', '100000000000000000000'),
  timeCase('not a time', 'yesterday'),
  timeCase('February 30', '2024-02-30 10:00:00'),
  timeCase('year 0', '0000-01-01 00:00:00'),
  timeCase('hour 25', '2024-03-01 25:00:00'),
  timeCase('an empty time', ''),
  timeCase('amounts of 1e308 (the sum overflows)', null, { ordersAmount: '1e308' }),
  timeCase('amounts of 1.7e308', null, { ordersAmount: '1.7e308' }),
  timeCase('infinite amounts', null, { ordersAmount: 'inf' }),
  timeCase('NaN amounts', null, { ordersAmount: 'NaN' }),
  timeCase('negative zero amounts', null, { ordersAmount: '-0' }),
  timeCase('amounts of 1e-320', null, { ordersAmount: '1e-320' }),
  timeCase('amounts of 9007199254740993', null, { ordersAmount: '9007199254740993' }),
  {
    name: 'JSON events in year 1', isolated: true,
    run: async (ctx) => ({ ...(await ctx.load({ name: 'y1.json', bytes: '[{"user_id": "u1", "event": "view", "time": "0001-01-01T00:00:00Z"}, {"user_id": "u2", "event": "buy", "time": "2024-03-01T00:00:00Z"}]' })), loaded: ['y1.json'] }),
    check: (r, ctx) => (r.ok || assert.match(r.error, /row|line|item/), analysesAnswer(ctx)),
  },
  {
    name: 'a span from 1000 to 2026', isolated: true,
    run: async (ctx) => ({ ...(await ctx.load({ name: 'span.csv', bytes: 'user_id,event,time\n' + Array.from({ length: 50 }, (_, i) => `u${i},view,${1000 + i * 20}-01-01 00:00:00`).join('\n') + '\n' })), loaded: ['span.csv'] }),
    check: (r, ctx) => (r.ok || assert.match(r.error, /row|line/), analysesAnswer(ctx)),
  },
  asOf('2026-02-30', /2026-02 has no day 30/),
  asOf('2026-02-29', /2026-02 has no day 29/),
  asOf('2024-02-29', Date.UTC(2024, 1, 29) * 1000),
  asOf('0000-01-01', /the year must be from 1 to 9999/),
  asOf('0001-01-01', -62135596800000000),
  asOf('9999-12-31T23:59:59', 253402300799000000),
  asOf('2026-13-01', /no month 13/),
  asOf('2026-06-30T24:00:00', /time of day is out of range/),
  asOf('yesterday', /not a date or time such as 2026-06-30/),
  asOf('2026-06-30T12:00:00+08:00', Date.UTC(2026, 5, 30, 4) * 1000),
  asOf('2026-06-30T12:00:00+15:00', Date.UTC(2026, 5, 29, 21) * 1000),
  asOf('2026-06-30T12:00:00+24:00', /offset is out of range/),
  asOf('', /not a date or time/),
  asOf(20260630, /expected a date such as/),
  // One reader for the as-of field, segx.setAsOf and segx run: what the field takes, this takes.
  asOf('2026/06/30 08:00', Date.UTC(2026, 5, 30, 8) * 1000),
  asOf('9999-12-31T23:59:59-01:00', /must lie in the years 1 to 9999/),
];
