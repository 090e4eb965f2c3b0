// Load benchmark, run by hand (not part of .ci/test):
//
//   node tests/bench/load_bench.mjs [--events 1000000,10000000] [--runs 1] [--viewport 1280x800]
//                                   [--timeout-min 30] [--profile] [--no-stages] [--data DIR]
//
// For each N it generates a shop with `node data/generate.mjs --events N --out /tmp/segx-bench-N`
// (skipped when the files are there with the sizes the last generation recorded; with --data DIR
// it reads DIR/u<N/10>-e<N>-s42/events.csv instead, as `data/generate.mjs --users N/10 --events N
// --seed 42` makes it, and writes nothing there), then, in
// Debian's headless Chromium launched by tests/web/support/browser_env.mjs:
//   1. headline: the real page (build/site, `?demo=0`) gets events.csv as a real, disk-backed
//      File through the file chooser behind the "Open files" ImGui button; wall time from
//      `chooser.setFiles` until `segx.state()` says the source is ready (the model is built by
//      then: in a frame, or by that state() call itself);
//   2. stages: a fresh page at a second server (a snapshot of build/site plus the data file)
//      fetches events.csv, wraps it in a File and calls `segx.loadFiles`, which returns
//      milliseconds per stage (read: File -> bytes checks; parse: DuckDB's sniff of the CSV and
//      its view; stats; preview; map: the one pass of read_csv streamed into the core; rest);
//      "rest" is the time loadFiles took beyond them (File -> bytes, and the model build), and
//      the first `state()` after it is timed too;
//   3. baseline: a tiny page of our own (esbuild-bundled, DuckDB-wasm started exactly like
//      web/duckdb_browser.js) times `registerFileBuffer` + `CREATE TABLE t AS SELECT * FROM
//      read_csv_auto('f.csv')` on the same bytes, in the same browser.
// Memory: the model's own figures from state().overview, what DuckDB holds after the load
// (segx.duckdbMemory(): duckdb_memory(), its tables and views), performance.memory, the size of each
// WebAssembly memory (the app's, and DuckDB's in its worker: recorded by a hook the bench adds
// in the browser, not in web/) sampled while the stages run, DuckDB's pragma database_size, and
// the Chromium process tree's RSS sampled from /proc while each step runs.
// The stages run also counts the frames the page draws during the load and the time spent in
// them (a requestAnimationFrame wrapper added by the bench); --profile adds a sampled CPU
// profile of the page's main thread, of the file chooser's load and of the stages' (top functions
// by self time, and per second the idle share). --no-stages skips measurement 2.
// SEGX_SITE=DIR runs another built site than build/site (to compare two builds in one session).
// The viewport is the browser tests' 1280x800 unless --viewport says otherwise; it matters,
// because the page draws frames during a load and SwiftShader draws on the CPU.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { build } from 'esbuild';

import { serve } from '../../.ci/serve.mjs';
import { clickWidget, siteDir, startBrowser } from '../web/support/browser_env.mjs';
import { repo } from '../web/support/node_env.mjs';

// --- arguments -----------------------------------------------------------------------------

