// The benchmark suite, run by hand (not part of .ci/test): every analysis, four engines, one run.
//
//   node tests/bench/suite.mjs [--events 1000000,10000000] [--runs 5] [--duck-runs N]
//                              [--tasks REGEX] [--engines chromium,native,duckdb]
//                              [--seed 42] [--out build/bench/suite.json] [--settle S]
//                              [--native-duck no]   (the same as leaving duckdb out of --engines)
//                              [--warmup N]  (Chromium: each task's first definition run N times
//                              before timing, untimed. V8 compiles a WebAssembly function on its
//                              first call and optimises it later, so an analysis's first runs in a
//                              fresh page are slower; RFM's "first run" rows are then no longer first)
//
// For each size (users = events / 10; data/generate.mjs, cached under build/bench-data/ with a
// manifest of the generator's hash), the same six definitions — a 4-rule audience, a 4-step
// funnel, RFM (default settings), 12 weekly retention cohorts, the lifecycle by week and the
// 9-number board — are answered by:
//   chromium  the core in the real page in Debian's headless Chromium (`segx.run`, wall time in
//             the page around the call; files through a file input, as a person picks them);
//   native    the same core built natively (build/native/tests/core/segx_time_model) over the
//             model the WASM core built from the same files (exported as bytes, model_io.h);
//   wasm-db   DuckDB-wasm in the same page running the SQL the core compiles (`segx.sqlOf`) over
//             the page's own `users` / `events` views;
//   duck-1t, duck-2t  native DuckDB (@duckdb/node-api) with 1 and 2 threads over the same files
//             mapped by the command-line runner's loader (tools/cli/native_db.mjs), running the
//             same SQL.
// Each cell is the median of --runs (audiences: a new variant per run, so no rule is cached;
// DuckDB's of --duck-runs, default --runs). RFM has five rows, since the page keeps RFM's
// levels per model (src/core/rfm/cache.h): the first run after the load (customers, M and
// scores built; the ids were sorted by the first run of any definition), quantile scores from
// scratch (mean order: M and scores built, one run), thresholds with a new cut point each run
// (scores from scratch, the customers and M kept), a grid edit each run (segments re-summed from
// the kept scores), and the default settings again (all kept). --tasks keeps the tasks whose
// name matches; --engines the engines named (chromium includes DuckDB-wasm; duckdb is native
// DuckDB 1 and 2 threads). A DuckDB that fails (out of memory at 10M events) is reported as
// failed and the suite goes on.
// SQL runs as `SELECT count(*), sum(hash(t)) FROM (<compiled>) t`, so every column is computed
// and no rows cross into JS; the engines must agree on the row count (audience sizes also
// against the core's), or the suite fails. (Full answers are the oracle's job: tests/oracle.)
// Load: the page's whole load (files to model) beside DuckDB-wasm's own read of the same events
// file in the same page (register + CTAS), and the runner's CTAS of all files natively.
// Printed: one table per size with ratios core ÷ each DuckDB, and the core's scan rate (the
// model's bytes ÷ the Chromium time: an upper bound, as no analysis reads every column); the
// whole result as JSON in --out.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';

import { serve } from '../../.ci/serve.mjs';
import { loadFiles as loadNative, openDatabase } from '../../tools/cli/native_db.mjs';
import { loadSource } from '../../web/source_loader.js';
import { startBrowser } from '../web/support/browser_env.mjs';
import { repo, startCore, startDuckDB } from '../web/support/node_env.mjs';
import { ensureShopFiles, makeBenchSite, median } from './shop.mjs';

