// Retention, lifecycle and board benchmark, run by hand (not part of .ci/test):
//
//   node --no-experimental-fetch tests/bench/retention_bench.mjs [--users 1000000] [--events 10000000]
//                                                                [--seed 42] [--runs 5] [--duck-runs 3]
//
// 1. Data: `node data/generate.mjs --users U --events E --seed S --out build/bench-data/funnel-uU-eE-sS`
//    (the funnel bench's files; skipped when they are already there).
// 2. In one Node process (not headless Chromium: the same WASM builds, without the page): the real
//    WASM core and the real DuckDB-wasm; the files go through the page's loader into both, and
//    DuckDB gets the SQL contract's `users` and `events` tables (tests/web/support/contract_tables.mjs).
// 3. Three definitions: 12 weekly cohorts (first page_view, returning with any event, exact), the
//    lifecycle by week (12 weeks, any event) and the 9-metric board (the last 30 days, dormant
//    after 90): the core's `run` (median of --runs, wall time around the call) beside DuckDB
//    running the SQL the core compiles (`bridge.sql`; median of --duck-runs). Their answers must
//    be equal (the bench fails loudly otherwise).
// Printed: a table of the figures and their ratio, the core's WASM heap and the model's memory.
import assert from 'node:assert/strict';

import { benchArgs, loadShop, timed } from './shop.mjs';
import { day, sqlRows } from '../web/support/rng.mjs';

const o = benchArgs(process.argv.slice(2), { users: 1_000_000, events: 10_000_000 }, 'retention_bench.mjs');
const { bridge, M, db, overview } = await loadShop(o);

// Each definition's answer in the SQL's row shape, from the core and from DuckDB.
const CASES = [
  {
    what: '12 weekly cohorts (first page_view, any return, exact)',
    def: { segx: 1, kind: 'retention', period: 'week', start: { event: 'page_view' }, return: { any: true }, mode: 'exact', periods: 12 },
    core: (a) => a.cohorts.flatMap((c) => c.counts.map((n, k) => `${c.start} ${k} ${n}`)),
    duck: (rows) => rows.map((r) => `${day(r.cohort)} ${r.period} ${r.users}`),
    size: (a) => `${a.cohorts.reduce((s, c) => s + c.size, 0)} users in cohorts`,
  },
  {
    what: 'lifecycle by week (12 weeks, any event)',
    def: { segx: 1, kind: 'lifecycle', period: 'week', periods: 12 },
    core: (a) => a.periods.map((p) => `${p.start} ${p.new} ${p.returning} ${p.resurrecting} ${p.dormant}`),
    duck: (rows) => rows.map((r) => `${day(r.period)} ${r.new} ${r.returning} ${r.resurrecting} ${r.dormant}`),
    size: (a) => `${a.periods.at(-1).new + a.periods.at(-1).returning + a.periods.at(-1).resurrecting} active this week`,
  },
  {
    what: 'the board (last 30 days, dormant after 90)',
    def: { segx: 1, kind: 'board', period: { last_days: 30 }, dormant_days: 90 },
    core: (a) => [a.groups, a.previous.groups].flatMap((g) => ['new', 'returning', 'dormant'].map((k) => `${g[k].pool} ${g[k].active} ${g[k].buyers} ${g[k].orders} ${g[k].revenue.toFixed(2)}`)),
    duck: (rows) => rows.map((r) => `${r.pool} ${r.active} ${r.buyers} ${r.orders} ${r.revenue.toFixed(2)}`),
    size: (a) => `pools ${a.groups.new.pool} / ${a.groups.returning.pool} / ${a.groups.dormant.pool}`,
  },
];

console.log('\n| definition | core run (WASM, ms) | DuckDB-wasm compiled SQL (ms) | ratio | answer |');
console.log('|---|---|---|---|---|');
for (const c of CASES) {
  const core = timed(() => bridge.run(c.def), o.runs);
  assert.ok(core.result.ok, JSON.stringify(core.result.errors));
  const compiled = bridge.sql(c.def);
  assert.ok(compiled.ok, JSON.stringify(compiled.errors));
  const duck = timed(() => sqlRows(db, compiled.sql), o.duckRuns);
  assert.deepEqual(c.duck(duck.result), c.core(core.result), `${c.what}: DuckDB and the core agree`);
  console.log(`| ${c.what} | ${core.ms.toFixed(1)} | ${duck.ms.toFixed(0)} | ${(duck.ms / core.ms).toFixed(0)}× | ${c.size(core.result)} |`);
}
console.log(`\ncore WASM heap ${(M.HEAPU8.buffer.byteLength / 2 ** 20).toFixed(0)} MiB; model ${(overview.memory_bytes / 2 ** 20).toFixed(0)} MiB`);
process.exit(0);