function parseArgs(argv) {
  const o = { events: [1_000_000, 10_000_000], runs: 1, timeoutMin: 30, viewport: { width: 1280, height: 800 }, profile: false, data: null, stages: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--events') o.events = value().split(',').map((s) => Number(s.replace(/_/g, '')));
    else if (a === '--runs') o.runs = Number(value());
    else if (a === '--timeout-min') o.timeoutMin = Number(value());
    else if (a === '--profile') o.profile = true;
    else if (a === '--no-stages') o.stages = false;
    else if (a === '--data') o.data = value();
    else if (a === '--viewport') {
      const m = /^(\d+)x(\d+)$/.exec(value());
      if (!m) throw new Error('--viewport: expected WIDTHxHEIGHT, e.g. 1280x800');
      o.viewport = { width: Number(m[1]), height: Number(m[2]) };
    }
    else if (a === '-h' || a === '--help') {
      console.log('usage: node tests/bench/load_bench.mjs [--events 1000000,10000000] [--runs 1] [--viewport 1280x800] [--timeout-min 30] [--profile]');
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  if (!o.events.length || o.events.some((n) => !Number.isInteger(n) || n <= 0)) throw new Error('--events: expected positive integers, comma-separated');
  if (!(o.runs >= 1)) throw new Error('--runs: expected a number ≥ 1');
  return o;
}
const opts = parseArgs(process.argv.slice(2));
const timeoutMs = opts.timeoutMin * 60_000;

const log = (...a) => console.error('[bench]', ...a);
const sec = (ms) => (ms / 1000).toFixed(2);
const mb = (b) => (b / 2 ** 20).toFixed(1);
const fmtInt = (n) => Number(n).toLocaleString('en-US');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

// --- data ----------------------------------------------------------------------------------

const kFiles = ['users.csv', 'events.csv', 'orders.csv'];

// Generates the set once; a manifest records the generator's hash and the sizes it made, so a
// later run reuses files that still match.
function ensureData(n) {
  if (opts.data) {
    const dir = resolve(opts.data, `u${n / 10}-e${n}-s42`);
    if (!existsSync(join(dir, 'events.csv'))) throw new Error(`--data: ${dir}/events.csv is missing (node data/generate.mjs --users ${n / 10} --events ${n} --seed 42 --out ${dir})`);
    return { dir, sizes: { 'events.csv': statSync(join(dir, 'events.csv')).size }, generated: false };
  }
  const dir = `/tmp/segx-bench-${n}`;
  const manifestPath = join(dir, '.bench-manifest.json');
  const generator = join(repo, 'data/generate.mjs');
  const genHash = createHash('sha256').update(readFileSync(generator)).digest('hex');
  const sizes = () => Object.fromEntries(kFiles.map((f) => [f, existsSync(join(dir, f)) ? statSync(join(dir, f)).size : -1]));
  try {
    const m = JSON.parse(readFileSync(manifestPath, 'utf8'));
    if (m.generator === genHash && JSON.stringify(m.sizes) === JSON.stringify(sizes())) {
      log(`data: ${dir} exists with the recorded sizes; not regenerated`);
      return { dir, sizes: m.sizes, generated: false };
    }
  } catch {
    // no manifest, or unreadable: generate
  }
  log(`data: node data/generate.mjs --events ${n} --out ${dir}`);
  const t = performance.now();
  execFileSync(process.execPath, [generator, '--events', String(n), '--out', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
  const s = sizes();
  writeFileSync(manifestPath, JSON.stringify({ generator: genHash, events: n, sizes: s }, null, 2) + '\n');
  log(`data: generated in ${sec(performance.now() - t)} s`);
  return { dir, sizes: s, generated: true };
}

// --- the bench's own site: a snapshot of build/site, the data, and the baseline page ---------

const baselineSource = `
import * as duckdb from '@duckdb/duckdb-wasm';

// DuckDB-wasm started exactly as web/duckdb_browser.js starts it.
async function start() {
  const at = (p) => new URL(p, document.baseURI).href;
  const bundles = {
    mvp: { mainModule: at('duckdb/duckdb-mvp.wasm'), mainWorker: at('duckdb/duckdb-browser-mvp.worker.js') },
    eh: { mainModule: at('duckdb/duckdb-eh.wasm'), mainWorker: at('duckdb/duckdb-browser-eh.worker.js') },
  };
  const bundle = await duckdb.selectBundle(bundles);
  const worker = new Worker(bundle.mainWorker);
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  await db.instantiate(bundle.mainModule, bundle.pthreadWorker);
  await db.open({});
  const conn = await db.connect();
  await conn.query('SET autoload_known_extensions=false');
  await conn.query('SET autoinstall_known_extensions=false');
  return { db, conn, bundle: bundle.mainModule.split('/').pop() };
}
const started = start();

window.baseline = async (url) => {
  const { db, conn, bundle } = await started;
  const t0 = performance.now();
  const res = await fetch(url);
  if (!res.ok) throw new Error(url + ': HTTP ' + res.status);
  const bytes = new Uint8Array(await res.arrayBuffer());
  const size = bytes.length;
  const t1 = performance.now();
  await db.registerFileBuffer('f.csv', bytes);
  const t2 = performance.now();
  await conn.query("CREATE TABLE t AS SELECT * FROM read_csv_auto('f.csv')");
  const t3 = performance.now();
  const rows = Number((await conn.query('SELECT count(*)::DOUBLE AS n FROM t')).getChildAt(0).get(0));
  const dbSize = (await conn.query('SELECT * FROM pragma_database_size()')).toArray().map((r) => r.toJSON())[0];
  await db.dropFile('f.csv');
  return { bundle, size, rows, fetchMs: t1 - t0, registerMs: t2 - t1, ctasMs: t3 - t2, dbSize };
};
window.baselineReady = () => started.then(() => true);
`;

async function makeBenchSite(datasets) {
  const root = mkdtempSync(join(tmpdir(), 'segx-bench-site-'));
  // A copy, not symlinks: others may rebuild build/site while the bench runs.
  for (const e of readdirSync(siteDir)) cpSync(join(siteDir, e), join(root, e), { recursive: true });
  for (const { n, dir } of datasets) {
    mkdirSync(join(root, 'bench-data', String(n)), { recursive: true });
    symlinkSync(join(dir, 'events.csv'), join(root, 'bench-data', String(n), 'events.csv'));
  }
  await build({
    stdin: { contents: baselineSource, resolveDir: join(repo, 'tests/bench'), sourcefile: 'baseline.js' },
    bundle: true, format: 'esm', target: 'es2020', minify: true, outfile: join(root, 'baseline.js'), logLevel: 'warning',
  });
  writeFileSync(join(root, 'baseline.html'), '<!doctype html><meta charset="utf-8"><title>DuckDB-wasm baseline</title><script type="module" src="baseline.js"></script>\n');
  return root;
}

// --- memory probes -------------------------------------------------------------------------

// Runs in the page and in DuckDB's worker before their own scripts: records every WebAssembly
// memory (created in JS, or exported by an instance), so the bench can read heap sizes.
const memoryHook = `(() => {
  if (globalThis.__benchMems) return;
  const mems = (globalThis.__benchMems = []);
  const keep = (m) => { if (m instanceof WebAssembly.Memory && !mems.includes(m)) mems.push(m); };
  const Memory = WebAssembly.Memory;
  WebAssembly.Memory = new Proxy(Memory, { construct(t, a, nt) { const m = Reflect.construct(t, a, nt); keep(m); return m; } });
  const grab = (r) => { try { const inst = r && (r.instance || r); if (inst && inst.exports) Object.values(inst.exports).forEach(keep); } catch {} return r; };
  for (const k of ['instantiate', 'instantiateStreaming']) {
    const f = WebAssembly[k];
    if (f) WebAssembly[k] = function (...a) { return f.apply(this, a).then(grab); };
  }
  globalThis.__benchHeaps = () => mems.map((m) => m.buffer.byteLength);
  // Frames: how many the page draws and how long the main thread spends in them.
  if (typeof requestAnimationFrame === 'function') {
    const raf = requestAnimationFrame.bind(globalThis);
    const frames = (globalThis.__benchFrames = { n: 0, ms: 0 });
    globalThis.requestAnimationFrame = (cb) => raf((ts) => {
      const t = performance.now();
      try { cb(ts); } finally { frames.n++; frames.ms += performance.now() - t; }
    });
  }
})();\n`;

// An instrumented context in the same browser, set up like browser_env.mjs's openPage.
async function instrumentedPage(browser, url, problems) {
  const context = await browser.newContext({ viewport: opts.viewport, deviceScaleFactor: 1 });
  await context.addInitScript(memoryHook);
  // DuckDB's worker script gets the same hook in front (the worker is not a frame, so
  // addInitScript does not reach it).
  await context.route(/\/duckdb\/duckdb-browser-[a-z]+\.worker\.js$/, async (route) => {
    const res = await route.fetch();
    await route.fulfill({ response: res, body: memoryHook + (await res.text()) });
  });
  const page = await context.newPage();
  watch(page, problems);
  await page.goto(url);
  return page;
}

function watch(page, problems) {
  page.on('console', (m) => (m.type() === 'error' || m.type() === 'warning') && problems.push(`console ${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
  page.on('crash', () => problems.push('the page crashed'));
}

async function workerHeaps(page) {
  const out = [];
  for (const w of page.workers()) {
    try {
      out.push(...(await w.evaluate(() => (globalThis.__benchHeaps ? globalThis.__benchHeaps() : []))));
    } catch {
      // worker gone
    }
  }
  return out;
}

async function pageMemory(page) {
  return page.evaluate(async () => {
    const pm = performance.memory ? { used: performance.memory.usedJSHeapSize, total: performance.memory.totalJSHeapSize, limit: performance.memory.jsHeapSizeLimit } : null;
    let uasm;
    if (typeof performance.measureUserAgentSpecificMemory !== 'function') uasm = 'unavailable (not exposed: the page is not cross-origin isolated)';
    else {
      try {
        uasm = (await performance.measureUserAgentSpecificMemory()).bytes;
      } catch (e) {
        uasm = `unavailable (${e.message})`;
      }
    }
    return { performanceMemory: pm, measureUserAgentSpecificMemory: uasm, heaps: globalThis.__benchHeaps ? globalThis.__benchHeaps() : null };
  });
}

// RSS of the Chromium processes this script started (children of this Node process), from /proc.
function chromiumProcesses() {
  const procs = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const status = readFileSync(`/proc/${d}/status`, 'utf8');
      const rss = Number((status.match(/VmRSS:\s+(\d+) kB/) || [0, 0])[1]) * 1024;
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8');
      procs.push({ pid: Number(d), ppid, rss, type: (cmd.match(/--type=([a-z-]+)/) || [0, 'browser'])[1] });
    } catch {
      // gone
    }
  }
  const mine = new Set([process.pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of procs) if (!mine.has(p.pid) && mine.has(p.ppid)) (mine.add(p.pid), (grew = true));
  }
  return procs.filter((p) => p.pid !== process.pid && mine.has(p.pid));
}

// Samples the process tree every 250 ms until stopped: peak of the sum, and peak renderer.
function rssSampler() {
  const peak = { tree: 0, renderer: 0 };
  const sample = () => {
    const ps = chromiumProcesses();
    peak.tree = Math.max(peak.tree, ps.reduce((s, p) => s + p.rss, 0));
    peak.renderer = Math.max(peak.renderer, ...ps.filter((p) => p.type === 'renderer').map((p) => p.rss), 0);
  };
  sample();
  const timer = setInterval(sample, 250);
  return () => {
    clearInterval(timer);
    sample();
    return peak;
  };
}

// --- the three measurements ----------------------------------------------------------------

const waitReadyInPage = (page, name, timeout) =>
  page.evaluate(async ({ name, timeout }) => {
    const start = performance.now();
    for (;;) {
      const s = await window.segx.state();
      const src = s.sources.find((x) => x.name === name);
      // When the source first shows, and when its progress first reaches a tenth (the bar
      // follows the rows streamed; the model builds after the last).
      const marks = (window.__benchMarks ||= {});
      if (src) {
        const key = `${src.state} ${Math.floor(src.progress * 10) / 10}`;
        if (!(key in marks)) marks[key] = Math.round(performance.now() - start);
      }
      if (!s.loading && src && src.state !== 'loading') return { at: performance.now(), state: s, marks, heap: await window.segx.heapBytes() };
      if (performance.now() - start > timeout) return { at: performance.now(), state: s, timedOut: true };
      await new Promise((r) => setTimeout(r, 25));
    }
  }, { name, timeout });

function summarizeState(s, name) {
  const src = s.sources.find((x) => x.name === name) || {};
  const o = s.overview || {};
  return {
    sourceState: src.state, error: src.error, rows: src.rows, rejects: src.rejects && src.rejects.total,
    mappingKind: src.mapping && src.mapping.kind, mappingProblems: src.mapping_problems,
    users: o.users, events: o.events, orders: o.orders,
    eventBytes: o.event_bytes, memoryBytes: o.memory_bytes,
    messages: (s.messages || []).filter((m) => m.level !== 'info').map((m) => `${m.level}: ${m.text}`),
  };
}

// A sampled CPU profile of the page's main thread (1 ms), started now; stop with Profiler.stop.
async function startProfiler(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
  await cdp.send('Profiler.start');
  return cdp;
}

// 1. The real page at the tests' server: "Open files" -> file chooser -> setFiles(path).
async function measureChooser(env, file) {
  const page = await env.openPage({ query: '?demo=0', viewport: opts.viewport });
  const problems = [];
  watch(page, problems);
  try {
    await page.evaluate(() => {
      document.getElementById('file-picker').addEventListener('change', () => (window.__benchChangeAt = performance.now()), { capture: true });
    });
    const chooserP = page.waitForEvent('filechooser', { timeout: 60_000 });
    await clickWidget(page, 'Open files');
    const chooser = await chooserP;
    const cdp = opts.profile ? await startProfiler(page) : null;
    const stop = rssSampler();
    const t0 = performance.now();
    await chooser.setFiles(file);
    const r = await waitReadyInPage(page, 'events.csv', timeoutMs);
    const wallMs = performance.now() - t0;
    const rss = stop();
    const profileTop = cdp ? topSelfTime((await cdp.send('Profiler.stop')).profile, 12) : null;
    const changeAt = await page.evaluate(() => window.__benchChangeAt);
    const mem = await pageMemory(page);
    return { wallMs, changeToReadyMs: changeAt ? r.at - changeAt : null, timedOut: !!r.timedOut, marks: r.marks, heap: r.heap, profileTop, ...summarizeState(r.state, 'events.csv'), rss, mem, problems: page.problems().concat(problems) };
  } catch (e) {
    return { failed: String(e.message || e).split('\n')[0], problems: page.problems().concat(problems) };
  } finally {
    await page.context().close().catch(() => {});
  }
}

// 2. The same page, instrumented, at the bench's server: fetch -> File -> segx.loadFiles.
const kStages = ['read', 'parse', 'stats', 'preview', 'map'];
async function measureStages(browser, origin, n) {
  const problems = [];
  let page;
  try {
    page = await instrumentedPage(browser, `${origin}/?demo=0`, problems);
    await page.evaluate(() => window.segx.ready());
    const fetchMs = await page.evaluate(async (url) => {
      const f0 = performance.now();
      const res = await fetch(url);
      if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
      window.__benchFile = new File([await res.arrayBuffer()], 'events.csv', { type: 'text/csv' });
      return performance.now() - f0;
    }, `bench-data/${n}/events.csv`);
    const cdp = opts.profile ? await startProfiler(page) : null;
    // WebAssembly heap sizes over time (they only grow), sampled from here while the load runs.
    const heapTimeline = [];
    let sampling = true;
    const tStart = performance.now();
    const heapSampler = (async () => {
      while (sampling) {
        try {
          const app = await page.evaluate(() => (globalThis.__benchHeaps ? globalThis.__benchHeaps() : []));
          const duck = await workerHeaps(page);
          heapTimeline.push({ t: performance.now() - tStart, app: app.reduce((a, b) => a + b, 0), duck: duck.reduce((a, b) => a + b, 0) });
        } catch {
          // page busy or gone
        }
        await new Promise((r) => setTimeout(r, 500));
      }
    })();
    const stop = rssSampler();
    let r;
    try {
      r = await page.evaluate(async () => {
        const f0 = { ...window.__benchFrames };
        const t0 = performance.now();
        const results = await window.segx.loadFiles([window.__benchFile]);
        window.__benchFile = null;
        const t1 = performance.now();
        const f1 = { ...window.__benchFrames };
        const state = await window.segx.state();
        const t2 = performance.now();
        const x = results[0] || {};
        return { loadFilesMs: t1 - t0, modelMs: t2 - t1, ok: x.ok, error: x.error, ms: x.ms, state, frames: f1.n - f0.n, frameMs: f1.ms - f0.ms };
      });
    } finally {
      sampling = false;
      await heapSampler;
    }
    const rss = stop();
    let profileTop = null;
    if (cdp) profileTop = topSelfTime((await cdp.send('Profiler.stop')).profile, 8);
    const mem = await pageMemory(page);
    const duckHeaps = await workerHeaps(page);
    // What DuckDB holds after the load (duckdb_memory(); tables and views), read before
    // segx.sql below builds the SQL tab's contract tables.
    let duckMemory = null;
    try {
      duckMemory = await page.evaluate(() => (window.segx.duckdbMemory ? window.segx.duckdbMemory() : null));
    } catch (e) {
      duckMemory = { error: String(e.message || e).split('\n')[0] };
    }
    let dbSize = null;
    try {
      dbSize = (await page.evaluate(() => window.segx.sql('SELECT * FROM pragma_database_size()')))[0];
    } catch (e) {
      dbSize = `unavailable (${String(e.message || e).split('\n')[0]})`;
    }
    // Heap sizes at the end of each stage, from the timeline and the stage times.
    const heapsByStage = [];
    if (r.ms) {
      let end = 0;
      for (const st of kStages) {
        if (!(st in r.ms)) continue;
        end += r.ms[st];
        const upTo = heapTimeline.filter((h) => h.t <= end + 250);
        const last = upTo[upTo.length - 1];
        if (last) heapsByStage.push({ stage: st, app: last.app, duck: last.duck });
      }
    }
    const { state, ...rest } = r;
    return { ...rest, fetchMs, ...summarizeState(state, 'events.csv'), rss, mem, duckHeaps, duckMemory, dbSize, heapsByStage, profileTop, problems };
  } catch (e) {
    return { failed: String(e.message || e).split('\n')[0], problems };
  } finally {
    if (page) await page.context().close().catch(() => {});
  }
}

// The functions of a CPU profile with the most self time.
function topSelfTime(profile, k) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  profile.samples.forEach((id, i) => {
    const n = byId.get(id);
    const f = n.callFrame;
    const key = `${f.functionName || '(anonymous)'}${f.url ? ' ' + f.url.split('/').pop() : ''}`;
    self.set(key, (self.get(key) || 0) + (profile.timeDeltas[i + 1] || 0) / 1000);
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  // Per second of the profile: the share of samples the main thread sat idle, and its busiest
  // function, to see which stretches wait on DuckDB's worker.
  const seconds = [];
  let at = 0;
  profile.samples.forEach((id, i) => {
    at += (profile.timeDeltas[i] || 0) / 1000;
    const s = (seconds[Math.floor(at / 1000)] ||= { idle: 0, n: 0, by: new Map() });
    const name = byId.get(id).callFrame.functionName || '(anonymous)';
    s.n++;
    if (name === '(idle)') s.idle++;
    else s.by.set(name, (s.by.get(name) || 0) + 1);
  });
  const timeline = seconds.map((s) => (s ? `${Math.round((100 * s.idle) / s.n)}% idle, ${[...s.by].sort((a, b) => b[1] - a[1])[0]?.[0] || '-'}` : '-'));
  return { totalMs: total, top: [...self].sort((a, b) => b[1] - a[1]).slice(0, k).map(([name, ms]) => ({ name, ms })), timeline };
}

// 3. DuckDB-wasm alone: registerFileBuffer + CTAS read_csv_auto on the same bytes.
async function measureBaseline(browser, origin, n) {
  const problems = [];
  let page;
  try {
    page = await instrumentedPage(browser, `${origin}/baseline.html`, problems);
    await page.evaluate(() => window.baselineReady());
    const stop = rssSampler();
    const r = await page.evaluate((url) => window.baseline(url), `bench-data/${n}/events.csv`);
    const rss = stop();
    const duckHeaps = await workerHeaps(page);
    return { ...r, rss, duckHeaps, problems };
  } catch (e) {
    return { failed: String(e.message || e).split('\n')[0], problems };
  } finally {
    if (page) await page.context().close().catch(() => {});
  }
}

// --- main ----------------------------------------------------------------------------------

const datasets = opts.events.map((n) => ({ n, ...ensureData(n) }));
const loadStart = loadavg()[0];
const site = await makeBenchSite(datasets);
const server = await serve(site, 0);
const origin = `http://127.0.0.1:${server.address().port}`;
const env = await startBrowser({ optimise: true });
let browser;
{
  // browser_env.mjs does not hand out the Browser; borrow it from a page's context.
  const p = await env.openPage({ query: '?demo=0' });
  browser = p.context().browser();
  await p.context().close();
}
const chromiumVersion = browser.version();

const rows = [];
try {
  for (const ds of datasets) {
    const file = join(ds.dir, 'events.csv');
    const fileBytes = ds.sizes['events.csv'];
    log(`N=${fmtInt(ds.n)}: events.csv is ${mb(fileBytes)} MiB`);
    const runs = [];
    for (let k = 0; k < opts.runs; k++) {
      log(`  run ${k + 1}/${opts.runs}: file chooser (real page)…`);
      const chooser = await measureChooser(env, file);
      log('   ', chooser.failed || `${sec(chooser.wallMs)} s, ${chooser.sourceState}${chooser.error ? ': ' + chooser.error : ''}`);
      log(`  run ${k + 1}/${opts.runs}: segx.loadFiles (stages)…`);
      const stages = opts.stages ? await measureStages(browser, origin, ds.n) : { failed: 'skipped (--no-stages)' };
      log('   ', stages.failed || `${sec(stages.loadFilesMs + stages.modelMs)} s ${JSON.stringify(stages.ms)}${stages.error ? ' ' + stages.error : ''}`);
      log(`  run ${k + 1}/${opts.runs}: DuckDB-wasm baseline…`);
      const baseline = await measureBaseline(browser, origin, ds.n);
      log('   ', baseline.failed || `register ${sec(baseline.registerMs)} s + CTAS ${sec(baseline.ctasMs)} s`);
      runs.push({ chooser, stages, baseline });
    }
    rows.push({ ...ds, fileBytes, runs });
  }
} finally {
  await env.close();
  await new Promise((r) => server.close(r));
  rmSync(site, { recursive: true, force: true });
}

// --- report --------------------------------------------------------------------------------

const ok = (x) => x && !x.failed && !x.timedOut && x.sourceState !== 'failed';
const pick = (runs, f) => {
  const xs = runs.map(f).filter((v) => Number.isFinite(v));
  return xs.length ? median(xs) : NaN;
};
const show = (v, f) => (Number.isFinite(v) ? f(v) : 'failed');

const table = [
  '| events (N asked → loaded) | file MiB | our load s (file chooser) | our load s (loadFiles + model) | DuckDB s (register + CTAS) | ratio ours/DuckDB | bytes/event: core / with properties | model memory MiB |',
  '|---|---|---|---|---|---|---|---|',
];
const details = [];
for (const r of rows) {
  const good = r.runs.filter((x) => ok(x.chooser));
  const goodStages = r.runs.filter((x) => ok(x.stages) && x.stages.ok);
  const ourS = pick(good, (x) => x.chooser.wallMs);
  const stagesS = pick(goodStages, (x) => x.stages.loadFilesMs + x.stages.modelMs);
  const duck = pick(r.runs.filter((x) => !x.baseline.failed), (x) => x.baseline.registerMs + x.baseline.ctasMs);
  const ref = good[0] ? good[0].chooser : goodStages[0] ? goodStages[0].stages : null;
  const events = ref ? ref.events : NaN;
  const users = ref ? ref.users : 0;
  // EventStore: time 8 + event 4 + revenue 8 + order 4 per event, plus 8 per user (offsets).
  const coreBytes = events * 24 + (users + 1) * 8;
  const perEvent = ref ? `${(coreBytes / events).toFixed(1)} / ${(ref.eventBytes / events).toFixed(1)}` : 'failed';
  table.push(`| ${fmtInt(r.n)} → ${show(events, fmtInt)} | ${mb(r.fileBytes)} | ${show(ourS, sec)} | ${show(stagesS, sec)} | ${show(duck, sec)} | ${show(ourS / duck, (v) => v.toFixed(2))} | ${perEvent} | ${ref ? mb(ref.memoryBytes) : 'failed'} |`);
  details.push({ n: r.n, fileBytes: r.fileBytes, runs: r.runs });
}

const machine = `${cpus().length} cores (${cpus()[0] ? cpus()[0].model.trim() : '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GB RAM, Chromium ${chromiumVersion} headless, WebGL2 through SwiftShader (no GPU), Node ${process.version}`;
const vp = `${opts.viewport.width}x${opts.viewport.height}`;
const command = `node tests/bench/load_bench.mjs --events ${opts.events.join(',')}${opts.runs > 1 ? ` --runs ${opts.runs}` : ''}${vp !== '1280x800' ? ` --viewport ${vp}` : ''}${opts.profile ? ' --profile' : ''}`;
console.log(`\n## segx load benchmark\n\nmachine: ${machine}\nviewport: ${vp} CSS px at device scale 1\nload average (1 min) at start ${loadStart.toFixed(2)}, at end ${loadavg()[0].toFixed(2)} (other work on the machine skews the times)\ncommand: ${command}\n`);
console.log(table.join('\n'));
console.log(`
- our load (file chooser): wall time from playwright's chooser.setFiles(path) (a real disk-backed
  File) to the first segx.state() that shows events.csv ready, model built.
- our load (loadFiles + model): segx.loadFiles([File]) on bytes fetched beforehand, plus the first
  state() after it; stages below.
- DuckDB CTAS: registerFileBuffer + CREATE TABLE t AS SELECT * FROM read_csv_auto('f.csv') in a
  bare DuckDB-wasm page, bytes already in memory. Ratio = file-chooser load / DuckDB.
- bytes/event: core = EventStore columns by design (24 B/event + 8 B/user offsets) / with
  properties = overview.event_bytes / overview.events.`);

for (const d of details) {
  console.log(`\n### N = ${fmtInt(d.n)}: details`);
  d.runs.forEach((x, k) => {
    const { chooser: c, stages: s, baseline: b } = x;
    console.log(`run ${k + 1}:`);
    if (c.failed) console.log(`  file chooser: FAILED: ${c.failed}`);
    else {
      console.log(`  file chooser: ${sec(c.wallMs)} s (change event → ready ${c.changeToReadyMs != null ? sec(c.changeToReadyMs) : '?'} s)${c.timedOut ? ' TIMED OUT' : ''}; source ${c.sourceState}${c.error ? ` (${c.error})` : ''}, rows ${fmtInt(c.rows)}, rejects ${c.rejects}, mapped as ${c.mappingKind}`);
      console.log(`    overview: users ${fmtInt(c.users)}, events ${fmtInt(c.events)}, orders ${fmtInt(c.orders)}, event_bytes ${fmtInt(c.eventBytes)} (${mb(c.eventBytes)} MiB), memory_bytes ${fmtInt(c.memoryBytes)} (${mb(c.memoryBytes)} MiB)`);
      // The app's WebAssembly memory once loaded (it only grows: the load's peak, to the next 16 MiB).
      if (c.heap) console.log(`    app heap after the load: ${mb(c.heap)} MiB (${(c.heap / c.memoryBytes).toFixed(2)}× the model)`);
      if (c.marks) console.log(`    state() polled (source state and progress → ms after setFiles): ${Object.entries(c.marks).map(([k2, v]) => `${k2} @${v}`).join(', ')}`);
      if (c.profileTop) {
        console.log(`    main thread, self time (of ${sec(c.profileTop.totalMs)} s sampled): ${c.profileTop.top.map((x) => `${x.name} ${sec(x.ms)} s`).join('; ')}`);
        console.log(`    main thread per second: ${c.profileTop.timeline.map((x, i) => `${i}: ${x}`).join(' | ')}`);
      }
      console.log(`    peak RSS: renderer ${mb(c.rss.renderer)} MiB, Chromium process tree ${mb(c.rss.tree)} MiB; performance.memory ${c.mem.performanceMemory ? `used ${mb(c.mem.performanceMemory.used)} MiB / total ${mb(c.mem.performanceMemory.total)} MiB / limit ${mb(c.mem.performanceMemory.limit)} MiB` : 'unavailable'}; measureUserAgentSpecificMemory: ${typeof c.mem.measureUserAgentSpecificMemory === 'number' ? mb(c.mem.measureUserAgentSpecificMemory) + ' MiB' : c.mem.measureUserAgentSpecificMemory}`);
    }
    if (c.messages && c.messages.length) console.log(`    messages: ${c.messages.join(' | ')}`);
    if (c.problems && c.problems.length) console.log(`    console: ${c.problems.slice(0, 5).join(' | ')}`);
    if (s.failed) console.log(`  loadFiles: FAILED: ${s.failed}`);
    else {
      const st = s.ms ? Object.entries(s.ms).map(([k2, v]) => `${k2} ${sec(v)}`).join(', ') : 'none';
      const rest = s.ms ? s.loadFilesMs - Object.values(s.ms).reduce((a, b2) => a + b2, 0) : NaN;
      console.log(`  loadFiles: ${s.ok ? 'ok' : `not ok: ${s.error}`}; fetch+File ${sec(s.fetchMs)} s (not counted), loadFiles ${sec(s.loadFilesMs)} s [${st}, rest ${sec(rest)}], first state() after it ${sec(s.modelMs)} s`);
      console.log(`    frames drawn during loadFiles: ${fmtInt(s.frames)}, ${sec(s.frameMs)} s of main-thread time in them (${(s.frameMs / Math.max(1, s.frames)).toFixed(1)} ms per frame)`);
      if (s.heapsByStage.length) console.log(`    wasm heaps at the end of each stage (app / DuckDB, MiB): ${s.heapsByStage.map((h) => `${h.stage} ${mb(h.app)} / ${mb(h.duck)}`).join(', ')}`);
      if (s.profileTop) console.log(`    main thread, self time (of ${sec(s.profileTop.totalMs)} s sampled): ${s.profileTop.top.map((x) => `${x.name} ${sec(x.ms)} s`).join('; ')}`);
      console.log(`    wasm heaps: app ${s.mem.heaps ? s.mem.heaps.map(mb).join(' + ') + ' MiB' : '?'}, DuckDB worker ${s.duckHeaps.length ? s.duckHeaps.map(mb).join(' + ') + ' MiB' : '?'}; DuckDB database_size (after segx.sql built the SQL tab's tables): ${typeof s.dbSize === 'object' && s.dbSize ? `memory_usage ${s.dbSize.memory_usage}, memory_limit ${s.dbSize.memory_limit}` : s.dbSize}`);
      if (s.duckMemory) console.log(`    DuckDB after the load (before any SQL): duckdb_memory() ${s.duckMemory.error || mb(s.duckMemory.bytes) + ' MiB'} (${s.duckMemory.bytes != null ? (s.duckMemory.bytes / d.fileBytes).toFixed(3) + '× the CSV' : ''}); tables ${JSON.stringify(s.duckMemory.tables)}; views ${JSON.stringify(s.duckMemory.views)}`);
      console.log(`    peak RSS: renderer ${mb(s.rss.renderer)} MiB, Chromium process tree ${mb(s.rss.tree)} MiB (the File built from fetched bytes adds a blob copy)`);
    }
    if (s.messages && s.messages.length) console.log(`    messages: ${s.messages.join(' | ')}`);
    if (s.problems && s.problems.length) console.log(`    console: ${s.problems.slice(0, 5).join(' | ')}`);
    if (b.failed) console.log(`  DuckDB baseline: FAILED: ${b.failed}`);
    else console.log(`  DuckDB baseline (${b.bundle}): fetch ${sec(b.fetchMs)} s (not counted), registerFileBuffer ${sec(b.registerMs)} s, CTAS ${sec(b.ctasMs)} s, ${fmtInt(b.rows)} rows; wasm heap ${b.duckHeaps.length ? b.duckHeaps.map(mb).join(' + ') + ' MiB' : '?'}; database_size memory_usage ${b.dbSize && b.dbSize.memory_usage}; peak RSS renderer ${mb(b.rss.renderer)} MiB`);
    if (b.problems && b.problems.length) console.log(`    console: ${b.problems.slice(0, 5).join(' | ')}`);
  });
}
