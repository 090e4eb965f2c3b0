// Checks a Parquet file's sizes and counts before hyparquet decodes it. hyparquet trusts them:
// a damaged or hostile file whose page header claims hundreds of millions of values, or whose
// run-length encoded levels repeat a value 2^31 times, makes it grow a JS array past V8's limit,
// which aborts the whole tab (a fatal error, not an exception). So this walks every page header
// and every run-length stream (levels and dictionary indices) with the same rules hyparquet
// uses, and refuses counts beyond what the header and the row group allow. Pages are
// decompressed for this, once more than hyparquet does itself: safety first.
import { decompressPage } from 'hyparquet/src/datapage.js';
import { parquetHeader } from 'hyparquet/src/column.js';
import { getMaxDefinitionLevel, getMaxRepetitionLevel, getSchemaPath } from 'hyparquet/src/schema.js';
import { readVarInt } from 'hyparquet/src/thrift.js';

import { ReadError } from './errors.js';

// hyparquet holds one JS array per column and row group; V8 arrays stop at ~134 M elements.
const kMaxGroupRows = 64 * 1024 * 1024;
const kMaxNestedValues = 64 * 1024 * 1024;  // list elements in one column chunk
const kMaxPageBytes = 1 << 30;
// Snappy turns at most 3 input bytes into 64 output bytes.
const maxUncompressed = (codec, compressed) => (codec === 'UNCOMPRESSED' ? compressed : compressed * 22 + 64);
const bitWidth = (n) => 32 - Math.clz32(n);
const isCount = (x) => Number.isSafeInteger(x) && x >= 0;

class Damage extends Error {}

export function checkPages(bytes, metadata, name) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dataEnd = bytes.length - 8;  // pages come before the footer
  metadata.row_groups.forEach((group, g) => {
    const rows = Number(group.num_rows);
    if (!isCount(rows) || rows > kMaxGroupRows) {
      throw new ReadError(name, `row group ${g + 1} has ${group.num_rows} rows; the browser reads at most ${kMaxGroupRows} rows per row group (write the file with smaller row groups)`);
    }
    for (const chunk of group.columns) {
      const meta = chunk.meta_data;
      if (!meta) throw new ReadError(name, 'the Parquet file is damaged: a column chunk has no metadata');
      const column = meta.path_in_schema.join('.');
      try {
        if (chunk.file_path) throw new Damage('its data is in another file, which a dropped file cannot reach');
        checkChunk(view, dataEnd, metadata, meta, rows);
      } catch (e) {
        const problem = e instanceof Damage ? e.message : `its pages cannot be read (${String(e.message).replace(/^parquet /, '')})`;
        throw new ReadError(name, `the Parquet file is damaged: column ${JSON.stringify(column)}, row group ${g + 1}: ${problem}`);
      }
    }
  });
}

function checkChunk(view, dataEnd, metadata, meta, rows) {
  const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
  const end = start + Number(meta.total_compressed_size);
  if (!isCount(start) || !isCount(end)) throw new Damage('its metadata has an invalid position or size');
  if (start < 4 || end > dataEnd) throw new Damage(`its data (bytes ${start}..${end}) lies outside the file`);
  const path = getSchemaPath(metadata.schema, meta.path_in_schema);
  const maxRep = getMaxRepetitionLevel(path);
  const maxDef = getMaxDefinitionLevel(path);
  const most = maxRep ? kMaxNestedValues : rows;
  let values = 0;
  const reader = { view, offset: start };
  while (reader.offset < end - 1) {  // hyparquet's own loop condition
    const header = parquetHeader(reader);
    const packed = header.compressed_page_size;
    const unpacked = header.uncompressed_page_size;
    const body = reader.offset;
    if (!isCount(packed) || !isCount(unpacked)) throw new Damage('a page header has an invalid size');
    if (body + packed > end) throw new Damage(`a page of ${packed} bytes runs past its column chunk`);
    if (unpacked > kMaxPageBytes || unpacked > maxUncompressed(meta.codec, packed)) {
      throw new Damage(`a page claims ${unpacked} bytes when uncompressed, from ${packed} bytes`);
    }
    const raw = new Uint8Array(view.buffer, view.byteOffset + body, packed);
    if (header.dictionary_page_header) {
      const n = header.dictionary_page_header.num_values;
      // Each dictionary entry takes at least one bit.
      if (!isCount(n)) throw new Damage('a dictionary page header has an invalid value count');
      if (n > unpacked * 8 + 8) throw new Damage(`a dictionary page claims ${n} values in ${unpacked} bytes`);
    } else if (header.data_page_header || header.data_page_header_v2) {
      const v1 = header.data_page_header;
      const n = (v1 || header.data_page_header_v2).num_values;
      if (!isCount(n)) throw new Damage('a page header has an invalid value count');
      values += n;
      if (values > most) throw new Damage(`its pages hold more values (${values}) than ${maxRep ? `the browser reads (${most})` : `the row group has rows (${rows})`}`);
      if (v1) checkPageV1(decompressPage(raw, unpacked, meta.codec), v1, maxRep, maxDef);
      else checkPageV2(raw, header, meta.codec, maxRep, maxDef);
    }
    reader.offset = body + packed;
  }
}

