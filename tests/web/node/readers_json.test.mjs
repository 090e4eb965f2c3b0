// JSON and JSON lines -> Arrow (web/readers/json.js), checked through DuckDB-wasm.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { readJson } from '../../../web/readers/json.js';
import { rejectsWith, startArrowDuckDB, utf8 } from '../support/fixtures.mjs';

let duck;
before(async () => {
  duck = await startArrowDuckDB();
});

const read = (text, name = 'data.json') => readJson(utf8(text), name);
const arrowTypes = (t) => t.schema.fields.map((f) => [f.name, String(f.type)]);
// Loads `table` into DuckDB-wasm and returns its DESCRIBE as { column: type }.
function load(table, name = 't') {
  duck.insert(table, name);
  return Object.fromEntries(duck.describe(name));
}

const orders = [
  { id: 1, customer: 'Zoë', amount: 19.99, paid: true, qty: 2, tags: ['a', 'b'], note: null },
  { id: 2, customer: '张三', amount: 5, paid: false, qty: 1, tags: [], extra: { k: 1 } },
  { id: 3, customer: 'O\'Brien "Bob"', amount: -0.5, paid: true },
];

describe('accepted shapes', () => {
  test('an array of objects', () => {
    const t = read(JSON.stringify(orders));
    assert.equal(t.numRows, 3);
    assert.deepEqual(arrowTypes(t), [
      ['id', 'Int64'], ['customer', 'Utf8'], ['amount', 'Float64'], ['paid', 'Bool'], ['qty', 'Int64'],
      ['tags', 'Utf8'], ['note', 'Utf8'], ['extra', 'Utf8'],
    ]);
    assert.deepEqual(load(t), {
      id: 'BIGINT', customer: 'VARCHAR', amount: 'DOUBLE', paid: 'BOOLEAN', qty: 'BIGINT', tags: 'VARCHAR', note: 'VARCHAR', extra: 'VARCHAR',
    });
    assert.deepEqual(duck.rows('SELECT * FROM t ORDER BY id'), [
      { id: 1n, customer: 'Zoë', amount: 19.99, paid: true, qty: 2n, tags: '["a","b"]', note: null, extra: null },
      { id: 2n, customer: '张三', amount: 5, paid: false, qty: 1n, tags: '[]', note: null, extra: '{"k":1}' },
      { id: 3n, customer: 'O\'Brien "Bob"', amount: -0.5, paid: true, qty: null, tags: null, note: null, extra: null },
    ]);
  });

  test('an object holding one array of objects', () => {
    const t = read(JSON.stringify({ data: orders }));
    assert.equal(t.numRows, 3);
    assert.equal(t.getChild('customer').get(1), '张三');
    // API exports often carry a count or a cursor beside the rows.
    const u = read(JSON.stringify({ count: 3, next: null, results: orders }));
    assert.equal(u.numRows, 3);
    assert.deepEqual(u.schema.fields.map((f) => f.name), t.schema.fields.map((f) => f.name));
  });

  test('a single object is one row', () => {
    const t = read('{"id": 7, "tags": [1, 2]}');
    assert.equal(t.numRows, 1);
    assert.deepEqual(arrowTypes(t), [['id', 'Int64'], ['tags', 'Utf8']]);
  });

  test('JSON lines, with blank lines and CRLF', () => {
    const text = orders.map((o) => JSON.stringify(o)).join('\r\n\r\n') + '\r\n\n   \n';
    const t = read(text, 'orders.jsonl');
    assert.equal(t.numRows, 3);
    assert.deepEqual(load(t), {
      id: 'BIGINT', customer: 'VARCHAR', amount: 'DOUBLE', paid: 'BOOLEAN', qty: 'BIGINT', tags: 'VARCHAR', note: 'VARCHAR', extra: 'VARCHAR',
    });
    assert.deepEqual(duck.rows('SELECT id, customer, extra FROM t ORDER BY id').map((r) => [r.id, r.customer, r.extra]), [
      [1n, 'Zoë', null], [2n, '张三', '{"k":1}'], [3n, 'O\'Brien "Bob"', null],
    ]);
  });

  test('a UTF-8 BOM and leading white space are fine', () => {
    assert.equal(read('\ufeff \n [{"a":1}]').numRows, 1);
    assert.equal(read('\ufeff{"a":1}\n{"a":2}\n').numRows, 2);
  });
});

