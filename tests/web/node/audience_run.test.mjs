// Audience definitions evaluated by the WASM core over the demo data loaded through DuckDB-wasm
// give the same members as the same question asked of DuckDB in SQL (an independent oracle).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';

import { loadSource } from '../../../web/source_loader.js';
import { repo, setSavedAudiences, startCore, startDuckDB } from '../support/node_env.mjs';

let bridge, db;
before(async () => {
  bridge = await startCore();
  db = await startDuckDB();
  for (const name of ['users.csv', 'orders.csv', 'events.csv']) {
    await loadSource({ db, bridge, name, bytes: readFileSync(join(repo, 'data/demo', name)) });
  }
});

const sqlIds = (sql) => db.query(sql).toArray().map((r) => String(r.toJSON().id)).sort();
const run = (root) => bridge.run({ segx: 1, id: 't', name: 'test', root }, { members: true });
const asOf = () => bridge.state('as_of');  // the latest event, as a UTC timestamp text

describe('window.segx.run over the demo data', () => {
  test('a property rule matches the users file', () => {
    const r = run({ match: 'all', rules: [{ kind: 'property', attribute: 'country', op: 'eq', value: 'China' }] });
    assert.equal(r.ok, true, JSON.stringify(r.errors));
    assert.deepEqual(r.members.sort(), sqlIds(`SELECT user_id AS id FROM "users.csv" WHERE country = 'China'`));
    assert.equal(r.size, r.members.length);
    assert.equal(r.users, bridge.state('overview').users);
  });

  test('a behaviour rule over the last 30 days matches SQL with the same window edges', () => {
    const r = run({ match: 'all', rules: [{ kind: 'behavior', did: true, event: 'purchase', window: { last_days: 30 } }] });
    assert.equal(r.ok, true, JSON.stringify(r.errors));
    // (as-of − 30 days, as-of]: start exclusive, end inclusive (DESIGN.md §1).
    const expected = sqlIds(`SELECT DISTINCT user_id AS id FROM "orders.csv"
      WHERE order_time > TIMESTAMP '${asOf()}' - INTERVAL 30 DAY AND order_time <= TIMESTAMP '${asOf()}'`);
    assert.ok(expected.length > 0);
    assert.deepEqual(r.members.sort(), expected);
  });

  test('two property and two behaviour rules combine with all/any and negate', () => {
    const r = run({
      match: 'all',
      rules: [
        { kind: 'property', attribute: 'channel', op: 'in', values: ['email', 'referral'] },
        { kind: 'property', attribute: 'city', op: 'is_set' },
        { kind: 'behavior', did: true, event: 'view_item', count: { op: 'gte', value: 3 } },
        { kind: 'group', match: 'any', negate: true, rules: [{ kind: 'behavior', did: true, event: 'purchase' }] },
      ],
    });
    assert.equal(r.ok, true, JSON.stringify(r.errors));
    const expected = sqlIds(`
      SELECT u.user_id AS id FROM "users.csv" u
      WHERE u.channel IN ('email', 'referral') AND u.city IS NOT NULL
        AND (SELECT count(*) FROM "events.csv" e WHERE e.user_id = u.user_id AND e.event = 'view_item'
             AND e.timestamp <= TIMESTAMP '${asOf()}') >= 3
        AND NOT EXISTS (SELECT 1 FROM "orders.csv" o WHERE o.user_id = u.user_id AND o.order_time <= TIMESTAMP '${asOf()}')
        AND NOT EXISTS (SELECT 1 FROM "events.csv" e WHERE e.user_id = u.user_id AND e.event = 'purchase'
             AND e.timestamp <= TIMESTAMP '${asOf()}')`);
    assert.ok(expected.length > 0);
    assert.deepEqual(r.members.sort(), expected);
  });

  test('re-running after a one-rule edit reuses the cached results of the other rules', () => {
    const rules = [
      { kind: 'property', attribute: 'device', op: 'eq', value: 'mobile' },
      { kind: 'behavior', did: true, event: 'add_to_cart', window: { last_days: 90 } },
    ];
    const first = run({ match: 'all', rules });
    const edited = run({ match: 'all', rules: [rules[0], { ...rules[1], window: { last_days: 60 } }] });
    assert.equal(edited.cache.hits - first.cache.hits >= 1, true, JSON.stringify([first.cache, edited.cache]));
    assert.ok(edited.size <= first.size);
  });

  test('audience references use the saved audiences, and a cycle is an error naming it', () => {
    const china = { segx: 1, id: 'china', name: 'China', root: { match: 'all', rules: [{ kind: 'property', attribute: 'country', op: 'eq', value: 'China' }] } };
    const buyers = { segx: 1, id: 'buyers', name: 'Buyers', root: { match: 'all', rules: [{ kind: 'behavior', did: true, event: 'purchase' }] } };
    setSavedAudiences(bridge, [china, buyers]);
    const both = run({ match: 'all', rules: [{ kind: 'audience', op: 'in', id: 'china' }, { kind: 'audience', op: 'in', id: 'buyers' }] });
    assert.equal(both.ok, true, JSON.stringify(both.errors));
    const direct = run({ match: 'all', rules: [china.root.rules[0], buyers.root.rules[0]] });
    assert.deepEqual(both.members.sort(), direct.members.sort());
    const notChina = run({ match: 'all', rules: [{ kind: 'audience', op: 'not_in', id: 'china' }] });
    assert.equal(notChina.size + run(china.root).size, notChina.users);
    const a = { segx: 1, id: 'a', name: 'A', root: { match: 'all', rules: [{ kind: 'audience', op: 'in', id: 'b' }] } };
    const b = { segx: 1, id: 'b', name: 'B', root: { match: 'all', rules: [{ kind: 'audience', op: 'in', id: 'a' }] } };
    setSavedAudiences(bridge, [a, b]);
    const cycle = bridge.run(a);
    assert.equal(cycle.ok, false);
    assert.match(JSON.stringify(cycle.errors), /cycle: a → b → a/);
    setSavedAudiences(bridge, []);
  });

  test('a malformed or hostile definition is refused with JSON paths, and nothing breaks', () => {
    const r = run({ match: 'all', rules: [{ kind: 'property', attribute: 'country', op: 'equals', value: 1 }] });
    assert.equal(r.ok, false);
    assert.ok(r.errors.some((e) => /rules\[0\]\.op/.test(e.path)), JSON.stringify(r.errors));
    const unknown = run({ match: 'all', rules: [{ kind: 'property', attribute: 'no_such', op: 'is_set' }] });
    assert.equal(unknown.ok, false);
    assert.match(JSON.stringify(unknown.errors), /no_such/);
    let deep = '{"kind":"group","match":"all","rules":[]}';
    for (let i = 0; i < 10000; i++) deep = `{"kind":"group","match":"all","rules":[${deep}]}`;
    const d = bridge.run(`{"segx":1,"id":"d","name":"deep","root":${deep}}`);
    assert.equal(d.ok, false);
    assert.equal(bridge.state('overview').users, 2000);
  });

  test("state('audience') reports the opened draft evaluated by the call that opened it (Node has no frames)", () => {
    const root = { match: 'all', rules: [{ kind: 'property', attribute: 'country', op: 'eq', value: 'China' }] };
    assert.equal(bridge.openAudience({ segx: 1, id: '', name: 'In China', root }).ok, true);
    const a = bridge.state('audience');
    assert.equal(a.name, 'In China');
    assert.equal(a.evaluating, false);
    assert.equal(a.size, run(root).size);
    assert.deepEqual(a.rule_sizes, { 'root.rules[0]': a.size });
    assert.equal(bridge.state('no_such_section').error, 'state unavailable: no state section named "no_such_section"');
  });
});
