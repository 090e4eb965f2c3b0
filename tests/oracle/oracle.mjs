// The differential oracle: generated definitions of every kind that compiles to SQL, answered
// by the core (the WASM module, over data loaded through the page's loader into DuckDB-wasm)
// and by DuckDB running the SQL the core compiles, over the same files. They must agree
// exactly: members for audiences, per-step users (and breakdown rows) for funnels, every
// customer's R, F, M scores and segment for RFM, every cohort cell for retention, every period's
// stages for lifecycles, every group's figures for boards (money to 1e-9 relative: sums in
// another order). A disagreement is shrunk to a
// smallest definition that still disagrees and printed.
//
//   node --no-experimental-fetch tests/oracle/oracle.mjs            # the CI corpus (a few hundred)
//   node --no-experimental-fetch tests/oracle/oracle.mjs --full     # thousands, by hand
//   node --no-experimental-fetch tests/oracle/oracle.mjs --seed 9 --count 500
//
// Data: the bundled demo, and a small shop made to break things (edge_data.mjs).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { loadAll, runSql } from '../web/support/contract_tables.mjs';
import { day, sqlRows } from '../web/support/rng.mjs';
import { repo, startCore, startDuckDB } from '../web/support/node_env.mjs';
import { edgeShop } from './edge_data.mjs';
import { generateAudiences, generateFunnels, generateLifecycles, generateRetentions, generateRfms, readSchema } from './generate.mjs';
import { minimise } from './minimise.mjs';

export const DATASETS = {
  demo: () => ['users.csv', 'orders.csv', 'events.csv'].map((n) => [n, new Uint8Array(readFileSync(join(repo, 'data/demo', n)))]),
  edge: () => Object.entries(edgeShop().files).map(([n, text]) => [n, new TextEncoder().encode(text)]),
};

// Loads a dataset into a fresh core and DuckDB; saves a few audiences and funnels for the
// generated reference rules.
export async function openDataset(name) {
  const bridge = await startCore();
  const db = await startDuckDB();
  await loadAll(bridge, db, DATASETS[name]());
  const schema = readSchema(db);
  const units = bridge.checkAudience({ segx: 1, root: { match: 'all', rules: [{ kind: 'behavior', event: 'x', count: { op: 'gte', value: 1, unit: 'orders' } }] } }).ok;
  const saved = {
    audiences: generateAudiences(schema, { count: 3, seed: 11, units }),
    funnels: generateFunnels(schema, { count: 2, seed: 12 }).map((f) => ({ ...f, audience: undefined, breakdown: undefined })),
    rfms: generateRfms(schema, { count: 3, seed: 13 }),
  };
  const r = bridge.loadWorkspace(JSON.stringify({
    segx: 1,
    audiences: Object.fromEntries(saved.audiences.map((a) => [a.id, a])),
    funnels: Object.fromEntries(saved.funnels.map((f) => [f.id, JSON.parse(JSON.stringify(f))])),
    rfms: Object.fromEntries(saved.rfms.map((x) => [x.id, x])),
  }));
  if (!r.ok) throw new Error(`${name}: the saved definitions did not load: ${r.problem}`);
  return { name, bridge, db, schema, units, saved };
}

