// Format sniffing and readSource (web/readers/index.js): encodings end to end, into DuckDB-wasm.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { readSource, sniffFormat } from '../../../web/readers/index.js';
import { gbk, latin1, parquetFromSql, rejectsWith, startArrowDuckDB, utf16, utf8 } from '../support/fixtures.mjs';

let duck;
let parquet;
before(async () => {
  duck = await startArrowDuckDB();
  parquet = await parquetFromSql("SELECT 1 AS id, '上海' AS city");
});

describe('sniffFormat', () => {
  test('Parquet magic wins over the name', () => {
    assert.equal(sniffFormat('orders.csv', parquet), 'parquet');
    assert.equal(sniffFormat('export', parquet), 'parquet');
  });

  test('then the extension, in any case', () => {
    const text = utf8('a,b\n1,2\n');
    assert.equal(sniffFormat('a.CSV', text), 'csv');
    assert.equal(sniffFormat('a.tsv', text), 'csv');
    assert.equal(sniffFormat('a.txt', text), 'csv');
    assert.equal(sniffFormat('a.Parquet', text), 'parquet');  // readParquet then says it is not Parquet
    assert.equal(sniffFormat('a.json', text), 'json');
    assert.equal(sniffFormat('a.jsonl', text), 'jsonl');
    assert.equal(sniffFormat('a.ndjson', text), 'jsonl');
  });

  test('then the content', () => {
    assert.equal(sniffFormat('export', utf8('  \n[{"a":1}]')), 'json');
    assert.equal(sniffFormat('export', utf8('{"data":[{"a":1}]}')), 'json');
    assert.equal(sniffFormat('export', utf8('{"a":1}\n\n{"a":2}\n')), 'jsonl');
    assert.equal(sniffFormat('export', utf8('\ufeff{"a":1}\r\n{"a":2}')), 'jsonl');
    assert.equal(sniffFormat('export', utf16('[{"a":1}]')), 'json');
    assert.equal(sniffFormat('export.dat', utf8('id;name\n1;a\n')), 'csv');
  });
});

describe('readSource', () => {
  test('UTF-8 CSV is handed on as it is, without a copy', async () => {
    const bytes = utf8('id,city\n1,上海\n');
    const r = await readSource('a.csv', bytes);
    assert.equal(r.format, 'csv');
    assert.equal(r.encoding, 'utf-8');
    assert.deepEqual(r.detected, { encoding: 'utf-8', reason: 'valid UTF-8' });
    assert.equal(r.csvBytes, bytes);
    assert.equal(r.table, undefined);
  });

  test('a UTF-8 BOM is cut off', async () => {
    const r = await readSource('a.csv', utf8('\ufeffid\n1\n'));
    assert.equal(new TextDecoder().decode(r.csvBytes), 'id\n1\n');
    assert.equal(r.detected.reason, 'UTF-8 byte order mark');
  });

  test('a GBK CSV becomes UTF-8 that DuckDB reads with Chinese headers', async () => {
    const r = await readSource('客户.csv', gbk('城市,金额,客户名称\n上海,12,张三\n北京,7.5,李四\n'));
    assert.equal(r.format, 'csv');
    assert.equal(r.encoding, 'gb18030');
    assert.match(r.detected.reason, /GBK \/ GB18030/);
    duck.registerBuffer('/segx/gbk.csv', r.csvBytes);
    const rows = duck.rows("SELECT * FROM read_csv_auto('/segx/gbk.csv')");
    assert.deepEqual(rows, [
      { 城市: '上海', 金额: 12, 客户名称: '张三' },
      { 城市: '北京', 金额: 7.5, 客户名称: '李四' },
    ]);
  });

  test('UTF-16 CSV from Excel ("Unicode text") is decoded', async () => {
    const r = await readSource('u.txt', utf16('name\tcity\nZoë\tKöln\n'));
    assert.equal(r.encoding, 'utf-16le');
    assert.equal(new TextDecoder().decode(r.csvBytes), 'name\tcity\nZoë\tKöln\n');
  });

  test('Windows-1252 CSV is decoded', async () => {
    const r = await readSource('l.csv', latin1('name,city\nJosé,São Paulo\n'));
    assert.equal(r.encoding, 'windows-1252');
    assert.equal(r.detected.reason, 'not UTF-8; read as Windows-1252 (Latin)');
    assert.equal(new TextDecoder().decode(r.csvBytes), 'name,city\nJosé,São Paulo\n');
  });

  test('an encoding override is used, and a wrong one is a clear error', async () => {
    const bytes = gbk('城市\n上海\n');
    const forced = await readSource('a.csv', bytes, { encoding: 'windows-1252' });
    assert.equal(forced.encoding, 'windows-1252');
    assert.equal(forced.detected.encoding, 'gb18030');
    await rejectsWith(() => readSource('a.csv', bytes, { encoding: 'utf-8' }), 'a.csv', /not valid UTF-8: byte 0xB3 at offset 0 \(line 1\) is not valid; choose another encoding/);
  });

  test('JSON in GBK and in UTF-16 is decoded before parsing', async () => {
    const g = await readSource('g.json', gbk('[{"城市":"上海","金额":12}]'));
    assert.equal(g.format, 'json');
    assert.equal(g.encoding, 'gb18030');
    duck.insert(g.table, 'g');
    assert.deepEqual(duck.rows('SELECT * FROM g'), [{ 城市: '上海', 金额: 12n }]);
    const u = await readSource('u.jsonl', utf16('{"a":"é"}\n{"a":"中"}\n', { bigEndian: true }));
    assert.equal(u.format, 'jsonl');
    assert.equal(u.encoding, 'utf-16be');
    assert.deepEqual(u.table.toArray().map((r) => r.a), ['é', '中']);
  });

  test('Parquet is read whatever the name', async () => {
    const r = await readSource('orders.csv', parquet);
    assert.equal(r.format, 'parquet');
    assert.equal(r.encoding, null);
    assert.equal(r.detected, null);
    duck.insert(r.table, 'p');
    assert.deepEqual(duck.rows('SELECT * FROM p'), [{ id: 1n, city: '上海' }]);
  });

  test('files dropped by mistake are named for what they are', async () => {
    await rejectsWith(() => readSource('e.csv', new Uint8Array(0)), 'e.csv', /the file is empty/);
    await rejectsWith(() => readSource('book.xlsx', Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0, 0])), 'book.xlsx', /Excel workbook \(\.xlsx\); export the sheet as CSV/);
    await rejectsWith(() => readSource('old.xls', Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1])), 'old.xls', /old Excel workbook/);
    await rejectsWith(() => readSource('a.csv.gz', Uint8Array.from([0x1f, 0x8b, 8, 0])), 'a.csv.gz', /gzip-compressed/);
    await rejectsWith(() => readSource('x.parquet', utf8('id\n1\n')), 'x.parquet', /not a Parquet file/);
    await rejectsWith(() => readSource('x.json', utf8('[{"a":1},]')), 'x.json', /invalid JSON at line 1, column 10/);
  });
});
