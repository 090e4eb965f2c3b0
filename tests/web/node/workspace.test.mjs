// Workspace files: export → import gives the same workspace back; an import from anyone is
// checked part by part with paths (wrong version, broken JSON, hostile keys, wrong types, huge
// text) without throwing or changing anything. (Merging is the core's: workspace_store.test.mjs.)
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { inferMapping } from '../../../web/mapping.js';
import { exportWorkspace, kMaxImportChars, parseImport } from '../../../web/workspace.js';

const ordersColumns = [
  { name: 'order_id', type: 'VARCHAR' },
  { name: 'user_id', type: 'VARCHAR' },
  { name: 'order_time', type: 'TIMESTAMP' },
  { name: 'amount', type: 'DOUBLE' },
  { name: 'channel', type: 'VARCHAR' },
];
const usersColumns = [{ name: '会员ID', type: 'VARCHAR' }, { name: '城市', type: 'VARCHAR' }];
const vip = { segx: 1, id: 'vip', name: '大客户', root: { match: 'all', rules: [{ kind: 'property', attribute: '城市', op: 'eq', value: '上海' }] } };

function sampleWorkspace() {
  const w = { segx: 1, mappings: {}, audiences: {}, funnels: {}, rfms: {}, settings: {} };
  w.mappings['orders.csv'] = inferMapping('orders.csv', ordersColumns);
  w.mappings['会员.csv'] = inferMapping('会员.csv', usersColumns);
  w.audiences.vip = vip;
  w.audiences.everyone = { segx: 1, id: 'everyone', name: 'Everyone', root: { match: 'all', rules: [] } };
  w.funnels.checkout = { segx: 1, kind: 'funnel', id: 'checkout', name: 'Checkout', steps: [{ event: 'view_item' }, { event: 'purchase' }] };
  w.rfms['rfm-1'] = { segx: 1, kind: 'rfm', id: 'rfm-1', name: 'RFM', method: 'thresholds', segments: [{ name: 'All', r: [1, 5], f: [1, 5] }] };
  w.settings.memory_budget_mb = 1024;
  return w;
}

// The import of a workspace made of `parts` (added to {segx: 1, kind: 'workspace'}).
const importOf = (parts) => parseImport(JSON.stringify({ segx: 1, kind: 'workspace', ...parts }));
const paths = (r) => r.errors.map((e) => e.path);
function assertRefused(r, path, pattern) {
  assert.equal(r.ok, false, JSON.stringify(r));
  const e = r.errors.find((x) => x.path === path);
  assert.ok(e, `no error at ${path}: ${JSON.stringify(r.errors)}`);
  if (pattern) assert.match(e.message, pattern);
}

