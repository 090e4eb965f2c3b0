// The model's memory part by part, per event, run by hand:
//
//   node --no-experimental-fetch tests/bench/model_memory.mjs <folder with users.csv, orders.csv, events.csv>
//
// (a folder made by `node data/generate.mjs --users 100000 --events 1000000 --seed 42 --out DIR`).
// Loads the three files through the page's loader into the real WASM core (Node build) and
// prints state().overview.memory_parts (Model::memory_parts, model.h) in bytes per event; then
// runs a funnel, a retention table and RFM, which fill the caches kept beside the model (the
// event index's user starts), and prints the figures again.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';

import { loadSource } from '../../web/source_loader.js';
import { startCore, startDuckDB } from '../web/support/node_env.mjs';

const dir = process.argv[2];
if (!dir) throw new Error('usage: node --no-experimental-fetch tests/bench/model_memory.mjs <folder>');
const bridge = await startCore();
const db = await startDuckDB();
for (const n of ['users.csv', 'orders.csv', 'events.csv']) await loadSource({ db, bridge, name: n, bytes: readFileSync(join(dir, n)) });

function print(title) {
  const o = bridge.state('overview');
  const per = (b) => (b / o.events).toFixed(2);
  console.log(`\n${title}: ${o.users} users, ${o.events} events; memory_bytes ${o.memory_bytes} = ${per(o.memory_bytes)} B/event`);
  console.log('| part | bytes | B/event |\n|---|---|---|');
  let sum = 0;
  for (const [name, bytes] of Object.entries(o.memory_parts)) {
    sum += bytes;
    console.log(`| ${name} | ${bytes} | ${per(bytes)} |`);
  }
  if (sum !== o.memory_bytes) console.log(`parts add up to ${sum}, not memory_bytes ${o.memory_bytes}`);
}

print('after the load');
const runs = [
  { segx: 1, kind: 'funnel', steps: ['view_item', 'add_to_cart', 'begin_checkout', 'purchase'].map((event) => ({ event })), order: 'ordered', window: { days: 7 } },
  { segx: 1, kind: 'retention', period: 'week', start: { event: 'page_view' }, return: { any: true }, mode: 'exact', periods: 12 },
  { segx: 1, kind: 'rfm' },
];
for (const def of runs) {
  const r = bridge.run(def);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
}
print('after a funnel, a retention table and RFM');
console.log(`\nload average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
process.exit(0);
