// Hostile definitions (audience, funnel, RFM, retention, lifecycle, board JSON through segx.run)
// and share links: each refused with errors that say what and where, or answered; never a throw.
import assert from 'node:assert/strict';
import { deflateRawSync, deflateSync } from 'node:zlib';

import { readShareFragment, shareFragment } from '../../../../web/share.js';

const run = (definition) => (ctx) => {
  try {
    return ctx.bridge.run(definition);
  } catch (e) {
    return { threw: String(e.message || e) };
  }
};
const refused = (definition, pattern) => ({ run: run(definition), error: pattern });
const answered = (definition, check = () => {}) => ({
  run: run(definition),
  check: (r, ctx) => {
    assert.equal(r.ok, true, JSON.stringify(r).slice(0, 300));
    check(r, ctx);
  },
});
const group = (rules, match = 'all') => ({ match, rules });
const aud = (root, extra = {}) => ({ segx: 1, name: 'x', root, ...extra });
const prop = (value, op = 'eq') => ({ kind: 'property', attribute: 'country', op, value });

// A chain of saved audiences where each level refers twice to the level below (2^depth paths)
// and the leaf is broken: validation must resolve each definition once.
function diamond(depth) {
  const audiences = {};
  audiences.l0 = { segx: 1, id: 'l0', name: 'leaf', root: group([{ kind: 'property', attribute: 'no_such_column', op: 'eq', value: 'x' }]) };
  for (let i = 1; i <= depth; i++) {
    audiences[`l${i}`] = { segx: 1, id: `l${i}`, name: `level ${i}`, root: group([{ kind: 'audience', op: 'in', id: `l${i - 1}` }, { kind: 'audience', op: 'not_in', id: `l${i - 1}` }], 'any') };
  }
  return audiences;
}

const link = (text) => ({
  run: async () => {
    try {
      return { ok: true, value: await readShareFragment(text) };
    } catch (e) {
      return { ok: false, message: String(e.message || e) };
    }
  },
});
const b64url = (bytes) => Buffer.from(bytes).toString('base64url');

