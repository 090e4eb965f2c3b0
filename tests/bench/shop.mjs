// Shared by the Node benchmarks (funnel, RFM, retention): their arguments, a median timer, and
// the generated shop loaded through the page's loader into the WASM core and DuckDB-wasm (with
// the SQL contract's tables), made once per size under build/bench-data/.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import { loadAll } from '../web/support/contract_tables.mjs';
import { repo, startCore, startDuckDB } from '../web/support/node_env.mjs';

// --users, --events, --seed, --runs, --duck-runs (whole numbers ≥ 1) over `defaults`.
export function benchArgs(argv, defaults, script) {
  const o = { seed: 42, runs: 5, duckRuns: 3, ...defaults };
  const keys = { '--users': 'users', '--events': 'events', '--seed': 'seed', '--runs': 'runs', '--duck-runs': 'duckRuns' };
  for (let i = 0; i < argv.length; i += 2) {
    const key = keys[argv[i]];
    const value = Number(argv[i + 1]);
    if (!key || !Number.isInteger(value) || value < 1) throw new Error(`usage: see the header of tests/bench/${script} (bad ${argv[i]})`);
    o[key] = value;
  }
  return o;
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

// The median wall time of fn over `inputs` (one call each) and the last result.
export function timedEach(inputs, fn) {
  const times = [];
  let result;
  for (const x of inputs) {
    const t0 = performance.now();
    result = fn(x);
    times.push(performance.now() - t0);
  }
  return { ms: median(times), result };
}

export const timed = (fn, runs) => timedEach(Array.from({ length: runs }, (_, i) => i), () => fn());

// The generated shop's files for `o` ({users, events, seed}) under build/bench-data/, made by
// data/generate.mjs unless a manifest says they are there from the same generator source.
export function ensureShopFiles(o) {
  const dir = join(repo, 'build/bench-data', `u${o.users}-e${o.events}-s${o.seed}`);
  const files = ['users.csv', 'orders.csv', 'events.csv'];
  const generator = join(repo, 'data/generate.mjs');
  const hash = createHash('sha256').update(readFileSync(generator)).digest('hex');
  const sizes = () => Object.fromEntries(files.map((f) => [f, existsSync(join(dir, f)) ? statSync(join(dir, f)).size : -1]));
  const manifest = join(dir, '.bench-manifest.json');
  try {
    const m = JSON.parse(readFileSync(manifest, 'utf8'));
    if (m.generator === hash && JSON.stringify(m.sizes) === JSON.stringify(sizes())) return { dir, sizes: m.sizes };
  } catch {
    // no manifest: generate
  }
  mkdirSync(dir, { recursive: true });
  execFileSync(process.execPath, [generator, '--users', String(o.users), '--events', String(o.events), '--seed', String(o.seed), '--out', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
  writeFileSync(manifest, JSON.stringify({ generator: hash, users: o.users, events: o.events, seed: o.seed, sizes: sizes() }, null, 2) + '\n');
  return { dir, sizes: sizes() };
}

// A copy of build/site (others may rebuild it while a benchmark runs; SEGX_SITE: another build)
// beside it in bench-data/ (symbolic links), so that the page can read them as Files. The
// caller removes it.
export function makeBenchSite(dir, files, prefix = 'segx-bench-') {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const site = process.env.SEGX_SITE || join(repo, 'build/site'); // another build, for an A/B by hand
  for (const e of readdirSync(site)) cpSync(join(site, e), join(root, e), { recursive: true });
  mkdirSync(join(root, 'bench-data'));
  for (const f of files) symlinkSync(join(dir, f), join(root, 'bench-data', f));
  return root;
}

// The shop of `o` (generated when missing), loaded into a fresh core and DuckDB-wasm; prints
// the data's and the machine's figures.
export async function loadShop(o) {
  const dir = join(repo, 'build/bench-data', `funnel-u${o.users}-e${o.events}-s${o.seed}`);
  const files = ['users.csv', 'orders.csv', 'events.csv'];
  if (!files.every((f) => existsSync(join(dir, f)))) {
    mkdirSync(dir, { recursive: true });
    execFileSync(process.execPath, [join(repo, 'data/generate.mjs'), '--users', String(o.users), '--events', String(o.events),
      '--seed', String(o.seed), '--out', dir], { stdio: 'inherit' });
  }
  const bridge = await startCore();
  const db = await startDuckDB();
  const t0 = performance.now();
  await loadAll(bridge, db, files.map((n) => [n, readFileSync(join(dir, n))]));
  const loadMs = performance.now() - t0;
  const overview = bridge.state('overview');
  console.log(`data: ${overview.users} users, ${overview.events} events (${dir}); loaded into both in ${(loadMs / 1000).toFixed(1)} s`);
  console.log(`machine: ${cpus().length} cores (${cpus()[0].model}), load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  return { bridge, M: bridge.M, db, dir, loadMs, overview };
}
