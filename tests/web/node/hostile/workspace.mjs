// Hostile workspaces, settings, ids, file names and loadFiles arguments (issue 17, defects 3 and
// 6): nothing saved is lost, a setting out of range is refused naming it, ids are plain data,
// internal names never meet a user's, and every file given gets one result.
import assert from 'node:assert/strict';

import { sizeText } from '../../../../web/loads.js';

const group = (rules, match = 'all') => ({ match, rules });
const prop = (value) => ({ kind: 'property', attribute: 'country', op: 'eq', value });
const audience = (id, name, value = 'CN') => ({ segx: 1, id, name, root: group([prop(value)]) });
const ws = (parts) => JSON.stringify({ segx: 1, kind: 'workspace', ...parts });
const importing = (name, text, pattern, check) => ({ name: `import: ${name}`, run: (ctx) => ctx.importText(typeof text === 'function' ? text() : text), error: pattern, check });
const savedName = (ctx, id) => (ctx.bridge.state().saved.audiences.find((a) => a.id === id) || {}).name;

export const workspaceCases = [
  importing('an audience with a saved id and other content is kept beside it', ws({ audiences: { buyers: audience('buyers', 'Buyers', 'US') } }), undefined, (r, ctx) => {
    assert.equal(r.ok, true, JSON.stringify(r));
    assert.deepEqual(r.renamed, [{ kind: 'audience', from: 'buyers', to: 'buyers-imported', name: 'Buyers (imported)' }]);
    assert.equal(savedName(ctx, 'buyers'), 'Buyers');
    assert.equal(savedName(ctx, 'buyers-imported'), 'Buyers (imported)');
  }),
  importing('the same audience again changes nothing', () => ws({ audiences: { buyers: { segx: 1, id: 'buyers', name: 'Buyers', root: { kind: 'group', match: 'all', rules: [{ kind: 'behavior', did: true, event: 'buy' }] } } } }), undefined, (r, ctx) => {
    assert.equal(r.ok, true, JSON.stringify(r));
    assert.deepEqual(r.renamed, []);
    assert.equal(ctx.savedIds().length, 1);
  }),
  importing('a renamed audience carries the references to it', ws({ audiences: {
    buyers: audience('buyers', 'Other buyers', 'JP'),
    fans: { segx: 1, id: 'fans', name: 'Fans', root: group([{ kind: 'audience', op: 'in', id: 'buyers' }]) },
  } }), undefined, (r, ctx) => {
    assert.equal(r.ok, true, JSON.stringify(r));
    const w = ctx.bridge.workspace();
    assert.deepEqual(w.audiences.fans.root.rules[0], { kind: 'audience', op: 'in', id: 'buyers-imported' });
  }),
  importing('a memory budget of 1e-6 MB', ws({ settings: { memory_budget_mb: 1e-6 } }), /settings\.memory_budget_mb: the memory budget must be a number of megabytes from 1 to 1048576 \(found 0\.000001\)/),
  importing('a memory budget of 0', ws({ settings: { memory_budget_mb: 0 } }), /settings\.memory_budget_mb/),
  importing('a memory budget of -5', ws({ settings: { memory_budget_mb: -5 } }), /settings\.memory_budget_mb/),
  importing('a memory budget of 1e300', ws({ settings: { memory_budget_mb: 1e300 } }), /settings\.memory_budget_mb/),
  importing('a memory budget as text', ws({ settings: { memory_budget_mb: '2048' } }), /settings\.memory_budget_mb/),
  importing('keep_data_mb of -1', ws({ settings: { keep_data_mb: -1 } }), /settings\.keep_data_mb: the data kept must be/),
  importing('keep_data_mb of 1e9', ws({ settings: { keep_data_mb: 1e9 } }), /settings\.keep_data_mb/),
  importing('keep_data_mb of null', ws({ settings: { keep_data_mb: null } }), /settings\.keep_data_mb/),
  importing('an unknown setting', ws({ settings: { telemetry: true } }), /settings\.telemetry: unknown key/),
  importing('a refused part refuses the whole file', ws({ audiences: { good1: audience('good1', 'Good') }, settings: { memory_budget_mb: 1e-6 } }), /memory_budget_mb/, (r, ctx) => assert.ok(!ctx.savedIds().includes('good1'))),
  importing('__proto__ as an audience id', ws({ audiences: { ['__proto__']: audience('__proto__', '__proto__') } }), undefined, (r, ctx) => {
    assert.equal(r.ok, true, JSON.stringify(r));
    assert.ok(ctx.savedIds().includes('__proto__'), JSON.stringify(ctx.savedIds()));
  }),
  importing('constructor and toString as ids', ws({ audiences: { constructor: audience('constructor', 'constructor'), toString: audience('toString', 'toString') } }), undefined, (r, ctx) => {
    assert.equal(r.ok, true, JSON.stringify(r));
    assert.ok(ctx.savedIds().includes('constructor') && ctx.savedIds().includes('toString'));
  }),
  importing('__proto__ as a mapping file name', ws({ mappings: { ['__proto__']: { kind: 'users', user_id: 'id' } } }), undefined, (r, ctx) => {
    assert.equal(r.ok, true, JSON.stringify(r));
    assert.ok(Object.hasOwn(ctx.bridge.workspace().mappings, '__proto__'));
  }),
  importing('not JSON', '{"segx": 1, kind', /not valid JSON/),
  importing('version 2', JSON.stringify({ segx: 2, kind: 'workspace' }), /segx: expected 1/),
  importing('an unknown section', ws({ secrets: {} }), /secrets: unknown key/),
  importing('audiences as a list', ws({ audiences: [] }), /audiences: expected an object keyed by name/),
  importing('an audience id that differs from its key', ws({ audiences: { a: audience('b', 'B') } }), /expected "a", the key it is saved under/),
  importing('an empty id', ws({ audiences: { '': audience('', 'Empty') } }), /cannot be empty/),
  importing('an id of 20,000 characters', () => ws({ audiences: { ['x'.repeat(20000)]: audience('x'.repeat(20000), 'Long') } }), /longer than 10000/),
  importing('a funnel of the wrong kind', ws({ funnels: { f: { segx: 1, kind: 'rfm', id: 'f' } } }), /funnels\["f"\]\.kind: expected "funnel"/),
  importing('a mapping with a hostile expression', ws({ mappings: { 'x.csv': { kind: 'orders', user_id: 'u', time: 't', revenue: null, revenue_expr: "read_csv('http://x')" } } }), /"read_csv" is not allowed/),
  importing('a text over 20 MB', () => ws({ audiences: {}, pad: 'x'.repeat(21 * 2 ** 20) }), /larger than 20 MB/),
  importing('a JSON array', '[1, 2]', /expected an audience or a workspace/),
  {
    name: 'saving __proto__ as an audience id saves it',
    run: (ctx) => ctx.bridge.mergeWorkspace({ audiences: { ['__proto__']: audience('__proto__', 'Proto') } }),
    check: (r, ctx) => (assert.equal(r.ok, true, JSON.stringify(r)), assert.deepEqual(r.ids, ['__proto__']), assert.equal(savedName(ctx, '__proto__'), 'Proto')),
  },
  {
    name: 'a stored workspace with a budget of 1e-6 MB starts with the default budget',
    run: (ctx) => ctx.bridge.loadWorkspace(JSON.stringify({ segx: 1, settings: { memory_budget_mb: 1e-6 } })),
    check: (r, ctx) => (assert.equal(r.ok, true), assert.equal(ctx.bridge.workspace().settings.memory_budget_mb, 2048)),
  },
  {
    name: 'a stored workspace that is not JSON is refused with the reason',
    run: (ctx) => ctx.bridge.loadWorkspace('{{{'),
    check: (r) => (assert.equal(r.ok, false), assert.match(r.problem, /not a JSON object/)),
  },

  // --- budgets and their units ---
  {
    name: 'a file over a 1 MB budget is refused in MB, naming the way back',
    run: async (ctx) => {
      ctx.bridge.mergeWorkspace({ settings: { memory_budget_mb: 1 } });
      return { ...(await ctx.load({ name: 'big.csv', bytes: 'user_id\n' + 'u1\n'.repeat(600000) })), loaded: ['big.csv'] };
    },
    error: /big\.csv: the file is 1\.72 MB, more than the memory budget of 1 MB; it was not loaded \(change "Memory budget" in the left rail/,
  },
  { name: 'sizes: 0 bytes', run: () => ({ ok: true, v: sizeText(0) }), check: (r) => assert.equal(r.v, '0 bytes') },
  { name: 'sizes: 1 byte', run: () => ({ ok: true, v: sizeText(1) }), check: (r) => assert.equal(r.v, '1 byte') },
  { name: 'sizes: 1.5 KB', run: () => ({ ok: true, v: sizeText(1536) }), check: (r) => assert.equal(r.v, '1.5 KB') },
  { name: 'sizes: 2048 MB', run: () => ({ ok: true, v: sizeText(2048 * 2 ** 20) }), check: (r) => assert.equal(r.v, '2 GB') },
  { name: 'sizes: a budget of 1e-6 MB', run: () => ({ ok: true, v: sizeText(1e-6 * 2 ** 20) }), check: (r) => assert.equal(r.v, '1.05 bytes') },

  // --- names ---
  {
    name: 'loading c.csv keeps the table of a file named c.csv.loading',
    run: async (ctx) => {
      const a = await ctx.load({ name: 'c.csv.loading', bytes: 'user_id,country\nu7,DE\n' });
      const b = await ctx.load({ name: 'c.csv', bytes: 'user_id,country\nu8,FR\n' });
      return { ok: true, a, b, loaded: ['c.csv.loading', 'c.csv'] };
    },
    check: (r, ctx) => {
      assert.ok(r.a.ok && r.b.ok);
      assert.equal(ctx.sql('SELECT country FROM "c.csv.loading"').rows[0].country, 'DE');
      assert.equal(ctx.sql('SELECT country FROM "c.csv"').rows[0].country, 'FR');
    },
  },
  {
    name: 'a file named like a loaded one but for case keeps both tables (DuckDB ignores case)',
    run: async (ctx) => {
      const r = await ctx.load({ name: 'Users.CSV', bytes: 'user_id,country\nu9,NL\n' });
      return { ...r, loaded: [r.name] };
    },
    check: (r, ctx) => {
      assert.ok(r.ok, r.error);
      assert.equal(r.name, 'Users (2).CSV');
      assert.equal(ctx.sql('SELECT country FROM "Users (2).CSV"').rows[0].country, 'NL');
      assert.ok(ctx.loads.files.has('users.csv') && ctx.loads.files.has('Users (2).CSV'));
      assert.match(ctx.bridge.state('messages').map((m) => m.text).join('\n'), /Users\.CSV is loaded as Users \(2\)\.CSV: DuckDB table names ignore case, and users\.csv is already a table/);
    },
  },
  {
    name: 'files named events and USERS do not take the page\'s views\' names',
    run: async (ctx) => {
      const results = await ctx.loadMany([{ name: 'events', bytes: 'user_id,country\nu3,SE\n' }, { name: 'USERS', bytes: 'user_id,country\nu2,PL\n' }]);
      return { ok: true, results, loaded: results.map((x) => x.name) };
    },
    check: (r, ctx) => {
      assert.deepEqual(r.results.map((x) => [x.name, x.ok]), [['events (2)', true], ['USERS (2)', true]]);
      assert.equal(ctx.sql('SELECT country FROM "events (2)"').rows[0].country, 'SE');
      assert.equal(ctx.sql('SELECT country FROM "USERS (2)"').rows[0].country, 'PL');
    },
  },
  {
    name: 'a file named like a staging table loads and keeps its own table',
    run: async (ctx) => ({ ...(await ctx.load({ name: 'segx_upload_1', bytes: 'user_id,country\nu6,IT\n' })), loaded: ['segx_upload_1'] }),
    check: (r, ctx) => (assert.ok(r.ok, r.error), assert.equal(ctx.sql('SELECT country FROM "segx_upload_1"').rows[0].country, 'IT')),
  },
  {
    name: 'file names __proto__ and constructor are files like any other',
    run: async (ctx) => ({ ok: true, results: await ctx.loadMany([{ name: '__proto__', bytes: 'user_id,country\nu5,ES\n' }, { name: 'constructor', bytes: 'user_id,country\nu4,PT\n' }]), loaded: ['__proto__', 'constructor'] }),
    check: (r, ctx) => {
      assert.deepEqual(r.results.map((x) => [x.name, x.ok]), [['__proto__', true], ['constructor', true]]);
      assert.ok(ctx.loads.files.has('__proto__'));
    },
  },

  // --- loadFiles arguments: one result per file ---
  {
    name: 'loadFiles: a file without a name among good ones',
    run: async (ctx) => ({ ok: true, results: await ctx.loadMany([{ bytes: 'a\n1\n' }, { name: 'ok1.csv', bytes: 'user_id,country\nu1,CN\n' }]), loaded: ['ok1.csv'] }),
    check: (r) => {
      assert.equal(r.results.length, 2);
      assert.deepEqual([r.results[0].ok, r.results[1].ok], [false, true]);
      assert.match(r.results[0].error, /each file needs a name/);
    },
  },
  {
    name: 'loadFiles: bytes of the wrong type',
    run: async (ctx) => ({ ok: true, results: await ctx.loadMany([{ name: 'n.csv', bytes: 42 }]) }),
    check: (r) => (assert.equal(r.results.length, 1), assert.match(r.results[0].error, /n\.csv: bytes must be a Uint8Array, ArrayBuffer, array or string/)),
  },
  {
    name: 'loadFiles: null and a number as files',
    run: async (ctx) => ({ ok: true, results: await ctx.loadMany([null, 7]) }),
    check: (r) => (assert.equal(r.results.length, 2), assert.ok(r.results.every((x) => !x.ok && /expected a File or \{name, bytes\}/.test(x.error)))),
  },
  {
    name: 'loadFiles: a name with a zero byte',
    run: async (ctx) => ({ ok: true, results: await ctx.loadMany([{ name: 'a\0b.csv', bytes: 'x\n1\n' }]) }),
    check: (r) => assert.match(r.results[0].error, /cannot contain/),
  },
  {
    name: 'loadFiles: a name of 5,000 characters',
    run: async (ctx) => ({ ok: true, results: await ctx.loadMany([{ name: 'n'.repeat(5000), bytes: 'x\n1\n' }]) }),
    check: (r) => assert.match(r.results[0].error, /longer than 1,000 characters/),
  },
  {
    name: 'loadFiles: an empty list',
    run: async (ctx) => ({ ok: true, results: await ctx.loadMany([]) }),
    check: (r) => assert.deepEqual(r.results, []),
  },
];
