// The command-line runner (tools/segx.mjs) on the demo files: what it writes equals what the
// page's core answers (segx.run) over the same files loaded through the page's loader: the
// members of saved audiences (property, behaviour, aggregate, audience reference, funnel rule),
// a funnel's per-step users, the same answer from a UTF-16 copy of a file, and mistakes
// (unknown definition, missing option, a definition that does not fit the files) refused
// with a message that names them.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { promisify } from 'node:util';

import { loadAll } from '../web/support/contract_tables.mjs';
import { repo, startCore, startDuckDB } from '../web/support/node_env.mjs';

const run = promisify(execFile);
const cli = join(repo, 'tools/segx.mjs');
const demo = ['users.csv', 'events.csv', 'orders.csv'].map((f) => join(repo, 'data/demo', f));
const tmp = mkdtempSync(join(tmpdir(), 'segx-cli-test-'));

const group = (match, ...rules) => ({ kind: 'group', match, rules });
const audience = (id, name, root) => ({ segx: 1, id, name, root });
const AUDIENCES = [
  audience('cn', 'China', group('all', { kind: 'property', attribute: 'country', op: 'eq', value: 'China' })),
  audience('repeat', 'Repeat buyers', group('all', { kind: 'behavior', event: 'purchase', count: { op: 'gte', value: 2 } })),
  audience('recent-big', 'Spent 200+ in 90 days', group('all', {
    kind: 'behavior', event: 'purchase', window: { last_days: 90 }, aggregate: { fn: 'sum', of: 'revenue', op: 'gte', value: 200 },
  })),
  audience('cn-repeat', 'Chinese repeat buyers', group('all',
    { kind: 'audience', op: 'in', id: 'cn' }, { kind: 'audience', op: 'in', id: 'repeat' })),
  audience('carted-not-bought', 'Carted, not bought', group('all',
    { kind: 'funnel', funnel: 'view-cart-buy', reached: 2 },
    { kind: 'behavior', event: 'purchase', did: false, window: { last_days: 30 } })),
];
const FUNNEL = {
  segx: 1, kind: 'funnel', id: 'view-cart-buy', name: 'View, cart, buy',
  steps: [{ event: 'view_item' }, { event: 'add_to_cart' }, { event: 'purchase' }], window: { days: 7 },
};
const workspace = { segx: 1, audiences: Object.fromEntries(AUDIENCES.map((a) => [a.id, a])), funnels: { [FUNNEL.id]: FUNNEL } };
const wsPath = join(tmp, 'workspace.json');
writeFileSync(wsPath, JSON.stringify(workspace));

const segx = (...args) => run(process.execPath, [cli, 'run', '--quiet', ...args], { maxBuffer: 64 << 20 });
const csvColumn = (text) => text.trim().split('\n').slice(1).map((l) => l.replace(/^"|"$/g, ''));

