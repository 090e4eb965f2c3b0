// Parquet -> Arrow (web/readers/parquet.js, hyparquet), fixtures written by native DuckDB and
// read back through DuckDB-wasm.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { parquetMetadata } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';

import { PARQUET_CODECS, readParquet } from '../../../web/readers/parquet.js';
import { parquetFromSql, rejectsWith, startArrowDuckDB } from '../support/fixtures.mjs';

let duck;
before(async () => {
  duck = await startArrowDuckDB();
});

function load(table, name = 't') {
  duck.insert(table, name);
  return Object.fromEntries(duck.describe(name));
}

// One row per line; the last row is nulls except for columns that cannot be null here.
const kTypes = `SELECT * FROM (VALUES
 (1, 0::BIGINT, 1::TINYINT, 4294967295::UINTEGER, 18446744073709551615::UBIGINT, 1.5::DOUBLE, 0.5::FLOAT,
  123.45::DECIMAL(10,2), 12345678901234.5678::DECIMAL(38,4), 123456789012.345::DECIMAL(18,3), -12.5::DECIMAL(4,1),
  true, '中文', DATE '2024-02-29', TIMESTAMP '2024-01-01 10:00:00.123456', TIMESTAMP_MS '2024-01-01 10:00:00.123',
  TIMESTAMP_NS '1969-12-31 23:59:59.999999999', TIMESTAMP_S '2024-01-01 10:00:00', TIMESTAMPTZ '2024-06-01 12:00:00+02',
  TIME '10:11:12.5', [1,2,NULL]::INTEGER[], {'a': 1, 'b': 'x'}, MAP {'k': 1}, 'ab'::BLOB,
  '00000000-0000-0000-0000-000000000001'::UUID, 'red'::ENUM('red','blue')),
 (2, 9007199254740993, -128, 0, 0, -2.5e300, -1, -0.01, -0.0001, 0, 0,
  false, 'emoji 😀, "quoted"', DATE '1969-12-31', TIMESTAMP '1969-12-31 23:59:59.999999', TIMESTAMP_MS '1900-01-01',
  TIMESTAMP_NS '2024-01-01 00:00:00.123456789', TIMESTAMP_S '1970-01-01', TIMESTAMPTZ '1970-01-01 00:00:00+00',
  TIME '00:00:00', []::INTEGER[], {'a': NULL, 'b': '中'}, MAP {}::MAP(VARCHAR, INTEGER), ''::BLOB, NULL, 'blue'),
 (3, -9223372036854775808, 127, 1, 1, 'nan'::DOUBLE, 'inf'::FLOAT, 0, 0, 0, 0,
  NULL, '', DATE '0001-01-01', TIMESTAMP '0001-01-01 00:00:00', NULL, NULL, NULL, NULL,
  TIME '23:59:59.999999', NULL, NULL, NULL, NULL, NULL, NULL),
 (NULL, 9223372036854775807, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  NULL, NULL, DATE '9999-12-31', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)
) t(i32, i64, i8, u32, u64, dbl, flt, dec, dec38, dec18, dec4, b, s, d, ts, ts_ms, ts_ns, ts_s, tz, tm, lst, st, mp, bl, uu, en)`;