const kDictionary = new Set(['PLAIN_DICTIONARY', 'RLE_DICTIONARY']);

// Levels are [u32 length][hybrid runs] each; dictionary indices are [bit width][runs] to the end.
function checkPageV1(page, header, maxRep, maxDef) {
  const v = new DataView(page.buffer, page.byteOffset, page.byteLength);
  const n = header.num_values;
  let at = 0;
  for (const max of [maxRep, maxDef]) {
    if (!max) continue;
    if (at + 4 > page.length) throw new Damage('a page ends inside its level data');
    const len = v.getUint32(at, true);
    checkRuns(v, at + 4, bitWidth(max), n, max);
    at += 4 + len;
  }
  if (kDictionary.has(header.encoding) && at < page.length) checkRuns(v, at + 1, v.getUint8(at), n, Infinity);
  else if (header.encoding === 'RLE' && at + 4 <= page.length) checkRuns(v, at + 4, 1, n, 1);  // booleans
}

// Version 2 keeps the levels uncompressed in front of the (maybe compressed) values.
function checkPageV2(raw, header, codec, maxRep, maxDef) {
  const h = header.data_page_header_v2;
  const n = h.num_values;
  const rLen = h.repetition_levels_byte_length || 0;
  const dLen = h.definition_levels_byte_length || 0;
  if (!isCount(rLen) || !isCount(dLen) || rLen + dLen > raw.length) throw new Damage('its level data runs past the page');
  const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  if (maxRep) checkRuns(v, 0, bitWidth(maxRep), n, maxRep);
  if (maxDef) checkRuns(v, rLen, bitWidth(maxDef), n, maxDef);
  if (!kDictionary.has(h.encoding) && h.encoding !== 'RLE') return;
  const size = header.uncompressed_page_size - rLen - dLen;
  let page = raw.subarray(rLen + dLen);
  if (h.is_compressed !== false && size) page = decompressPage(page, size, codec);
  const pv = new DataView(page.buffer, page.byteOffset, page.byteLength);
  if (h.encoding === 'RLE') checkRuns(pv, 4, 1, n, 1);
  else if (page.length) checkRuns(pv, 1, pv.getUint8(0), n, Infinity);
}

// Walks a run-length / bit-packed hybrid stream from `at` the way hyparquet reads it (same
// varint reader, same 32-bit arithmetic): until `n` values are seen or the page ends (a stated
// stream length does not stop hyparquet either). hyparquet writes every repeated value of a run
// without checking the count, so a run longer than the values left (or a level above its
// maximum) is damage.
function checkRuns(v, at, width, n, max) {
  if (width > 32) throw new Damage(`a run-length stream has a bit width of ${width}`);
  const reader = { view: v, offset: at };
  const bytes = (width + 7) >> 3;
  try {
    for (let seen = 0; seen < n; ) {
      const header = readVarInt(reader);
      if (header & 1) {
        const count = (header >> 1) << 3;
        // With no bits per value hyparquet loops `count` times without reading: a hang.
        if (width === 0 && count > n - seen) throw new Damage(`a run of ${count} values where ${n - seen} are left`);
        if (count < 0) return;  // hyparquet reads on until the page ends, then fails
        reader.offset += Math.max(1, Math.ceil((count * width) / 8));
        seen += count;
      } else {
        const count = header >>> 1;
        if (count > n - seen) throw new Damage(`a run of ${count} values where ${n - seen} are left`);
        let value = 0;
        for (let i = 0; i < bytes; i++) value += v.getUint8(reader.offset++) * 2 ** (8 * i);
        if (value > max) throw new Damage(`a level of ${value} where the most is ${max}`);
        seen += count;
      }
    }
  } catch (e) {
    if (e instanceof Damage) throw e;
    // Past the end of the page (a RangeError): hyparquet stops there with an error too.
  }
}