describe('column types', () => {
  test('columns are the union of keys in first-seen order; missing keys are null', () => {
    const t = read('[{"b":1},{"a":"x","b":2},{"c":true}]');
    assert.deepEqual(arrowTypes(t), [['b', 'Int64'], ['a', 'Utf8'], ['c', 'Bool']]);
    assert.deepEqual(t.toArray().map((r) => r.toJSON()), [
      { b: 1n, a: null, c: null },
      { b: 2n, a: 'x', c: null },
      { b: null, a: null, c: true },
    ]);
  });

  test('integers are BIGINT exactly, up to ±2^53', () => {
    const big = 2 ** 53;
    const t = read(JSON.stringify([{ n: big }, { n: -big }, { n: 0 }, { n: -1 }, { n: 4294967296 }, { n: -4294967297 }, { n: 1e3 }]));
    assert.deepEqual(load(t), { n: 'BIGINT' });
    assert.deepEqual(duck.rows('SELECT n::VARCHAR AS n FROM t').map((r) => r.n), [
      '9007199254740992', '-9007199254740992', '0', '-1', '4294967296', '-4294967297', '1000',
    ]);
  });

  test('a non-integer makes the column DOUBLE; an integer beyond 2^53 keeps its text (ids: issue 17)', () => {
    assert.deepEqual(load(read('[{"x":1},{"x":2.5},{"x":null}]')), { x: 'DOUBLE' });
    assert.deepEqual(duck.rows('SELECT x FROM t').map((r) => r.x), [1, 2.5, null]);
    assert.deepEqual(load(read('[{"x":1},{"x":12345678901234567890}]')), { x: 'VARCHAR' });
    assert.deepEqual(duck.rows('SELECT x FROM t').map((r) => r.x), ['1', '12345678901234567890']);
  });

  test('booleans are BOOLEAN, with nulls', () => {
    assert.deepEqual(load(read('[{"ok":true},{"ok":null},{},{"ok":false}]')), { ok: 'BOOLEAN' });
    assert.deepEqual(duck.rows('SELECT ok FROM t').map((r) => r.ok), [true, null, null, false]);
  });

  test('mixed kinds are VARCHAR: strings as they are, other values as JSON text', () => {
    const t = read('[{"v":"A1B 2C3"},{"v":12345},{"v":true},{"v":1.5},{"v":[1,{"a":null}]},{"v":{"k":"中"}},{"v":null}]');
    assert.deepEqual(load(t), { v: 'VARCHAR' });
    assert.deepEqual(duck.rows('SELECT v FROM t').map((r) => r.v), ['A1B 2C3', '12345', 'true', '1.5', '[1,{"a":null}]', '{"k":"中"}', null]);
  });

  test('a column that is null everywhere is VARCHAR', () => {
    assert.deepEqual(load(read('[{"a":1,"z":null},{"a":2}]')), { a: 'BIGINT', z: 'VARCHAR' });
  });

  test('strings with every kind of character survive exactly', () => {
    const values = ['', 'plain', 'é', '€', '𝄞 and 😀', 'tab\tnew\nline', 'quote " and \\', '\u0000nul', 'x'.repeat(70) + 'é', 'lone \ud800 surrogate'];
    const t = read(JSON.stringify(values.map((s) => ({ s }))));
    load(t);
    const back = duck.rows('SELECT s FROM t').map((r) => r.s);
    assert.deepEqual(back.slice(0, -1), values.slice(0, -1));
    assert.equal(back.at(-1), 'lone \ufffd surrogate');  // not representable in UTF-8
  });

  test('keys that differ only in case, empty keys and "__proto__" become distinct columns', () => {
    const t = read('[{"Name":"a","name":"b","":"c","__proto__":"d"}]');
    assert.deepEqual(t.schema.fields.map((f) => f.name), ['Name', 'name_1', 'column2', '__proto__']);
    assert.deepEqual(Object.keys(load(t)), ['Name', 'name_1', 'column2', '__proto__']);
    assert.equal({}.polluted, undefined);
  });
});

describe('errors', () => {
  test('an empty file, or only white space', async () => {
    await rejectsWith(() => readJson(new Uint8Array(0), 'e.json'), 'e.json', /the file is empty \(0 bytes\)/);
    await rejectsWith(() => read(' \n\t ', 'w.json'), 'w.json', /only white space/);
  });

  test('invalid JSON names the line and column', async () => {
    await rejectsWith(() => read('[{"a":1},\n{"a":2,}\n]', 'bad.json'), 'bad.json', /^bad\.json: invalid JSON at line 2, column 8: /);
    await rejectsWith(() => read('[{"a":1},\n{"a":2}', 'cut.json'), 'cut.json', /invalid JSON at line 2/);
  });

  test('invalid JSON lines name the line', async () => {
    await rejectsWith(() => read('{"a":1}\n{"a":2}\n\n{"a":3,,}\n', 'bad.jsonl'), 'bad.jsonl', /^bad\.jsonl: line 4, column 8: invalid JSON: /);
    await rejectsWith(() => read('{"a":1}\n{"a":"x\n', 'bad.jsonl'), 'bad.jsonl', /line 2: invalid JSON: Unterminated string: the text ends before the JSON is complete/);
  });

  test('values that are not objects', async () => {
    await rejectsWith(() => read('42', 'n.json'), 'n.json', /expected an array of objects, got a number$/);
    await rejectsWith(() => read('"text"', 'n.json'), 'n.json', /expected an array of objects, got a string$/);
    await rejectsWith(() => read('null', 'n.json'), 'n.json', /expected an array of objects, got null$/);
    await rejectsWith(() => read('[{"a":1}, 2]', 'n.json'), 'n.json', /item 2 of the array is a number; expected an object/);
    await rejectsWith(() => read('{"rows":[{"a":1},[2]]}', 'n.json'), 'n.json', /item 2 of "rows" is an array; expected an object/);
    await rejectsWith(() => read('{"a":1}\n{"a":2}\n[3]\n', 'n.jsonl'), 'n.jsonl', /line 3 is an array; expected one JSON object per line/);
  });

  test('no rows or no columns', async () => {
    await rejectsWith(() => read('[]', 'x.json'), 'x.json', /the JSON array is empty/);
    await rejectsWith(() => read('{"data":[]}', 'x.json'), 'x.json', /the JSON array is empty/);
    await rejectsWith(() => read('[{},{}]', 'x.json'), 'x.json', /no keys: there are no columns/);
  });

  test('an object with several arrays of objects is ambiguous', async () => {
    await rejectsWith(() => read('{"a":[{"x":1}],"b":[{"y":1}]}', 'x.json'), 'x.json', /several arrays of objects \("a", "b"\); expected one/);
  });
});

