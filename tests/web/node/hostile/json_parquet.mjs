// Hostile JSON and Parquet files: each refused naming the file, or read with exact values.
import assert from 'node:assert/strict';

import { utf8 } from '../../support/fixtures.mjs';

const rowsOf = (ctx, name) => ctx.db.query(`SELECT * FROM "${name}"`).toArray().map((r) => r.toJSON());
const bytes = (...parts) => {
  const arrays = parts.map((p) => (typeof p === 'string' ? utf8(p) : Uint8Array.from(p)));
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) (out.set(a, at), (at += a.length));
  return out;
};
const le32 = (n) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff];
const PAR1 = 'PAR1';

export const jsonParquetCases = [
  // --- JSON ---
  { name: 'JSON: not JSON at all', file: { name: 'x.json', bytes: '{user_id: u1}' }, error: /JSON/ },
  { name: 'JSON: a truncated array', file: { name: 'trunc.json', bytes: '[{"user_id": "u1", "event": "view"}, {"user_id": "u2", ' }, error: /JSON|end/ },
  { name: 'JSON: an empty array', file: { name: 'emptyarr.json', bytes: '[]' }, error: /no rows|empty|no columns/ },
  { name: 'JSON: an array of numbers', file: { name: 'nums.json', bytes: '[1, 2, 3]' }, error: /object|row/ },
  { name: 'JSON: a bare string', file: { name: 'str.json', bytes: '"hello"' }, error: /expected|object|array/ },
  { name: 'JSON: nested 100,000 deep', file: { name: 'deep.json', bytes: '['.repeat(100000) + ']'.repeat(100000) }, error: /nested|deep|object|row/ },
  { name: 'JSON lines with one bad line', file: { name: 'bad.jsonl', bytes: '{"user_id": "u1"}\n{"user_id": "u2"\n{"user_id": "u3"}\n' }, error: /line 2/ },
  { name: 'JSON lines with a scalar line', file: { name: 'scalar.jsonl', bytes: '{"user_id": "u1"}\n42\n' }, error: /line 2 is a number; expected one JSON object per line/ },
  { name: 'JSON: 20-digit integer ids keep their text', file: { name: 'bigids.json', bytes: '[{"user_id": 12345678901234567890, "event": "view"}, {"user_id": 12345678901234567891, "event": "view"}]' }, ok: true,
    check: (r, ctx) => assert.deepEqual(rowsOf(ctx, 'bigids.json').map((x) => String(x.user_id)), ['12345678901234567890', '12345678901234567891']) },
  { name: 'JSON lines: 20-digit ids keep their text', file: { name: 'bigids.jsonl', bytes: '{"user_id": 98765432109876543210}\n{"user_id": 98765432109876543211}\n' }, ok: true,
    check: (r, ctx) => assert.deepEqual(rowsOf(ctx, 'bigids.jsonl').map((x) => String(x.user_id)), ['98765432109876543210', '98765432109876543211']) },
  { name: 'JSON: big decimals stay numbers', file: { name: 'decimals.json', bytes: '[{"user_id": "u1", "amount": 1.12345678901234567890}]' }, ok: true,
    check: (r, ctx) => assert.equal(Number(rowsOf(ctx, 'decimals.json')[0].amount).toFixed(6), '1.123457') },
  { name: 'JSON: __proto__ and constructor as keys are columns', file: { name: 'proto.json', bytes: '[{"__proto__": "a", "constructor": "b", "toString": "c", "user_id": "u1"}]' }, ok: true,
    check: (r) => assert.deepEqual(r.columns.map((c) => c.name).sort(), ['__proto__', 'constructor', 'toString', 'user_id']) },
  { name: 'JSON: duplicate keys keep the last', file: { name: 'dupkeys.json', bytes: '[{"user_id": "u1", "user_id": "u2"}]' }, ok: true,
    check: (r, ctx) => assert.equal(rowsOf(ctx, 'dupkeys.json')[0].user_id, 'u2') },
  { name: 'JSON: mixed types in a column', file: { name: 'mixed.json', bytes: '[{"v": 1}, {"v": "two"}, {"v": true}, {"v": null}, {"v": {"x": 1}}]' }, ok: true,
    check: (r) => assert.equal(r.rows, 5) },
  { name: 'JSON: a string of 5 MB', file: { name: 'bigstr.json', bytes: `[{"user_id": "u1", "note": "${'x'.repeat(5_000_000)}"}]` }, ok: true, check: (r) => assert.equal(r.rows, 1) },
  { name: 'JSON: NUL escapes in a value', file: { name: 'nulesc.json', bytes: '[{"user_id": "u\\u0000", "event": "view"}]' }, ok: true, check: (r) => assert.equal(r.rows, 1) },
  { name: 'JSON: a raw NUL byte', file: { name: 'rawnul.json', bytes: bytes('[{"user_id": "u', [0], '"}]') }, error: /JSON|zero|control/i },
  { name: 'JSON: a BOM and whitespace only', file: { name: 'blank.json', bytes: bytes([0xef, 0xbb, 0xbf], '  \n') }, error: /the file is empty/ },

  // --- Parquet ---
  { name: 'Parquet: the magic only', file: { name: 'magic.parquet', bytes: PAR1 }, error: /truncated or damaged|Parquet/ },
  { name: 'Parquet: no end magic', file: { name: 'noend.parquet', bytes: bytes(PAR1, [1, 2, 3, 4, 5, 6, 7, 8]) }, error: /does not end with "PAR1"/ },
  { name: 'Parquet: a footer claiming more than the file', file: { name: 'bigfooter.parquet', bytes: bytes(PAR1, [0, 0, 0, 0], le32(1 << 30), PAR1) }, error: /footer claims \d+ bytes/ },
  { name: 'Parquet: a footer of random bytes', file: { name: 'randfooter.parquet', bytes: bytes(PAR1, Array.from({ length: 64 }, (_, i) => (i * 37 + 11) & 0xff), le32(64), PAR1) }, error: /Parquet footer|damaged/ },
  { name: 'Parquet: a footer of zeros', file: { name: 'zerofooter.parquet', bytes: bytes(PAR1, new Array(32).fill(0), le32(32), PAR1) }, error: /Parquet/ },
  { name: 'Parquet: a footer of 0xFF', file: { name: 'fffooter.parquet', bytes: bytes(PAR1, new Array(40).fill(0xff), le32(40), PAR1) }, error: /Parquet/ },
  { name: 'Parquet: encrypted', file: { name: 'enc.parquet', bytes: bytes('PARE', [0, 0, 0, 0], le32(0), 'PARE') }, error: /encrypted|Parquet/ },
  { name: 'Parquet: a zero-length footer', file: { name: 'emptyfooter.parquet', bytes: bytes(PAR1, le32(0), PAR1) }, error: /Parquet/ },
  { name: 'Parquet by name, CSV inside', file: { name: 'csv.parquet', bytes: 'user_id,event\nu1,view\n' }, error: /not a Parquet file/ },
];
