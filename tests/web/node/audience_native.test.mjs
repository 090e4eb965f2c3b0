// The same audience definitions evaluated in the WASM module over DuckDB-loaded data give the
// same members as the native build: the module's model is exported as bytes
// (src/core/model/model_io.h) and evaluated by build/native/tests/core/segx_eval_model.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { loadSource } from '../../../web/source_loader.js';
import { repo, setSavedAudiences, startCore, startDuckDB } from '../support/node_env.mjs';

const tool = join(repo, 'build/native/tests/core/segx_eval_model');
const DAY_US = 86400 * 1e6;

const def = (root, id = 't') => ({ segx: 1, id, name: id, root });
const all = (...rules) => ({ match: 'all', rules });
const any = (...rules) => ({ match: 'any', rules });
const prop = (attribute, op, v, extra = {}) =>
  Array.isArray(v) ? { kind: 'property', attribute, op, values: v, ...extra }
    : v === undefined ? { kind: 'property', attribute, op, ...extra }
      : { kind: 'property', attribute, op, value: v, ...extra };
const did = (event, extra = {}) => ({ kind: 'behavior', did: true, event, ...extra });

// Saved audiences for `audience` reference rules, known to both sides.
const saved = [
  def(all(prop('country', 'eq', 'China')), 'china'),
  def(all(did('purchase', { window: { last_days: 90 } })), 'recent_buyers'),
];

// [label, root, as-of offset in days before the default (null: the default)]
const corpus = [
  // every property operator, over strings, dates, booleans, Chinese text and nulls
  ['eq', all(prop('country', 'eq', 'China')), null],
  ['eq ci', all(prop('country', 'eq', 'CHINA', { ci: true })), null],
  ['eq chinese', all(prop('city', 'eq', '上海')), null],
  ['neq', all(prop('age_band', 'neq', '25-34')), null],
  ['in', all(prop('city', 'in', ['北京', '上海', 'London'])), null],
  ['not_in', all(prop('channel', 'not_in', ['organic', 'email'])), null],
  ['contains', all(prop('city', 'contains', 'on')), null],
  ['contains ci', all(prop('city', 'contains', 'NEW', { ci: true })), null],
  ['not_contains', all(prop('country', 'not_contains', 'United')), null],
  ['starts_with', all(prop('age_band', 'starts_with', '2')), null],
  ['starts_with chinese', all(prop('city', 'starts_with', '北')), null],
  ['gt date', all(prop('signup_date', 'gt', '2026-03-01')), null],
  ['gte date', all(prop('signup_date', 'gte', '2026-03-01')), null],
  ['lt text', all(prop('age_band', 'lt', '35-44')), null],
  ['lte date', all(prop('signup_date', 'lte', '2025-12-15')), null],
  ['between date', all(prop('signup_date', 'between', ['2026-01-01', '2026-06-30'])), null],
  ['is_set', all(prop('age_band', 'is_set')), null],
  ['is_not_set', all(prop('city', 'is_not_set')), null],
  ['bool', all(prop('email_opt_in', 'eq', true)), null],
  // behaviour: did / did not, counts, windows, filters
  ['did purchase', all(did('purchase')), null],
  ['did not purchase', all({ kind: 'behavior', did: false, event: 'purchase' }), null],
  ['count gte 3 last 30', all(did('view_item', { window: { last_days: 30 }, count: { op: 'gte', value: 3 } })), null],
  ['count lte 1', all(did('add_to_cart', { count: { op: 'lte', value: 1 } })), null],
  ['count eq 2', all(did('purchase', { count: { op: 'eq', value: 2 } })), null],
  ['count between', all(did('page_view', { window: { last_days: 60 }, count: { op: 'between', values: [2, 6] } })), null],
  ['range window', all(did('search', { window: { from: '2026-02-01', to: '2026-04-15T12:00:00' } })), null],
  ['open-ended range', all(did('begin_checkout', { window: { from: '2026-09-01' } })), null],
  ['filter eq', all(did('view_item', { where: [{ property: 'category', op: 'eq', value: 'Electronics' }] })), null],
  ['filter in + starts_with', all(did('page_view', { where: [{ property: 'page', op: 'starts_with', value: '/c/' }, { property: 'device', op: 'in', values: ['mobile', 'tablet'] }], window: { last_days: 45 } })), null],
  ['filter is_not_set', all(did('page_view', { where: [{ property: 'category', op: 'is_not_set' }], count: { op: 'gte', value: 10 } })), null],
  ['filter ci', all(did('purchase', { where: [{ property: 'category', op: 'eq', value: 'fashion', ci: true }] })), null],
  // aggregates
  ['sum revenue', all(did('purchase', { aggregate: { fn: 'sum', of: 'revenue', op: 'gte', value: 200 } })), null],
  ['avg revenue window', all(did('purchase', { window: { last_days: 180 }, aggregate: { fn: 'avg', of: 'revenue', op: 'between', values: [50, 120] } })), null],
  ['min revenue', all(did('purchase', { aggregate: { fn: 'min', of: 'revenue', op: 'lt', value: 30 } })), null],
  ['max property', all(did('purchase', { aggregate: { fn: 'max', of: 'property', property: 'items', op: 'gte', value: 3 } })), null],
  ['sum property filtered', all(did('purchase', { where: [{ property: 'category', op: 'neq', value: 'Books' }], aggregate: { fn: 'sum', of: 'property', property: 'items', op: 'eq', value: 2 } })), null],
  // first / last occurrence
  ['first in window', all(did('purchase', { occurrence: 'first', window: { last_days: 60 } })), null],
  ['last in range', all(did('view_item', { occurrence: 'last', window: { from: '2026-08-01', to: '2026-10-01' } })), null],
  // nested groups with negate
  ['nested', all(
    prop('plan', 'eq', 'free'),
    { kind: 'group', match: 'any', rules: [prop('device', 'eq', 'mobile'), did('add_to_cart', { window: { last_days: 14 } })] },
    { kind: 'group', match: 'all', negate: true, rules: [prop('country', 'in', ['United States', 'Canada']), did('purchase')] },
  ), null],
  ['negated root', { match: 'any', negate: true, rules: [prop('channel', 'eq', 'organic'), did('search', { count: { op: 'gte', value: 3 } })] }, null],
  ['deep', all({ kind: 'group', match: 'any', rules: [{ kind: 'group', match: 'all', negate: true, rules: [prop('age_band', 'is_set'), prop('email_opt_in', 'eq', false)] }, did('begin_checkout', { count: { op: 'gte', value: 2 } })] }), null],
  ['empty all', all(), null],
  ['empty any', any(), null],
  // audience references
  ['in saved', all({ kind: 'audience', op: 'in', id: 'china' }, did('view_item', { window: { last_days: 30 } })), null],
  ['not_in saved', all({ kind: 'audience', op: 'not_in', id: 'recent_buyers' }, prop('plan', 'eq', 'plus')), null],
  // an earlier as-of
  ['as-of 120 days earlier', all(did('purchase', { window: { last_days: 30 } })), 120],
  ['as-of 200 days earlier, occurrence', all(did('add_to_cart', { occurrence: 'last', window: { last_days: 10 } })), 200],
  ['as-of 90 days earlier, saved', any({ kind: 'audience', op: 'in', id: 'recent_buyers' }, prop('city', 'eq', '成都')), 90],
  // errors are the same errors
  ['unknown attribute', all(prop('no_such', 'is_set')), null],
  ['unknown event', all(did('no_such_event')), null],
];

