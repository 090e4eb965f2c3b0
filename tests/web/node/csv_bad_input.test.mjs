// Bad files give a clear message naming the file and the problem, and lose nothing loaded before.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { loadSource } from '../../../web/source_loader.js';
import { startCore, startDuckDB, utf8 } from '../support/node_env.mjs';

let bridge, db;
before(async () => {
  bridge = await startCore();
  db = await startDuckDB();
  await loadSource({ db, bridge, name: 'good.csv', bytes: utf8('id,name\n1,a\n2,b\n') });
});

const source = (name) => bridge.state('sources').find((s) => s.name === name);

async function expectFailure(name, bytes, pattern, options = {}) {
  await assert.rejects(loadSource({ db, bridge, name, bytes, ...options }), (e) => {
    assert.match(e.message, new RegExp('^' + name.replace(/\./g, '\\.') + ': '));
    assert.match(e.message, pattern);
    return true;
  });
  const s = source(name);
  assert.equal(s.state, 'failed');
  assert.match(s.error, pattern);
  const last = bridge.state('messages').at(-1);
  assert.equal(last.level, 'error');
  assert.match(last.text, new RegExp(name.replace(/\./g, '\\.')));
  // What was loaded before is untouched.
  assert.equal(source('good.csv').rows, 2);
  assert.equal(bridge.cellText('good.csv', 1, 1), 'b');
}

describe('bad input', () => {
  test('an empty file', () => expectFailure('empty.csv', new Uint8Array(0), /empty/));

  test('a binary file that is not CSV', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);
    return expectFailure('image.csv', png, /not a text file/);
  });

  test('a CSV with ragged rows', () =>
    expectFailure('ragged.csv', utf8('a,b,c\n1,2,3\n4,5,6,7,8\n9,10,11\n'), /ragged|fields/));

  test('a GBK file is decoded, not rejected; forcing UTF-8 on it is a clear error', async () => {
    // "城市,金额\n上海,12" in GBK.
    const gbk = new Uint8Array([0xb3, 0xc7, 0xca, 0xd0, 0x2c, 0xbd, 0xf0, 0xb6, 0xee, 0x0a, 0xc9, 0xcf, 0xba, 0xa3, 0x2c, 0x31, 0x32, 0x0a]);
    const r = await loadSource({ db, bridge, name: 'gbk.csv', bytes: gbk });
    assert.equal(r.encoding, 'gb18030');
    assert.deepEqual(r.columns.map((c) => c.name), ['城市', '金额']);
    assert.equal(bridge.cellText('gbk.csv', 0, 0), '上海');
    await expectFailure('gbk-as-utf8.csv', gbk, /UTF-8/, { encoding: 'utf-8' });
  });

  test('a UTF-16 file with a BOM is decoded', async () => {
    const text = '\ufeffa,b\n1,2\n';
    const le = new Uint8Array(text.length * 2);
    for (let i = 0; i < text.length; i++) le[2 * i] = text.charCodeAt(i) & 0xff, (le[2 * i + 1] = text.charCodeAt(i) >> 8);
    const r = await loadSource({ db, bridge, name: 'utf16.csv', bytes: le });
    assert.equal(r.encoding, 'utf-16le');
    assert.equal(r.rows, 1);
  });

  test('a failed reload keeps the earlier version', async () => {
    await assert.rejects(loadSource({ db, bridge, name: 'good.csv', bytes: utf8('x,y\n1,2,3,4\n5\n') }));
    const s = source('good.csv');
    assert.equal(s.state, 'ready');
    assert.equal(s.rows, 2);
    assert.match(bridge.state('messages').at(-1).text, /earlier version is kept/);
    assert.deepEqual(db.query('SELECT count(*)::INT AS n FROM "good.csv"').toArray()[0].toJSON(), { n: 2 });
  });
});
