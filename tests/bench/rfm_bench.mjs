// RFM benchmark, run by hand (not part of .ci/test):
//
//   node --no-experimental-fetch tests/bench/rfm_bench.mjs [--users 1000000] [--events 10000000]
//                                                          [--seed 42] [--runs 5] [--duck-runs 3]
//
// 1. Data: `node data/generate.mjs --users U --events E --seed S --out build/bench-data/funnel-uU-eE-sS`
//    (the funnel bench's directory; skipped when the three files are already there).
// 2. In one Node process: the real WASM core (the Node build of segx_core.wasm, the engine the
//    page runs) and the real DuckDB-wasm; the files go through the page's loader
//    (web/source_loader.js) into both, and DuckDB gets the SQL contract's `users` and `events`
//    tables (tests/web/support/contract_tables.mjs).
// 3. Timed with performance.now() around `bridge.run(settings)` (the §9 answer, no member list):
//      first:   the first RFM run after the load (sorts the user ids once per model);
//      scratch: settings never scored before (another method, monetary or cut points): the
//               customers' metrics, three quantile or threshold scorings and the tables; median
//               of --runs;
//      edit:    the grid edited (a segment's range moved, or renamed): median of --runs;
//    and DuckDB running the compiled SQL (`bridge.sql`, src/core/sql/rfm_sql.h) wrapped in a
//    count per segment, median of --duck-runs. Both count the same customers per segment (the
//    bench fails loudly otherwise).
// Printed: a table of the figures and their ratio, the core's WASM heap and the model's memory.
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';

import { benchArgs, loadShop, timedEach } from './shop.mjs';

const o = benchArgs(process.argv.slice(2), { users: 1_000_000, events: 10_000_000 }, 'rfm_bench.mjs');
const { bridge, M, db, overview } = await loadShop(o);
let t0;

const base = { segx: 1, kind: 'rfm' };
const run = (def) => {
  const r = bridge.run(def);
  assert.ok(r.ok, JSON.stringify(r.errors));
  return r;
};
t0 = performance.now();
const first = run(base);
const firstMs = performance.now() - t0;

// Settings never scored before: each run changes a cut point (thresholds) or the monetary setting.
const scratchDefs = (method) => Array.from({ length: o.runs }, (_, i) => ({
  ...base, method, monetary: i % 2 ? 'mean_order' : 'total',
  thresholds: { r: [7 + i, 30, 90, 180], f: [1, 2, 4, 8 + i], m: [50, 100 + i, 250, 1000] } }));
// Grid edits: Champions and Loyal Customers trade the cell (4, 5)... as a person painting does.
const grid = first.segments.map((s) => s.name);
const editDefs = Array.from({ length: o.runs }, (_, i) => ({ ...base,
  segments: [
    { name: `Champions ${i}`, r: [5, 5], f: [4, 5] }, { name: 'Loyal Customers', r: [3, 4], f: [4, 5] },
    { name: 'Potential Loyalists', r: [4, 5], f: [2, 3] }, { name: 'New Customers', r: [5, 5], f: [1, 1] },
    { name: 'Promising', r: [4, 4], f: [1, 1] }, { name: 'Need Attention', r: [3, 3], f: [3, 3] },
    { name: 'About To Sleep', r: [3, 3], f: [1, 2] }, { name: 'At Risk', r: [1, 2], f: [3, 4] },
    { name: "Can't Lose Them", r: [1, 2], f: [5, 5] }, { name: 'Hibernating', r: [1, 2], f: [1, 2] }] }));
assert.equal(grid.length, 10);

function duckSegments(def) {
  const compiled = bridge.sql(def);
  assert.ok(compiled.ok, JSON.stringify(compiled.errors));
  const sql = `SELECT "segment", count(*) AS "customers" FROM (${compiled.sql}) GROUP BY "segment"`;
  return Object.fromEntries(db.query(sql).toArray().map((r) => r.toJSON()).map((r) => [r.segment, Number(r.customers)]));
}
const coreSegments = (answer) => Object.fromEntries(answer.segments.filter((s) => s.customers > 0).map((s) => [s.name, s.customers]));

console.log(`\n${first.customers} customers; first RFM run after the load ${firstMs.toFixed(1)} ms (sorts the ids once per model)`);
console.log('\n| run | core (WASM, ms) | DuckDB-wasm compiled SQL (ms) | ratio |');
console.log('|---|---|---|---|');
for (const [label, defs] of [['from scratch, quantile', scratchDefs('quantile')], ['from scratch, thresholds', scratchDefs('thresholds')],
  ['grid edit', editDefs]]) {
  const core = timedEach(defs, run);
  const duck = timedEach(defs.slice(0, o.duckRuns), duckSegments);
  assert.deepEqual(duck.result, coreSegments(run(defs[o.duckRuns - 1])), `${label}: DuckDB and the core count the same customers per segment`);
  console.log(`| ${label} | ${core.ms.toFixed(1)} | ${duck.ms.toFixed(0)} | ${(duck.ms / core.ms).toFixed(0)}× |`);
}
console.log(`\ncore WASM heap ${(M.HEAPU8.buffer.byteLength / 2 ** 20).toFixed(0)} MiB; model ${(overview.memory_bytes / 2 ** 20).toFixed(0)} MiB`);
process.exit(0);
