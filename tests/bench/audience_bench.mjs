// Audience benchmark, run by hand (not part of .ci/test):
//
//   node tests/bench/audience_bench.mjs [--users 1000000] [--events 10000000] [--seed 42]
//                                       [--cold 5] [--warm 5] [--edits 5] [--duck-runs 3]
//                                       [--timeout-min 30] [--viewport 1280x800]
//
// 1. Data: `node data/generate.mjs --users U --events E --seed S --out build/bench-data/uU-eE-sS`
//    (skipped when that directory holds the files with the sizes a manifest recorded for the same
//    generator source).
// 2. In Debian's headless Chromium (the browser tests' flags: tests/web/support/browser_env.mjs)
//    the real page (a snapshot of build/site, `?demo=0`) gets users.csv, events.csv and
//    orders.csv as disk-backed Files (playwright's setInputFiles on an <input> the bench adds)
//    and calls `segx.loadFiles` with all three; load time is
//    loadFiles plus the first `state()` after it (the model is built by then).
// 3. One audience of four rules, all in one `all` group:
//      country in [3 countries], channel eq X,
//      did view_item count gte 3 in the last 30 days, did purchase sum(revenue) gte 100 (all time).
//    Before any core run, DuckDB (the page's own, through `segx.sql`, over the tables the loader
//    made: "users.csv", "events.csv", "orders.csv") counts each rule's users alone; every rule
//    must match a non-trivial share.
//    Timed inside the page with performance.now() around `await segx.run(definition)` (size
//    only, no member list):
//      cold: the first run after the load, then runs whose four rules all carry values never seen
//            before (other countries, another channel, 29/31/28/… days, other revenue
//            thresholds), so every rule misses the core's per-rule cache: median of --cold runs;
//      warm: the first definition again (4 hits): median of --warm runs;
//      edit: the first definition with one rule's value changed to one never seen (3 hits, 1
//            miss): the purchase rule (revenue threshold), the view_item rule (window: 60, 61, …
//            days) and the country rule (list), median of --edits runs each; each times one rule
//            plus the recombination.
//    The cache's hit and miss counters (cumulative in the result) are differenced per run and
//    printed, to show which runs missed.
// 4. The same question in DuckDB SQL in the same page (`SELECT count(*)`, so no rows cross to the
//    page): its count must equal the core's size, for the first definition, for every cold
//    variant, for one edit of each kind and for each rule alone (the bench fails loudly
//    otherwise); median of --duck-runs timed runs of the first definition's query, and the ratio
//    DuckDB / core.
// Also printed: the app's WebAssembly heap (`segx.heapBytes`) after the load and after the runs,
// the model's own memory figure, and DuckDB's pragma database_size.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';

import { serve } from '../../.ci/serve.mjs';
import { startBrowser } from '../web/support/browser_env.mjs';
import { repo } from '../web/support/node_env.mjs';
import { makeBenchSite } from './shop.mjs';

// --- arguments -----------------------------------------------------------------------------

const kUsage = 'usage: node tests/bench/audience_bench.mjs [--users 1000000] [--events 10000000] [--seed 42] [--cold 5] [--warm 5] [--edits 5] [--duck-runs 3] [--timeout-min 30] [--viewport 1280x800]';

function parseArgs(argv) {
  const o = { users: 1_000_000, events: 10_000_000, seed: 42, cold: 5, warm: 5, edits: 5, duckRuns: 3, timeoutMin: 30, viewport: { width: 1280, height: 800 } };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    const int = () => {
      const n = Number(value().replace(/_/g, ''));
      if (!Number.isInteger(n) || n < 1) throw new Error(`${a}: expected a positive integer`);
      return n;
    };
    if (a === '--users') o.users = int();
    else if (a === '--events') o.events = int();
    else if (a === '--seed') o.seed = int();
    else if (a === '--cold') o.cold = int();
    else if (a === '--warm') o.warm = int();
    else if (a === '--edits') o.edits = int();
    else if (a === '--duck-runs') o.duckRuns = int();
    else if (a === '--timeout-min') o.timeoutMin = int();
    else if (a === '--viewport') {
      const m = /^(\d+)x(\d+)$/.exec(value());
      if (!m) throw new Error('--viewport: expected WIDTHxHEIGHT, e.g. 1280x800');
      o.viewport = { width: Number(m[1]), height: Number(m[2]) };
    } else if (a === '-h' || a === '--help') {
      console.log(kUsage);
      process.exit(0);
    } else throw new Error(`unknown argument ${a}\n${kUsage}`);
  }
  if (o.cold > 15) throw new Error('--cold: at most 15 (distinct channel rules run out)');
  return o;
}
const opts = parseArgs(process.argv.slice(2));