const kUsage = 'usage: node tests/bench/suite.mjs [--events 1000000,10000000] [--runs 5] [--duck-runs N] [--tasks REGEX] [--engines chromium,native,duckdb] [--seed 42] [--out build/bench/suite.json] [--settle S] [--native-duck no] [--warmup N]';
function parseArgs(argv) {
  const o = { events: [1_000_000, 10_000_000], runs: 5, duckRuns: 0, duckRead: true, tasks: /./, engines: ['chromium', 'native', 'duckdb'], seed: 42, out: join(repo, 'build/bench/suite.json') };
  for (let i = 0; i < argv.length; i += 2) {
    const [k, v] = [argv[i], argv[i + 1]];
    if (k === '--events') o.events = String(v).split(',').map((x) => Number(x.replace(/_/g, '')));
    else if (k === '--runs') o.runs = Number(v);
    else if (k === '--duck-runs') o.duckRuns = Number(v);
    else if (k === '--warmup') o.warmup = Number(v);
    else if (k === '--tasks') o.tasks = new RegExp(v, 'i');
    else if (k === '--engines') o.engines = String(v).split(',');
    else if (k === '--duck-read') o.duckRead = v !== '0';
    else if (k === '--settle') o.settle = Number(v);
    else if (k === '--native-duck' && (v === 'yes' || v === 'no')) o.nativeDuck = v === 'yes';
    else if (k === '--seed') o.seed = Number(v);
    else if (k === '--out') o.out = v;
    else throw new Error(`${kUsage}\n(unknown ${k})`);
  }
  for (const n of [...o.events, o.runs, o.seed]) if (!Number.isInteger(n) || n < 1) throw new Error(`${kUsage}\n(expected whole numbers ≥ 1)`);
  if (!o.duckRuns) o.duckRuns = o.runs;
  if (o.nativeDuck === false) o.engines = o.engines.filter((e) => e !== 'duckdb');
  o.settle ??= 0;
  if (!o.engines.includes('chromium')) throw new Error(`${kUsage}\n(the engines must include chromium: it compiles the SQL)`);
  return o;
}
const opts = parseArgs(process.argv.slice(2));
const log = (...a) => console.error('[suite]', ...a);
const kFiles = ['users.csv', 'orders.csv', 'events.csv'];

// --- the definitions -----------------------------------------------------------------------

const kCountries = ['United States', 'China', 'United Kingdom', 'Germany', 'Brazil', 'France', 'Canada', 'Japan', 'Australia', 'India', 'Spain'];
const kChannels = ['organic', 'paid_search', 'social', 'email', 'referral'];
// Variant k of the audience bench's shape (tests/bench/audience_bench.mjs): every rule's values
// differ from every other variant's, so each run is cold.
const audience = (k) => ({
  segx: 1, name: `suite audience ${k}`,
  root: { match: 'all', rules: [
    { kind: 'property', attribute: 'country', op: 'in', values: [0, 1, 2].map((j) => kCountries[(k * 3 + j) % kCountries.length]) },
    { kind: 'property', attribute: 'channel', op: 'eq', value: kChannels[k % kChannels.length] },
    { kind: 'behavior', event: 'view_item', window: { last_days: 30 + k }, count: { op: 'gte', value: 3 } },
    { kind: 'behavior', event: 'purchase', aggregate: { fn: 'sum', of: 'revenue', op: 'gte', value: 100 + 5 * k } },
  ] },
});
const kFunnelSteps = ['view_item', 'add_to_cart', 'begin_checkout', 'purchase'];
const funnel = (o = {}) => ({ segx: 1, kind: 'funnel', steps: (o.steps ?? kFunnelSteps).map((event) => ({ event })), window: { days: o.days ?? 7 }, ...(o.order ? { order: o.order } : {}) });
// The default R×F grid edited as a person painting does: Champions renamed, and for odd k the
// cell (3, 2) moved from About To Sleep to Need Attention.
const rfmGrid = (k) => [
  { name: `Champions ${k}`, r: [5, 5], f: [4, 5] }, { name: 'Loyal Customers', r: [3, 4], f: [4, 5] },
  { name: 'Potential Loyalists', r: [4, 5], f: [2, 3] }, { name: 'New Customers', r: [5, 5], f: [1, 1] },
  { name: 'Promising', r: [4, 4], f: [1, 1] }, { name: 'Need Attention', r: [3, 3], f: [3 - (k % 2), 3] },
  { name: 'About To Sleep', r: [3, 3], f: [1, 2 - (k % 2)] }, { name: 'At Risk', r: [1, 2], f: [3, 4] },
  { name: "Can't Lose Them", r: [1, 2], f: [5, 5] }, { name: 'Hibernating', r: [1, 2], f: [1, 2] }];