let bridge, dir, wasm, native, users;
before(async () => {
  // A missing native build is a failure, not a skip: the comparison is the point of this file.
  assert.ok(existsSync(tool), `${tool} is missing: build it with .ci/build (or cmake --build build/native --target segx_eval_model)`);
  bridge = await startCore();
  const db = await startDuckDB();
  for (const name of ['users.csv', 'orders.csv', 'events.csv']) {
    await loadSource({ db, bridge, name, bytes: readFileSync(join(repo, 'data/demo', name)) });
  }
  users = bridge.state('overview').users;
  const defaultAsOf = bridge.state('as_of_us');
  assert.equal(typeof defaultAsOf, 'number');
  setSavedAudiences(bridge, saved);
  const runs = corpus.map(([, root, daysBefore]) => ({
    definition: def(root),
    as_of_us: daysBefore === null ? null : defaultAsOf - daysBefore * DAY_US,
  }));
  wasm = runs.map((r) => {
    bridge.setAsOf(r.as_of_us);
    return bridge.run(r.definition, { members: true });
  });
  bridge.setAsOf(null);
  setSavedAudiences(bridge, []);

  dir = mkdtempSync(join(tmpdir(), 'segx-native-'));
  writeFileSync(join(dir, 'model.bin'), bridge.exportModel());
  writeFileSync(join(dir, 'runs.json'), JSON.stringify({ saved, runs }));
  native = JSON.parse(execFileSync(tool, [join(dir, 'model.bin'), join(dir, 'runs.json')], { encoding: 'utf8', maxBuffer: 1 << 28 }));
});
after(() => dir && rmSync(dir, { recursive: true, force: true }));

describe('WASM over DuckDB-loaded data vs the native build', () => {
  test('every definition gives the same members (or the same errors) in both builds', () => {
    assert.equal(native.length, corpus.length);
    corpus.forEach(([label], i) => {
      const w = wasm[i], n = native[i];
      const msg = `${label}: wasm ${JSON.stringify(w.errors ?? w.size)} native ${JSON.stringify(n.errors ?? n.size)}`;
      assert.equal(n.ok, w.ok, msg);
      if (!w.ok) {
        assert.deepEqual(n.errors, w.errors, msg);
        return;
      }
      assert.equal(n.size, w.size, msg);
      assert.equal(w.members.length, w.size, msg);
      assert.deepEqual([...n.members].sort(), [...w.members].sort(), msg);
    });
  });

  test('the corpus is meaningful: only the intended errors, and most audiences are neither empty nor everyone', () => {
    const failed = corpus.filter((_, i) => !wasm[i].ok).map(([label]) => label);
    assert.deepEqual(failed, ['unknown attribute', 'unknown event'], JSON.stringify(wasm.filter((r) => !r.ok)));
    const sizes = corpus.map(([label], i) => [label, wasm[i].size]);
    const nontrivial = sizes.filter(([, s]) => s > 0 && s < users);
    assert.ok(nontrivial.length * 2 >= corpus.length, JSON.stringify(sizes));
    // Every non-trivial audience that is not a deliberate identity (empty all / any).
    const trivial = sizes.filter(([, s]) => !(s > 0 && s < users)).map(([label]) => label);
    assert.deepEqual(trivial.filter((l) => !['empty all', 'empty any', 'unknown attribute', 'unknown event'].includes(l)), [], JSON.stringify(sizes));
  });
});
