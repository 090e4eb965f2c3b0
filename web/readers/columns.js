// Fixed-length Arrow column builders for the JSON and Parquet readers. Each column knows its
// row count up front, takes values by row index (each row at most once, in increasing order
// for text), and ends as one apache-arrow Data with a validity bitmap: typed arrays all the way,
// no Arrow builder objects per value.
import { Bool, DateDay, Field, Float64, Int64, RecordBatch, Schema, Struct, Table, TimestampMicrosecond, Utf8, makeData } from 'apache-arrow';

const kMaxUtf8Bytes = 2 ** 31 - 1;  // Arrow Utf8 offsets are Int32
const kTwo32 = 4294967296;
// Safe integers are written as two 32-bit halves (no BigInt per value); WASM and every browser
// are little-endian, but check rather than assume.
const kLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

class Column {
  constructor(length) {
    this.length = length;
    this.valid = new Uint8Array((length + 7) >> 3);
    this.count = 0;
  }
  mark(i) {
    this.valid[i >> 3] |= 1 << (i & 7);
    this.count++;
  }
  data(type, extra) {
    return makeData({ type, length: this.length, nullCount: this.length - this.count, nullBitmap: this.valid, ...extra });
  }
}

export class Int64Column extends Column {
  constructor(length) {
    super(length);
    this.values = new BigInt64Array(length);
    this.words = new Int32Array(this.values.buffer);
  }
  // `v`: a safe integer Number or a BigInt.
  set(i, v) {
    if (typeof v === 'bigint') this.values[i] = v;
    else if (kLittleEndian) {
      const hi = Math.floor(v / kTwo32);
      this.words[2 * i] = v - hi * kTwo32;
      this.words[2 * i + 1] = hi;
    } else this.values[i] = BigInt(v);
    this.mark(i);
  }
  finish() {
    return this.data(new Int64(), { data: this.values });
  }
}

export class Float64Column extends Column {
  constructor(length) {
    super(length);
    this.values = new Float64Array(length);
  }
  set(i, v) {
    this.values[i] = typeof v === 'bigint' ? Number(v) : v;
    this.mark(i);
  }
  finish() {
    return this.data(new Float64(), { data: this.values });
  }
}

export class BoolColumn extends Column {
  constructor(length) {
    super(length);
    this.bits = new Uint8Array((length + 7) >> 3);
  }
  set(i, v) {
    if (v) this.bits[i >> 3] |= 1 << (i & 7);
    this.mark(i);
  }
  finish() {
    return this.data(new Bool(), { data: this.bits });
  }
}

// Days since 1970-01-01 (becomes DuckDB DATE).
export class DateDayColumn extends Column {
  constructor(length) {
    super(length);
    this.values = new Int32Array(length);
  }
  set(i, days) {
    this.values[i] = days;
    this.mark(i);
  }
  finish() {
    return this.data(new DateDay(), { data: this.values });
  }
}

// Microseconds since the epoch, as BigInt (becomes DuckDB TIMESTAMP).
export class TimestampColumn extends Column {
  constructor(length) {
    super(length);
    this.values = new BigInt64Array(length);
  }
  set(i, micros) {
    this.values[i] = micros;
    this.mark(i);
  }
  finish() {
    return this.data(new TimestampMicrosecond(), { data: this.values });
  }
}

const encoder = new TextEncoder();

export class Utf8Column extends Column {
  constructor(length) {
    super(length);
    this.offsets = new Int32Array(length + 1);
    this.bytes = new Uint8Array(Math.max(1024, Math.min(length * 16, 1 << 24)));
    this.pos = 0;
    this.next = 0;  // rows before `next` have their end offset written
  }
  // Rows must come in increasing order; skipped rows become nulls (zero length).
  set(i, s) {
    const offsets = this.offsets;
    for (let k = this.next + 1; k <= i; k++) offsets[k] = this.pos;
    const n = s.length;
    if (this.pos + 3 * n > this.bytes.length) this.grow(this.pos + 3 * n, 3 * n);
    const b = this.bytes;
    let p = this.pos;
    if (n > 64) {
      p += encoder.encodeInto(s, b.subarray(p)).written;
    } else {
      // Short strings: an inline encoder beats encodeInto's call and view per value.
      for (let j = 0; j < n; j++) {
        const c = s.charCodeAt(j);
        if (c < 0x80) b[p++] = c;
        else if (c < 0x800) (b[p++] = 0xc0 | (c >> 6)), (b[p++] = 0x80 | (c & 63));
        else if (c < 0xd800 || c > 0xdfff) (b[p++] = 0xe0 | (c >> 12)), (b[p++] = 0x80 | ((c >> 6) & 63)), (b[p++] = 0x80 | (c & 63));
        else {
          const d = c <= 0xdbff && j + 1 < n ? s.charCodeAt(j + 1) : 0;
          if (d >= 0xdc00 && d <= 0xdfff) {
            const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
            b[p++] = 0xf0 | (cp >> 18);
            b[p++] = 0x80 | ((cp >> 12) & 63);
            b[p++] = 0x80 | ((cp >> 6) & 63);
            b[p++] = 0x80 | (cp & 63);
            j++;
          } else (b[p++] = 0xef), (b[p++] = 0xbf), (b[p++] = 0xbd);  // lone surrogate -> U+FFFD
        }
      }
    }
    if (p > kMaxUtf8Bytes) throw new RangeError('more than 2 GB of text in one column');
    this.pos = p;
    offsets[i + 1] = p;
    this.next = i + 1;
    this.mark(i);
  }
  // `need` over-estimates (3 bytes per UTF-16 unit); the exact size is checked after writing.
  grow(need, slack) {
    const size = Math.min(Math.max(need, this.bytes.length * 2), kMaxUtf8Bytes + slack);
    const bigger = new Uint8Array(size);
    bigger.set(this.bytes.subarray(0, this.pos));
    this.bytes = bigger;
  }
  finish() {
    for (let k = this.next + 1; k <= this.length; k++) this.offsets[k] = this.pos;
    return this.data(new Utf8(), { valueOffsets: this.offsets, data: this.bytes.subarray(0, this.pos) });
  }
}

// [{ name, data }] (apache-arrow Data of equal length) -> a one-batch Table. Built from a
// Schema rather than a {name: vector} object, so any key (even "__proto__") is a fine name.
export function tableFromColumns(columns, length) {
  const fields = columns.map((c) => new Field(c.name, c.data.type, true));
  const schema = new Schema(fields);
  const struct = makeData({ type: new Struct(fields), length, nullCount: 0, children: columns.map((c) => c.data) });
  return new Table([new RecordBatch(schema, struct)]);
}

// Column names DuckDB accepts: none empty, none equal ignoring case (DuckDB identifiers are
// case-insensitive). Repeats get "_1", "_2", ... like DuckDB's CSV reader gives them.
export function uniqueNames(names) {
  const taken = new Set();
  return names.map((n, i) => {
    let name = n === '' ? `column${i}` : n;
    for (let k = 1; taken.has(name.toLowerCase()); k++) name = `${n === '' ? `column${i}` : n}_${k}`;
    taken.add(name.toLowerCase());
    return name;
  });
}