export const definitionCases = [
  { name: 'definition: not JSON', ...refused('{"segx": 1, root', /JSON|parse|syntax/i) },
  { name: 'definition: an empty text', ...refused('', /JSON|empty|expected/i) },
  { name: 'definition: a JSON array', ...refused([], /object|expected/i) },
  { name: 'definition: null', ...refused('null', /object|expected/i) },
  { name: 'definition: version 2', ...refused({ segx: 2, root: group([]) }, /segx|version|1/) },
  { name: 'definition: an unknown kind', ...refused({ segx: 1, kind: 'pivot' }, /kind/) },
  { name: 'definition: an unknown rule kind', ...refused(aud(group([{ kind: 'telepathy' }])), /kind/) },
  { name: 'definition: a rule on a missing column', ...refused(aud(group([{ kind: 'property', attribute: 'nope', op: 'eq', value: 1 }])), /nope|column|attribute/) },
  { name: 'definition: an unknown operator', ...refused(aud(group([prop('CN', 'like')])), /op/) },
  { name: 'definition: a value of the wrong type', ...refused(aud(group([prop({ a: 1 })])), /value/) },
  { name: 'definition: NaN-like numbers', ...refused('{"segx": 1, "root": {"match": "all", "rules": [{"kind": "property", "attribute": "country", "op": "gt", "value": 1e999}]}}', /value|number|finite|range/i) },
  { name: 'definition: groups nested 10,000 deep', ...refused('{"segx":1,"name":"x","root":' + '{"match":"all","rules":['.repeat(10000) + ']}'.repeat(10000) + '}', /deep|nest|depth|level/i) },
  { name: 'definition: 20,000 rules', run: run(aud(group(Array.from({ length: 20000 }, () => prop('CN'))))), check: (r) => assert.equal(typeof r.ok, 'boolean') },
  { name: 'definition: a 1 MB value', run: run(aud(group([prop('x'.repeat(1 << 20))]))), check: (r) => assert.equal(typeof r.ok, 'boolean') },
  { name: 'definition: __proto__ as id', ...answered(aud(group([prop('CN')]), { id: '__proto__' })) },
  { name: 'definition: constructor as id and name', ...answered(aud(group([prop('CN')]), { id: 'constructor', name: 'constructor' })) },
  { name: 'definition: a reference to a missing audience', ...refused(aud(group([{ kind: 'audience', op: 'in', id: 'ghost' }])), /ghost|saved|audience/) },
  { name: 'definition: a reference cycle', run: (ctx) => {
    ctx.bridge.mergeWorkspace({ audiences: { a1: { segx: 1, id: 'a1', name: 'a1', root: group([prop('CN')]) } } });
    return { ok: true };
  }, check: (r, ctx) => {
    // a1 saved; an audience of a1 that a1 is made to reference back is refused when saved.
    const cyc = ctx.bridge.mergeWorkspace({ audiences: { a1: { segx: 1, id: 'a1', name: 'a1', root: group([{ kind: 'audience', op: 'in', id: 'a1' }]) } } });
    const answer = ctx.bridge.run({ segx: 1, name: 'x', root: group([{ kind: 'audience', op: 'in', id: 'a1' }]) });
    assert.ok(!cyc.ok || answer.ok === false, `a cycle: ${JSON.stringify(cyc)} ${JSON.stringify(answer).slice(0, 200)}`);
  } },
  { name: 'definition: a diamond of 16 levels with a broken leaf', isolated: true,
    run: (ctx) => {
      const t0 = performance.now();
      const merged = ctx.bridge.mergeWorkspace({ audiences: diamond(16) });
      const r = ctx.bridge.run({ segx: 1, name: 'top', root: group([{ kind: 'audience', op: 'in', id: 'l16' }]) });
      return { merged, r, ms: performance.now() - t0 };
    },
    check: (x) => {
      assert.equal(x.r.ok, false);
      assert.ok(x.r.errors.length <= 10, `${x.r.errors.length} errors: each definition is resolved once`);
    } },
  { name: 'funnel: 33 steps', ...refused({ segx: 1, kind: 'funnel', steps: Array.from({ length: 33 }, () => ({ event: 'view' })), order: 'ordered', window: { days: 7 } }, /steps|32/) },
  { name: 'funnel: one step', ...refused({ segx: 1, kind: 'funnel', steps: [{ event: 'view' }], order: 'ordered', window: { days: 7 } }, /steps|2/) },
  { name: 'funnel: a negative window', ...refused({ segx: 1, kind: 'funnel', steps: [{ event: 'view' }, { event: 'buy' }], order: 'ordered', window: { days: -1 } }, /window|days/) },
  { name: 'funnel: a window of 1e300 days', run: run({ segx: 1, kind: 'funnel', steps: [{ event: 'view' }, { event: 'buy' }], order: 'ordered', window: { days: 1e300 } }), check: (r) => assert.equal(typeof r.ok, 'boolean') },
  { name: 'funnel: an unknown order', ...refused({ segx: 1, kind: 'funnel', steps: [{ event: 'view' }, { event: 'buy' }], order: 'sideways', window: { days: 7 } }, /order/) },
  { name: 'funnel: steps with empty events', ...refused({ segx: 1, kind: 'funnel', steps: [{ event: '' }, { event: '' }], order: 'ordered', window: { days: 7 } }, /event/) },
  { name: 'rfm: cut points out of order', ...refused({ segx: 1, kind: 'rfm', method: 'thresholds', monetary: 'total', thresholds: { r: [90, 30, 7, 1], f: [1, 2, 4, 8], m: [1, 2, 3, 4] } }, /thresholds|order|increas/i) },
  { name: 'rfm: an unknown method', ...refused({ segx: 1, kind: 'rfm', method: 'vibes', monetary: 'total' }, /method/) },
  { name: 'rfm: a segment outside the grid', ...refused({ segx: 1, kind: 'rfm', method: 'quantile', monetary: 'total', segments: [{ name: 's', r: [0, 9], f: [1, 5] }] }, /segments|r/) },
  { name: 'retention: 100,000 periods', ...refused({ segx: 1, kind: 'retention', period: 'day', start: { event: 'view' }, return: { event: 'buy' }, mode: 'exact', periods: 100000, cohorts: 4 }, /periods/) },
  { name: 'retention: an unknown period', ...refused({ segx: 1, kind: 'retention', period: 'fortnight', start: { event: 'view' }, return: { event: 'buy' }, mode: 'exact', periods: 4, cohorts: 4 }, /period/) },
  { name: 'lifecycle: negative periods', ...refused({ segx: 1, kind: 'lifecycle', period: 'day', periods: -5 }, /periods/) },
  { name: 'board: a dormancy of 1e12 days', run: run({ segx: 1, kind: 'board', period: 'day', periods: 7, dormant_days: 1e12 }), check: (r) => assert.equal(typeof r.ok, 'boolean') },

  // --- share links ---
  { name: 'link: no definition', ...link('#x=abc'), error: /carries no definition/ },
  { name: 'link: not base64url', ...link('#a=%%%'), error: /damaged|base64/ },
  { name: 'link: not deflate', ...link('#a=' + b64url(Buffer.from('hello world'))), error: /damaged/ },
  { name: 'link: truncated', run: async () => {
    const full = await shareFragment({ segx: 1, name: 'x', root: group([prop('CN')]) });
    try {
      return { ok: true, value: await readShareFragment(full.slice(0, full.length - 6)) };
    } catch (e) {
      return { ok: false, message: e.message };
    }
  }, error: /damaged|JSON/ },
  { name: 'link: a deflate bomb (64 MB of zeros)', ...link('#a=' + b64url(deflateSync(Buffer.alloc(64 << 20, 0x20)))), error: /too large|more than/ },
  { name: 'link: raw deflate instead of zlib', ...link('#a=' + b64url(deflateRawSync(Buffer.from('{"segx":1}')))), error: /damaged/ },
  { name: 'link: not JSON inside', ...link('#a=' + b64url(deflateSync(Buffer.from('{segx: 1')))), error: /not valid JSON/ },
  { name: 'link: invalid UTF-8 inside', ...link('#a=' + b64url(deflateSync(Buffer.from([0x7b, 0xff, 0x7d])))), error: /not valid JSON/ },
  { name: 'link: a round trip keeps the definition', run: async () => {
    const d = { segx: 1, id: '__proto__', name: '中文 "quoted"', root: group([prop('CN')]) };
    return { ok: true, d, back: await readShareFragment(await shareFragment(d)) };
  }, check: (r) => assert.deepEqual(r.back, r.d) },
];
