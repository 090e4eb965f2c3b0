// Hostile files: encodings, CSV shapes and binary files dropped by mistake. Each is refused with
// a message naming the file, or loads with the right values.
import assert from 'node:assert/strict';

import { gbk, latin1, utf16, utf8 } from '../../support/fixtures.mjs';

const bytes = (...parts) => {
  const arrays = parts.map((p) => (typeof p === 'string' ? utf8(p) : Uint8Array.from(p)));
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) (out.set(a, at), (at += a.length));
  return out;
};
const events = (n, row = (i) => `u${i % 7},view,2024-03-0${1 + (i % 9)} 10:00:00`) =>
  'user_id,event,time\n' + Array.from({ length: n }, (_, i) => row(i)).join('\n') + '\n';
const rowsOf = (ctx, name, sql = 'SELECT * FROM') => ctx.db.query(`${sql} "${name}"`).toArray().map((r) => r.toJSON());
const source = (ctx, name) => ctx.bridge.state('sources').find((s) => s.name === name);

// Chinese text, ~40 characters a row.
const zhRows = (n) => '用户,事件,时间\n' + Array.from({ length: n }, (_, i) => `用户${i % 5},浏览商品详情页面,2024-03-0${1 + (i % 9)} 10:00:00`).join('\n') + '\n';