// {agree, core, sql} for one definition; refused when the core or the compiler refuses it.
export function check(ds, def) {
  const { bridge, db } = ds;
  const core = bridge.run(def, { members: def.kind === undefined || def.kind === 'rfm' });
  if (!core.ok) return { refused: 'core', errors: core.errors };
  const compiled = bridge.sql(def);
  if (!compiled.ok) return { refused: 'sql', errors: compiled.errors };
  if (ANALYSES[def.kind]) {
    const { core: coreRows, sql: sqlShape } = ANALYSES[def.kind];
    const want = coreRows(core);
    const got = sqlRows(db, compiled.sql).map(sqlShape);
    const agree = sameRows(got, want);
    return { agree, core: want.length, sql: got.length, text: compiled.sql, diff: agree ? [] : firstDiff(got, want) };
  }
  if (def.kind === 'funnel') {
    const stmt = db.conn.prepare(compiled.sql);
    let rows;
    try {
      rows = stmt.query().toArray().map((x) => x.toJSON());
    } finally {
      stmt.close();
    }
    const coreSteps = core.steps.map((x) => x.users);
    if (def.breakdown) {
      // One row per (breakdown row, step): compared with the core's breakdown rows, and their
      // sums per step with its totals (a breakdown adds up). Numbers compare as numbers: DuckDB
      // writes a double 1 as "1.0".
      const norm = (v) => (v !== null && v !== undefined && v !== '' && !Number.isNaN(Number(v)) ? String(Number(v)) : v ?? null);
      const got = [];
      for (const x of rows) {
        if (Number(x.step) === 1) got.push({ row: x.row, value: norm(x.value), steps: [] });
        got[got.length - 1].steps.push(Number(x.users));
      }
      const want = core.breakdown.map((b) => ({ row: b.row, value: norm(b.value), steps: b.steps.map((x) => x.users) }));
      const sums = coreSteps.map((_, k) => got.reduce((n, b) => n + (b.steps[k] || 0), 0));
      const agree = JSON.stringify(got) === JSON.stringify(want) && JSON.stringify(sums) === JSON.stringify(coreSteps);
      return { agree, core: want, sql: got, text: compiled.sql };
    }
    const sqlSteps = rows.map((x) => Number(x.users));
    return { agree: JSON.stringify(sqlSteps) === JSON.stringify(coreSteps), core: coreSteps, sql: sqlSteps, text: compiled.sql };
  }
  const rows = runSql(db, compiled.sql);
  const a = [...core.members].sort();
  const b = [...rows].sort();
  const agree = a.length === b.length && a.every((x, i) => x === b[i]);
  return { agree, core: a.length, sql: b.length, text: compiled.sql, diff: agree ? [] : symmetricDiff(a, b) };
}

// Per analysis kind: the core's answer and DuckDB's rows in one shape (arrays of flat objects).
const STAGES = ['new', 'returning', 'resurrecting', 'dormant'];
const GROUP_STATS = ['pool', 'active', 'buyers', 'orders', 'revenue'];
const ANALYSES = {
  rfm: {
    core: (a) => a.members.user_id.map((id, i) => ({ user_id: id, r: a.members.r[i], f: a.members.f[i], m: a.members.m[i], segment: a.members.segment[i] }))
      .sort((x, y) => (x.user_id < y.user_id ? -1 : x.user_id > y.user_id ? 1 : 0)),
    sql: (x) => ({ user_id: String(x.user_id), r: x.r, f: x.f, m: x.m, segment: x.segment }),
  },
  retention: {
    core: (a) => a.cohorts.flatMap((c) => c.counts.map((users, k) => ({ cohort: c.start, period: k, users, complete: Boolean(c.complete[k]) }))),
    sql: (x) => ({ cohort: day(x.cohort), period: x.period, users: x.users, complete: x.complete }),
  },
  lifecycle: {
    core: (a) => a.periods.map((p) => ({ period: p.start, complete: p.complete, ...Object.fromEntries(STAGES.map((k) => [k, p[k]])) })),
    sql: (x) => ({ period: day(x.period), complete: x.complete, ...Object.fromEntries(STAGES.map((k) => [k, x[k]])) }),
  },
  board: {
    core: (a) => [['current', a.groups], ['previous', a.previous.groups]].flatMap(([window, groups]) =>
      ['new', 'returning', 'dormant'].map((g) => ({ window, group: g, ...Object.fromEntries(GROUP_STATS.map((k) => [k, groups[g][k]])) }))),
    sql: (x) => ({ window: x.window, group: x.group, ...Object.fromEntries(GROUP_STATS.map((k) => [k, x[k]])) }),
  },
};

// Equal row by row; numbers unless both whole to 1e-9 relative (money summed in another order
// can land a hair off a whole number).
function sameRows(got, want) {
  if (got.length !== want.length) return false;
  return got.every((g, i) => Object.keys(want[i]).every((k) => {
    const a = g[k], b = want[i][k];
    if (typeof a === 'number' && typeof b === 'number' && !(Number.isInteger(a) && Number.isInteger(b))) return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
    return a === b;
  }));
}