describe('types', () => {
  test('every common Parquet type maps to BIGINT/DOUBLE/BOOLEAN/VARCHAR/DATE/TIMESTAMP', async () => {
    const t = await readParquet(await parquetFromSql(kTypes), 'types.parquet');
    assert.equal(t.numRows, 4);
    assert.deepEqual(load(t), {
      i32: 'BIGINT', i64: 'BIGINT', i8: 'BIGINT', u32: 'BIGINT', u64: 'DOUBLE', dbl: 'DOUBLE', flt: 'DOUBLE',
      dec: 'DOUBLE', dec38: 'DOUBLE', dec18: 'DOUBLE', dec4: 'DOUBLE', b: 'BOOLEAN', s: 'VARCHAR', d: 'DATE',
      ts: 'TIMESTAMP', ts_ms: 'TIMESTAMP', ts_ns: 'TIMESTAMP', ts_s: 'TIMESTAMP', tz: 'TIMESTAMP', tm: 'VARCHAR',
      lst: 'VARCHAR', st: 'VARCHAR', mp: 'VARCHAR', bl: 'VARCHAR', uu: 'VARCHAR', en: 'VARCHAR',
    });
  });

  test('values come back exactly', async () => {
    const t = await readParquet(await parquetFromSql(kTypes), 'types.parquet');
    load(t);
    const rows = duck.rows('SELECT COLUMNS(*)::VARCHAR FROM t');
    const col = (name) => rows.map((r) => r[name]);
    assert.deepEqual(col('i32'), ['1', '2', '3', null]);
    assert.deepEqual(col('i64'), ['0', '9007199254740993', '-9223372036854775808', '9223372036854775807']);
    assert.deepEqual(col('i8'), ['1', '-128', '127', null]);
    assert.deepEqual(col('u32'), ['4294967295', '0', '1', null]);
    assert.deepEqual(col('u64'), ['1.8446744073709552e+19', '0.0', '1.0', null]);
    assert.deepEqual(col('dbl'), ['1.5', '-2.5e+300', 'nan', null]);
    assert.deepEqual(col('flt'), ['0.5', '-1.0', 'inf', null]);
    assert.deepEqual(col('dec'), ['123.45', '-0.01', '0.0', null]);
    assert.deepEqual(col('dec38'), ['12345678901234.568', '-0.0001', '0.0', null]);
    assert.deepEqual(col('dec18'), ['123456789012.345', '0.0', '0.0', null]);
    assert.deepEqual(col('dec4'), ['-12.5', '0.0', '0.0', null]);
    assert.deepEqual(col('b'), ['true', 'false', null, null]);
    assert.deepEqual(col('s'), ['中文', 'emoji 😀, "quoted"', '', null]);
    assert.deepEqual(col('d'), ['2024-02-29', '1969-12-31', '0001-01-01', '9999-12-31']);
    assert.deepEqual(col('ts'), ['2024-01-01 10:00:00.123456', '1969-12-31 23:59:59.999999', '0001-01-01 00:00:00', null]);
    assert.deepEqual(col('ts_ms'), ['2024-01-01 10:00:00.123', '1900-01-01 00:00:00', null, null]);
    // Nanoseconds are floored to microseconds, also before 1970.
    assert.deepEqual(col('ts_ns'), ['1969-12-31 23:59:59.999999', '2024-01-01 00:00:00.123456', null, null]);
    assert.deepEqual(col('ts_s'), ['2024-01-01 10:00:00', '1970-01-01 00:00:00', null, null]);
    // UTC-adjusted timestamps keep their UTC wall time.
    assert.deepEqual(col('tz'), ['2024-06-01 10:00:00', '1970-01-01 00:00:00', null, null]);
    assert.deepEqual(col('tm'), ['10:11:12.5', '00:00:00', '23:59:59.999999', null]);
    assert.deepEqual(col('lst'), ['[1,2,null]', '[]', null, null]);
    assert.deepEqual(col('st'), ['{"a":1,"b":"x"}', '{"a":null,"b":"中"}', null, null]);
    assert.deepEqual(col('mp'), ['{"k":1}', '{}', null, null]);
    assert.deepEqual(col('bl'), ['ab', '', null, null]);
    assert.deepEqual(col('uu'), ['00000000-0000-0000-0000-000000000001', null, null, null]);
    assert.deepEqual(col('en'), ['red', 'blue', null, null]);
    // Epoch values, to be sure nothing is off by a time zone.
    assert.deepEqual(duck.rows('SELECT epoch_us(ts)::VARCHAR AS us, epoch_us(d::TIMESTAMP)::VARCHAR AS dus FROM t').slice(0, 2), [
      { us: '1704103200123456', dus: '1709164800000000' },
      { us: '-1', dus: '-86400000000' },
    ]);
  });

  test('a table with no rows keeps its columns', async () => {
    const t = await readParquet(await parquetFromSql('SELECT 1::BIGINT AS a, \'x\' AS b, DATE \'2024-01-01\' AS d WHERE false'), 'empty.parquet');
    assert.equal(t.numRows, 0);
    assert.deepEqual(load(t), { a: 'BIGINT', b: 'VARCHAR', d: 'DATE' });
    assert.deepEqual(duck.rows('SELECT count(*)::INT AS n FROM t'), [{ n: 0 }]);
  });
});

