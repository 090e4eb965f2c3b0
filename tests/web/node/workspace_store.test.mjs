// The workspace has one owner, the core (src/app/workspace.h); web/workspace.js only stores its
// text when its revision moves and hands it back at start. Checked with the real WASM core and a
// storage that records its writes: a saved definition that no longer reads survives reloads
// with its errors, mappings and settings persist, one revision is one write, and a merge (an
// import, a save) replaces by name and changes nothing when refused.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { loadSource } from '../../../web/source_loader.js';
import { WorkspaceStore, exportWorkspace, parseImport } from '../../../web/workspace.js';
import { startCore, startDuckDB, utf8 } from '../support/node_env.mjs';

// localStorage's shape, recording every write.
class MemoryStorage {
  constructor(items = {}) {
    this.items = new Map(Object.entries(items));
    this.writes = [];
  }
  getItem(key) {
    return this.items.has(key) ? this.items.get(key) : null;
  }
  setItem(key, value) {
    this.items.set(key, String(value));
    this.writes.push(key);
  }
}

const audience = (id, rules = [], name = `Audience ${id}`) => ({ segx: 1, id, name, root: { match: 'all', rules } });
const inCountry = (value) => ({ kind: 'property', attribute: 'country', op: 'eq', value });
const stored = (storage) => JSON.parse(storage.getItem('segx.workspace'));

// A page start: a fresh core, and the store loading what the storage holds.
async function start(storage) {
  const bridge = await startCore();
  const store = new WorkspaceStore(bridge, storage);
  const loaded = store.load();
  return { bridge, store, loaded };
}

// Definitions as a page of an older or newer version, or a damaged entry, may have left them.
const unreadable = {
  renamed_op: audience('renamed_op', [{ kind: 'property', attribute: 'country', op: 'equals', value: 'China' }], 'Old op'),
  moved: audience('elsewhere', [], 'Saved under another key'),
  future: { segx: 2, id: 'future', name: 'From a newer page', root: { all: [] } },
  not_an_object: 'audience',
};