const ALL_TASKS = [
  { name: 'audience (4 rules)', def: audience },
  { name: 'funnel (4 steps, 7 d)', def: () => funnel() },
  { name: 'funnel strict', def: () => funnel({ order: 'strict' }) },
  { name: 'funnel unordered', def: () => funnel({ order: 'unordered' }) },
  // Edits of the first funnel, as the Funnels tab sends them: the window, then one step.
  { name: 'funnel edit: window 3 d', def: () => funnel({ days: 3 }) },
  { name: 'funnel edit: step 2 = search', def: () => funnel({ steps: ['view_item', 'search', 'begin_checkout', 'purchase'] }) },
  { name: 'RFM (default), first run', def: () => ({ segx: 1, kind: 'rfm' }), runs: 1 },
  { name: 'RFM quantile, new scores', def: () => ({ segx: 1, kind: 'rfm', monetary: 'mean_order' }), runs: 1 },
  { name: 'RFM thresholds, new cut point', def: (k) => ({ segx: 1, kind: 'rfm', method: 'thresholds', thresholds: { r: [7 + k, 30, 90, 180], f: [1, 2, 4, 8], m: [50, 100, 250, 1000] } }) },
  { name: 'RFM grid edit', def: (k) => ({ segx: 1, kind: 'rfm', segments: rfmGrid(k) }) },
  { name: 'RFM (default) again', def: () => ({ segx: 1, kind: 'rfm' }) },
  { name: 'retention (12 weeks)', def: () => ({ segx: 1, kind: 'retention', period: 'week', start: { event: 'page_view' }, return: { any: true }, mode: 'exact', periods: 12 }) },
  { name: 'lifecycle (12 weeks)', def: () => ({ segx: 1, kind: 'lifecycle', period: 'week', periods: 12 }) },
  { name: 'board (30 d)', def: () => ({ segx: 1, kind: 'board', period: { last_days: 30 }, dormant_days: 90 }) },
];
const TASKS = ALL_TASKS.filter((t) => opts.tasks.test(t.name));
const wrap = (sql) => `SELECT count(*)::DOUBLE AS n, sum(hash(t))::DOUBLE AS h FROM (\n${sql}\n) t`;

// --- the engines ---------------------------------------------------------------------------