describe('compression and layout', () => {
  test('the reader handles uncompressed and Snappy files', () => {
    assert.deepEqual(PARQUET_CODECS, ['UNCOMPRESSED', 'SNAPPY']);
  });

  for (const compression of ['snappy', 'uncompressed']) {
    test(`many row groups, ${compression}`, async () => {
      const n = 50000;
      const bytes = await parquetFromSql(
        `SELECT i AS id, 'user' || i || '@例子.com' AS email, i / 4 AS amount, i % 7 = 0 AS vip,
           CASE WHEN i % 3 = 0 THEN NULL ELSE '上海' END AS city, TIMESTAMP '2024-01-01' + INTERVAL (i) SECOND AS ts
         FROM range(${n}) t(i)`,
        { compression, rowGroupSize: 4096 },
      );
      const t = await readParquet(bytes, `rows.${compression}.parquet`);
      assert.equal(t.numRows, n);
      load(t);
      assert.deepEqual(duck.rows(`SELECT count(*)::INT AS n, sum(id)::DOUBLE AS ids, sum(amount) AS amount, count_if(vip)::INT AS vip,
          count(city)::INT AS cities, sum(length(email))::INT AS chars, max(ts)::VARCHAR AS last FROM t`), [
        { n, ids: (n * (n - 1)) / 2, amount: (n * (n - 1)) / 8, vip: Math.ceil(n / 7), cities: n - Math.ceil(n / 3), chars: 238890 + 11 * n, last: '2024-01-01 13:53:19' },
      ]);
      // Row order is kept across row groups.
      assert.deepEqual(duck.rows('SELECT id, email FROM t WHERE id IN (4095, 4096, 49999) ORDER BY id').map((r) => [r.id, r.email]), [
        [4095n, 'user4095@例子.com'], [4096n, 'user4096@例子.com'], [49999n, 'user49999@例子.com'],
      ]);
      assert.deepEqual(duck.rows('SELECT list(id ORDER BY id) = list(id) AS ordered FROM (SELECT id FROM t)'), [{ ordered: true }]);
    });
  }

  for (const compression of ['zstd', 'gzip', 'brotli', 'lz4']) {
    test(`${compression} compression is refused with a clear message`, async () => {
      const bytes = await parquetFromSql('SELECT 1 AS x, 2 AS y', { compression });
      await rejectsWith(() => readParquet(bytes, 'c.parquet'), 'c.parquet', /column "x" is compressed with (ZSTD|GZIP|BROTLI|LZ4_RAW|LZ4), which segx cannot read; save the file with Snappy compression/);
    });
  }
});