describe('the workspace store', () => {
  let db;
  before(async () => {
    db = await startDuckDB();
  });

  test('a saved definition that no longer reads survives a reload with its errors', async () => {
    const good = audience('good', [inCountry('China')]);
    const storage = new MemoryStorage({ 'segx.workspace': JSON.stringify({ segx: 1, mappings: {}, audiences: { good, ...unreadable }, settings: {} }) });
    for (let reload = 0; reload < 2; ++reload) {
      const { bridge, store, loaded } = await start(storage);
      assert.deepEqual(loaded, { ok: true });
      const saved = bridge.state().saved.audiences;
      const readable = reload ? ['good', 'new0'] : ['good'];  // the one saved before the reload too
      assert.deepEqual(saved.map((a) => a.id), [...readable, 'renamed_op', 'moved', 'future', 'not_an_object']);
      assert.equal(saved[0].errors, undefined);
      const errorsOf = (id) => saved.find((a) => a.id === id).errors;
      assert.ok(saved.slice(readable.length).every((a) => a.unread === true && a.errors.length > 0));
      assert.match(errorsOf('renamed_op').find((e) => e.path === 'root.rules[0].op').message, /equals/);
      assert.deepEqual(errorsOf('moved'), [{ path: 'id', message: 'expected "moved", the key it is saved under' }]);
      assert.equal(errorsOf('future')[0].path, 'segx');
      assert.equal(saved.find((a) => a.id === 'renamed_op').name, 'Old op');
      // A change elsewhere stores the workspace: the unreadable ones go back exactly as they came.
      assert.equal(bridge.mergeWorkspace({ audiences: { [`new${reload}`]: audience(`new${reload}`) } }).ok, true);
      assert.equal(store.persist(), true);
      const audiences = stored(storage).audiences;
      for (const [id, value] of Object.entries(unreadable)) assert.deepEqual(audiences[id], value);
      // A file export leaves them out (an import would refuse them) and imports cleanly.
      const exported = bridge.workspace({ forExport: true });
      assert.deepEqual(Object.keys(exported.audiences), reload ? ['good', 'new0', 'new1'] : ['good', 'new0']);
      assert.equal(parseImport(exportWorkspace(exported)).ok, true);
    }
    // Saving a valid definition under an unreadable one's id replaces it; a new id skips theirs.
    const { bridge } = await start(storage);
    assert.equal(bridge.mergeWorkspace({ audiences: { future: audience('future') } }).ok, true);
    const saved = bridge.state().saved.audiences;
    assert.deepEqual(saved.find((a) => a.id === 'future'), { id: 'future', name: 'Audience future' });
  });

  test('a saved audience naming what the data lacks is kept and reported with its error', async () => {
    const storage = new MemoryStorage({
      'segx.workspace': JSON.stringify({ segx: 1, audiences: { cn: audience('cn', [inCountry('China')]), tier: audience('tier', [{ kind: 'property', attribute: 'tier', op: 'is_set' }]) } }),
    });
    const { bridge, store } = await start(storage);
    // Without data nothing can be checked against it.
    assert.deepEqual(bridge.state().saved.audiences, [{ id: 'cn', name: 'Audience cn' }, { id: 'tier', name: 'Audience tier' }]);
    await loadSource({ db, bridge, name: 'users.csv', bytes: utf8('user_id,country\nu1,China\nu2,Japan\n') });
    const [cn, tier] = bridge.state().saved.audiences;
    assert.deepEqual(cn, { id: 'cn', name: 'Audience cn' });
    assert.equal(tier.errors.length, 1);
    assert.equal(tier.errors[0].path, 'root.rules[0].attribute');
    assert.match(tier.errors[0].message, /tier/);
    assert.equal(store.persist(), true);  // nothing changed: nothing written, nothing dropped
    assert.deepEqual(storage.writes, []);
    assert.deepEqual(Object.keys(stored(storage).audiences), ['cn', 'tier']);
  });

  test('mappings and settings persist across reloads', async () => {
    const storage = new MemoryStorage();
    const first = await start(storage);
    assert.equal(first.bridge.state().memory_budget_mb, 2048);
    const mapping = { source: 'crm.csv', kind: 'events', user_id: 'member', time: 'when', event: 'what', columns: ['城市'], filter: '"member" <> \'x\'' };
    assert.equal(first.bridge.mergeWorkspace({ mappings: { 'crm.csv': mapping }, settings: { memory_budget_mb: 512 } }).ok, true);
    assert.equal(first.store.persist(), true);
    const { bridge } = await start(storage);
    assert.deepEqual(bridge.workspace().mappings, { 'crm.csv': mapping });
    assert.deepEqual(bridge.workspace().settings, { memory_budget_mb: 512, keep_data_mb: 500 });
    assert.equal(bridge.state().memory_budget_mb, 512);
    // A stored setting out of range is not trusted: the default stands.
    const bad = new MemoryStorage({ 'segx.workspace': JSON.stringify({ segx: 1, settings: { memory_budget_mb: -5 } }) });
    assert.equal((await start(bad)).bridge.state().memory_budget_mb, 2048);
  });

  test('the interface language is a setting: read strictly, stored, exported, and the messages follow it', async () => {
    const storage = new MemoryStorage();
    const first = await start(storage);
    // None chosen: the browser's language decides (Node's module is told nothing: English).
    assert.equal(first.bridge.state('language'), 'en');
    first.bridge.setBrowserLanguage('zh-Hans-CN');
    assert.equal(first.bridge.state('language'), 'zh-CN');
    assert.equal(first.bridge.tr('msg_link_failed', 'x'), '链接未能复制：x');
    first.bridge.setBrowserLanguage('en-GB');
    assert.equal(first.bridge.tr('msg_link_failed', 'x'), 'The link was not copied: x');
    assert.equal(first.bridge.workspace().settings.language, undefined);  // none chosen, none written
    // Only the codes the switch writes.
    const refused = first.bridge.mergeWorkspace({ settings: { language: 'zh' } });
    assert.equal(refused.ok, false);
    assert.equal(refused.errors[0].path, 'settings.language');
    assert.equal(first.bridge.mergeWorkspace({ settings: { language: 'zh-CN' } }).ok, true);
    assert.equal(first.bridge.state('language'), 'zh-CN');
    assert.equal(first.store.persist(), true);
    const { bridge } = await start(storage);
    assert.equal(bridge.workspace().settings.language, 'zh-CN');
    assert.equal(bridge.workspace({ forExport: true }).settings.language, 'zh-CN');
    assert.equal(bridge.state('language'), 'zh-CN');
    // A stored value that is not a code is not trusted.
    const bad = new MemoryStorage({ 'segx.workspace': JSON.stringify({ segx: 1, settings: { language: 'klingon' } }) });
    assert.equal((await start(bad)).bridge.state('language'), 'en');
  });

  test('one revision, one write', async () => {
    const storage = new MemoryStorage({ 'segx.workspace': JSON.stringify({ segx: 1, audiences: { a: audience('a') } }) });
    const { bridge, store } = await start(storage);
    const revision = bridge.workspaceRevision();
    assert.equal(store.persist(), true);
    assert.deepEqual(storage.writes, []);  // loading is not a change
    // One merge of three parts is one revision and one write, however often persist is asked.
    assert.equal(bridge.mergeWorkspace({ audiences: { b: audience('b') }, mappings: { 'x.csv': { kind: 'users' } }, settings: { memory_budget_mb: 100 } }).ok, true);
    assert.equal(bridge.workspaceRevision(), revision + 1);
    store.persist();
    store.persist();
    assert.deepEqual(storage.writes, ['segx.workspace']);
    // A refused merge changes nothing: no revision, no write, the same text.
    const before = storage.getItem('segx.workspace');
    const refused = bridge.mergeWorkspace({ audiences: { c: audience('c'), d: { segx: 1, id: 'd', root: [] } } });
    assert.equal(refused.ok, false);
    assert.equal(refused.errors[0].path, 'audiences["d"].root');
    assert.equal(bridge.workspaceRevision(), revision + 1);
    store.persist();
    assert.deepEqual(storage.writes, ['segx.workspace']);
    assert.equal(bridge.workspaceText(), before);
    assert.equal(bridge.mergeWorkspace({ audiences: { c: audience('c') } }).ok, true);
    store.persist();
    assert.equal(storage.writes.length, 2);
  });

  test('a merge replaces by name and keeps the rail order, the rest and the settings', async () => {
    const storage = new MemoryStorage({
      'segx.workspace': JSON.stringify({ segx: 1, mappings: { 'a.csv': { kind: 'users' } }, audiences: { vip: audience('vip', [inCountry('China')]), everyone: audience('everyone') }, settings: { memory_budget_mb: 1024 } }),
    });
    const { bridge } = await start(storage);
    const r = bridge.mergeWorkspace({ segx: 1, mappings: { 'b.csv': { kind: 'events' } }, audiences: { fresh: audience('fresh'), vip: audience('vip', [], 'VIP (new)') }, settings: {} });
    assert.deepEqual(r, { ok: true, ids: ['fresh', 'vip'] });
    const w = bridge.workspace();
    assert.deepEqual(Object.keys(w.audiences), ['vip', 'everyone', 'fresh']);
    assert.equal(w.audiences.vip.name, 'VIP (new)');
    assert.deepEqual(Object.keys(w.mappings), ['a.csv', 'b.csv']);
    assert.equal(w.settings.memory_budget_mb, 1024);
    // An audience without an id is saved under a new one.
    assert.deepEqual(bridge.mergeWorkspace({ audiences: { '': { ...audience(''), id: '' } } }).ids, ['audience-1']);
    // Imports are checked by parseImport first; the core still refuses a mismatched id whole.
    const refused = bridge.mergeWorkspace({ audiences: { x: audience('y') }, settings: { memory_budget_mb: 1 } });
    assert.deepEqual(refused.errors, [{ path: 'audiences["x"].id', message: 'expected "x", the key it is saved under' }]);
    assert.equal(bridge.workspace().settings.memory_budget_mb, 1024);
  });

  test('a stored text that is not a workspace is set aside, not overwritten', async () => {
    const storage = new MemoryStorage({ 'segx.workspace': '{"segx": 1, "audiences": {' });
    const { bridge, store, loaded } = await start(storage);
    assert.equal(loaded.ok, false);
    assert.equal(storage.getItem('segx.workspace.unreadable'), '{"segx": 1, "audiences": {');
    assert.match(bridge.state().messages.at(-1).text, /could not be read .* set aside as "segx\.workspace\.unreadable"/);
    assert.deepEqual(bridge.state().saved.audiences, []);
    store.persist();
    assert.equal(storage.getItem('segx.workspace'), '{"segx": 1, "audiences": {');  // until something changes
  });
});
