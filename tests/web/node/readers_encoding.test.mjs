// Encoding detection and decoding to UTF-8 (web/readers/encoding.js).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { ENCODINGS, decodeToUtf8, detectEncoding } from '../../../web/readers/encoding.js';
import { gbk, latin1, rejectsWith, utf16, utf8 } from '../support/fixtures.mjs';

const text = 'name,city,note\nZoë,Zürich,😀 ok\n张三,上海,“引号”\n';
const chinese = '城市,金额,客户名称\n上海,12,张三\n北京,7.5,李四\n广州,3,王五喆\n';
const sameText = (bytes, expected) => assert.equal(new TextDecoder('utf-8', { fatal: true }).decode(bytes), expected);

describe('detectEncoding', () => {
  test('UTF-8 without a BOM', () => {
    assert.deepEqual(detectEncoding(utf8(text)), { encoding: 'utf-8', bom: false, reason: 'valid UTF-8' });
  });

  test('UTF-8 with a BOM', () => {
    const d = detectEncoding(utf8('\ufeff' + text));
    assert.equal(d.encoding, 'utf-8');
    assert.equal(d.bom, true);
  });

  test('UTF-16 LE and BE with a BOM', () => {
    assert.deepEqual(detectEncoding(utf16(text)), { encoding: 'utf-16le', bom: true, reason: 'UTF-16 LE byte order mark' });
    assert.deepEqual(detectEncoding(utf16(text, { bigEndian: true })), { encoding: 'utf-16be', bom: true, reason: 'UTF-16 BE byte order mark' });
  });

  test('UTF-16 without a BOM, from the zero bytes', () => {
    const le = detectEncoding(utf16('id,amount\n1,2.5\n2,3\n', { bom: false }));
    assert.equal(le.encoding, 'utf-16le');
    assert.equal(le.bom, false);
    assert.match(le.reason, /every other byte is zero/);
    assert.equal(detectEncoding(utf16('id,amount\n1,2.5\n2,3\n', { bom: false, bigEndian: true })).encoding, 'utf-16be');
  });

  test('GBK Chinese (how Excel in China saves CSV) is gb18030', () => {
    const d = detectEncoding(gbk(chinese));
    assert.equal(d.encoding, 'gb18030');
    assert.equal(d.bom, false);
    assert.match(d.reason, /^not UTF-8; valid GBK \/ GB18030 with \d+ Chinese characters/);
  });

  test('Latin text that is not UTF-8 falls back to Windows-1252', () => {
    const d = detectEncoding(latin1('name,city\nMüller,Köln\nJosé,São Paulo\n'));
    assert.deepEqual(d, { encoding: 'windows-1252', bom: false, reason: 'not UTF-8; read as Windows-1252 (Latin)' });
  });

  test('Latin text that happens to be valid GB18030 is still Windows-1252', () => {
    // "ü" (0xFC) followed by "l" is a valid GBK pair, but not one of the common Chinese ones.
    const bytes = latin1('name\nMüller\nGößl\n');
    assert.doesNotThrow(() => new TextDecoder('gb18030', { fatal: true }).decode(bytes));
    assert.equal(detectEncoding(bytes).encoding, 'windows-1252');
  });

  test('GBK whose Chinese starts after a megabyte of ASCII is still found', () => {
    const bytes = gbk('id,note\n' + '1,plain ascii text here\n'.repeat(60000) + '2,上海北京\n');
    assert.ok(bytes.length > 1 << 20);
    const d = detectEncoding(bytes);
    assert.equal(d.encoding, 'gb18030');
    assert.match(d.reason, /with 4 Chinese characters$/);
  });

  test('an empty file is UTF-8', () => {
    assert.equal(detectEncoding(new Uint8Array(0)).encoding, 'utf-8');
  });

  test('the override list has the five encodings with labels', () => {
    assert.deepEqual(ENCODINGS.map((e) => [e.id, e.label]), [
      ['utf-8', 'UTF-8'],
      ['utf-16le', 'UTF-16 LE'],
      ['utf-16be', 'UTF-16 BE'],
      ['gb18030', 'GBK / GB18030 (Chinese)'],
      ['windows-1252', 'Windows-1252 (Latin)'],
    ]);
  });
});