function firstDiff(got, want) {
  for (let i = 0; i < Math.max(got.length, want.length); i++)
    if (!sameRows([got[i] ?? {}], [want[i] ?? {}])) return [`row ${i}: core ${JSON.stringify(want[i])} sql ${JSON.stringify(got[i])}`];
  return [];
}

function symmetricDiff(a, b) {
  const sa = new Set(a), sb = new Set(b);
  return [...a.filter((x) => !sb.has(x)).map((x) => `core only: ${x}`), ...b.filter((x) => !sa.has(x)).map((x) => `sql only: ${x}`)].slice(0, 5);
}

// The default settings' segments (DESIGN §5: the 10-segment R×F grid).
const DEFAULT_SEGMENTS = ['Champions', 'Loyal Customers', 'Potential Loyalists', 'New Customers', 'Promising', 'Need Attention', 'About To Sleep', 'At Risk', "Can't Lose Them", 'Hibernating'];

// Runs `count` generated audiences, count / 2 funnels, count / 10 RFM settings and retentions
// and count / 5 lifecycles and boards; returns the disagreements (shrunk)
// and the definitions refused (a generator that writes what the reader refuses is a bug too).
export function runCorpus(ds, { count, seed }) {
  const opts = {
    units: ds.units,
    audiences: ds.saved.audiences.map((a) => a.id),
    funnels: ds.saved.funnels.map((f) => ({ id: f.id, steps: f.steps.length })),
    rfms: [{ segments: DEFAULT_SEGMENTS, method: 'quantile' }, ...ds.saved.rfms.map((x) => ({ id: x.id, method: x.method, segments: (x.segments || []).map((g) => g.name) }))]
      .map((x) => (x.segments.length ? x : { ...x, segments: DEFAULT_SEGMENTS })),
    lifecycle: true,
    retention: true,
  };
  const analyses = Math.ceil(count / 10);
  const defs = [
    ...generateAudiences(ds.schema, { count, seed, prefix: 'oracle-q', ...opts }),
    ...generateRfms(ds.schema, { count: analyses, seed: seed + 2 }),
    ...generateRetentions(ds.schema, { count: analyses, seed: seed + 3, audiences: opts.audiences }),
    ...generateLifecycles(ds.schema, { count: 2 * analyses, seed: seed + 4, audiences: opts.audiences }),
    ...generateFunnels(ds.schema, { count: Math.ceil(count / 2), seed: seed + 1, audiences: opts.audiences })
      .map((f) => (f.audience && f.audience.kind ? { ...f, audience: { match: f.audience.match, rules: f.audience.rules, ...(f.audience.negate ? { negate: true } : {}) } } : f)),
  ];
  const mismatches = [];
  const refused = [];
  for (const def of defs) {
    const r = check(ds, def);
    if (r.refused) {
      refused.push({ def, ...r });
      continue;
    }
    if (r.agree) continue;
    const small = minimise(def, (d) => {
      const x = check(ds, d);
      return !x.refused && !x.agree;
    });
    mismatches.push({ dataset: ds.name, definition: small, result: check(ds, small), original: def.id });
  }
  return { checked: defs.length, mismatches, refused };
}

async function main(argv) {
  const full = argv.includes('--full');
  const arg = (k, d) => (argv.includes(k) ? Number(argv[argv.indexOf(k) + 1]) : d);
  const count = arg('--count', full ? 2000 : 150);
  const seed = arg('--seed', 20261204);
  let failed = 0;
  for (const name of Object.keys(DATASETS)) {
    const ds = await openDataset(name);
    const t0 = performance.now();
    const r = runCorpus(ds, { count, seed });
    console.log(`${name}: ${r.checked} definitions, ${r.mismatches.length} disagreements, ${r.refused.length} refused (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    for (const m of r.mismatches) console.log(JSON.stringify(m, null, 1));
    for (const x of r.refused.slice(0, 5)) console.log(`refused by ${x.refused}: ${JSON.stringify(x.errors.slice(0, 2))}\n  ${JSON.stringify(x.def)}`);
    failed += r.mismatches.length;
  }
  process.exit(failed ? 1 : 0);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main(process.argv.slice(2));
