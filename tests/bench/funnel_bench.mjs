// Funnel benchmark, run by hand (not part of .ci/test):
//
//   node --no-experimental-fetch tests/bench/funnel_bench.mjs [--users 100000] [--events 1000000]
//                                                             [--seed 42] [--runs 5] [--duck-runs 3]
//
// 1. Data: `node data/generate.mjs --users U --events E --seed S --out build/bench-data/funnel-uU-eE-sS`
//    (skipped when the three files are already there).
// 2. In one Node process: the real WASM core (the Node build, segx_core.wasm) and the real
//    DuckDB-wasm; the files go through the page's loader (web/source_loader.js) into both, and
//    DuckDB gets the SQL contract's `users` and `events` tables (tests/web/support/contract_tables.mjs).
// 3. For each order mode, the 4-step funnel view_item → add_to_cart → begin_checkout → purchase
//    with a 7-day window: the core's `run` (median of --runs, wall time around the call) and
//    DuckDB running the compiled SQL (`bridge.sql`, src/core/sql/funnel_sql.h; median of
//    --duck-runs). Their per-step users must be equal (the bench fails loudly otherwise).
// Printed: the figures, their ratio, the core's WASM heap and the model's memory.
import assert from 'node:assert/strict';

import { benchArgs, loadShop, timed } from './shop.mjs';

const o = benchArgs(process.argv.slice(2), { users: 100_000, events: 1_000_000 }, 'funnel_bench.mjs');
const { bridge, M, db, overview } = await loadShop(o);

const steps = ['view_item', 'add_to_cart', 'begin_checkout', 'purchase'].map((event) => ({ event }));
console.log('\n| order | core run (WASM, ms) | DuckDB-wasm compiled SQL (ms) | ratio | step users |');
console.log('|---|---|---|---|---|');
for (const order of ['ordered', 'strict', 'unordered']) {
  const def = { segx: 1, kind: 'funnel', steps, order, window: { days: 7 } };
  const core = timed(() => bridge.run(def), o.runs);
  assert.ok(core.result.ok, JSON.stringify(core.result.errors));
  const compiled = bridge.sql(def);
  assert.ok(compiled.ok, JSON.stringify(compiled.errors));
  const duck = timed(() => db.query(compiled.sql).toArray().map((r) => r.toJSON()), o.duckRuns);
  const duckUsers = duck.result.sort((a, b) => Number(a.step) - Number(b.step)).map((r) => Number(r.users));
  const coreUsers = core.result.steps.map((s) => s.users);
  assert.deepEqual(duckUsers, coreUsers, `${order}: DuckDB and the core count the same users per step`);
  console.log(`| ${order} | ${core.ms.toFixed(1)} | ${duck.ms.toFixed(0)} | ${(duck.ms / core.ms).toFixed(0)}× | ${coreUsers.join(' / ')} |`);
}
console.log(`\ncore WASM heap ${(M.HEAPU8.buffer.byteLength / 2 ** 20).toFixed(0)} MiB; model ${(overview.memory_bytes / 2 ** 20).toFixed(0)} MiB`);
process.exit(0);