describe('decodeToUtf8', () => {
  test('BOM-less UTF-8 comes back as the same array (no copy)', () => {
    const bytes = utf8(text);
    assert.equal(decodeToUtf8(bytes, 'utf-8'), bytes);
  });

  test('a UTF-8 BOM is cut off without copying', () => {
    const bytes = utf8('\ufeff' + text);
    const out = decodeToUtf8(bytes, 'utf-8');
    assert.equal(out.buffer, bytes.buffer);
    assert.equal(out.byteOffset, 3);
    sameText(out, text);
  });

  test('UTF-16 LE and BE decode exactly, BOM removed', () => {
    sameText(decodeToUtf8(utf16(text), 'utf-16le'), text);
    sameText(decodeToUtf8(utf16(text, { bigEndian: true }), 'utf-16be'), text);
    sameText(decodeToUtf8(utf16(text, { bom: false }), 'utf-16le'), text);
  });

  test('GBK headers and values decode exactly', () => {
    const out = decodeToUtf8(gbk(chinese), 'gb18030');
    sameText(out, chinese);
    assert.deepEqual(new TextDecoder().decode(out).split('\n')[0].split(','), ['城市', '金额', '客户名称']);
  });

  test('Windows-1252 decodes, including the euro sign at 0x80', () => {
    const bytes = Uint8Array.from([...latin1('price,city\n'), 0x80, ...latin1('5,Köln\n')]);
    sameText(decodeToUtf8(bytes, 'windows-1252'), 'price,city\n€5,Köln\n');
  });

  test('forcing UTF-8 on GBK bytes fails and names the byte, offset and line', async () => {
    const bytes = gbk('id,city\n1,ok\n2,上海\n');
    const e = await rejectsWith(() => decodeToUtf8(bytes, 'utf-8', 'orders.csv'), 'orders.csv', /not valid UTF-8/);
    assert.equal(e.message, 'orders.csv: not valid UTF-8: bytes 0xC9 0xCF at offset 15 (line 3) are not valid; choose another encoding');
  });

  test('a UTF-8 file cut inside a character says so', async () => {
    const bytes = utf8('a,b\n1,上').subarray(0, 8);
    await rejectsWith(() => decodeToUtf8(bytes, 'utf-8', 'cut.csv'), 'cut.csv', /ends in the middle of a character \(bytes 0xE4 0xB8 at offset 6, line 2\)/);
  });

  test('forcing UTF-16 on an odd number of bytes fails at the end', async () => {
    await rejectsWith(() => decodeToUtf8(utf8('abc'), 'utf-16le', 'x.csv'), 'x.csv', /not valid UTF-16 LE: the file ends in the middle of a character/);
  });

  test('forcing GB18030 on bytes it cannot hold fails with the offset', async () => {
    // 0xFF is never valid in GB18030.
    const bytes = Uint8Array.from([...utf8('a,b\n1,2\n'), 0xff, 0x41]);
    await rejectsWith(() => decodeToUtf8(bytes, 'gb18030', 'x.csv'), 'x.csv', /not valid GBK \/ GB18030 \(Chinese\): byte 0xFF at offset 8 \(line 3\)/);
  });

  test('an unknown encoding is refused', async () => {
    await rejectsWith(() => decodeToUtf8(utf8('a'), 'ebcdic', 'x.csv'), 'x.csv', /unknown text encoding "ebcdic"/);
  });

  test('an invalid byte far into a large file is located across chunks', async () => {
    const line = 'customer_0001,2024-01-01,19.99,some note\n';  // 41 bytes
    const lines = 1_000_000;  // 41 MB: three decoding chunks
    const bytes = utf8(line.repeat(lines));
    const at = 900_000 * line.length + 5;
    bytes[at] = 0xff;
    await rejectsWith(() => decodeToUtf8(bytes, 'utf-8', 'big.csv'), 'big.csv', new RegExp(`byte 0xFF at offset ${at} \\(line 900001\\)`));
    assert.equal(detectEncoding(bytes).encoding, 'windows-1252');
  });

  test('large GBK and UTF-16 files decode exactly across chunk boundaries', () => {
    const row = '上海,12.5,张三\n';
    const big = row.repeat(1_500_000);  // ~22 MB of GBK
    const g = gbk(big);
    assert.ok(g.length > 16 << 20);
    assert.equal(detectEncoding(g).encoding, 'gb18030');
    sameText(decodeToUtf8(g, 'gb18030'), big);
    // A surrogate pair straddling the 16 MiB chunk boundary of UTF-16.
    const pad = 'x'.repeat(((16 << 20) - 2 - 2) / 2);  // BOM + pad ends one unit before the boundary
    const s = pad + '😀' + 'tail\n';
    const u = utf16(s);
    assert.equal(u[(16 << 20) - 2 + 1] >> 2, 0xd8 >> 2);  // high surrogate right before the boundary
    sameText(decodeToUtf8(u, 'utf-16le'), s);
  });
});
