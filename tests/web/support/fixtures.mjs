// Test support for the readers: byte fixtures in other encodings, Parquet files written by
// native DuckDB, and a DuckDB-wasm connection (Node blocking build) to insert Arrow tables into.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startDuckDB } from './node_env.mjs';

let gbkMap = null;

// Encodes `text` as GBK. The reverse map comes from decoding every 2-byte GBK sequence with
// the platform's own decoder, so the fixtures agree with what TextDecoder('gbk') reads back.
export function gbk(text) {
  if (!gbkMap) {
    gbkMap = new Map();
    const dec = new TextDecoder('gbk', { fatal: true });
    for (let lead = 0x81; lead <= 0xfe; lead++) {
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        if (trail === 0x7f) continue;
        let ch;
        try {
          ch = dec.decode(new Uint8Array([lead, trail]));
        } catch {
          continue;
        }
        if (ch.length === 1 && !gbkMap.has(ch)) gbkMap.set(ch, [lead, trail]);
      }
    }
  }
  const out = [];
  for (const ch of text) {
    const c = ch.codePointAt(0);
    if (c < 0x80) out.push(c);
    else {
      const pair = gbkMap.get(ch);
      if (!pair) throw new Error(`gbk(): ${JSON.stringify(ch)} has no GBK code`);
      out.push(pair[0], pair[1]);
    }
  }
  return new Uint8Array(out);
}

// UTF-16 bytes of `text`, with a byte order mark unless { bom: false }.
export function utf16(text, { bigEndian = false, bom = true } = {}) {
  const s = (bom ? '\ufeff' : '') + text;
  const out = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out[2 * i + (bigEndian ? 1 : 0)] = c & 0xff;
    out[2 * i + (bigEndian ? 0 : 1)] = c >> 8;
  }
  return out;
}

// Windows-1252 bytes of Latin-1 text (code points below 0x100 only).
export function latin1(text) {
  return Uint8Array.from(text, (ch) => {
    const c = ch.charCodeAt(0);
    if (c > 0xff) throw new Error(`latin1(): ${JSON.stringify(ch)} is not Latin-1`);
    return c;
  });
}

export const utf8 = (s) => new TextEncoder().encode(s);

let nativeConn = null;
let tmp = null;

// Writes `SELECT ...` to a Parquet file with native DuckDB; returns its bytes.
export async function parquetFromSql(select, { compression = 'snappy', rowGroupSize, parquetVersion } = {}) {
  if (!nativeConn) {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    nativeConn = await (await DuckDBInstance.create(':memory:')).connect();
    tmp = mkdtempSync(join(tmpdir(), 'segx-parquet-'));
  }
  const path = join(tmp, `f${Math.random().toString(36).slice(2)}.parquet`);
  const rg = rowGroupSize ? `, ROW_GROUP_SIZE ${rowGroupSize}` : '';
  const version = parquetVersion ? `, PARQUET_VERSION ${parquetVersion}` : '';  // V2: data page v2
  await nativeConn.run(`COPY (${select}) TO '${path}' (FORMAT parquet, COMPRESSION ${compression}${rg}${version})`);
  return new Uint8Array(readFileSync(path));
}

// DuckDB-wasm (the Node adapter of node_env.mjs) with helpers for reader tests: insert()
// creates table `name` from an apache-arrow Table (through an IPC stream, see node_env.mjs).
export async function startArrowDuckDB() {
  const duck = await startDuckDB();
  const rows = (sql) => duck.query(sql).toArray().map((r) => r.toJSON());
  return {
    conn: duck.conn,
    registerBuffer: duck.registerBuffer,
    rows,
    insert(table, name) {
      duck.query(`DROP TABLE IF EXISTS "${name}"`);
      duck.insertArrow(table, name);
    },
    // [[column, DuckDB type], ...]
    describe: (name) => rows(`DESCRIBE "${name}"`).map((r) => [r.column_name, r.column_type]),
  };
}

// Asserts that `run` (a function, sync or async) fails with a ReadError whose message is
// "<file>: ..." and matches `pattern`.
export async function rejectsWith(run, file, pattern) {
  let error = null;
  try {
    await run();
  } catch (e) {
    error = e;
  }
  if (!error) throw new Error(`expected a failure matching ${pattern}, but it succeeded`);
  if (error.name !== 'ReadError') throw error;
  const prefix = `${file}: `;
  if (!error.message.startsWith(prefix)) throw new Error(`message does not start with "${prefix}": ${error.message}`);
  if (!pattern.test(error.message)) throw new Error(`message does not match ${pattern}: ${error.message}`);
  return error;
}
