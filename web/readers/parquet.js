// Parquet exports -> apache-arrow Table, read in JS with hyparquet (DuckDB-wasm's own Parquet
// reader is an extension it would download). hyparquet hands each column chunk over as an
// array of values; they go straight into typed Arrow columns.
//
// Types: INT32/INT64 (and the small/unsigned int annotations up to 32 bits) -> Int64;
// UINT_64, FLOAT, DOUBLE, DECIMAL, FLOAT16 -> Float64; BOOLEAN -> Bool; DATE -> DateDay (DuckDB
// DATE); TIMESTAMP millis/micros/nanos and INT96 -> Timestamp[us] without zone (DuckDB
// TIMESTAMP; UTC-adjusted values keep their UTC wall time); TIME -> Utf8 "HH:MM:SS[.ffffff]";
// strings, enums, JSON, UUID, unannotated BYTE_ARRAY -> Utf8; other fixed-length bytes -> Utf8
// hex; lists, maps, structs -> Utf8 JSON text.
import { parquetMetadata, parquetRead, parquetSchema } from 'hyparquet';

import { BoolColumn, DateDayColumn, Float64Column, Int64Column, TimestampColumn, Utf8Column, tableFromColumns, uniqueNames } from './columns.js';
import { ReadError } from './errors.js';
import { checkPages } from './parquet_guard.js';

// hyparquet decodes these itself; the others need decompressors we do not ship.
export const PARQUET_CODECS = Object.freeze(['UNCOMPRESSED', 'SNAPPY']);
const kMaxRows = 2 ** 31 - 1;

const isMagic = (b, at, m) => b[at] === m.charCodeAt(0) && b[at + 1] === m.charCodeAt(1) && b[at + 2] === m.charCodeAt(2) && b[at + 3] === m.charCodeAt(3);

// Resolves to an apache-arrow Table; rejects with a ReadError naming `name` and the problem.
export async function readParquet(bytes, name) {
  const n = bytes.length;
  if (n >= 4 && isMagic(bytes, 0, 'PARE')) throw new ReadError(name, 'the Parquet file is encrypted; save it without encryption');
  if (n < 4 || !isMagic(bytes, 0, 'PAR1')) throw new ReadError(name, 'not a Parquet file (it does not start with "PAR1")');
  if (n < 12 || !isMagic(bytes, n - 4, 'PAR1')) {
    throw new ReadError(name, `the Parquet file is truncated or damaged: it does not end with "PAR1" (${n} bytes); copy or download it again`);
  }
  const footer = (bytes[n - 8] | (bytes[n - 7] << 8) | (bytes[n - 6] << 16) | (bytes[n - 5] << 24)) >>> 0;
  if (footer + 12 > n) throw new ReadError(name, `the Parquet file is truncated or damaged: its footer claims ${footer} bytes of a ${n}-byte file`);

  const file = asArrayBuffer(bytes);
  let metadata;
  try {
    // Not GeoParquet: its column marking loops forever on a negative child count in a damaged
    // schema, and segx has no use for geometry.
    metadata = parquetMetadata(bytes, { geoparquet: false });
  } catch (e) {
    throw new ReadError(name, `the Parquet footer cannot be read (${plain(e)}); the file is damaged`);
  }
  let rows, top;
  try {
    checkCodecs(metadata, name);
    rows = Number(metadata.num_rows);
    const groupRows = metadata.row_groups.reduce((sum, g) => sum + Number(g.num_rows), 0);
    if (!(rows >= 0) || rows !== groupRows) throw new ReadError(name, `the Parquet footer is inconsistent (${rows} rows, but its row groups hold ${groupRows})`);
    if (rows > kMaxRows) throw new ReadError(name, `the Parquet file has ${rows} rows; the browser reads at most ${kMaxRows}`);
    checkPages(bytes, metadata, name);
    top = parquetSchema(metadata).children;
  } catch (e) {
    // A damaged footer can hold anything: whatever breaks here is that.
    if (e instanceof ReadError) throw e;
    throw new ReadError(name, `the Parquet footer is damaged (${plain(e)})`);
  }
  if (top.length === 0) throw new ReadError(name, 'the Parquet file has no columns');
  const columns = [];
  try {
    for (const node of top) columns.push(planColumn(node, rows));
  } catch (e) {
    if (e instanceof RangeError) throw new ReadError(name, `not enough memory for ${rows} rows × ${top.length} columns`);
    throw e;
  }
  const byName = new Map(columns.map((c) => [c.name, c]));

  let failure = null;
  try {
    await parquetRead({
      file,
      metadata,
      parsers,
      // Called from hyparquet's promise callbacks, where a throw would go unhandled: keep the
      // first error and report it after the read.
      onChunk({ columnName, columnData, rowStart }) {
        if (failure) return;
        try {
          const col = byName.get(columnName);
          if (!col) throw new Error(`unexpected column ${JSON.stringify(columnName)}`);
          col.add(rowStart, columnData);
        } catch (e) {
          failure = e;
        }
      },
    });
  } catch (e) {
    throw new ReadError(name, `the Parquet data cannot be read (${plain(e)})`);
  }
  if (failure) {
    if (failure instanceof ReadError) throw failure;
    throw new ReadError(name, `the Parquet data cannot be read (${plain(failure)})`);
  }
  for (const c of columns) {
    if (c.next !== rows) throw new ReadError(name, `column ${JSON.stringify(c.name)}: only ${c.next} of ${rows} rows could be read`);
  }
  const names = uniqueNames(columns.map((c) => c.name));
  return tableFromColumns(columns.map((c, i) => ({ name: names[i], data: c.builder.finish() })), rows);
}