// The page in headless Chromium: load, then per task the core's run and DuckDB-wasm's SQL.
async function inChromium(dir) {
  const site = makeBenchSite(dir, kFiles, 'segx-suite-');
  const server = await serve(site, 0);
  // The browser tests' Chromium and flags (browser_env.mjs), on a site that also serves the data.
  const env = await startBrowser({ optimise: true });
  const borrowed = await env.openPage({ query: '?demo=0' });
  const browser = borrowed.context().browser();
  await borrowed.context().close();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.setDefaultTimeout(60 * 60_000);
  try {
    await page.goto(`http://127.0.0.1:${server.address().port}/?demo=0`);
    await page.evaluate(() => window.segx.ready());
    await page.evaluate(() => {
      const input = Object.assign(document.createElement('input'), { type: 'file', multiple: true, id: 'suite-files', hidden: true });
      document.body.append(input);
    });
    await page.setInputFiles('#suite-files', kFiles.map((f) => join(dir, f)));
    const load = await page.evaluate(async () => {
      const files = [...document.getElementById('suite-files').files];
      const t0 = performance.now();
      const results = await window.segx.loadFiles(files);
      const state = await window.segx.state();
      return { ms: performance.now() - t0, results, overview: state.overview, asOf: state.as_of, heap: await window.segx.heapBytes() };
    });
    for (const r of load.results) if (!r.ok) throw new Error(`chromium: ${r.name}: ${r.error}`);
    log(`chromium: loaded in ${(load.ms / 1000).toFixed(1)} s (${load.overview.events} events)`);
    // After a load the page keeps the files in the browser's storage in the background: --settle
    // seconds let that finish before anything is timed.
    if (opts.settle > 0) await page.waitForTimeout(opts.settle * 1000);
    // The first run of any definition sorts the user ids once per model (RFM's NTILE tie order):
    // timed apart, so that no task below pays it.
    const warm = await page.evaluate(async () => {
      const t = performance.now();
      await window.segx.run({ segx: 1, root: { match: 'all', rules: [] } });
      return performance.now() - t;
    });
    log(`chromium: first run of any definition (an empty audience; sorts the user ids) ${warm.toFixed(1)} ms`);
    let duckRead = null;
    if (opts.duckRead) {
      try {
        duckRead = await page.evaluate(async () => {
          const bytes = new Uint8Array(await (await fetch('bench-data/events.csv')).arrayBuffer());
          return window.segx.duckdbBaseline(bytes);
        });
      } catch (e) {
        log(`chromium: DuckDB-wasm's own read of events.csv failed: ${String(e.message ?? e).split('\n')[0]}`);
      }
    }
    const tasks = [];
    for (const task of TASKS) {
      const runs = task.runs ?? opts.runs;
      const core = [];
      let answer;
      for (let k = 0; k < (opts.warmup || 0); k++) await page.evaluate((def) => window.segx.run(def), task.def(0));
      for (let k = 0; k < runs; k++) {
        const r = await page.evaluate(async (def) => {
          const t = performance.now();
          const a = await window.segx.run(def);
          return { ms: performance.now() - t, a: { ok: a.ok, errors: a.errors, size: a.size } };
        }, task.def(k));
        if (!r.a.ok) throw new Error(`chromium: ${task.name}: ${JSON.stringify(r.a.errors)}`);
        core.push(r.ms);
        if (k === 0) answer = r.a; // variant 0: the one every engine's agreement is checked on
      }
      const sqls = [];
      for (let k = 0; k < runs; k++) {
        const compiled = await page.evaluate((def) => window.segx.sqlOf(def), task.def(k));
        if (!compiled.ok) throw new Error(`${task.name}: no SQL: ${JSON.stringify(compiled.errors)}`);
        sqls.push(compiled.sql);
      }
      const duck = [];
      let rows = { n: null, h: null }, failed = null;
      for (let k = 0; k < opts.duckRuns && !failed; k++) {
        const sql = wrap(sqls[k % sqls.length]);
        try {
          const r = await page.evaluate(async (sql) => {
            const t = performance.now();
            const x = await window.segx.sql(sql);
            return { ms: performance.now() - t, n: x[0].n, h: x[0].h };
          }, sql);
          duck.push(r.ms);
          if (k === 0) rows = r;
        } catch (e) {
          failed = String(e.message ?? e).split('\n')[0];
        }
      }
      const wasmDbMs = failed ? null : median(duck);
      tasks.push({ name: task.name, coreMs: median(core), coreRuns: core, wasmDbMs, wasmDbError: failed, size: answer.size, rows: rows.n, hash: rows.h, sqls });
      log(`chromium: ${task.name}: core ${median(core).toFixed(2)} ms (runs ${core.map((x) => x.toFixed(1)).join(', ')}), DuckDB-wasm ${failed ? `FAILED (${failed})` : `${wasmDbMs.toFixed(1)} ms`}`);
    }
    return { browserVersion: browser.version(), loadMs: load.ms, firstRunMs: warm, duckReadMs: duckRead ? duckRead.registerMs + duckRead.ctasMs : null, heap: load.heap, overview: load.overview, asOf: load.asOf, tasks };
  } finally {
    await env.close();
    server.close();
    rmSync(site, { recursive: true, force: true });
  }
}

