// Writes the model the page's core builds from a shop's files, for the native tools
// (segx_bench_analyses, segx_time_model), run by hand:
//
//   node --no-experimental-fetch tests/bench/export_model.mjs build/bench-data/u1000000-e10000000-s42
//
// Loads users.csv, orders.csv and events.csv of that folder through the page's loader into the
// WASM core (Node build) and writes <folder>/model.bin (src/core/model/model_io.h).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { loadSource } from '../../web/source_loader.js';
import { startCore, startDuckDB } from '../web/support/node_env.mjs';

const dir = process.argv[2];
if (!dir) throw new Error('usage: node --no-experimental-fetch tests/bench/export_model.mjs <folder with users.csv, orders.csv, events.csv>');
const bridge = await startCore();
const db = await startDuckDB();
for (const n of ['users.csv', 'orders.csv', 'events.csv']) await loadSource({ db, bridge, name: n, bytes: readFileSync(join(dir, n)) });
writeFileSync(join(dir, 'model.bin'), bridge.exportModel());
const o = bridge.state('overview');
console.log(`${join(dir, 'model.bin')}: ${o.users} users, ${o.events} events, ${o.customers} customers`);
process.exit(0);
