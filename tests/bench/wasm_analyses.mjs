// Times the analyses in the WASM core (the Node build, V8 as in Chromium) over a model file,
// beside the native build over the same file, without loading the shop's files again. Run by
// hand (the model comes from tests/bench/export_model.mjs):
//
//   node --no-experimental-fetch tests/bench/wasm_analyses.mjs build/bench-data/u1000000-e10000000-s42/model.bin [--runs 10] [--kinds board,lifecycle]
//
// Per definition: the first run, then the median and the fastest of --runs (wall time of
// segx.run's bridge call: JSON in, the engine, JSON out). With the native tool built
// (cmake --build build/native --target segx_bench_analyses) its figures follow (thread CPU
// time, best of 10). The definitions are segx_bench_analyses's.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import { repo, startCore } from '../web/support/node_env.mjs';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a));
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
if (!file) throw new Error('usage: node --no-experimental-fetch tests/bench/wasm_analyses.mjs <model.bin> [--runs 10] [--kinds board,lifecycle]');
const runs = Number(opt('--runs', 10));
const kinds = opt('--kinds', '') ? new Set(opt('--kinds', '').split(',')) : null;

const kDefinitions = [
  { segx: 1, kind: 'rfm' },
  { segx: 1, kind: 'rfm', method: 'thresholds' },
  { segx: 1, kind: 'retention', period: 'week', start: { event: 'page_view' }, return: { any: true }, mode: 'exact', periods: 12 },
  { segx: 1, kind: 'lifecycle', period: 'week', periods: 12 },
  { segx: 1, kind: 'board', period: { last_days: 30 }, dormant_days: 90 },
  { segx: 1, kind: 'funnel', steps: [{ event: 'view_item' }, { event: 'add_to_cart' }, { event: 'begin_checkout' }, { event: 'purchase' }], window: { days: 7 } },
  // The suite's other funnels: strict, unordered, and edits of the window and of one step.
  { segx: 1, kind: 'funnel', steps: [{ event: 'view_item' }, { event: 'add_to_cart' }, { event: 'begin_checkout' }, { event: 'purchase' }], window: { days: 7 }, order: 'strict' },
  { segx: 1, kind: 'funnel', steps: [{ event: 'view_item' }, { event: 'add_to_cart' }, { event: 'begin_checkout' }, { event: 'purchase' }], window: { days: 7 }, order: 'unordered' },
  { segx: 1, kind: 'funnel', steps: [{ event: 'view_item' }, { event: 'add_to_cart' }, { event: 'begin_checkout' }, { event: 'purchase' }], window: { days: 3 } },
  { segx: 1, kind: 'funnel', steps: [{ event: 'view_item' }, { event: 'search' }, { event: 'begin_checkout' }, { event: 'purchase' }], window: { days: 7 } },
];

const bridge = await startCore();
const t0 = performance.now();
bridge.importModel(readFileSync(file));
const o = bridge.state('overview');
console.log(`model: ${o.users} users, ${o.events} events (imported in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
for (const def of kDefinitions) {
  if (kinds && !kinds.has(def.kind)) continue;
  const time = () => {
    const t = performance.now();
    const a = bridge.run(def);
    const ms = performance.now() - t;
    if (!a.ok) throw new Error(`${def.kind}: ${JSON.stringify(a.errors)}`);
    return ms;
  };
  const first = time();
  const times = Array.from({ length: runs }, time).sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  console.log(`wasm    ${def.kind.padEnd(10)} median ${median.toFixed(2).padStart(7)} ms, fastest ${times[0].toFixed(2).padStart(7)} ms (first ${first.toFixed(2)} ms)  ${JSON.stringify(def)}`);
}
const native = join(repo, 'build/native/tests/core/segx_bench_analyses');
if (existsSync(native)) {
  for (const line of execFileSync(native, [file], { encoding: 'utf8' }).split('\n'))
    if (line.trim() && (!kinds || kinds.has(line.split(/\s+/)[0]))) console.log(`native  ${line}`);
}
const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(`load average at the end: ${load}`);
process.exit(0);
