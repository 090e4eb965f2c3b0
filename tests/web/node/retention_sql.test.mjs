// The retention → SQL compiler as a differential oracle: for generated retention definitions
// (periods day / week / month, exact and on_or_after, return any or a chosen event, cohorts by
// the first start event or by the `signup_date` attribute, audience filters, short and long
// triangles), the cohort triangle the WASM core answers (bridge.run) equals the cells DuckDB
// returns for the SQL the core compiles (bridge.sql), over the demo data in the tables of
// src/core/sql/audience_sql.h (tests/web/support/contract_tables.mjs), at the demo's as-of and
// at earlier ones.
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
  { match: 'any', rules: [{ kind: 'property', attribute: 'plan', op: 'eq', value: 'plus' }, { kind: 'behavior', event: 'purchase', window: { last_days: 60 } }] },
  { audience: 'china' },
];
const SAVED_AUDIENCES = {
  china: { segx: 1, id: 'china', name: 'China', root: { match: 'all', rules: [{ kind: 'property', attribute: 'country', op: 'eq', value: 'China' }] } },
};

function generate(count, seed) {
  const r = rng(seed);
  const pick = (list) => list[Math.floor(r() * list.length)];
  const out = [];
  for (let i = 0; i < count; i++) {
    const period = ['day', 'week', 'month'][i % 3];
    const def = { segx: 1, kind: 'retention', id: `r${i}`, name: `generated ${i}`, period,
      start: r() < 0.3 ? { attribute: 'signup_date' } : { event: pick(EVENTS) },
      mode: Math.floor(i / 3) % 2 ? 'on_or_after' : 'exact' };
    if (r() < 0.6) def.return = { event: pick(EVENTS) };
    else if (r() < 0.5) def.return = { any: true };
    def.periods = period === 'day' ? 1 + Math.floor(r() * 52) : period === 'week' ? 1 + Math.floor(r() * 20) : 1 + Math.floor(r() * 12);
    if (r() < 0.3) def.cohorts = 1 + Math.floor(r() * (period === 'day' ? 120 : 30));
    if (r() < 0.3) def.audience = pick(AUDIENCES);
    out.push(def);
  }
  return out;
}

const DEFS = generate(60, 20261204);

// The core's triangle in the SQL's shape.
function coreCells(bridge, def) {
  const a = bridge.run(def);
  assert.equal(a.ok, true, JSON.stringify(a.errors));
  return a.cohorts.flatMap((c) => c.counts.map((users, k) => ({ cohort: c.start, period: k, users, complete: Boolean(c.complete[k]) })));
}

function sqlCells(bridge, db, def) {
  const compiled = bridge.sql(def);
  assert.equal(compiled.ok, true, JSON.stringify(compiled.errors));
  assert.equal(compiled.kind, 'retention');
  const rows = sqlRows(db, compiled.sql).map((r) => ({ cohort: day(r.cohort), period: r.period, users: r.users, complete: r.complete }));
  return { rows, sql: compiled.sql };
}