describe('segx run (command line) agrees with the page core on the demo', () => {
  let bridge;
  before(async () => {
    bridge = await startCore();
    const db = await startDuckDB();
    await loadAll(bridge, db, demo.map((p) => [p.split('/').pop(), new Uint8Array(readFileSync(p))]));
    const r = bridge.loadWorkspace(JSON.stringify(workspace));
    assert.equal(r.ok, true, r.problem);
  });

  for (const a of AUDIENCES) {
    test(`audience "${a.name}": the CSV holds the core's members`, async () => {
      const core = bridge.run(a, { members: true });
      assert.equal(core.ok, true, JSON.stringify(core.errors));
      assert.ok(core.size > 0, 'a definition that matches someone');
      const out = join(tmp, `${a.id}.csv`);
      await segx('--workspace', wsPath, '--definition', a.name, '--out', out, ...demo);
      const lines = readFileSync(out, 'utf8').trim().split('\n');
      assert.equal(lines[0], 'user_id');
      assert.deepEqual(csvColumn(readFileSync(out, 'utf8')), [...core.members].sort());
    });
  }

  test('a second run to the same --out replaces the file (CSV and JSON)', async () => {
    for (const format of ['csv', 'json']) {
      const out = join(tmp, `again.${format}`);
      writeFileSync(out, 'an older answer\n');
      await segx('--workspace', wsPath, '--definition', 'cn', '--format', format, '--out', out, ...demo);
      await segx('--workspace', wsPath, '--definition', 'repeat', '--format', format, '--out', out, ...demo);
      const members = [...bridge.run(AUDIENCES[1], { members: true }).members].sort();
      const text = readFileSync(out, 'utf8');
      assert.deepEqual(format === 'csv' ? csvColumn(text) : JSON.parse(text).map((r) => r.user_id), members);
    }
  });

  test('a funnel by id, as JSON on standard output: the core\'s per-step users', async () => {
    const core = bridge.run(FUNNEL);
    assert.equal(core.ok, true, JSON.stringify(core.errors));
    const { stdout } = await segx('--workspace', wsPath, '--definition', FUNNEL.id, '--out', '-', '--format', 'json', ...demo);
    const rows = JSON.parse(stdout);
    assert.deepEqual(rows.map((r) => Number(r.users)), core.steps.map((s) => s.users));
    assert.ok(core.steps[2].users > 0);
  });

  test('a UTF-16 copy of the users file gives the same members', async () => {
    const text = readFileSync(demo[0], 'utf8');
    const u16 = join(tmp, 'users.csv');
    writeFileSync(u16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const out = join(tmp, 'cn-u16.csv');
    await segx('--workspace', wsPath, '--definition', 'cn', '--out', out, u16, demo[1], demo[2]);
    assert.deepEqual(csvColumn(readFileSync(out, 'utf8')), [...bridge.run(AUDIENCES[0], { members: true }).members].sort());
  });

  test('--as-of moves "the last 90 days" as the page\'s as-of field does', async () => {
    const asOf = '2026-06-30T00:00:00Z';
    bridge.setAsOf(Date.parse(asOf) * 1000);
    try {
      const core = bridge.run(AUDIENCES[2], { members: true });
      const out = join(tmp, 'asof.csv');
      await segx('--workspace', wsPath, '--definition', 'recent-big', '--as-of', asOf, '--out', out, ...demo);
      assert.deepEqual(csvColumn(readFileSync(out, 'utf8')), [...core.members].sort());
    } finally {
      bridge.setAsOf(null);
    }
  });

  test('mistakes are refused with a message that names them', async () => {
    const fails = async (args, pattern) => {
      await assert.rejects(segx(...args), (e) => {
        assert.match(e.stderr, pattern);
        return true;
      });
    };
    await fails(['--workspace', wsPath, '--definition', 'nobody', '--out', '-', ...demo], /no definition with the id or name "nobody".*cn \("China"\)/);
    await fails(['--workspace', wsPath, '--out', '-', ...demo], /--definition is missing/);
    await fails(['--workspace', join(tmp, 'missing.json'), '--definition', 'cn', '--out', '-', ...demo], /cannot read .*missing\.json/);
    // Without the users file there is no "country" attribute: the compiler says so.
    await fails(['--workspace', wsPath, '--definition', 'cn', '--out', '-', demo[1], demo[2]], /does not compile over these files:\n.*country/);
    await fails(['--workspace', wsPath, '--definition', 'cn', '--out', '-', demo[0], demo[0]], /users\.csv: two files have this name/);
    await fails(['--workspace', wsPath, '--definition', 'cn', '--memory-limit', 'lots', '--out', '-', ...demo], /--memory-limit: expected a size such as 8GB/);
    await fails(['--workspace', wsPath, '--definition', 'cn', '--in-memory', '--database', join(tmp, 'x.duckdb'), '--out', '-', ...demo], /--in-memory and --database: give one/);
  });

  // What big files get (README, "Big files"): the tables in a database file, little memory, the
  // temporary folder spilled to and then removed; the answers are the same.
  test('tables in a database file under a small memory limit: the same answers, no temporary files left', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'segx-cli-tmpdir-'));
    const env = { ...process.env, TMPDIR: scratch };
    const big = (...args) => run(process.execPath, [cli, 'run', '--quiet', '--memory-limit', '128MB', '--threads', '2',
      '--database', join(tmp, 'big.duckdb'), ...args], { env, maxBuffer: 64 << 20 });
    const { stdout } = await big('--workspace', wsPath, '--definition', FUNNEL.id, '--out', '-', '--format', 'json', ...demo);
    assert.deepEqual(JSON.parse(stdout).map((r) => Number(r.users)), bridge.run(FUNNEL).steps.map((s) => s.users));
    const out = join(tmp, 'big-recent.csv');
    await big('--workspace', wsPath, '--definition', 'recent-big', '--out', out, ...demo);
    assert.deepEqual(csvColumn(readFileSync(out, 'utf8')), [...bridge.run(AUDIENCES[2], { members: true }).members].sort());
    assert.deepEqual(readdirSync(scratch), []);
  });
});

test('the runner writes nothing but its answer: an empty CSV has its header', async () => {
  const ws = join(tmp, 'nobody.json');
  writeFileSync(ws, JSON.stringify({ segx: 1, audiences: { none: audience('none', 'None', group('all', { kind: 'property', attribute: 'country', op: 'eq', value: 'Atlantis' })) } }));
  const out = join(tmp, 'none.csv');
  // A memory limit and an on-disk database change where DuckDB keeps the tables, not the answer.
  await segx('--workspace', ws, '--definition', 'none', '--memory-limit', '512MB', '--database', join(tmp, 'none.duckdb'), '--out', out, ...demo);
  assert.equal(readFileSync(out, 'utf8').trim(), 'user_id');
});

