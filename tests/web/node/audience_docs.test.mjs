// The audience format's reference (src/core/audience/README.md) and its JSON Schema
// (web/audience.schema.json) against the core: every ```json example in the README is a
// definition the WASM core accepts over the demo data, and the README and the schema list the
// same rule kinds and operators, so that neither can drift from the other.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';

import { loadSource } from '../../../web/source_loader.js';
import { repo, setSavedAudiences, startCore, startDuckDB } from '../support/node_env.mjs';

const readme = readFileSync(join(repo, 'src/core/audience/README.md'), 'utf8');
const schemaText = readFileSync(join(repo, 'web/audience.schema.json'), 'utf8');

const examples = [...readme.matchAll(/^```json\n([\s\S]*?)^```$/gm)].map((m) => m[1]);

// The text of a section: from its heading line to the next heading of the same or a higher level.
function section(heading) {
  const start = readme.indexOf(`\n${heading}\n`);
  assert.ok(start >= 0, `README has no section "${heading}"`);
  const level = heading.match(/^#+/)[0].length;
  const rest = readme.slice(start + heading.length + 2);
  const next = rest.search(new RegExp(`^#{1,${level}} `, 'm'));
  return next < 0 ? rest : rest.slice(0, next);
}
// Rule kinds: the "### `kind`" headings under "## Rule kinds".
const documentedKinds = () => [...section('## Rule kinds').matchAll(/^### `(\w+)`$/gm)].map((m) => m[1]);
// Operators: the first column of the table under "#### Operators".
const documentedOps = () => [...section('#### Operators').matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]);

// Every rule of a definition, with the comparison operators of property rules and filters.
function walk(node, out = { kinds: new Set(), ops: new Set() }) {
  for (const rule of node.rules ?? []) {
    out.kinds.add(rule.kind);
    if (rule.kind === 'group') walk(rule, out);
    if (rule.kind === 'property') out.ops.add(rule.op);
    for (const f of rule.where ?? []) out.ops.add(f.op);
  }
  return out;
}

// A small JSON Schema (2020-12) checker for exactly the keywords web/audience.schema.json uses
// (no validator package is installed). Returns the list of failures, empty when valid.
function validate(schema, value, root = schema, path = '$') {
  if (schema === true) return [];
  if (schema === false) return [`${path}: not allowed`];
  const errs = [];
  const fail = (msg) => errs.push(`${path}: ${msg}`);
  const typeOf = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' && Number.isInteger(v) ? 'integer' : typeof v);
  const known = new Set(['$schema', '$id', '$comment', 'title', 'description', '$defs', 'type', 'enum', 'const', 'required',
    'properties', 'additionalProperties', 'items', 'minItems', 'maxItems', 'minLength', 'maxLength', 'pattern', 'minimum',
    'maximum', 'allOf', 'anyOf', 'oneOf', 'not', 'if', 'then', 'else', '$ref']);
  for (const k of Object.keys(schema)) if (!known.has(k)) throw new Error(`schema keyword ${k} not supported by this checker`);
  if (schema.$ref) {
    const target = schema.$ref.replace(/^#\//, '').split('/').reduce((s, k) => s?.[k], root);
    if (target === undefined) throw new Error(`unresolved $ref ${schema.$ref}`);
    errs.push(...validate(target, value, root, path));
  }
  const t = typeOf(value);
  if (schema.type) {
    const types = [].concat(schema.type);
    if (!types.includes(t) && !(t === 'integer' && types.includes('number'))) fail(`expected ${types.join('|')}, got ${t}`);
  }
  if (schema.enum && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) fail(`not one of ${schema.enum}`);
  if ('const' in schema && JSON.stringify(schema.const) !== JSON.stringify(value)) fail(`expected ${JSON.stringify(schema.const)}`);
  if (typeof value === 'string') {
    const n = [...value].length;
    if (schema.minLength !== undefined && n < schema.minLength) fail('too short');
    if (schema.maxLength !== undefined && n > schema.maxLength) fail('too long');
    if (schema.pattern && !new RegExp(schema.pattern, 'u').test(value)) fail(`does not match ${schema.pattern}`);
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) fail('below minimum');
    if (schema.maximum !== undefined && value > schema.maximum) fail('above maximum');
  }
  if (t === 'array') {
    if (schema.minItems !== undefined && value.length < schema.minItems) fail('too few items');
    if (schema.maxItems !== undefined && value.length > schema.maxItems) fail('too many items');
    if (schema.items !== undefined) value.forEach((v, i) => errs.push(...validate(schema.items, v, root, `${path}[${i}]`)));
  }
  if (t === 'object') {
    for (const k of schema.required ?? []) if (!(k in value)) fail(`missing ${k}`);
    for (const [k, v] of Object.entries(value)) {
      if (schema.properties && k in schema.properties) errs.push(...validate(schema.properties[k], v, root, `${path}.${k}`));
      else if (schema.additionalProperties !== undefined) errs.push(...validate(schema.additionalProperties, v, root, `${path}.${k}`));
    }
  }
  for (const s of schema.allOf ?? []) errs.push(...validate(s, value, root, path));
  if (schema.anyOf && !schema.anyOf.some((s) => validate(s, value, root, path).length === 0)) fail('matches none of anyOf');
  if (schema.oneOf) {
    const n = schema.oneOf.filter((s) => validate(s, value, root, path).length === 0).length;
    if (n !== 1) fail(`matches ${n} of oneOf, not exactly 1`);
  }
  if (schema.not && validate(schema.not, value, root, path).length === 0) fail('matches not');
  if (schema.if !== undefined) {
    const branch = validate(schema.if, value, root, path).length === 0 ? schema.then : schema.else;
    if (branch !== undefined) errs.push(...validate(branch, value, root, path));
  }
  return errs;
}

let bridge;
before(async () => {
  bridge = await startCore();
  const db = await startDuckDB();
  for (const name of ['users.csv', 'orders.csv', 'events.csv']) {
    await loadSource({ db, bridge, name, bytes: readFileSync(join(repo, 'data/demo', name)) });
  }
  assert.equal(bridge.state('overview').users, 2000);
});

describe('the audience format reference (src/core/audience/README.md)', () => {
  test('has examples', () => {
    assert.ok(examples.length >= 10, `only ${examples.length} json blocks`);
  });

  test('every json example is a definition the core accepts over the demo data', () => {
    for (const [i, text] of examples.entries()) {
      const def = JSON.parse(text);
      const label = `example ${i + 1} (${def.id})`;
      assert.equal(def.segx, 1, label);
      // References resolve against saved definitions: the README's examples refer to audience
      // "vip" and to funnel "f1".
      const vip = { segx: 1, id: 'vip', name: 'VIP', root: { match: 'all', rules: [
        { kind: 'behavior', did: true, event: 'purchase', count: { op: 'gte', value: 3 } }] } };
      const f1 = { segx: 1, kind: 'funnel', id: 'f1', name: 'Checkout', steps: [{ event: 'view_item' }, { event: 'add_to_cart' }, { event: 'begin_checkout' }, { event: 'purchase' }] };
      assert.ok(bridge.loadWorkspace(JSON.stringify({ segx: 1, audiences: { vip }, funnels: { f1 } })).ok);
      const r = bridge.run(text);
      setSavedAudiences(bridge, []);
      // Every rule kind evaluates now (rfm and lifecycle with the default RFM settings).
      assert.ok(r.ok, `${label}: ${JSON.stringify(r.errors)}`);
    }
  });

  test('the examples show every rule kind and every operator the README documents', () => {
    const kinds = new Set(), ops = new Set();
    for (const text of examples) {
      const { kinds: k, ops: o } = walk(JSON.parse(text).root);
      k.forEach((x) => kinds.add(x));
      o.forEach((x) => ops.add(x));
    }
    assert.deepEqual([...kinds].sort(), [...documentedKinds()].sort());
    assert.deepEqual([...ops].sort(), [...documentedOps()].sort());
  });
});

describe('the JSON Schema (web/audience.schema.json)', () => {
  const schema = JSON.parse(schemaText);

  test('is draft 2020-12 and lists exactly the README kinds and operators', () => {
    assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
    assert.deepEqual(documentedKinds(), ['group', 'property', 'behavior', 'rfm', 'lifecycle', 'funnel', 'audience', 'retention']);
    assert.equal(documentedOps().length, 14);
    assert.deepEqual(schema.$defs.kind.enum, documentedKinds());
    assert.deepEqual(schema.$defs.op.enum, documentedOps());
    // Every kind has a branch in the rule dispatch, with a subschema whose kind is that const.
    const branches = schema.$defs.rule.allOf.map((b) => b.if.properties.kind.const);
    assert.deepEqual(branches, documentedKinds());
    for (const k of documentedKinds()) assert.equal(schema.$defs[k].properties.kind.const, k);
  });

  test('accepts every README example', () => {
    for (const text of examples) {
      const def = JSON.parse(text);
      assert.deepEqual(validate(schema, def), [], def.id);
    }
  });

  test('refuses what the core refuses', () => {
    const bad = [
      { match: 'all', rules: [{ kind: 'property', attribute: 'country', op: 'eq', vaule: 'China' }] },
      { match: 'all', rules: [{ kind: 'property', attribute: 'country', op: 'in', value: 'China' }] },
      { match: 'all', rules: [{ kind: 'property', attribute: 'country', op: 'is_set', value: 'China' }] },
      { match: 'all', rules: [{ kind: 'property', attribute: 'signup_date', op: 'between', values: ['2026-01-01'] }] },
      { match: 'all', rules: [{ kind: 'property', attribute: 'country', op: 'contains', value: 3 }] },
      { match: 'all', rules: [{ kind: 'property', attribute: 'plan', op: 'gt', value: true }] },
      { match: 'all', rules: [{ kind: 'property', attribute: 'country', op: 'equals', value: 'China' }] },
      { match: 'all', rules: [{ kind: 'segment', id: 'x' }] },
      { match: 'both', rules: [] },
      { match: 'all' },
      { match: 'all', rules: [{ kind: 'behavior', event: 'purchase', count: { op: 'gte', value: 1 }, occurrence: 'last' }] },
      { match: 'all', rules: [{ kind: 'behavior', event: 'purchase', count: { op: 'gt', value: 1 } }] },
      { match: 'all', rules: [{ kind: 'behavior', event: 'purchase', count: { op: 'gte', value: -1 } }] },
      { match: 'all', rules: [{ kind: 'behavior', event: 'purchase', window: { last_days: 7, from: '2026-01-01' } }] },
      { match: 'all', rules: [{ kind: 'behavior', event: 'purchase', window: {} }] },
      { match: 'all', rules: [{ kind: 'behavior', event: 'purchase', window: { last_days: 0 } }] },
      { match: 'all', rules: [{ kind: 'behavior', event: 'purchase', aggregate: { fn: 'sum', of: 'revenue', property: 'items', op: 'gte', value: 1 } }] },
      { match: 'all', rules: [{ kind: 'behavior', event: 'purchase', aggregate: { fn: 'sum', of: 'property', op: 'gte', value: 1 } }] },
      { match: 'all', rules: [{ kind: 'behavior', event: 'purchase', aggregate: { fn: 'median', of: 'revenue', op: 'gte', value: 1 } }] },
      { match: 'all', rules: [{ kind: 'behavior', event: '' }] },
      { match: 'all', rules: [{ kind: 'rfm', segments: ['Champions'], r: [4, 5] }] },
      { match: 'all', rules: [{ kind: 'rfm' }] },
      { match: 'all', rules: [{ kind: 'rfm', r: [0, 5] }] },
      { match: 'all', rules: [{ kind: 'lifecycle', stage: 'churned' }] },
      { match: 'all', rules: [{ kind: 'lifecycle', stage: 'new', period: 'year' }] },
      { match: 'all', rules: [{ kind: 'lifecycle', stage: 'new', event: '' }] },
      { match: 'all', rules: [{ kind: 'rfm', rfm: '', segments: ['Champions'] }] },
      { match: 'all', rules: [{ kind: 'funnel', funnel: 'f1', reached: 2, dropped_after: 1 }] },
      { match: 'all', rules: [{ kind: 'funnel', funnel: 'f1', reached: 101 }] },
      { match: 'all', rules: [{ kind: 'audience', op: 'is', id: 'a2' }] },
      { kind: 'property', match: 'all', rules: [] },
    ];
    for (const root of bad) {
      const def = { segx: 1, id: 'bad', name: 'bad', root };
      const core = bridge.run(def);
      assert.equal(core.ok, false, JSON.stringify(root));
      assert.notDeepEqual(validate(schema, def), [], `schema accepts ${JSON.stringify(root)}`);
    }
    assert.notDeepEqual(validate(schema, { segx: 2, root: { match: 'all', rules: [] } }), []);
    assert.notDeepEqual(validate(schema, { segx: 1, root: { match: 'all', rules: [] }, extra: 1 }), []);
    assert.notDeepEqual(validate(schema, { segx: 1, name: 'x'.repeat(10001), root: { match: 'all', rules: [] } }), []);
  });
});
