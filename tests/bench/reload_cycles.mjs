// Heap over load / remove cycles, run by hand (not part of .ci/test):
//
//   node --no-experimental-fetch tests/bench/reload_cycles.mjs [--users 100000] [--events 1000000] [--cycles 6]
//
// Generates the shop with data/generate.mjs (kept in build/bench-data/), then, with the real WASM
// core (Node build) and DuckDB-wasm, loads users, events and orders through the page's loader
// (web/loads.js), removes them, and again, printing per cycle the model's bytes, the bytes the
// sources still hold (0 once the model is built: src/app/session.h) and the WASM heap's size with its top (sbrk).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';

import { Loads } from '../../web/loads.js';
import { repo, startCore, startDuckDB } from '../web/support/node_env.mjs';

globalThis.requestAnimationFrame ??= (f) => setImmediate(() => f(performance.now()));

const o = { users: 100000, events: 1000000, cycles: 6 };
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i += 2) {
  const key = args[i].replace(/^--/, '');
  const value = Number(args[i + 1]);
  if (!(key in o) || !Number.isInteger(value) || value < 1) throw new Error('usage: see the header of tests/bench/reload_cycles.mjs');
  o[key] = value;
}
const dir = join(repo, `build/bench-data/reload-${o.users}-${o.events}`);
if (!existsSync(join(dir, 'orders.csv'))) {
  mkdirSync(dir, { recursive: true });
  execFileSync(process.execPath, [join(repo, 'data/generate.mjs'), '--users', String(o.users), '--events', String(o.events), '--out', dir], { stdio: 'ignore' });
}
const files = ['users.csv', 'events.csv', 'orders.csv'].map((name) => ({ name, bytes: readFileSync(join(dir, name)) }));

const bridge = await startCore();
const d = await startDuckDB();
const db = { ...d, query: async (sql) => d.query(sql), dropFile: async (n) => d.dropFile(n), registerBuffer: async (n, b) => d.registerBuffer(n, b) };
const loads = new Loads({ db, bridge });
const MiB = (x) => (x / 2 ** 20).toFixed(1);
const heap = () => bridge.M.HEAPU8.buffer.byteLength;
// What malloc has taken from that memory (it grows in steps of a fifth): the build's true peak.
const top = () => bridge.M._segx_heap_top();
console.log(`reload cycles: ${o.users} users, ${o.events} events; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
for (let i = 1; i <= o.cycles; i++) {
  const t0 = performance.now();
  for (const r of await loads.load(files)) if (!r.ok) throw new Error(r.error);
  const loaded = ((performance.now() - t0) / 1000).toFixed(1);
  const ov = bridge.state('overview');
  console.log(`cycle ${i}: loaded in ${loaded} s: model ${MiB(ov.memory_bytes)} MiB (${ov.events} events), sources ${MiB(ov.source_bytes)} MiB, heap ${MiB(heap())} MiB (its top ${MiB(top())} MiB: ${(top() / ov.memory_bytes).toFixed(2)}× the model)`);
  for (const n of ['orders.csv', 'users.csv', 'events.csv']) await loads.remove(n);
  console.log(`         removed: heap ${MiB(heap())} MiB`);
}
