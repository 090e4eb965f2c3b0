// Attributes from events (src/core/model/derived.h): an event property used as a user attribute,
// its latest, first or most frequent value per user. On the oracle's edge shop (ties of equal
// times, nulls, "mobile" beside "Mobile", integers and doubles) plus a second events file whose
// rows tie in time with the first file's (the stored order then follows load order), three
// answers must agree for every derived attribute: the core's members, DuckDB running the SQL the
// core compiles, and a brute-force reference written here from the rules alone over the
// contract's `events` table (time, then seq; most frequent: ties to the smallest value).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { check } from '../../oracle/oracle.mjs';
import { edgeShop } from '../../oracle/edge_data.mjs';
import { loadAll, runSql } from '../support/contract_tables.mjs';
import { startCore, startDuckDB, utf8 } from '../support/node_env.mjs';

// A later events file: every fourth events.csv row again as a `visit` at the same time, with
// another device (so "latest" at that time is this file's), for users that have it.
function laterFile(eventsCsv) {
  const lines = eventsCsv.trim().split('\n').slice(1);
  const out = ['user_id,event,timestamp,device'];
  const devices = ['tablet', 'Mobile', 'desktop', 'tv'];
  lines.forEach((line, i) => {
    if (i % 4) return;
    const [id, , time] = line.split(',');
    if (id && time) out.push(`${id},visit,${time},${devices[i % devices.length]}`);
  });
  return out.join('\n') + '\n';
}

const PICKS = ['latest', 'first', 'most_frequent'];

// The reference: per user, the value the rules give (undefined: none).
function reference(rows, spec, less) {
  const byUser = new Map();
  for (const r of rows) {
    if (r.v === null || (spec.event && r.event !== spec.event)) continue;
    if (!byUser.has(r.user_id)) byUser.set(r.user_id, []);
    byUser.get(r.user_id).push(r);
  }
  const out = new Map();
  for (const [u, list] of byUser) {
    list.sort((a, b) => (a.t === b.t ? a.seq - b.seq : a.t < b.t ? -1 : 1));
    if (spec.pick === 'latest') out.set(u, list[list.length - 1].v);
    else if (spec.pick === 'first') out.set(u, list[0].v);
    else {
      const counts = new Map();
      for (const r of list) counts.set(r.key, { v: r.v, n: (counts.get(r.key)?.n ?? 0) + 1 });
      let best = null;
      for (const c of counts.values()) if (!best || c.n > best.n || (c.n === best.n && less(c.v, best.v))) best = c;
      out.set(u, best.v);
    }
  }
  return out;
}

