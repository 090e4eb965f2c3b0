// A/B of two builds of the Node WASM core on one model file, run by hand: each build imports
// the model, then every funnel definition below runs on each build in turn (A, B, A, B, ...),
// so both see the same machine load. Prints per definition and build the median and range of
// the process CPU time of segx.run (user + system: less sensitive to other processes than wall
// time on a busy machine) and whether the answers are equal.
//
//   mkdir -p build/ab/before && cp build/web/src/web/segx_core.{js,wasm} build/web/src/web/package.json build/ab/before/
//   (change the core, rebuild segx_node)
//   node --no-experimental-fetch tests/bench/wasm_ab.mjs build/bench-data/u1000000-e10000000-s42/model.bin 15 build/ab/before build/web/src/web
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

import { CoreBridge } from '../../web/core_bridge.js';

const require = createRequire(import.meta.url);
const [model, runsArg, ...dirs] = process.argv.slice(2);
const runs = Number(runsArg);
if (!model || !(runs >= 1) || dirs.length < 1)
  throw new Error('usage: node --no-experimental-fetch tests/bench/wasm_ab.mjs <model.bin> <runs> <build dir> [<build dir> ...]');
const bytes = readFileSync(model);
const bridges = [];
for (const d of dirs) {
  const dir = resolve(d);
  const create = require(join(dir, 'segx_core.js'));
  const M = await create({ wasmBinary: readFileSync(join(dir, 'segx_core.wasm')), print: () => {}, printErr: () => {} });
  const bridge = new CoreBridge(M);
  bridge.importModel(bytes);
  bridges.push(bridge);
}
// The benchmark suite's funnels (tests/bench/suite.mjs).
const steps = ['view_item', 'add_to_cart', 'begin_checkout', 'purchase'].map((event) => ({ event }));
const defs = {
  ordered: { segx: 1, kind: 'funnel', steps, window: { days: 7 } },
  strict: { segx: 1, kind: 'funnel', steps, window: { days: 7 }, order: 'strict' },
  unordered: { segx: 1, kind: 'funnel', steps, window: { days: 7 }, order: 'unordered' },
  'window 3 d': { segx: 1, kind: 'funnel', steps, window: { days: 3 } },
  'step 2 = search': { segx: 1, kind: 'funnel', steps: [steps[0], { event: 'search' }, steps[2], steps[3]], window: { days: 7 } },
};
const cpuMs = (f) => {
  const c0 = process.cpuUsage();
  const answer = f();
  const c = process.cpuUsage(c0);
  return [(c.user + c.system) / 1000, answer];
};
const fmt = (v) => {
  v.sort((a, b) => a - b);
  return `${v[v.length >> 1].toFixed(1)} ms [${v[0].toFixed(1)}–${v[v.length - 1].toFixed(1)}]`;
};
for (const [name, def] of Object.entries(defs)) {
  const times = bridges.map(() => []);
  const answers = bridges.map(() => '');
  for (let i = 0; i < runs + 2; i++) // the first two runs of each build untimed (V8 tiering)
    bridges.forEach((b, j) => {
      const [ms, a] = cpuMs(() => b.run(def));
      if (!a.ok) throw new Error(`${name}: ${JSON.stringify(a.errors)}`);
      if (i >= 2) times[j].push(ms);
      answers[j] = JSON.stringify(a);
    });
  const same = answers.every((a) => a === answers[0]);
  console.log(`${name.padEnd(16)} ${times.map(fmt).join('  |  ')}  ${same ? 'same answers' : 'ANSWERS DIFFER'}`);
}
console.log(`load average at the end: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
process.exit(0);
