// The hostile-input corpus (issue 17; cases in tests/web/node/hostile/, described in its README):
// every case gives a clear error naming the input or the right result, and after each one the
// module still answers, the loaded data and the saved work are unchanged, and nothing tried to
// reach the network.
import assert from 'node:assert/strict';
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';

import { explainLocked } from '../../../web/duckdb_lock.js';
import { Loads } from '../../../web/loads.js';
import { parseImport } from '../../../web/workspace.js';
import { startCore, startDuckDB } from '../support/node_env.mjs';
import { definitionCases } from './hostile/definitions.mjs';
import { fileCases } from './hostile/files.mjs';
import { jsonParquetCases } from './hostile/json_parquet.mjs';
import { mappingCases } from './hostile/mappings.mjs';
import { sqlCases } from './hostile/sql.mjs';
import { timeSumCases } from './hostile/times_sums.mjs';
import { workspaceCases } from './hostile/workspace.mjs';

// Any attempt to open a connection is recorded (and refused): there is no network in CI, and
// the page must not want one.
const attempts = [];
const refuse = (what) => (...args) => {
  attempts.push(`${what} ${String(args[0] && (args[0].href || args[0].host || args[0])).slice(0, 120)}`);
  throw new Error(`hostile corpus: ${what} is not allowed`);
};
net.Socket.prototype.connect = refuse('net.connect');
http.request = refuse('http.request');
http.get = refuse('http.get');
https.request = refuse('https.request');
https.get = refuse('https.get');
dns.lookup = refuse('dns.lookup');
globalThis.fetch = refuse('fetch');
globalThis.XMLHttpRequest = function XMLHttpRequest() {
  refuse('XMLHttpRequest')('');
};
// web/loads.js yields to the page between chunks.
globalThis.requestAnimationFrame ??= (f) => setImmediate(() => f(performance.now()));

const kEvents = 'user_id,event,time\nu1,view,2024-03-01 10:00:00\nu2,view,2024-03-01 11:00:00\nu1,buy,2024-03-02 09:30:00\nu3,view,2024-03-03 08:00:00\n';
const kOrders = 'user_id,order_id,time,amount\nu1,o1,2024-03-02 09:30:00,25.5\nu2,o2,2024-03-03 12:00:00,10\n';
const kUsers = 'user_id,country\nu1,CN\nu2,US\nu3,JP\n';
export const kSavedAudience = {
  segx: 1, id: 'buyers', name: 'Buyers',
  root: { kind: 'group', match: 'all', rules: [{ kind: 'behavior', did: true, event: 'buy' }] },
};
const kBaseFiles = ['events.csv', 'orders.csv', 'users.csv'];

// The page's adapter is asynchronous (web/duckdb_browser.js); the Node build answers at once.
const pageAdapter = (db) => ({ ...db, query: async (sql) => db.query(sql), dropFile: async (n) => db.dropFile(n), registerBuffer: async (n, b) => db.registerBuffer(n, b) });

// A core, a locked-down DuckDB and the page's loader over them, with the base files loaded and
// one audience saved.
async function startEnv() {
  const bridge = await startCore();
  const db = await startDuckDB();
  const loads = new Loads({ db: pageAdapter(db), bridge });
  const results = await loads.load([
    { name: 'events.csv', bytes: kEvents }, { name: 'orders.csv', bytes: kOrders }, { name: 'users.csv', bytes: kUsers },
  ]);
  for (const r of results) assert.ok(r.ok, r.error);
  const saved = bridge.mergeWorkspace({ audiences: { buyers: kSavedAudience } });
  assert.ok(saved.ok, JSON.stringify(saved));
  const env = { bridge, db, loads };
  env.baseline = snapshot(env);
  return env;
}

function snapshot({ bridge, db }) {
  const o = bridge.state('overview');
  return {
    overview: { users: o.users, customers: o.customers, events: o.events, orders: o.orders, revenue: o.revenue, first: o.first, last: o.last },
    sources: bridge.state('sources').map((s) => ({ name: s.name, state: s.state, rows: s.rows })),
    tables: kBaseFiles.map((n) => Number(db.query(`SELECT count(*)::INT AS n FROM "${n}"`).toArray()[0].n)),
    workspace: bridge.workspaceText(),
    buyers: bridge.run(kSavedAudience).size,
  };
}

// What a case may use: the loader, SQL as segx.sql runs it, imports as "Import JSON" does them.
function contextOf(env) {
  const { bridge, loads } = env;
  return {
    ...env,
    load: async (file, options = {}) => (await loads.load([file], options))[0],
    loadMany: (files, options = {}) => loads.load(files, options),
    sql: (query) => {
      try {
        return { ok: true, rows: env.db.query(query).toArray().map((r) => r.toJSON()) };
      } catch (e) {
        const text = String(e.message || e);
        const locked = explainLocked(text);
        return { ok: false, message: locked ? `${locked}: ${text}` : text };
      }
    },
    // web/main.js importText for a workspace: parsed, every audience checked, then imported.
    importText: (text) => {
      const parsed = parseImport(text);
      if (!parsed.ok) return parsed;
      if (parsed.kind !== 'workspace') return { ok: true, kind: parsed.kind };
      const errors = [];
      for (const [id, a] of Object.entries(parsed.workspace.audiences)) {
        const r = bridge.checkAudience(a);
        if (!r.ok) for (const e of r.errors) errors.push({ path: `audiences[${JSON.stringify(id)}].${e.path}`, message: e.message });
      }
      if (errors.length) return { ok: false, errors };
      return bridge.importWorkspace(parsed.workspace);
    },
    savedIds: () => bridge.state().saved.audiences.map((a) => a.id),
    // What web/duckdb_browser.js does after a trap: a fresh, locked-down DuckDB, and every loaded
    // file read into it again (Loads.restoreTables). The env's checks then run on the new one.
    restartDuckDB: async (reason) => {
      env.db = await startDuckDB();
      loads.db = pageAdapter(env.db);
      await loads.restoreTables(reason);
    },
  };
}