test('latest, first and most frequent values of event properties: core, DuckDB and a brute force agree', async () => {
  const shop = edgeShop(7, 80);
  const files = Object.entries(shop.files).map(([n, text]) => [n, utf8(text)]);
  files.push(['later.csv', utf8(laterFile(shop.files['events.csv']))]);
  const bridge = await startCore();
  const db = await startDuckDB();
  await loadAll(bridge, db, files);

  const props = [
    { property: 'device', numeric: false },
    { property: 'qty', numeric: true },
    { property: 'price', numeric: true },
  ];
  const specs = [];
  for (const p of props)
    for (const pick of PICKS) specs.push({ name: `${p.property}_${pick}`, property: p.property, pick, numeric: p.numeric });
  specs.push({ name: 'purchase_device', event: 'purchase', property: 'device', pick: 'latest', numeric: false });
  const setting = specs.map(({ name, event, property, pick }) => ({ name, ...(event ? { event } : {}), property, pick }));
  const r = bridge.loadWorkspace(JSON.stringify({ segx: 1, settings: { derived_attributes: setting, auto_derived_attributes: false } }));
  assert.ok(r.ok, r.problem);

  const ds = { bridge, db }; // for the oracle's check (funnels)
  let checked = 0;
  for (const spec of specs) {
    const col = `"${spec.property}"`;
    const rows = db.query(`SELECT user_id, event, epoch_us(time) AS t, seq, ${col} AS v, CAST(${col} AS VARCHAR) AS key FROM events WHERE user_id IS NOT NULL`)
      .toArray().map((x) => x.toJSON())
      .map((x) => ({ ...x, t: BigInt(x.t), seq: Number(x.seq), v: x.v === null ? null : typeof x.v === 'bigint' ? Number(x.v) : x.v }));
    const less = spec.numeric ? (a, b) => a < b : (a, b) => String(a) < String(b); // ASCII and BMP text: UTF-16 order is byte order
    const want = reference(rows, spec, less);
    assert.ok(want.size > 10, `${spec.name}: a telling fixture (${want.size} users have a value)`);

    // The core's members, which DuckDB running the compiled SQL must give too.
    const members = (root) => {
      const def = { segx: 1, root: { match: 'all', rules: [root] } };
      const core = bridge.run(def, { members: true });
      assert.ok(core.ok, `${spec.name}: ${JSON.stringify(core.errors)}`);
      const compiled = bridge.sql(def);
      assert.ok(compiled.ok, `${spec.name}: ${JSON.stringify(compiled.errors)}`);
      const got = [...core.members].sort();
      assert.deepEqual([...runSql(db, compiled.sql)].sort(), got, `${spec.name}: core and DuckDB on ${JSON.stringify(root)}`);
      checked++;
      return got;
    };
    const usersWith = (pred) => [...want].filter(([, v]) => pred(v)).map(([u]) => u).sort();
    assert.deepEqual(members({ kind: 'property', attribute: spec.name, op: 'is_set' }), usersWith(() => true), `${spec.name} is_set`);
    const values = [...new Set(want.values())].slice(0, 4);
    for (const v of values) assert.deepEqual(members({ kind: 'property', attribute: spec.name, op: 'eq', value: v }), usersWith((x) => x === v), `${spec.name} = ${v}`);
    if (spec.numeric) assert.deepEqual(members({ kind: 'property', attribute: spec.name, op: 'gt', value: 2 }), usersWith((x) => x > 2), `${spec.name} > 2`);
    else assert.deepEqual(members({ kind: 'property', attribute: spec.name, op: 'eq', value: 'mobile', ci: true }), usersWith((x) => x.toLowerCase() === 'mobile'), `${spec.name} ci`);
  }
  assert.ok(checked >= 40);

  // A funnel broken down by a derived attribute: per-value step counts agree with DuckDB.
  for (const name of ['device_latest', 'qty_most_frequent']) {
    const res = check(ds, { segx: 1, kind: 'funnel', steps: [{ event: 'visit' }, { event: 'purchase' }], order: 'ordered', window: { days: 30 }, breakdown: { attribute: name } });
    assert.ok(!res.refused, JSON.stringify(res.errors));
    assert.ok(res.agree, `${name}: ${JSON.stringify(res)}`);
  }

  // The model lists them among its attributes, saying where they come from.
  const listed = bridge.state('overview').attributes.filter((a) => a.from_events).map((a) => a.name);
  assert.deepEqual(listed, specs.map((s) => s.name));

  // Entries the data cannot give (a name a users file has, a property no file has) are left
  // out and said; the setting reads back from the workspace as written.
  const settings = { derived_attributes: [{ name: 'plan', property: 'device', pick: 'latest' }, { name: 'x', property: 'no_such', pick: 'first' }, { name: 'last_device', event: 'purchase', property: 'device', pick: 'most_frequent' }] };
  assert.ok(bridge.loadWorkspace(JSON.stringify({ segx: 1, settings })).ok);
  const run = bridge.run({ segx: 1, root: { match: 'all', rules: [{ kind: 'property', attribute: 'last_device', op: 'is_set' }] } });
  assert.ok(run.ok, JSON.stringify(run.errors));
  const bad = bridge.run({ segx: 1, root: { match: 'all', rules: [{ kind: 'property', attribute: 'x', op: 'is_set' }] } });
  assert.equal(bad.ok, false);
  const messages = JSON.stringify(bridge.state('messages'));
  assert.match(messages, /another attribute has that name/);
  assert.match(messages, /no_such/);
  const stored = bridge.workspace();
  assert.deepEqual(stored.settings.derived_attributes, settings.derived_attributes);
});