// The WASM core in Node builds the model from the same files; the native build times it.
async function natively(dir) {
  const bridge = await startCore();
  const db = await startDuckDB();
  for (const n of kFiles) await loadSource({ db, bridge, name: n, bytes: readFileSync(join(dir, n)) });
  const model = join(dir, '.suite-model.bin');
  writeFileSync(model, bridge.exportModel());
  await db.close?.();
  const defsFile = join(dir, '.suite-defs.json');
  const out = [];
  // One run per definition variant (audiences differ per run), `runs` variants.
  for (const task of TASKS) {
    writeFileSync(defsFile, JSON.stringify(Array.from({ length: task.runs ?? opts.runs }, (_, k) => task.def(k))));
    const r = JSON.parse(execFileSync(join(repo, 'build/native/tests/core/segx_time_model'), [model, defsFile, '1'], { maxBuffer: 1 << 30 }).toString());
    out.push({ name: task.name, ms: median(r.runs.map((x) => x.ms[0])), cpuMs: median(r.runs.map((x) => x.cpu_ms[0])), size: r.runs[0].answer.size, modelBytes: r.model_bytes });
    log(`native: ${task.name}: ${out.at(-1).ms.toFixed(1)} ms`);
  }
  rmSync(model, { force: true });
  return out;
}

// Native DuckDB over the same files, mapped as the command-line runner maps them.
async function nativeDuck(dir, threads, tasks) {
  const db = await openDatabase({ threads });
  try {
    const t0 = performance.now();
    await loadNative(db, kFiles.map((f) => join(dir, f)), {}, () => {});
    const loadMs = performance.now() - t0;
    const out = [];
    for (const [i, task] of TASKS.entries()) {
      const times = [];
      let first;
      for (let k = 0; k < opts.duckRuns; k++) {
        const sql = wrap(tasks[i].sqls[k % tasks[i].sqls.length]);
        const t = performance.now();
        const r = await db.rows(sql);
        times.push(performance.now() - t);
        if (k === 0) first = r[0];
      }
      out.push({ name: task.name, ms: median(times), rows: Number(first.n), hash: Number(first.h) });
      log(`duckdb ${threads}t: ${task.name}: ${median(times).toFixed(1)} ms`);
    }
    return { loadMs, tasks: out };
  } finally {
    db.close();
  }
}

// --- main ----------------------------------------------------------------------------------