const log = (...a) => console.error('[bench]', ...a);
const sec = (ms) => (ms / 1000).toFixed(2);
const msf = (ms) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
const mb = (b) => (b / 2 ** 20).toFixed(1);
const fmtInt = (n) => Number(n).toLocaleString('en-US');
const pct = (x) => `${(100 * x).toFixed(2)}%`;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// --- data ----------------------------------------------------------------------------------

const kFiles = ['users.csv', 'events.csv', 'orders.csv'];

// Generates the set once per (users, events, seed); a manifest records the generator's hash and
// the sizes it made, so later runs reuse files that still match.
function ensureData() {
  const dir = join(repo, 'build/bench-data', `u${opts.users}-e${opts.events}-s${opts.seed}`);
  const manifestPath = join(dir, '.bench-manifest.json');
  const generator = join(repo, 'data/generate.mjs');
  const genHash = createHash('sha256').update(readFileSync(generator)).digest('hex');
  const sizes = () => Object.fromEntries(kFiles.map((f) => [f, existsSync(join(dir, f)) ? statSync(join(dir, f)).size : -1]));
  try {
    const m = JSON.parse(readFileSync(manifestPath, 'utf8'));
    if (m.generator === genHash && JSON.stringify(m.sizes) === JSON.stringify(sizes())) {
      log(`data: ${dir} holds the recorded files; not regenerated`);
      return { dir, sizes: m.sizes, generated: false };
    }
  } catch {
    // no manifest, or unreadable: generate
  }
  const args = ['--users', String(opts.users), '--events', String(opts.events), '--seed', String(opts.seed), '--out', dir];
  log(`data: node data/generate.mjs ${args.join(' ')}`);
  const t = performance.now();
  mkdirSync(dir, { recursive: true });
  rmSync(manifestPath, { force: true });
  execFileSync(process.execPath, [generator, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
  const s = sizes();
  writeFileSync(manifestPath, JSON.stringify({ generator: genHash, users: opts.users, events: opts.events, seed: opts.seed, sizes: s }, null, 2) + '\n');
  log(`data: generated in ${sec(performance.now() - t)} s`);
  return { dir, sizes: s, generated: true };
}

// --- the audience and its SQL ----------------------------------------------------------------

const kCountries = ['United States', 'China', 'United Kingdom', 'Germany', 'Brazil', 'France', 'Canada', 'Japan', 'Australia', 'India', 'Spain'];
const kChannels = ['organic', 'paid_search', 'social', 'email', 'referral'];
// Every 3-country subset, lexicographic; variant k takes subset (37·k) mod 165 (37 and 165 are
// coprime, so no subset repeats within 165 variants). k = 0 is US, China, UK.
const kTriples = [];
for (let a = 0; a < kCountries.length; a++) for (let b = a + 1; b < kCountries.length; b++) for (let c = b + 1; c < kCountries.length; c++) kTriples.push([kCountries[a], kCountries[b], kCountries[c]]);
const triple = (k) => kTriples[(37 * k) % kTriples.length];
// Channel rule of variant k: eq for the first 5, then `in` over pairs (10 more).
const kPairs = [];
for (let a = 0; a < kChannels.length; a++) for (let b = a + 1; b < kChannels.length; b++) kPairs.push([kChannels[a], kChannels[b]]);
const channelRule = (k) => (k < kChannels.length ? { op: 'eq', value: kChannels[k] } : { op: 'in', values: kPairs[k - kChannels.length] });

// The parameters of variant k: all four differ from every other variant's.
const variant = (k) => ({
  countries: triple(k),
  channel: channelRule(k),
  viewDays: 30 + (k % 2 ? (k + 1) / 2 : -k / 2),  // 30, 31, 29, 32, 28, …
  viewCount: 3,
  revenue: 100 + 5 * k,                            // 100, 105, 110, …
});

const rulesOf = (v) => [
  { kind: 'property', attribute: 'country', op: 'in', values: v.countries },
  { kind: 'property', attribute: 'channel', ...v.channel },
  { kind: 'behavior', did: true, event: 'view_item', window: { last_days: v.viewDays }, count: { op: 'gte', value: v.viewCount } },
  { kind: 'behavior', did: true, event: 'purchase', aggregate: { fn: 'sum', of: 'revenue', op: 'gte', value: v.revenue } },
];
const definition = (rules, id = 'bench') => ({ segx: 1, id, name: 'audience bench', root: { match: 'all', rules } });

const lit = (s) => `'${String(s).replace(/'/g, "''")}'`;
// The as-of text from state() as a DuckDB TIMESTAMP literal (UTC, no zone).
const tsLit = (asOf) => `TIMESTAMP ${lit(String(asOf).replace('T', ' ').replace(/Z$/, ''))}`;

// One SQL predicate on u.user_id ("users.csv" u) per rule, as an analyst would write it. Window
// edges as the core's: (as_of − N days, as_of]; all time is (−∞, as_of].
function ruleSql(rule, asOf) {
  const at = tsLit(asOf);
  if (rule.kind === 'property') {
    const col = `u."${rule.attribute}"`;
    if (rule.op === 'eq') return `${col} = ${lit(rule.value)}`;
    if (rule.op === 'in') return `${col} IN (${rule.values.map(lit).join(', ')})`;
  }
  if (rule.kind === 'behavior' && rule.event === 'view_item' && rule.count) {
    return `u.user_id IN (SELECT user_id FROM "events.csv" WHERE event = 'view_item'
      AND "timestamp" > ${at} - INTERVAL ${rule.window.last_days} DAY AND "timestamp" <= ${at}
      GROUP BY user_id HAVING count(*) >= ${rule.count.value})`;
  }
  if (rule.kind === 'behavior' && rule.event === 'purchase' && rule.aggregate) {
    // Revenue lives in orders.csv only (the purchase rows of events.csv carry none).
    return `u.user_id IN (SELECT user_id FROM "orders.csv" WHERE order_time <= ${at}
      GROUP BY user_id HAVING sum(amount) >= ${rule.aggregate.value})`;
  }
  throw new Error(`no SQL for rule ${JSON.stringify(rule)}`);
}
const countSql = (rules, asOf) => `SELECT count(*)::DOUBLE AS n FROM "users.csv" u WHERE ${rules.map((r) => `(${ruleSql(r, asOf)})`).join('\n  AND ')}`;

// --- main ----------------------------------------------------------------------------------

const ds = ensureData();
const loadStart = loadavg()[0];
const site = makeBenchSite(ds.dir, kFiles, 'segx-audience-bench-');
const server = await serve(site, 0);
const origin = `http://127.0.0.1:${server.address().port}`;
const env = await startBrowser({ optimise: true });
let browser;
{
  // browser_env.mjs does not hand out the Browser; borrow it from a page's context (as
  // load_bench.mjs does), so the flags are the browser tests'.
  const p = await env.openPage({ query: '?demo=0' });
  browser = p.context().browser();
  await p.context().close();
}
const chromiumVersion = browser.version();

const problems = [];
const failures = [];
const fail = (msg) => {
  failures.push(msg);
  log(`FAIL: ${msg}`);
};
const R = { runs: {} };

const context = await browser.newContext({ viewport: opts.viewport, deviceScaleFactor: 1 });
const page = await context.newPage();
page.on('console', (m) => (m.type() === 'error' || m.type() === 'warning') && problems.push(`console ${m.type()}: ${m.text()}`));
page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
page.on('crash', () => problems.push('the page crashed'));
page.setDefaultTimeout(opts.timeoutMin * 60_000);

// Times one segx.run in the page; cache counters before and after, so the per-run hits and
// misses come out.
const runCore = (def) =>
  page.evaluate(async (def) => {
    const t = performance.now();
    const r = await window.segx.run(def);
    const ms = performance.now() - t;
    return { ms, ok: r.ok, errors: r.errors, size: r.size, users: r.users, share: r.share, as_of: r.as_of, cache: r.cache };
  }, def);

const runSql = (sql) =>
  page.evaluate(async (sql) => {
    const t = performance.now();
    const rows = await window.segx.sql(sql);
    return { ms: performance.now() - t, n: Number(Object.values(rows[0])[0]) };
  }, sql);

let lastCache = null;
async function timedRun(label, rules) {
  const r = await runCore(definition(rules));
  if (!r.ok) throw new Error(`${label}: segx.run refused the definition: ${JSON.stringify(r.errors)}`);
  const hits = r.cache.hits - (lastCache ? lastCache.hits : 0);
  const misses = r.cache.misses - (lastCache ? lastCache.misses : 0);
  lastCache = r.cache;
  log(`  ${label}: ${msf(r.ms)} ms, size ${fmtInt(r.size)}, cache +${hits} hits / +${misses} misses`);
  return { label, ms: r.ms, size: r.size, hits, misses, users: r.users };
}

try {
  await page.goto(`${origin}/?demo=0`);
  await page.evaluate(() => window.segx.ready());

  // --- load ---
  // Real, disk-backed Files (as a file chooser or a drop gives them), through an <input> of the
  // bench's own, so that segx.loadFiles gets them without the page's picker starting a load.
  // (Files built from fetched bytes are blobs: Chromium failed to read a 650 MiB one back.)
  log(`load: ${kFiles.join(', ')} (${kFiles.map((f) => `${mb(ds.sizes[f])} MiB`).join(', ')}) as disk-backed Files…`);
  await page.evaluate(() => {
    const input = document.createElement('input');
    Object.assign(input, { type: 'file', multiple: true, id: 'bench-files', hidden: true });
    document.body.append(input);
  });
  await page.setInputFiles('#bench-files', kFiles.map((f) => join(ds.dir, f)));
  await page.evaluate(() => (window.__benchFiles = [...document.getElementById('bench-files').files]));
  R.heapBeforeLoad = await page.evaluate(() => window.segx.heapBytes());
  log('load: segx.loadFiles…');
  const load = await page.evaluate(async () => {
    const t0 = performance.now();
    const results = await window.segx.loadFiles(window.__benchFiles);
    window.__benchFiles = null;
    const t1 = performance.now();
    const state = await window.segx.state();
    const t2 = performance.now();
    return { loadFilesMs: t1 - t0, stateMs: t2 - t1, results, state };
  });
  R.load = load;
  for (const x of load.results) if (!x.ok) throw new Error(`loading ${x.name} failed: ${x.error}`);
  const o = load.state.overview;
  R.asOf = load.state.as_of;
  R.heapAfterLoad = await page.evaluate(() => window.segx.heapBytes());
  log(`load: ${sec(load.loadFilesMs + load.stateMs)} s; ${fmtInt(o.users)} users, ${fmtInt(o.events)} events, ${fmtInt(o.orders)} orders; as-of ${R.asOf}; app heap ${mb(R.heapAfterLoad)} MiB`);

  // --- the tables the loader made ---
  R.tables = (await page.evaluate(() => window.segx.sql("SELECT table_name FROM information_schema.tables ORDER BY table_name")))
    .map((r) => r.table_name);
  for (const f of kFiles) if (!R.tables.includes(f)) throw new Error(`DuckDB has no table "${f}" (tables: ${R.tables.join(', ')})`);
  R.usersTableRows = (await runSql('SELECT count(*)::DOUBLE FROM "users.csv"')).n;

  // --- each rule's share, from DuckDB only (the core's cache stays cold) ---
  const base = rulesOf(variant(0));
  const names = ['country in', 'channel eq', 'view_item ≥3 in 30 d', 'purchase revenue ≥ 100'];
  R.ruleShares = [];
  for (let i = 0; i < base.length; i++) {
    const q = await runSql(countSql([base[i]], R.asOf));
    R.ruleShares.push({ name: names[i], rule: base[i], sql: q.n, share: q.n / o.users });
    log(`rule ${i + 1} (${names[i]}): DuckDB ${fmtInt(q.n)} users = ${pct(q.n / o.users)}`);
    if (!(q.n / o.users >= 0.005 && q.n / o.users <= 0.95)) fail(`rule ${i + 1} (${names[i]}) matches ${pct(q.n / o.users)} of the users: not a useful benchmark rule`);
  }

  // --- cold: every rule unseen ---
  log(`cold runs (${opts.cold}), all four rules with values never seen before:`);
  R.runs.cold = [];
  for (let k = 0; k < opts.cold; k++) R.runs.cold.push({ ...(await timedRun(`cold ${k + 1}`, rulesOf(variant(k)))), k });
  // --- warm: the first definition again ---
  log(`warm runs (${opts.warm}), the first definition again:`);
  R.runs.warm = [];
  for (let j = 0; j < opts.warm; j++) R.runs.warm.push(await timedRun(`warm ${j + 1}`, base));
  // --- one-rule edits ---
  log(`one-rule edits (${opts.edits} each): purchase rule (revenue threshold), view_item rule (window), property rule (country list):`);
  R.runs.editBehavior = [];
  R.runs.editView = [];
  R.runs.editProperty = [];
  const editB = (j) => base.map((r, i) => (i === 3 ? { ...r, aggregate: { ...r.aggregate, value: 200 + 10 * j } } : r));
  const editV = (j) => base.map((r, i) => (i === 2 ? { ...r, window: { last_days: 60 + j } } : r));
  const editP = (j) => base.map((r, i) => (i === 0 ? { ...r, values: triple(opts.cold + j) } : r));
  for (let j = 0; j < opts.edits; j++) R.runs.editBehavior.push({ ...(await timedRun(`edit purchase ${j + 1} (revenue ≥ ${200 + 10 * j})`, editB(j))), rules: editB(j) });
  for (let j = 0; j < opts.edits; j++) R.runs.editView.push({ ...(await timedRun(`edit view_item ${j + 1} (last ${60 + j} days)`, editV(j))), rules: editV(j) });
  for (let j = 0; j < opts.edits; j++) R.runs.editProperty.push({ ...(await timedRun(`edit property ${j + 1} (${triple(opts.cold + j).join(', ')})`, editP(j))), rules: editP(j) });

  // --- DuckDB: the same counts ---
  log('DuckDB checks: the same count for every cold variant, the first edit of each kind, each rule alone:');
  R.checks = [];
  const check = async (label, rules, coreSize) => {
    const q = await runSql(countSql(rules, R.asOf));
    R.checks.push({ label, core: coreSize, duckdb: q.n, ms: q.ms });
    log(`  ${label}: core ${fmtInt(coreSize)}, DuckDB ${fmtInt(q.n)} (${msf(q.ms)} ms)${q.n === coreSize ? '' : '  MISMATCH'}`);
    if (q.n !== coreSize) fail(`${label}: the core says ${coreSize} users, DuckDB ${q.n}`);
    return q;
  };
  for (const c of R.runs.cold) await check(`cold variant ${c.k + 1}`, rulesOf(variant(c.k)), c.size);
  await check('edit purchase 1', R.runs.editBehavior[0].rules, R.runs.editBehavior[0].size);
  await check('edit view_item 1', R.runs.editView[0].rules, R.runs.editView[0].size);
  await check('edit property 1', R.runs.editProperty[0].rules, R.runs.editProperty[0].size);
  for (let i = 0; i < base.length; i++) {
    const alone = await runCore(definition([base[i]]));  // cached by now: cheap
    await check(`rule ${i + 1} alone (${names[i]})`, [base[i]], alone.size);
  }
  for (const w of R.runs.warm) if (w.size !== R.runs.cold[0].size) fail(`warm run size ${w.size} differs from the first run's ${R.runs.cold[0].size}`);
  if (R.runs.cold[0].size === 0) fail('the audience is empty: pick rules that leave some users');

  // --- DuckDB timing of the first definition ---
  R.sql = countSql(base, R.asOf);
  R.runs.duck = [];
  for (let j = 0; j < opts.duckRuns; j++) {
    const q = await runSql(R.sql);
    R.runs.duck.push(q);
    log(`  DuckDB ${j + 1}: ${msf(q.ms)} ms, count ${fmtInt(q.n)}`);
  }
  // The round trip of segx.sql alone, for scale.
  const trips = [];
  for (let j = 0; j < 3; j++) trips.push((await runSql('SELECT 1::DOUBLE')).ms);
  R.sqlTrip = median(trips);

  R.heapAfterRuns = await page.evaluate(() => window.segx.heapBytes());
  try {
    R.dbSize = (await page.evaluate(() => window.segx.sql('SELECT * FROM pragma_database_size()')))[0];
  } catch (e) {
    R.dbSize = null;
  }
  R.overview = o;
} catch (e) {
  fail(String(e.stack || e));
} finally {
  await context.close().catch(() => {});
  await env.close();
  await new Promise((r) => server.close(r));
  rmSync(site, { recursive: true, force: true });
}

// --- report --------------------------------------------------------------------------------

const machine = `${cpus().length} cores (${cpus()[0] ? cpus()[0].model.trim() : '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GB RAM, Chromium ${chromiumVersion} headless, WebGL2 through SwiftShader (no GPU), Node ${process.version}`;
const vp = `${opts.viewport.width}x${opts.viewport.height}`;
const defaults = parseArgs([]);
const extra = ['seed', 'cold', 'warm', 'edits', 'duckRuns', 'timeoutMin'].filter((k) => opts[k] !== defaults[k])
  .map((k) => ` --${k.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())} ${opts[k]}`).join('');
const command = `node tests/bench/audience_bench.mjs --users ${opts.users} --events ${opts.events}${extra}${vp !== '1280x800' ? ` --viewport ${vp}` : ''}`;
console.log(`\n## segx audience benchmark\n\nmachine: ${machine}\nviewport: ${vp} CSS px at device scale 1\nload average (1 min) at start ${loadStart.toFixed(2)}, at end ${loadavg()[0].toFixed(2)} (other work on the machine skews the times)\ncommand: ${command}\ndata: ${ds.dir}${ds.generated ? ' (generated by this run)' : ' (reused)'}: ${kFiles.map((f) => `${f} ${mb(ds.sizes[f])} MiB`).join(', ')}\n`);

const med = (xs, f = (x) => x.ms) => (xs && xs.length ? median(xs.map(f)) : NaN);
const show = (v, f) => (Number.isFinite(v) ? f(v) : 'failed');
if (R.overview) {
  const o = R.overview;
  const cold = med(R.runs.cold), warm = med(R.runs.warm), editB = med(R.runs.editBehavior), editV = med(R.runs.editView), editP = med(R.runs.editProperty), duck = med(R.runs.duck);
  const first = R.runs.cold && R.runs.cold.length ? R.runs.cold[0].ms : NaN;
  const hm = (xs) => (xs && xs.length ? [...new Set(xs.map((x) => `${x.hits}/${x.misses}`))].join(', ') : '?');
  console.log('| users | events | orders | load s | cold ms: median (first) | warm ms | one-rule edit ms: purchase / view_item / country | DuckDB ms | DuckDB / core cold | app heap MiB |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  console.log(`| ${fmtInt(o.users)} | ${fmtInt(o.events)} | ${fmtInt(o.orders)} | ${sec(R.load.loadFilesMs + R.load.stateMs)} | ${show(cold, msf)} (${show(first, msf)}) | ${show(warm, msf)} | ${show(editB, msf)} / ${show(editV, msf)} / ${show(editP, msf)} | ${show(duck, msf)} | ${show(duck / cold, (v) => v.toFixed(1))} | ${mb(R.heapAfterRuns ?? R.heapAfterLoad)} |`);
  console.log(`
- audience (all of): ${R.ruleShares.map((r) => `${r.name === 'country in' ? `country in [${r.rule.values.join(', ')}]` : r.name === 'channel eq' ? `channel eq ${r.rule.value}` : r.name} (${pct(r.share)})`).join('; ')}
  → ${R.runs.cold.length ? `${fmtInt(R.runs.cold[0].size)} users (${pct(R.runs.cold[0].size / o.users)})` : '?'}; as-of ${R.asOf}.
- times are wall time in the page around \`await segx.run(definition)\` (size only) or
  \`await segx.sql('SELECT count(*) …')\`; medians. cache hits/misses per run: cold ${hm(R.runs.cold)}, warm ${hm(R.runs.warm)},
  edit purchase ${hm(R.runs.editBehavior)}, edit view_item ${hm(R.runs.editView)}, edit country ${hm(R.runs.editProperty)}.
  cold = the first run after the load (first) and runs with all four rule values unseen; edit =
  the first definition with one rule changed to an unseen value, so it times that rule alone.
- ratios: DuckDB / core cold ${show(duck / cold, (v) => v.toFixed(1))}, DuckDB / core warm ${show(duck / warm, (v) => v.toFixed(0))},
  DuckDB / core edit: purchase ${show(duck / editB, (v) => v.toFixed(1))}, view_item ${show(duck / editV, (v) => v.toFixed(1))}, country ${show(duck / editP, (v) => v.toFixed(0))};
  a segx.sql round trip alone (SELECT 1) takes ${show(R.sqlTrip, msf)} ms.
- load: segx.loadFiles of the three files ${sec(R.load.loadFilesMs)} s + first state() ${sec(R.load.stateMs)} s.
- memory: app WASM heap ${mb(R.heapBeforeLoad)} MiB before the load, ${mb(R.heapAfterLoad)} MiB after it, ${mb(R.heapAfterRuns ?? NaN)} MiB after the runs; model memory_bytes ${mb(o.memory_bytes)} MiB;
  DuckDB database_size: ${R.dbSize ? `memory_usage ${R.dbSize.memory_usage}, memory_limit ${R.dbSize.memory_limit}` : 'unavailable'}.`);
  console.log('\n### details');
  for (const x of R.load.results) console.log(`load ${x.name}: ${fmtInt(x.rows)} rows, ${x.format}, ${x.encoding}, mapped as ${x.mapping && x.mapping.kind}; ms ${x.ms ? Object.entries(x.ms).map(([k, v]) => `${k} ${msf(v)}`).join(', ') : '?'}`);
  const line = (name, xs) => xs && console.log(`${name}: ${xs.map((x) => `${msf(x.ms)} ms (${fmtInt(x.size)}, +${x.hits}h/+${x.misses}m)`).join('; ')}`);
  line('cold', R.runs.cold);
  line('warm', R.runs.warm);
  line('edit purchase', R.runs.editBehavior);
  line('edit view_item', R.runs.editView);
  line('edit property', R.runs.editProperty);
  if (R.runs.duck) console.log(`DuckDB: ${R.runs.duck.map((q) => `${msf(q.ms)} ms (${fmtInt(q.n)})`).join('; ')}`);
  if (R.checks) console.log(`checks (core = DuckDB): ${R.checks.map((c) => `${c.label} ${fmtInt(c.core)}${c.core === c.duckdb ? '' : ` ≠ ${fmtInt(c.duckdb)}`} [${msf(c.ms)} ms]`).join('; ')}`);
  if (R.sql) console.log(`DuckDB query:\n${R.sql}`);
}
if (problems.length) console.log(`\nconsole: ${problems.slice(0, 10).join(' | ')}`);
if (failures.length) {
  console.log(`\nFAILED:\n${failures.map((f) => `- ${f}`).join('\n')}`);
  process.exitCode = 1;
}