describe('damaged files', () => {
  let good;
  before(async () => {
    good = await parquetFromSql('SELECT i AS id, \'row \' || i AS label FROM range(1000) t(i)');
  });

  test('not Parquet at all', async () => {
    await rejectsWith(() => readParquet(new TextEncoder().encode('id,name\n1,a\n'), 'x.parquet'), 'x.parquet', /not a Parquet file \(it does not start with "PAR1"\)/);
    await rejectsWith(() => readParquet(new Uint8Array(0), 'x.parquet'), 'x.parquet', /not a Parquet file/);
  });

  test('truncated anywhere', async () => {
    for (const cut of [4, 100, Math.floor(good.length / 2), good.length - 1]) {
      await rejectsWith(() => readParquet(good.subarray(0, cut), 't.parquet'), 't.parquet', /the Parquet file is truncated or damaged: it does not end with "PAR1"/);
    }
  });

  test('a footer length past the start of the file', async () => {
    const bad = good.slice();
    bad.set([0xff, 0xff, 0xff, 0x7f], bad.length - 8);
    await rejectsWith(() => readParquet(bad, 'f.parquet'), 'f.parquet', /truncated or damaged: its footer claims \d+ bytes/);
  });

  test('garbage in the footer or in the data pages', async () => {
    const footerLen = new DataView(good.buffer, good.byteOffset).getUint32(good.length - 8, true);
    const footer = good.slice();
    footer.fill(0x55, footer.length - 8 - footerLen, footer.length - 8);
    await rejectsWith(() => readParquet(footer, 'f.parquet'), 'f.parquet', /the Parquet (footer|data) cannot be read|inconsistent|compressed with/);
    const pages = good.slice();
    pages.fill(0x55, 8, 200);
    await rejectsWith(() => readParquet(pages, 'p.parquet'), 'p.parquet', /the Parquet (data cannot be read|file is damaged: column "id", row group 1: )/);
  });

  test('an encrypted file', async () => {
    const enc = good.slice();
    enc.set([0x50, 0x41, 0x52, 0x45], 0);
    await rejectsWith(() => readParquet(enc, 'e.parquet'), 'e.parquet', /encrypted/);
  });

  test('a view into a larger buffer reads the same', async () => {
    const big = new Uint8Array(good.length + 20);
    big.set(good, 7);
    const t = await readParquet(big.subarray(7, 7 + good.length), 'v.parquet');
    assert.equal(t.numRows, 1000);
    assert.equal(t.getChild('label').get(999), 'row 999');
  });

  // hyparquet writes every value of a run without checking the count: this 5-byte edit makes it
  // grow a JS array past V8's limit, a fatal error that takes the tab down. The guard refuses it.
  test('a run-length count of 2^31 in the levels is refused before decoding', async () => {
    const plain = await parquetFromSql('SELECT i AS id FROM range(300) t(i)', { compression: 'uncompressed' });
    const meta = parquetMetadata(plain).row_groups[0].columns[0].meta_data;
    const reader = { view: new DataView(plain.buffer, plain.byteOffset, plain.byteLength), offset: Number(meta.data_page_offset) };
    assert.equal(parquetHeader(reader).data_page_header.num_values, 300);
    const bad = plain.slice();
    bad.set([0xfe, 0xff, 0xff, 0xff, 0x0f], reader.offset + 4);  // after the u32 length of the definition levels
    await rejectsWith(() => readParquet(bad, 'rle.parquet'), 'rle.parquet', /damaged: column "id", row group 1: a run of 2147483647 values where 300 are left/);
  });

  test('a page header claiming more values than the row group has rows is refused', async () => {
    const plain = await parquetFromSql('SELECT i AS id FROM range(300) t(i)', { compression: 'uncompressed' });
    const meta = parquetMetadata(plain).row_groups[0].columns[0].meta_data;
    const reader = { view: new DataView(plain.buffer, plain.byteOffset, plain.byteLength), offset: Number(meta.data_page_offset) };
    const start = reader.offset;
    parquetHeader(reader);
    // num_values is field 1 of the data page header, a zigzag varint: 300 -> 600 = 0xD8 0x04.
    const header = plain.subarray(start, reader.offset);
    const at = header.findIndex((b, i) => b === 0xd8 && header[i + 1] === 0x04);
    assert.ok(at > 0);
    const bad = plain.slice();
    bad.set([0xd8, 0x05], start + at);  // 364 values
    await rejectsWith(() => readParquet(bad, 'n.parquet'), 'n.parquet', /its pages hold more values \(364\) than the row group has rows \(300\)/);
  });

  // Random damage anywhere must end in a ReadError: never a crash, a hang or another error.
  test('randomly damaged files only ever give a ReadError', { timeout: 120000 }, async () => {
    const shapes = [
      "SELECT i AS id, 'row ' || i AS label, i / 3 AS d, [i, i] AS l FROM range(300) t(i)",
      "SELECT i % 5 AS small, CASE WHEN i % 4 = 0 THEN NULL ELSE ['a', 'b', 'c'][1 + i % 3] END AS cat, i % 2 = 0 AS b, {'x': i, 'y': [i]} AS st, MAP {'k': i} AS m FROM range(500) t(i)",
    ];
    let x = 0x2545f491;  // xorshift32: the same damage every run
    const rnd = () => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), (x >>> 0) / 2 ** 32);
    let read = 0, refused = 0;
    for (const shape of shapes) {
      for (const version of ['V1', 'V2']) {
        const good = await parquetFromSql(shape, { parquetVersion: version });
        const footer = new DataView(good.buffer, good.byteOffset).getUint32(good.length - 8, true);
        for (let k = 0; k < 400; k++) {
          const bad = good.slice();
          const inFooter = rnd() < 0.3;
          for (let f = 1 + Math.floor(rnd() * 4); f > 0; f--) {
            const at = inFooter ? good.length - 9 - Math.floor(rnd() * footer) : 4 + Math.floor(rnd() * (good.length - 12 - footer));
            bad[at] = rnd() < 0.5 ? Math.floor(rnd() * 256) : bad[at] ^ (1 << Math.floor(rnd() * 8));
          }
          try {
            await readParquet(bad, 'f.parquet');
            read++;
          } catch (e) {
            if (e.name !== 'ReadError') throw new Error(`damage ${version} #${k} escaped as ${e.name}: ${e.message}`);
            assert.match(e.message, /^f\.parquet: /);
            refused++;
          }
        }
      }
    }
    assert.equal(read + refused, 1600);
    assert.ok(refused > 800);
  });
});