describe('workspace export and import', () => {
  test('export then import gives the same workspace back', () => {
    const w = sampleWorkspace();
    const text = exportWorkspace(w);
    assert.match(text, /^\{\n {2}"segx": 1,\n {2}"kind": "workspace",/);  // pretty, versioned, labelled
    const r = parseImport(text);
    assert.equal(r.ok, true, JSON.stringify(r.errors));
    assert.equal(r.kind, 'workspace');
    assert.deepEqual(r.workspace, { segx: 1, mappings: w.mappings, audiences: w.audiences, funnels: w.funnels, rfms: w.rfms, settings: w.settings });
    // With the files at hand, mappings are also checked against their real columns.
    const columnsOf = (name) => ({ 'orders.csv': ordersColumns, '会员.csv': usersColumns })[name] ?? null;
    assert.equal(parseImport(text, { columnsOf }).ok, true);
    // A byte-order mark, as some editors save, is fine.
    assert.equal(parseImport('\ufeff' + text).ok, true);
  });

  test('a single audience definition is an audience import', () => {
    const r = parseImport(JSON.stringify(vip));
    assert.deepEqual(r, { ok: true, kind: 'audience', audience: vip });
    // A definition that is not saved yet has no id (as "Download JSON" writes a new one).
    assert.equal(parseImport(JSON.stringify({ ...vip, id: undefined })).ok, true);
    assert.equal(parseImport(JSON.stringify({ ...vip, id: '' })).ok, true);
    assertRefused(parseImport(JSON.stringify({ ...vip, id: 7 })), 'id', /expected text/);
    // Ids are plain data (issue 17): "__proto__" is an id like any other.
    assert.equal(parseImport(JSON.stringify({ ...vip, id: '__proto__' })).audience.id, '__proto__');
    assertRefused(parseImport(JSON.stringify({ ...vip, root: [] })), 'root', /expected a group/);
    assertRefused(parseImport(JSON.stringify({ ...vip, vaule: 1 })), 'vaule', /unknown key/);
    assertRefused(parseImport(JSON.stringify({ ...vip, name: 7 })), 'name', /expected text/);
  });

  test('not JSON, not an object, or another version: one clear error', () => {
    for (const [text, path, pattern] of [
      ['{"segx": 1, "kind": "workspace",', '', /not valid JSON/],
      ['', '', /not valid JSON/],
      ['[1, 2]', '', /found a list/],
      ['"workspace"', '', /found a string/],
      ['null', '', /found null/],
      ['{"segx": 2, "kind": "workspace", "mappings": []}', 'segx', /expected 1/],
      ['{"segx": "1", "root": {}}', 'segx', /expected 1/],
      ['{"kind": "workspace"}', 'segx', /missing/],
      ['{"segx": 1, "kind": "rfm"}', 'kind', /expected "workspace" or "funnel"/],
      ['{"segx": 1}', '', /audience definition .* or a workspace/],
    ]) {
      const r = parseImport(text);
      assert.equal(r.ok, false, text);
      assert.equal(r.errors.length, 1, `${text}: ${JSON.stringify(r.errors)}`);
      assert.equal(r.errors[0].path, path, text);
      assert.match(r.errors[0].message, pattern, text);
    }
    for (const notText of [undefined, null, 42, { segx: 1 }, new Uint8Array(4)]) assertRefused(parseImport(notText), '', /expected the text/);
    // A funnel definition is a file of its own: the core reads it when it is opened.
    const funnel = { segx: 1, kind: 'funnel', steps: [{ event: 'a' }, { event: 'b' }] };
    assert.deepEqual(parseImport(JSON.stringify(funnel)), { ok: true, kind: 'funnel', funnel });
  });

  test('mappings are checked with their paths', () => {
    const good = inferMapping('orders.csv', ordersColumns);
    assertRefused(importOf({ mappings: { 'orders.csv': { ...good, user_id: 5 } } }), 'mappings["orders.csv"].user_id', /expected text/);
    assertRefused(importOf({ mappings: { 'orders.csv': { ...good, kind: 'sessions' } } }), 'mappings["orders.csv"].kind', /expected one of/);
    assertRefused(importOf({ mappings: { 'orders.csv': { ...good, filter: "1=1; DROP TABLE x" } } }), 'mappings["orders.csv"].filter', /";" is not allowed/);
    assertRefused(importOf({ mappings: { 'orders.csv': { ...good, revenue_expr: "(SELECT 1 FROM read_csv('/etc/passwd'))" } } }),
      'mappings["orders.csv"].revenue_expr', /not allowed/);
    assertRefused(importOf({ mappings: { 'orders.csv': { ...good, tz_offset_minutes: '480' } } }), 'mappings["orders.csv"].tz_offset_minutes');
    assertRefused(importOf({ mappings: { 'orders.csv': { ...good, columns: 'channel' } } }), 'mappings["orders.csv"].columns', /list/);
    assertRefused(importOf({ mappings: { 'orders.csv': { ...good, source: 'other.csv' } } }), 'mappings["orders.csv"].source', /saved under/);
    assertRefused(importOf({ mappings: { 'orders.csv': { ...good, extra: true } } }), 'mappings["orders.csv"].extra', /unknown key/);
    assertRefused(importOf({ mappings: { 'orders.csv': [good] } }), 'mappings["orders.csv"]', /found a list/);
    assertRefused(importOf({ mappings: [good] }), 'mappings', /found a list/);
    // Against the real columns, a missing column is named.
    const r = parseImport(JSON.stringify({ segx: 1, kind: 'workspace', mappings: { 'orders.csv': { ...good, user_id: 'customer' } } }),
      { columnsOf: () => ordersColumns });
    assertRefused(r, 'mappings["orders.csv"].user_id', /no column named "customer"/);
  });

  test('audiences are keyed by their id', () => {
    assertRefused(importOf({ audiences: { vip: { ...vip, id: 'other' } } }), 'audiences["vip"].id', /saved under/);
    assertRefused(importOf({ audiences: { vip: { ...vip, id: 7 } } }), 'audiences["vip"].id', /expected text/);
    assertRefused(importOf({ audiences: { vip: { ...vip, id: undefined } } }), 'audiences["vip"].id', /needs an id/);
    assertRefused(importOf({ audiences: { vip: { ...vip, segx: 2 } } }), 'audiences["vip"].segx');
    assertRefused(importOf({ audiences: { vip: 'vip' } }), 'audiences["vip"]', /found a string/);
    assertRefused(importOf({ audiences: [vip] }), 'audiences', /found a list/);
    assertRefused(importOf({ settings: { memory_budget_mb: -1 } }), 'settings.memory_budget_mb');
    assertRefused(importOf({ settings: { memory_budget_mb: '2048' } }), 'settings.memory_budget_mb');
    assertRefused(importOf({ settings: { theme: 'dark' } }), 'settings.theme', /unknown key/);
    assertRefused(importOf({ data: [[1, 2]] }), 'data', /unknown key/);
  });

  test('funnels are keyed by their id and labelled as funnels', () => {
    assertRefused(importOf({ funnels: { f1: { segx: 1, kind: 'funnel', id: 'f2', steps: [] } } }), 'funnels["f1"].id', /"f1"/);
    assertRefused(importOf({ funnels: { f1: { segx: 1, id: 'f1', steps: [] } } }), 'funnels["f1"].kind', /funnel/);
    assertRefused(importOf({ funnels: { f1: [] } }), 'funnels["f1"]', /funnel definition/);
    assertRefused(importOf({ funnels: [] }), 'funnels', /keyed by name/);
  });

  test('RFM settings are keyed by their id and labelled as rfm', () => {
    assertRefused(importOf({ rfms: { r1: { segx: 1, kind: 'rfm', id: 'r2' } } }), 'rfms["r1"].id', /"r1"/);
    assertRefused(importOf({ rfms: { r1: { segx: 1, kind: 'funnel', id: 'r1' } } }), 'rfms["r1"].kind', /rfm/);
    assertRefused(importOf({ rfms: { r1: 3 } }), 'rfms["r1"]', /RFM settings/);
    assert.equal(importOf({ rfms: { r1: { segx: 1, kind: 'rfm', id: 'r1' } } }).ok, true);
  });

  test('hostile input is refused without touching any prototype', () => {
    const before = Object.getOwnPropertyNames(Object.prototype).sort();
    const polluted = [
      '{"segx": 1, "kind": "workspace", "audiences": {"__proto__": {"segx": 1, "id": "__proto__", "root": {}, "polluted": true}}}',
      '{"segx": 1, "kind": "workspace", "mappings": {"__proto__": {"polluted": true}}}',
      '{"segx": 1, "kind": "workspace", "mappings": {"constructor": {"kind": "users", "user_id": "id"}}}',
      '{"segx": 1, "kind": "workspace", "settings": {"__proto__": {"polluted": true}}}',
      '{"segx": 1, "__proto__": {"polluted": true}, "root": {"match": "all", "rules": []}, "id": "x"}',
    ];
    // Names are plain data (issue 17): "__proto__" and "constructor" are names like any other, and
    // what is refused here is refused for its unknown keys, never for a name.
    for (const [i, text] of polluted.entries()) {
      const r = parseImport(text);
      if (i === 2) {
        assert.equal(r.ok, true, text);
        assert.ok(Object.hasOwn(r.workspace.mappings, 'constructor'));
      } else {
        assert.equal(r.ok, false, text);
        assert.match(r.errors[0].message, /unknown key/, text);
      }
      assert.equal(({}).polluted, undefined);
    }
    const proto = parseImport('{"segx": 1, "kind": "workspace", "audiences": {"__proto__": {"segx": 1, "id": "__proto__", "root": {}}}}');
    assert.equal(proto.ok, true);
    assert.ok(Object.hasOwn(proto.workspace.audiences, '__proto__'));
    assert.equal(Object.getPrototypeOf(proto.workspace.audiences), Object.prototype);
    assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), before);

    // Huge: the whole text, and single strings inside an otherwise small file.
    const huge = '{"segx": 1, "kind": "workspace", "x": "' + 'a'.repeat(kMaxImportChars) + '"}';
    assertRefused(parseImport(huge), '', /larger than 20 MB/);
    const longName = 'n'.repeat(1e6);
    let r = importOf({ audiences: { [longName]: { ...vip, id: longName } } });
    assert.equal(r.ok, false);
    assert.match(r.errors[0].message, /longer than 10000/);
    assert.ok(JSON.stringify(r.errors).length < 1000, 'errors quote huge names in short');
    r = importOf({ mappings: { 'a.csv': { ...inferMapping('a.csv', ordersColumns), user_id: longName } } });
    assertRefused(r, 'mappings["a.csv"].user_id', /longer than/);
    assert.ok(JSON.stringify(r.errors).length < 1000);
    // Many problems: a capped list with a count of the rest.
    const many = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`a${i}`, { segx: 1, id: `b${i}`, root: {} }]));
    r = importOf({ audiences: many });
    assert.equal(r.errors.length, 101);
    assert.match(r.errors.at(-1).message, /and 400 more problems/);
    // Deep nesting is the core's to judge (rule trees), and does not break the reader.
    const deep = '{"segx": 1, "id": "d", "root": ' + '{"rules": ['.repeat(5000) + ']}'.repeat(5000) + '}';
    assert.equal(parseImport(deep).ok, true);
    assert.equal(parseImport('['.repeat(100000)).ok, false);
  });

  test('parseImport changes nothing it is given', () => {
    const w = sampleWorkspace();
    const text = exportWorkspace(w);
    const snapshot = structuredClone(w);
    const r = parseImport(text);
    r.workspace.audiences.vip.name = 'changed';
    assert.deepEqual(w, snapshot);
  });
});
