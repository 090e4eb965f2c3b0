// The WASM heap may grow to 4 GB, and past 2 GiB a pointer read as a signed i32 turns negative
// (a load then failed with "RangeError: offset is out of bounds"). Here a module's heap is grown
// past 2.5 GiB with blocks kept from its own _malloc, so that what the bridge copies in (column
// buffers, descriptors, strings) and what it reads back (the exported model, JSON answers) lies
// above 2 GiB; loads, the model export and evaluations must give exactly what a fresh module
// gives without the padding.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { loadSource } from '../../../web/source_loader.js';
import { repo, startCore, startDuckDB } from '../support/node_env.mjs';

const kDemo = ['users.csv', 'orders.csv', 'events.csv'];
const kBlock = 256 * 2 ** 20;
const kPadTo = 2.5 * 2 ** 30;

const all = (...rules) => ({ match: 'all', rules });
const prop = (attribute, op, value) => ({ kind: 'property', attribute, op, value });
const did = (event, extra = {}) => ({ kind: 'behavior', did: true, event, ...extra });
const definitions = [
  all(prop('country', 'eq', 'China')),
  all(prop('city', 'starts_with', '北')),
  all({ kind: 'property', attribute: 'city', op: 'is_not_set' }),
  all(did('purchase', { window: { last_days: 30 } })),
  all(did('view_item', { count: { op: 'gte', value: 3 } }), { kind: 'group', match: 'any', negate: true, rules: [did('purchase')] }),
  all(did('purchase', { aggregate: { of: 'revenue', fn: 'sum', op: 'gte', value: 100 } })),
].map((root, i) => ({ segx: 1, id: `a${i}`, name: `audience ${i}`, root }));

async function loadDemo(bridge, db) {
  const rows = [];
  for (const name of kDemo) {
    const r = await loadSource({ db, bridge, name, bytes: readFileSync(join(repo, 'data/demo', name)) });
    assert.equal(r.mapped.ok, true, `${name}: ${JSON.stringify(r.mapped.problems)}`);
    rows.push(r.rows);
  }
  return rows;
}

// What a module answers about the loaded demo: everything the test compares.
function answers(bridge) {
  const s = bridge.state();
  return {
    overview: { ...s.overview, memory_bytes: undefined, event_bytes: undefined },
    as_of: s.as_of,
    rejects: s.sources.map((x) => [x.name, x.rows, x.rejects]),
    cells: [0, 1, 2].map((c) => bridge.cellText('users.csv', c, 7)),
    runs: definitions.map((d) => {
      const r = bridge.run(d, { members: true });
      assert.equal(r.ok, true, JSON.stringify(r.errors));
      return { ...r, members: r.members.sort(), cache: undefined };
    }),
    sql: bridge.sql(definitions[3]),
  };
}

describe('the bridge with a WASM heap past 2 GiB', () => {
  let db, fresh, padded, blocks = [];
  let highest = 0;  // the highest pointer the padded module's _malloc handed out

  before(async () => {
    db = await startDuckDB();
    fresh = await startCore();
    padded = await startCore();
    const M = padded.M;
    while (M.HEAPU8.length < kPadTo) {
      const p = M._malloc(kBlock) >>> 0;
      assert.notEqual(p, 0, 'the heap did not grow');
      blocks.push(p);
    }
    const malloc = M._malloc;
    M._malloc = (n) => {
      const p = malloc(n);
      highest = Math.max(highest, p >>> 0);
      return p;
    };
  });

  after(() => {
    // The WASM memory never shrinks; freeing the blocks and dropping the module lets it go.
    for (const p of blocks) padded.M._free(p);
    blocks = [];
    padded = fresh = null;
  });

  test('loads, exports the model and evaluates exactly as a fresh module does', async () => {
    assert.ok(padded.M.HEAPU8.length >= kPadTo, `heap ${padded.M.HEAPU8.length}`);
    const freshRows = await loadDemo(fresh, db);
    const paddedRows = await loadDemo(padded, db);
    assert.ok(highest >= 2 ** 31, `the copies did not go past 2 GiB (highest pointer ${highest})`);
    assert.deepEqual(paddedRows, freshRows);

    const model = padded.exportModel();
    assert.ok(model.length > 1e5, `model of ${model.length} bytes`);
    assert.ok(Buffer.from(model).equals(Buffer.from(fresh.exportModel())), 'the exported models differ');

    const expected = answers(fresh);
    assert.ok(expected.overview.users > 0 && expected.runs.every((r) => r.size > 0));
    assert.deepEqual(answers(padded), expected);
  });
});