describe('hostile input', () => {
  test('10 000-deep nesting gives a clear error, not a crash', async () => {
    const deep = '['.repeat(10000) + ']'.repeat(10000);
    await rejectsWith(() => read(`{"a":1}\n{"a":${deep}}\n`, 'deep.jsonl'), 'deep.jsonl', /line 2: the value of "a" is nested too deeply/);
    await rejectsWith(() => read(`[${deep}]`, 'deep.json'), 'deep.json', /item 1 of the array is an array/);
    await rejectsWith(() => read(`[{"a":${'{"b":'.repeat(10000)}1${'}'.repeat(10000)}}]`, 'deep.json'), 'deep.json', /item 1 of the array: the value of "a" is nested too deeply/);
    // Deeper than JSON.parse itself can go: still an error, not a crash.
    const deeper = '['.repeat(1e6) + ']'.repeat(1e6);
    let t = null;
    try {
      t = read(`[{"a":${deeper}}]`, 'deeper.json');
    } catch (e) {
      assert.equal(e.name, 'ReadError');
      assert.match(e.message, /^deeper\.json: (the JSON could not be read|item 1 of the array: the value of "a" is nested too deeply)/);
    }
    if (t) assert.equal(t.getChild('a').get(0).length, 2e6);
  });

  test('a 1 MB string is kept whole', () => {
    const big = 'é'.repeat(1 << 19) + 'x'.repeat(1 << 19);
    const t = read(JSON.stringify([{ id: 1, s: big }, { id: 2, s: 'small' }]));
    load(t);
    assert.deepEqual(duck.rows('SELECT id, length(s)::INT AS n, s = \'small\' AS small FROM t'), [
      { id: 1n, n: 1 << 20, small: false },
      { id: 2n, n: 5, small: true },
    ]);
    assert.equal(t.getChild('s').get(0), big);
  });

  test('20 000 distinct keys are refused', async () => {
    const row = {};
    for (let i = 0; i < 20000; i++) row['k' + i] = i;
    await rejectsWith(() => read(JSON.stringify([row]), 'wide.json'), 'wide.json', /more than 10,000 distinct keys \(by item 1 of the array\)/);
    const lines = Array.from({ length: 20000 }, (_, i) => `{"k${i}":1}`).join('\n');
    await rejectsWith(() => read(lines, 'wide.jsonl'), 'wide.jsonl', /more than 10,000 distinct keys \(by line 10001\)/);
  });
});

describe('size', () => {
  // Over 64 MB, so rows are parsed twice rather than kept; 8 MB decoding chunks.
  test('200 000 long JSON lines (80 MB) load exactly', () => {
    const n = 200000;
    const parts = [];
    for (let i = 0; i < n; i++) parts.push(JSON.stringify({ id: i, email: `user${i}@example.com`, amount: i / 4, vip: i % 7 === 0, city: i % 3 ? '上海' : null, note: 'x'.repeat(i % 50) + 'y'.repeat(300) }));
    const bytes = utf8(parts.join('\n'));
    assert.ok(bytes.length > 64 << 20);
    const t = readJson(bytes, 'big.jsonl');
    assert.equal(t.numRows, n);
    load(t);
    assert.deepEqual(duck.rows('SELECT count(*)::INT AS n, sum(id)::DOUBLE AS ids, sum(amount) AS amount, count(city)::INT AS cities, sum(length(note))::INT AS notes, count_if(vip)::INT AS vip FROM t'), [
      { n, ids: (n * (n - 1)) / 2, amount: (n * (n - 1)) / 8, cities: n - Math.ceil(n / 3), notes: 4900000 + 300 * n, vip: Math.ceil(n / 7) },
    ]);
  });
});
