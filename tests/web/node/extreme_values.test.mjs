// Times from year 1 to 9999 and amounts up to 1e308, loaded from CSV through the real WASM core
// and DuckDB-wasm (issue 17, defect 1): the model is built, every tab's kind of definition runs,
// and what the model cannot hold is a reject naming the row. The as-of as typed text is read by
// the core's parser: an impossible date is an error, never another day.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { loadSource } from '../../../web/source_loader.js';
import { startCore, startDuckDB, utf8 } from '../support/node_env.mjs';

let bridge, db;
const source = (name) => bridge.state('sources').find((s) => s.name === name);

before(async () => {
  bridge = await startCore();
  db = await startDuckDB();
});

describe('a model of years 1 to 9999', () => {
  test('orders on 0001-01-01 and 9999-12-31, a span 1000-2026, an amount of 1e308', async () => {
    const text = 'customer_id,order_id,date,amount\n' +
      'c1,o1,0001-01-01,10\nc2,o2,9999-12-31 23:59:59,20\nc3,o3,1000-06-01,5\nc3,o4,2026-01-01,7\n' +
      'c4,o5,2025-01-01,1e308\nc4,o6,2025-02-01,30\n';
    const r = await loadSource({ db, bridge, name: 'far_orders.csv', bytes: utf8(text) });
    assert.equal(r.mapped.ok, true);
    const rejects = source('far_orders.csv').rejects;
    assert.deepEqual(rejects.reasons.map((x) => [x.reason, x.count]), [['amount beyond 1e15', 1]]);
    assert.match(rejects.reasons[0].examples[0], /^row 5: /);
    const o = bridge.state('overview');
    assert.equal(o.orders, 5);
    assert.equal(o.revenue, 72);
    assert.equal(o.first, '0001-01-01 00:00:00');
    assert.equal(o.last, '9999-12-31 23:59:59');
    assert.ok(o.days <= 36600, `${o.days} days on the chart`);
    assert.ok(o.days_outside_events > 0);
    for (const definition of [
      { segx: 1, root: { match: 'all', rules: [{ kind: 'behavior', event: 'purchase', window: { last_days: 30 } }] } },
      { segx: 1, kind: 'retention', id: 'r', name: 'r', period: 'day', start: { event: 'purchase' }, periods: 52, cohorts: 1000 },
      { segx: 1, kind: 'lifecycle', id: 'l', name: 'l', period: 'month', periods: 1000 },
      { segx: 1, kind: 'board', id: 'b', name: 'b', period: { last_days: 100000 }, dormant_days: 100000 },
      { segx: 1, kind: 'rfm', id: 'm', name: 'm' },
    ]) {
      for (const asOf of ['0001-01-01', '2026-03-01', '9999-12-31 23:59:59', '']) {
        bridge.setAsOfText(asOf);
        const answer = bridge.run(definition);
        assert.equal(answer.ok, true, `${definition.kind ?? 'audience'} as of ${asOf}: ${JSON.stringify(answer.errors)}`);
        assert.equal(bridge.sql(definition).ok, true);
      }
    }
  });

  test('one Unix time in milliseconds among seconds is rejected naming its row', async () => {
    const rows = Array.from({ length: 12 }, (_, i) => `u${i},view,${1706745600 + i * 3600}`);
    rows.splice(4, 0, 'u99,view,1706745600000');
    const r = await loadSource({ db, bridge, name: 'unix_mixed.csv', bytes: utf8('user_id,event,time\n' + rows.join('\n') + '\n') });
    assert.equal(r.mapped.ok, true);
    const reasons = source('unix_mixed.csv').rejects.reasons;
    assert.deepEqual(reasons.map((x) => [x.reason, x.count]), [['time outside years 1-9999', 1]]);
    assert.match(reasons[0].examples[0], /^row 5: /);
  });
});

describe('the as-of as typed text', () => {
  test('impossible dates and year 0 are errors; the as-of stays as it was', () => {
    bridge.setAsOfText('2026-03-01 12:00');
    for (const text of ['2026-02-30', '2026-04-31', '2026-13-01', '2026-01-01 25:00', '0000-01-01', '10000-01-01']) {
      assert.throws(() => bridge.setAsOfText(text), /as-of: cannot read/, text);
      assert.equal(bridge.state('as_of'), '2026-03-01 12:00:00');
    }
    bridge.setAsOfText('2024-02-29');
    assert.equal(bridge.state('as_of'), '2024-02-29 00:00:00');
    bridge.setAsOfText('');
    assert.equal(bridge.state('as_of_is_default'), true);
  });
});