describe('retention SQL over the demo data equals the core', () => {
  let bridge, db;
  before(async () => {
    bridge = await startCore();
    db = await startDuckDB();
    await loadAll(bridge, db, ['users.csv', 'orders.csv', 'events.csv'].map((n) => [n, readFileSync(join(repo, 'data/demo', n))]));
    const r = bridge.loadWorkspace(JSON.stringify({ segx: 1, audiences: SAVED_AUDIENCES }));
    assert.ok(r.ok, r.problem);
  });

  test(`${DEFS.length} generated definitions: every cell equal`, () => {
    let telling = 0;
    for (const def of DEFS) {
      const core = coreCells(bridge, def);
      const { rows, sql } = sqlCells(bridge, db, def);
      assert.deepEqual(rows, core, `${JSON.stringify(def)}\n${sql}`);
      if (core.some((c) => c.period > 0 && c.users > 0)) telling++;
    }
    // Most definitions have returning users: the comparison says something.
    assert.ok(telling >= DEFS.length / 2, `telling definitions: ${telling}`);
  });

  test('earlier as-of times (mid-week, a month end, a year end): incomplete cells agree too', () => {
    for (const t of [Date.UTC(2026, 3, 22, 6, 0), Date.UTC(2026, 0, 31, 23, 59, 59, 999), Date.UTC(2025, 11, 31, 12)]) {
      bridge.setAsOf(t * 1000);
      try {
        for (const def of DEFS.slice(0, 24)) {
          const { rows, sql } = sqlCells(bridge, db, def);
          assert.deepEqual(rows, coreCells(bridge, def), `${new Date(t).toISOString()} ${JSON.stringify(def)}\n${sql}`);
        }
      } finally {
        bridge.setAsOf(NaN);
      }
    }
  });

  test('every cell opens as an audience of exactly its users, in the core and in SQL', () => {
    // The `retention` rule (src/core/audience/README.md): the cell's retention, cohort and k.
    let cells = 0, nonEmpty = 0;
    for (const def of DEFS.slice(0, 18)) {
      const answer = bridge.run(def);
      assert.equal(answer.ok, true, JSON.stringify(answer.errors));
      for (const c of answer.cohorts.slice(-4)) {
        for (let k = 0; k < c.counts.length; k += 3) {
          const audience = { segx: 1, name: 'cell', root: { match: 'all', rules: [{ kind: 'retention', retention: def, cohort: c.start, period: k }] } };
          const core = bridge.run(audience, { members: true });
          assert.equal(core.ok, true, JSON.stringify(core.errors));
          assert.equal(core.size, c.counts[k], `${JSON.stringify(def)} cohort ${c.start} k ${k}`);
          const compiled = bridge.sql(audience);
          assert.equal(compiled.ok, true, JSON.stringify(compiled.errors));
          assert.deepEqual(runSql(db, compiled.sql).sort(), [...core.members].sort(), compiled.sql);
          cells++;
          if (core.size) nonEmpty++;
        }
      }
    }
    assert.ok(cells >= 60 && nonEmpty >= cells / 3, `cells ${cells}, with users ${nonEmpty}`);
  });

  test('a retention rule names what is wrong: a cohort that is not a period start, a k past the periods, the retention', () => {
    const def = { segx: 1, kind: 'retention', period: 'week', start: { event: 'purchase' }, periods: 4 };
    const rule = (extra) => ({ segx: 1, root: { match: 'all', rules: [{ kind: 'retention', retention: def, cohort: '2026-03-02', period: 1, ...extra }] } });
    const errors = (a) => bridge.run(a).errors.map((e) => `${e.path}: ${e.message}`);
    assert.deepEqual(errors(rule({ cohort: '2026-03-04' })), ['root.rules[0].cohort: 2026-03-04 is not the first day of a week (ISO weeks start on Monday); its week starts on 2026-03-02']);
    assert.deepEqual(errors(rule({ period: 5 })), ['root.rules[0].period: the retention counts periods 0 to 4, not 5']);
    assert.match(errors(rule({ retention: { ...def, start: { event: 'nope' } } }))[0], /^root\.rules\[0\]\.retention\.start\.event: unknown event "nope"/);
    assert.match(errors(rule({ cohort: '2026-02-30' }))[0], /^root\.rules\[0\]\.cohort: expected a date as YYYY-MM-DD/);
    // The SQL compiler says the same.
    assert.deepEqual(bridge.sql(rule({ period: 5 })).errors, bridge.run(rule({ period: 5 })).errors);
  });

  test('errors are the core\'s; hostile names stay quoted', () => {
    for (const def of [
      { segx: 1, kind: 'retention', start: { event: `x'); DROP TABLE events; --` } },
      { segx: 1, kind: 'retention', start: { attribute: 'country' }, return: { event: 'nope' } },
      { segx: 1, kind: 'retention', start: { attribute: 'nope"' } },
      { segx: 1, kind: 'retention', start: { event: 'purchase' }, audience: { audience: 'missing' } },
    ]) {
      const compiled = bridge.sql(def);
      assert.equal(compiled.ok, false);
      assert.deepEqual(compiled.errors, bridge.run(def).errors);
    }
    const evil = { segx: 1, kind: 'retention', name: `x */ ; DROP TABLE events; --\n`, start: { event: 'purchase' },
      audience: { match: 'all', rules: [{ kind: 'property', attribute: 'city', op: 'neq', value: `'); DROP TABLE users; --` }] } };
    assert.deepEqual(sqlCells(bridge, db, evil).rows, coreCells(bridge, evil));
  });
});