// hyparquet reads from an ArrayBuffer, or anything with byteLength and slice() -> ArrayBuffer.
function asArrayBuffer(bytes) {
  const { buffer, byteOffset, byteLength } = bytes;
  if (byteOffset === 0 && byteLength === buffer.byteLength) return buffer;
  return { byteLength, slice: (start, end = byteLength) => buffer.slice(byteOffset + start, byteOffset + end) };
}

// The reader's own words; a JavaScript slip inside it on damaged metadata ("Cannot read
// properties of undefined") says nothing to a person, so it becomes what it means.
const plain = (e) => (e instanceof TypeError || e instanceof RangeError
  ? 'its metadata does not decode'
  : String(e && e.message ? e.message : e).replace(/^parquet /, ''));

function checkCodecs(metadata, name) {
  for (const group of metadata.row_groups) {
    for (const chunk of group.columns) {
      const codec = chunk.meta_data && chunk.meta_data.codec;
      if (codec && !PARQUET_CODECS.includes(codec)) {
        const column = chunk.meta_data.path_in_schema.join('.');
        throw new ReadError(name, `column ${JSON.stringify(column)} is compressed with ${codec}, which segx cannot read; save the file with Snappy compression (the usual default) or none`);
      }
    }
  }
}

// Values come out of hyparquet as numbers we store directly, not as Date objects (which would
// cost an object per value and drop microseconds).
function floorDiv(a, b) {
  const q = a / b;
  return a % b < 0n ? q - 1n : q;
}
const parsers = {
  timestampFromMilliseconds: (ms) => BigInt(ms) * 1000n,
  timestampFromMicroseconds: (us) => BigInt(us),
  timestampFromNanoseconds: (ns) => floorDiv(BigInt(ns), 1000n),
  dateFromDays: (days) => days,
  jsonFromBytes: (bytes) => bytes && textDecoder.decode(bytes),  // keep the JSON text as it is
};
const textDecoder = new TextDecoder();

// What a top-level schema node becomes: { name, builder, add(rowStart, values), next }.
function planColumn(node, rows) {
  const e = node.element;
  const kind = columnKind(node);
  let builder, put;
  switch (kind) {
    case 'i64': builder = new Int64Column(rows); break;
    case 'f64': builder = new Float64Column(rows); break;
    case 'bool': builder = new BoolColumn(rows); break;
    case 'date': builder = new DateDayColumn(rows); break;
    case 'timestamp': builder = new TimestampColumn(rows); break;
    case 'time': {
      const unit = e.converted_type === 'TIME_MILLIS' || e.logical_type?.unit === 'MILLIS' ? 1000n : e.logical_type?.unit === 'NANOS' ? -1000n : 1n;
      builder = new Utf8Column(rows);
      put = (i, v) => builder.set(i, formatTime(unit < 0n ? BigInt(v) / -unit : BigInt(v) * unit));
      break;
    }
    default:
      builder = new Utf8Column(rows);
      put = (i, v) => builder.set(i, toText(v));
  }
  if (!put) put = (i, v) => builder.set(i, v);
  const column = {
    name: e.name,
    builder,
    next: 0,
    pending: new Map(),  // chunks that arrived before the rows in front of them
    add(rowStart, values) {
      if (rowStart !== column.next) {
        column.pending.set(rowStart, values);
        return;
      }
      for (let chunk = values; chunk; chunk = column.pending.get(column.next)) {
        column.pending.delete(column.next);
        const base = column.next;
        for (let j = 0; j < chunk.length; j++) {
          const v = chunk[j];
          if (v !== null && v !== undefined) put(base + j, v);
        }
        column.next = base + chunk.length;
      }
    },
  };
  return column;
}

function columnKind(node) {
  const e = node.element;
  if (node.children.length > 0 || e.repetition_type === 'REPEATED') return 'json';
  const ct = e.converted_type;
  const lt = e.logical_type || {};
  if (ct === 'DECIMAL' || lt.type === 'DECIMAL' || lt.type === 'FLOAT16') return 'f64';
  if (ct === 'DATE' || lt.type === 'DATE') return 'date';
  if (ct === 'TIMESTAMP_MILLIS' || ct === 'TIMESTAMP_MICROS' || lt.type === 'TIMESTAMP' || (e.type === 'INT96' && !ct)) return 'timestamp';
  if (ct === 'TIME_MILLIS' || ct === 'TIME_MICROS' || lt.type === 'TIME') return 'time';
  if (ct === 'UINT_64' || (lt.type === 'INTEGER' && lt.bitWidth === 64 && !lt.isSigned)) return 'f64';
  switch (e.type) {
    case 'BOOLEAN': return 'bool';
    case 'INT32':
    case 'INT64': return 'i64';
    case 'FLOAT':
    case 'DOUBLE': return 'f64';
    default: return 'text';  // BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY (hex unless UUID), INT96 oddities
  }
}

function formatTime(us) {
  const pad = (x, w = 2) => String(x).padStart(w, '0');
  const s = Number(us / 1000000n);
  const frac = Number(us % 1000000n);
  const hms = `${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
  return frac ? `${hms}.${pad(frac, 6).replace(/0+$/, '')}` : hms;  // as DuckDB prints TIME
}

const hex = (bytes) => {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16);
  return s;
};

// JSON has no BigInt: safe ones become numbers, larger ones strings of digits.
const replacer = (_, v) =>
  typeof v === 'bigint' ? (v >= -(2n ** 53n) && v <= 2n ** 53n ? Number(v) : String(v)) : v instanceof Uint8Array ? hex(v) : v;

function toText(v) {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return hex(v);
  if (typeof v !== 'object') return String(v);
  return JSON.stringify(v, replacer);
}
