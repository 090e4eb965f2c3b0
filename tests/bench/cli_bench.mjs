// Command-line runner benchmark, run by hand (not part of .ci/test):
//
//   node tests/bench/cli_bench.mjs [--events 10000000] [--users N] [--threads 1,2] [--seed 42]
//       [--database DIR] [--memory-limit 8GB] [--trace]
//
// --database DIR keeps each run's tables in a DuckDB file under DIR (removed after the run)
// instead of the runner's choice (memory, or a temporary file past 1 GiB of input);
// --memory-limit is passed to the runner (DuckDB's memory_limit), and so is --trace (each
// statement's time and memory on standard error).
//
// 1. Data: `node data/generate.mjs --users U --events E --seed S --out build/bench-data/cli-uU-eE-sS`
//    (skipped when the three files are there; U defaults to E / 10).
// 2. For each thread count, `node tools/segx.mjs run` over the three CSV files: a 4-rule audience
//    (country, 2+ purchases, a view in the last 30 days, 100+ spent in a year) and the 4-step
//    ordered funnel view_item → add_to_cart → begin_checkout → purchase with a 7-day window.
// Printed per run: load (DuckDB reading and mapping the files), compile (the WASM core over a
// sample of the schema), query (DuckDB running the compiled SQL and writing the answer), the
// wall time of the whole process and its peak resident memory (GNU time's %M), and the answer's
// row count.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';

import { repo } from '../web/support/node_env.mjs';

function parseArgs(argv) {
  const o = { events: 10_000_000, users: 0, threads: [1, 2], seed: 42, database: '', memoryLimit: '', trace: false };
  for (let i = 0; i < argv.length; i += 2) {
    const [k, v] = [argv[i], argv[i + 1]];
    if (k === '--trace') {
      o.trace = true;
      --i;
    } else if (k === '--threads') o.threads = String(v).split(',').map(Number);
    else if (['--events', '--users', '--seed'].includes(k)) o[k.slice(2)] = Number(v);
    else if (k === '--database') o.database = v;
    else if (k === '--memory-limit') o.memoryLimit = v;
    else throw new Error(`usage: see the header of tests/bench/cli_bench.mjs (unknown ${k})`);
  }
  if (!o.users) o.users = Math.max(1000, Math.round(o.events / 10));
  for (const n of [o.events, o.users, ...o.threads]) if (!Number.isInteger(n) || n < 1) throw new Error('expected whole numbers ≥ 1');
  return o;
}

const o = parseArgs(process.argv.slice(2));
const dir = join(repo, 'build/bench-data', `cli-u${o.users}-e${o.events}-s${o.seed}`);
const files = ['users.csv', 'events.csv', 'orders.csv'].map((f) => join(dir, f));
if (!files.every((f) => existsSync(f))) {
  mkdirSync(dir, { recursive: true });
  execFileSync(process.execPath, [join(repo, 'data/generate.mjs'), '--users', String(o.users), '--events', String(o.events),
    '--seed', String(o.seed), '--out', dir], { stdio: 'inherit' });
}
const bytes = files.reduce((n, f) => n + statSync(f).size, 0);

const group = (...rules) => ({ kind: 'group', match: 'all', rules });
const workspace = {
  segx: 1,
  audiences: {
    bench: {
      segx: 1, id: 'bench', name: 'Bench audience',
      root: group(
        { kind: 'property', attribute: 'country', op: 'in', values: ['United States', 'China', 'Germany'] },
        { kind: 'behavior', event: 'purchase', count: { op: 'gte', value: 2 } },
        { kind: 'behavior', event: 'page_view', window: { last_days: 30 } },
        { kind: 'behavior', event: 'purchase', window: { last_days: 365 }, aggregate: { fn: 'sum', of: 'revenue', op: 'gte', value: 100 } }),
    },
  },
  funnels: {
    'bench-funnel': {
      segx: 1, kind: 'funnel', id: 'bench-funnel', name: 'Bench funnel', window: { days: 7 },
      steps: ['view_item', 'add_to_cart', 'begin_checkout', 'purchase'].map((event) => ({ event })),
    },
  },
};
// The run's own files go to a scratch folder, never beside the data (which may be shared).
const scratch = mkdtempSync(join(tmpdir(), 'segx-cli-bench-'));
const ws = join(scratch, 'workspace.json');
writeFileSync(ws, JSON.stringify(workspace));

console.log(`segx run: ${o.events.toLocaleString('en-US')} events, ${o.users.toLocaleString('en-US')} users, ` +
  `${(bytes / 2 ** 30).toFixed(2)} GiB of CSV; ${o.database ? `tables in a database file under ${o.database}` : 'tables where the runner puts them (a temporary database file past 1 GiB of input)'}` +
  `${o.memoryLimit ? `, memory limit ${o.memoryLimit}` : ''}; ${cpus().length} × ${cpus()[0].model}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, load ${loadavg()[0].toFixed(2)}`);
console.log('| definition | threads | load | compile | query | wall | peak RSS | rows | load average after (1, 5, 15 min) |');
console.log('|---|---|---|---|---|---|---|---|---|');
const fmt = (ms) => `${(ms / 1000).toFixed(1)} s`;
for (const threads of o.threads) {
  for (const definition of ['bench', 'bench-funnel']) {
    const summary = join(scratch, 'summary.json');
    const out = join(scratch, 'answer.csv');
    const timeOut = join(scratch, 'time.txt');
    const database = o.database ? join(o.database, `segx-bench-${process.pid}.duckdb`) : '';
    const extra = [...(database ? ['--database', database] : []), ...(o.memoryLimit ? ['--memory-limit', o.memoryLimit] : []),
      ...(o.trace ? ['--trace'] : [])];
    rmSync(summary, { force: true });
    let failed = '';
    try {
      execFileSync('/usr/bin/time', ['-f', '%e %M', '-o', timeOut, process.execPath, join(repo, 'tools/segx.mjs'), 'run', '--quiet',
        '--workspace', ws, '--definition', definition, '--threads', String(threads), '--out', out, '--summary', summary, ...extra, ...files],
        { stdio: 'inherit' });
    } catch (e) {
      failed = `failed (exit ${e.status})`;
    }
    const s = failed ? null : JSON.parse(readFileSync(summary, 'utf8'));
    const [wall, rssKb] = readFileSync(timeOut, 'utf8').trim().split('\n').pop().split(' ').map(Number);
    const cells = s ? [fmt(s.ms.load), fmt(s.ms.compile), fmt(s.ms.query)] : [failed, '', ''];
    console.log(`| ${definition} | ${threads} | ${cells.join(' | ')} | ${wall.toFixed(1)} s | ` +
      `${(rssKb / 2 ** 20).toFixed(2)} GiB | ${s ? s.rows.toLocaleString('en-US') : ''} | ${loadavg().map((x) => x.toFixed(1)).join(' ')} |`);
    rmSync(out, { force: true });
    if (database) for (const f of [database, `${database}.wal`]) rmSync(f, { force: true });
  }
}
rmSync(scratch, { recursive: true, force: true });