export const fileCases = [
  // --- empty and blank ---
  { name: 'an empty file', file: { name: 'empty.csv', bytes: '' }, error: /the file is empty/ },
  { name: 'a UTF-8 byte order mark only', file: { name: 'bom.csv', bytes: bytes([0xef, 0xbb, 0xbf]) }, error: /the file is empty/ },
  { name: 'a UTF-8 BOM and line breaks', file: { name: 'bom-nl.csv', bytes: bytes([0xef, 0xbb, 0xbf], '\r\n\r\n') }, error: /the file is empty/ },
  { name: 'white space only', file: { name: 'ws.csv', bytes: '   \n\t\n  \n' }, error: /the file is empty/ },
  { name: 'a UTF-16 BOM only', file: { name: 'bom16.csv', bytes: bytes([0xff, 0xfe]) }, error: /the file is empty/ },
  { name: 'a UTF-16 BOM and white space', file: { name: 'bom16-ws.csv', bytes: utf16('  \r\n ') }, error: /the file is empty/ },
  { name: 'a header only', file: { name: 'header.csv', bytes: 'user_id,event,time\n' }, ok: true,
    check: (r) => assert.equal(r.rows, 0) },
  { name: 'one line without a line break', file: { name: 'oneline.csv', bytes: 'user_id,event,time' }, ok: true,
    check: (r) => assert.equal(r.rows, 0) },

  // --- zero bytes, anywhere ---
  { name: 'a zero byte at the start', file: { name: 'nul0.csv', bytes: bytes([0], events(3)) }, error: /zero byte at offset 0/ },
  { name: 'a zero byte in the first row', file: { name: 'nul1.csv', bytes: bytes('user_id,event,time\nu1,vi', [0], 'ew,2024-03-01\n') }, error: /zero byte at offset 24 \(line 2\)/ },
  { name: 'a zero byte after 64 KB', file: { name: 'nul64k.csv', bytes: bytes(events(3000), 'u1,b', [0], 'uy,2024-03-01 10:00:00\n') }, error: /zero byte at offset \d{5,} \(line 3002\)/ },
  { name: 'a zero byte at the very end', file: { name: 'nulend.csv', bytes: bytes(events(50), [0]) }, error: /zero byte/ },
  { name: 'zero bytes after 1 MB', file: { name: 'nul1m.csv', bytes: bytes(events(40000), [0, 0, 0]) }, error: /zero byte at offset \d{7}/ },

  // --- encodings ---
  { name: 'UTF-16 LE with a BOM', file: { name: 'u16le.csv', bytes: utf16(events(5)) }, ok: true,
    check: (r) => (assert.equal(r.encoding, 'utf-16le'), assert.equal(r.rows, 5)) },
  { name: 'UTF-16 BE with a BOM', file: { name: 'u16be.csv', bytes: utf16(events(5), { bigEndian: true }) }, ok: true,
    check: (r) => (assert.equal(r.encoding, 'utf-16be'), assert.equal(r.rows, 5)) },
  { name: 'UTF-16 LE without a BOM (ASCII)', file: { name: 'u16le-nobom.csv', bytes: utf16(events(5), { bom: false }) }, ok: true,
    check: (r) => assert.equal(r.encoding, 'utf-16le') },
  { name: 'UTF-16 LE without a BOM (Chinese)', file: { name: 'u16zh-nobom.csv', bytes: utf16(zhRows(20), { bom: false }) }, ok: true,
    check: (r, ctx) => (assert.equal(r.encoding, 'utf-16le'), assert.equal(rowsOf(ctx, 'u16zh-nobom.csv')[0]['事件'], '浏览商品详情页面')) },
  { name: 'UTF-16 BE without a BOM (Chinese)', file: { name: 'u16bezh-nobom.csv', bytes: utf16(zhRows(20), { bom: false, bigEndian: true }) }, ok: true,
    check: (r) => assert.equal(r.encoding, 'utf-16be') },
  { name: 'GBK Chinese', file: { name: 'gbk.csv', bytes: gbk(zhRows(20)) }, ok: true,
    check: (r, ctx) => (assert.equal(r.encoding, 'gb18030'), assert.equal(rowsOf(ctx, 'gbk.csv')[3]['用户'], '用户3')) },
  { name: 'UTF-8 Chinese with one stray byte: UTF-8, the byte replaced and reported', file: { name: 'zh-stray.csv', bytes: bytes(zhRows(10), 'u9,', [0xff], 'x,2024-03-01 10:00:00\n', zhRows(10).split('\n').slice(1).join('\n')) }, ok: true,
    check: (r, ctx) => {
      assert.equal(r.encoding, 'utf-8');
      const rows = rowsOf(ctx, 'zh-stray.csv');
      assert.equal(rows[0]['事件'], '浏览商品详情页面');
      assert.ok(rows.some((x) => x['事件'] === '\ufffdx'), 'the bad byte became U+FFFD');
      const messages = ctx.bridge.state('messages').map((m) => m.text).join('\n');
      assert.match(messages, /zh-stray\.csv: read as UTF-8 with 1 byte sequence that is not valid UTF-8, replaced/);
    } },
  { name: 'UTF-8 Chinese with a stray byte after 1 MB', file: { name: 'zh-stray-late.csv', bytes: bytes(zhRows(20000), 'u1,', [0xc3], 'x,2024-03-01 10:00:00\n') }, ok: true,
    check: (r) => assert.equal(r.encoding, 'utf-8') },
  { name: 'Windows-1252 Latin text', file: { name: 'latin.csv', bytes: latin1('user_id,event,city\nu1,view,Zürich\nu2,view,Málaga\n') }, ok: true,
    check: (r, ctx) => (assert.equal(r.encoding, 'windows-1252'), assert.equal(rowsOf(ctx, 'latin.csv')[0].city, 'Zürich')) },
  { name: 'UTF-8 that ends in the middle of a character, read as UTF-8: the byte is named', file: { name: 'cut.csv', bytes: bytes('user_id,event\nu1,浏', [0xe8, 0xa7]) }, options: { encoding: 'utf-8' },
    error: /not valid UTF-8: the file ends in the middle of a character \(bytes 0xE8 0xA7 at offset \d+, line 2\)/ },
  { name: 'a bad byte read as UTF-8 on request: the byte is named', file: { name: 'bad-utf8.csv', bytes: bytes('user_id,event\nu1,caf', [0xe9], '\n') }, options: { encoding: 'utf-8' },
    error: /bytes 0xE9 0x0A at offset 20 \(line 2\) are not valid/ },
  { name: 'an unknown encoding override', file: { name: 'enc.csv', bytes: events(2) }, options: { encoding: 'ebcdic' }, error: /unknown text encoding "ebcdic"/ },
  { name: 'UTF-16 read as GBK on request', file: { name: 'u16-as-gbk.csv', bytes: utf16(events(3)) }, options: { encoding: 'gb18030' }, error: /zero byte|not valid/ },

  // --- binary files ---
  { name: 'a PNG image', file: { name: 'image.csv', bytes: bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]) }, error: /not a text file|zero byte/ },
  { name: 'an xlsx workbook', file: { name: 'book.xlsx', bytes: bytes([0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0]) }, error: /Excel workbook/ },
  { name: 'an old xls workbook', file: { name: 'book.xls', bytes: bytes([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]) }, error: /old Excel workbook/ },
  { name: 'a gzip file', file: { name: 'data.csv.gz', bytes: bytes([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]) }, error: /gzip/ },
  { name: 'a PDF', file: { name: 'report.csv', bytes: bytes('%PDF-1.7\n%âãÏÓ\n') }, error: /PDF/ },
  { name: 'random bytes', file: { name: 'random.csv', bytes: bytes(...Array.from({ length: 4096 }, (_, i) => [(i * 2654435761) >>> 24])) }, error: /zero byte|not a text file|does not read as CSV|ragged|line/ },

  // --- shapes ---
  { name: 'a late short row (line 5000)', file: { name: 'late-short.csv', bytes: events(5000, (i) => (i === 4997 ? 'u1,view' : `u${i % 7},view,2024-03-01 10:00:00`)) },
    error: /line 4999 has 2 fields where the header has 3/ },
  { name: 'a late long row', file: { name: 'late-long.csv', bytes: events(3000, (i) => (i === 2500 ? 'u1,view,2024-03-01 10:00:00,extra' : `u${i % 7},view,2024-03-01 10:00:00`)) },
    error: /line 2502 has 4 fields where the header has 3/ },
  { name: 'an early short row', file: { name: 'early-short.csv', bytes: 'user_id,event,time\nu1,view\nu2,view,2024-03-01\n' }, error: /line 2 has 2 fields where the header has 3/ },
  { name: 'mixed separators: a header with commas, rows with semicolons', file: { name: 'mixed.csv', bytes: 'user_id,event,time\n' + Array.from({ length: 20 }, (_, i) => `u${i};view;2024-03-01`).join('\n') + '\n' },
    error: /line 2 has 1 field where the header has 3/ },
  { name: 'mixed separators: rows switch from commas to semicolons', file: { name: 'mixed2.csv', bytes: events(30) + Array.from({ length: 30 }, (_, i) => `u${i};view;2024-03-01 10:00:00`).join('\n') + '\n' },
    error: /line 32 has 1 field where the header has 3/ },
  { name: 'mixed separators: tabs in some rows', file: { name: 'mixed3.csv', bytes: events(10) + 'u1\tview\t2024-03-01\n' + events(5).split('\n').slice(1).join('\n') }, error: /line 12 has 1 field where the header has 3/ },
  { name: 'an unclosed quote', file: { name: 'quote.csv', bytes: 'user_id,event\nu1,"view\nu2,buy\n' }, error: /quoted value is never closed \(the quote opens on line 2\)/ },
  { name: '10,000 columns in 60 KB', file: { name: 'wide.csv', bytes: Array.from({ length: 10000 }, (_, i) => `c${i}`).join(',') + '\n' + Array(10000).fill('1').join(',') + '\n' },
    error: /the header has 10,000 columns; segx reads at most 2,000/ },
  { name: '2,001 columns', file: { name: 'wide2001.csv', bytes: Array.from({ length: 2001 }, (_, i) => `c${i}`).join(',') + '\n' }, error: /2,001 columns/ },
  { name: 'a line of 3 MB', file: { name: 'longline.csv', bytes: 'user_id,event\nu1,' + 'x'.repeat(3_000_000) + '\n' }, error: /line 2 is 3\.0 MB long/ },
  { name: 'duplicate column names', file: { name: 'dupcols.csv', bytes: 'user_id,event,event,time\nu1,view,buy,2024-03-01\n' }, ok: true,
    check: (r) => assert.equal(new Set(r.columns.map((c) => c.name)).size, 4) },
  { name: 'empty column names', file: { name: 'nonames.csv', bytes: ',,\n1,2,3\n' }, ok: true, check: (r) => assert.equal(r.columns.length, 3) },
  { name: 'CRLF line ends', file: { name: 'crlf.csv', bytes: events(5).replace(/\n/g, '\r\n') }, ok: true, check: (r) => assert.equal(r.rows, 5) },
  { name: 'old Mac line ends (CR)', file: { name: 'cr.csv', bytes: events(5).replace(/\n/g, '\r') }, ok: true, check: (r) => assert.equal(r.rows, 5) },
  { name: 'quoted line breaks and quotes in values', file: { name: 'quoted.csv', bytes: 'user_id,event,note\nu1,view,"a ""b""\nc"\n' }, ok: true,
    check: (r, ctx) => assert.equal(rowsOf(ctx, 'quoted.csv')[0].note, 'a "b"\nc') },
  { name: 'formulas in cells stay text', file: { name: 'formula.csv', bytes: 'user_id,event\n=cmd|\' /C calc\'!A0,view\n@SUM(1+1),buy\n' }, ok: true,
    check: (r, ctx) => assert.equal(rowsOf(ctx, 'formula.csv')[0].user_id, "=cmd|' /C calc'!A0") },
  { name: '20-digit integer ids keep their text (CSV)', file: { name: 'bigids.csv', bytes: 'user_id,event,time\n12345678901234567890,view,2024-03-01\n12345678901234567891,view,2024-03-01\n12345678901234567892,buy,2024-03-02\n' }, ok: true,
    check: (r, ctx) => {
      const users = rowsOf(ctx, 'bigids.csv', 'SELECT DISTINCT CAST(user_id AS VARCHAR) AS u FROM').map((x) => x.u).sort();
      assert.deepEqual(users, ['12345678901234567890', '12345678901234567891', '12345678901234567892']);
      assert.equal(source(ctx, 'bigids.csv').rejects?.total ?? 0, 0);
    } },
  { name: '19-digit ids beyond 2^53 keep their text', file: { name: 'ids19.csv', bytes: 'user_id,country\n9007199254740993,CN\n9007199254740995,US\n' }, ok: true,
    check: (r, ctx) => assert.equal(source(ctx, 'ids19.csv').rejects?.total ?? 0, 0) },
  { name: 'a name with a slash is refused', file: { name: 'a/b.csv', bytes: events(2) }, error: /a file name cannot contain "\/"/ },
  { name: 'a file named like an internal table loads beside it', file: { name: 'segx_contract_users', bytes: 'user_id,country\nu9,FR\n' }, ok: true,
    check: (r, ctx) => assert.equal(rowsOf(ctx, 'segx_contract_users')[0].country, 'FR') },
];