// Everything a case may have added is taken back: its files unloaded, the workspace restored.
async function restore(env, names) {
  for (const n of names) if (!kBaseFiles.includes(n)) await env.loads.remove(n);
  if (env.bridge.workspaceText() !== env.baseline.workspace) env.bridge.loadWorkspace(env.baseline.workspace);
  try {
    env.bridge.setAsOf(null);
  } catch {
    // checked below: the module must still answer
  }
}

const errorText = (r) => (r && (r.error || r.message || (r.errors && r.errors.map((e) => `${e.path}: ${e.message}`).join('; ')))) || '';

async function runCase(env, c) {
  const ctx = contextOf(env);
  const names = [];
  let value;
  try {
    if (c.file) {
      names.push(c.file.name);
      value = await ctx.load(c.file, c.options);
      if (c.error) {
        assert.equal(value.ok, false, `expected a refusal, got ${JSON.stringify(value).slice(0, 300)}`);
        assert.ok(value.error.startsWith(c.file.name), `the message names the file: ${value.error}`);
        assert.match(value.error, c.error);
        assert.doesNotMatch(value.error, /undefined|\[object |NaN|Out of Memory|  at /, value.error);
      } else {
        assert.equal(value.ok, true, `expected a load, got ${errorText(value)}`);
      }
    } else {
      value = await c.run(ctx);
      if (c.error) {
        assert.equal(value && value.ok, false, `expected a refusal, got ${JSON.stringify(value).slice(0, 300)}`);
        assert.match(errorText(value), c.error);
      }
    }
    if (c.check) await c.check(value, ctx);
  } finally {
    if (value && Array.isArray(value.loaded)) names.push(...value.loaded);
    await restore(env, names);
  }
  // The module still answers, with the data and the saved work it had.
  assert.deepEqual(snapshot(env), env.baseline, 'loaded data and saved work are unchanged');
  assert.deepEqual(attempts, [], 'nothing tried to reach the network');
}

const kClasses = [
  ['files and encodings', fileCases],
  ['JSON and Parquet files', jsonParquetCases],
  ['times and sums', timeSumCases],
  ['definitions and links', definitionCases],
  ['mappings', mappingCases],
  ['SQL', sqlCases],
  ['workspace, settings, names and arguments', workspaceCases],
];

let shared;
before(async () => {
  shared = await startEnv();
});
after(() => {
  assert.deepEqual(attempts, []);
});

test('the corpus holds at least 150 cases, each with its expected outcome', () => {
  const all = kClasses.flatMap(([, cases]) => cases);
  assert.ok(all.length >= 150, `${all.length} cases`);
  for (const c of all) assert.ok(c.error || c.check || (c.file && c.ok), `${c.name}: no expected outcome`);
  assert.equal(new Set(all.map((c) => c.name)).size, all.length, 'case names are unique');
});

for (const [cls, cases] of kClasses) {
  describe(cls, () => {
    for (const c of cases) {
      test(c.name, { todo: c.todo }, async () => {
        if (!c.isolated) return runCase(shared, c);
        // A case that could break a module runs on one of its own.
        return runCase(await startEnv(), c);
      });
    }
  });
}

// DuckDB-wasm trap recovery (web/duckdb_browser.js restarts the worker and calls
// Loads.restoreTables): a fresh DuckDB gets every loaded file's table back as it was, and the
// model, which lives in the core, is untouched.
test('a restarted DuckDB gets every loaded file back, the model unchanged', async () => {
  const { bridge, loads, baseline } = shared;
  const fresh = await startDuckDB();
  loads.db = { ...fresh, query: async (sql) => fresh.query(sql), dropFile: async (n) => fresh.dropFile(n), registerBuffer: async (n, b) => fresh.registerBuffer(n, b) };
  await loads.restoreTables('RuntimeError: table index is out of bounds');
  assert.deepEqual(kBaseFiles.map((n) => Number(fresh.query(`SELECT count(*)::INT AS n FROM "${n}"`).toArray()[0].n)), baseline.tables);
  const o = bridge.state('overview');
  assert.deepEqual([o.users, o.events, o.revenue], [baseline.overview.users, baseline.overview.events, baseline.overview.revenue]);
  assert.match(bridge.state('messages').at(-1).text, /DuckDB failed \(RuntimeError: table index is out of bounds\) and was restarted; the 3 loaded files were read into it again/);
  assert.deepEqual(attempts, []);
});