if (opts.engines.includes('native')) execFileSync('cmake', ['--build', join(repo, 'build/native'), '--target', 'segx_time_model'], { stdio: 'ignore' });
const machine = `${cpus().length} cores (${cpus()[0]?.model.trim()}), ${(totalmem() / 2 ** 30).toFixed(0)} GB RAM, Node ${process.version}`;
const result = { machine, date: new Date().toISOString(), runs: opts.runs, sizes: [] };
let failed = false;
for (const events of opts.events) {
  const users = Math.max(1, Math.round(events / 10));
  const { dir, sizes } = ensureShopFiles({ users, events, seed: opts.seed });
  log(`== ${events} events, ${users} users (${dir})`);
  const chromium = await inChromium(dir);
  const native = opts.engines.includes('native') ? await natively(dir) : null;
  // The SQL the page compiled for every variant: the text DuckDB-wasm ran.
  const duck = {};
  if (opts.engines.includes('duckdb')) for (const threads of [1, 2]) duck[threads] = await nativeDuck(dir, threads, chromium.tasks);
  const rows = TASKS.map((task, i) => {
    const c = chromium.tasks[i], n = native?.[i], d1 = duck[1]?.tasks[i], d2 = duck[2]?.tasks[i];
    // Row counts agree everywhere they were counted, and an audience's size with the core's in
    // both builds. (The hashes are printed, not compared: money summed in another order differs
    // in the last bits.)
    const counted = [c.rows, d1?.rows, d2?.rows].filter((x) => x !== null && x !== undefined);
    const agree = counted.every((x) => x === counted[0]) && (c.size === undefined || ((c.rows === null || c.size === c.rows) && (!n || n.size === c.size)));
    if (!agree) {
      failed = true;
      log(`DISAGREE ${task.name}: core size ${c.size} / native ${n?.size}; rows wasm ${c.rows}, 1t ${d1?.rows}, 2t ${d2?.rows}; hashes ${c.hash} ${d1?.hash} ${d2?.hash}`);
    }
    return { task: task.name, chromium: c.coreMs, chromiumRuns: c.coreRuns, native: n?.ms ?? null, nativeCpu: n?.cpuMs ?? null, wasmDb: c.wasmDbMs, wasmDbError: c.wasmDbError,
      duck1: d1?.ms ?? null, duck2: d2?.ms ?? null, agree, modelBytes: native?.[0].modelBytes ?? null };
  });
  const size = { events, users, files: sizes, overview: chromium.overview,
    chromium: { version: chromium.browserVersion, loadMs: chromium.loadMs, firstRunMs: chromium.firstRunMs, duckReadMs: chromium.duckReadMs, heap: chromium.heap },
    modelBytes: native?.[0].modelBytes ?? null, duckLoadMs: { 1: duck[1]?.loadMs ?? null, 2: duck[2]?.loadMs ?? null }, rows, loadAverage: loadavg() };
  result.sizes.push(size);
  print(size);
}
mkdirSync(dirname(opts.out), { recursive: true });
writeFileSync(opts.out, JSON.stringify(result, null, 2) + '\n');
// A busy machine slows every engine, not equally: the load average says how quiet it was.
result.loadAverageAtEnd = loadavg();
console.log(`\n${machine}; load average at the end ${loadavg().map((x) => x.toFixed(1)).join(' ')}; JSON: ${opts.out}`);
process.exit(failed ? 1 : 0);

function print(s) {
  const f = (ms) => (ms === null || ms === undefined ? '—' : ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
  const x = (a, b) => (a === null || b === null || a === undefined || b === undefined ? '—' : `${(a / b).toFixed(a / b >= 10 ? 0 : 2)}×`);
  const ms = (v) => (v === null || v === undefined ? '—' : `${f(v)} ms`);
  const model = s.modelBytes ? ` (model ${(s.modelBytes / 2 ** 20).toFixed(0)} MiB)` : '';
  console.log(`\n### ${s.events.toLocaleString('en-US')} events, ${s.users.toLocaleString('en-US')} users, ${s.overview?.customers?.toLocaleString('en-US')} customers${model}\n`);
  console.log(`Load: page ${f(s.chromium.loadMs)} ms; first run of any definition (sorts the user ids) ${f(s.chromium.firstRunMs)} ms; ` +
    `DuckDB-wasm read of events.csv in the same page ${f(s.chromium.duckReadMs)} ms; native DuckDB all files 1t ${f(s.duckLoadMs[1])} ms, 2t ${f(s.duckLoadMs[2])} ms; ` +
    `load average after the Chromium runs ${s.loadAverage.map((v) => v.toFixed(1)).join(' ')}\n`);
  console.log('| analysis | core, Chromium | core, native | DuckDB-wasm | DuckDB 1t | DuckDB 2t | DuckDB-wasm ÷ Chromium | 1t ÷ Chromium | 2t ÷ Chromium | agree |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|:-:|');
  for (const r of s.rows)
    console.log(`| ${r.task} | ${ms(r.chromium)} | ${ms(r.native)} | ${r.wasmDbError ? 'failed' : ms(r.wasmDb)} | ${ms(r.duck1)} | ${ms(r.duck2)} | ${x(r.wasmDb, r.chromium)} | ${x(r.duck1, r.chromium)} | ${x(r.duck2, r.chromium)} | ${r.agree ? 'yes' : 'NO'} |`);
  for (const r of s.rows) if (r.wasmDbError) console.log(`\nDuckDB-wasm failed on ${r.task}: ${r.wasmDbError}`);
}
