// Loads one CSV file: checks the bytes, lets DuckDB sniff and parse them into a table, then
// streams a typed projection of that table into the core. Shared by the page and Node tests.
//
// `db` is a small adapter over DuckDB-wasm (see duckdb_browser.js and the Node tests):
//   registerBuffer(fileName, Uint8Array), dropFile(fileName), query(sql) -> Arrow Table,
//   batches(sql) -> async iterable of Arrow RecordBatches.
import { ColumnType } from './core_bridge.js';

export class LoadError extends Error {}

export const quoteIdent = (s) => '"' + String(s).replace(/"/g, '""') + '"';
export const quoteLiteral = (s) => "'" + String(s).replace(/'/g, "''") + "'";

// The largest buffer DuckDB-wasm accepts through registerFileBuffer.
const kMaxFileBytes = 2 ** 31 - 1;

// Finds why bytes are not UTF-8 text, or returns null. Only the head is scanned for binary
// content; the whole file is validated as UTF-8 (TextDecoder is native and fast).
export function textProblem(bytes) {
  if (bytes.length === 0) return 'the file is empty (0 bytes)';
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    return 'the file is UTF-16 encoded; save it as UTF-8 and drop it again';
  const head = bytes.subarray(0, Math.min(bytes.length, 1 << 16));
  const nul = head.indexOf(0);
  if (nul >= 0) return `this is not a text file (a zero byte at offset ${nul}); expected CSV text`;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const bad = firstInvalidUtf8(bytes);
    const line = countLines(bytes, bad);
    const byte = bytes[bad].toString(16).toUpperCase().padStart(2, '0');
    return `the file is not valid UTF-8 (byte 0x${byte} on line ${line}); save it as UTF-8 and drop it again`;
  }
  return null;
}

function firstInvalidUtf8(b) {
  for (let i = 0; i < b.length; ) {
    const c = b[i];
    const n = c < 0x80 ? 0 : c >= 0xc2 && c < 0xe0 ? 1 : c >= 0xe0 && c < 0xf0 ? 2 : c >= 0xf0 && c < 0xf5 ? 3 : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) if (i + k >= b.length || (b[i + k] & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return 0;
}

function countLines(b, end) {
  let lines = 1;
  for (let i = 0; i < end; i++) if (b[i] === 10) lines++;
  return lines;
}

// DuckDB's sniffer does not fail on ragged rows: it picks another dialect (one column holding
// whole lines, or a later line as the header) and reads the file wrong without a word. So the
// loader compares DuckDB's column count with the header's own, and when they differ, finds the
// first line whose field count differs from the header's (quotes respected) to name it.
// Scans at most `maxLines` lines.
export function findRaggedLine(text, maxLines = 100000) {
  const nl = text.indexOf('\n');
  const header = nl < 0 ? text : text.slice(0, nl);
  let delim = null;
  let best = 0;
  for (const d of [',', ';', '\t', '|']) {
    const n = header.split(d).length - 1;
    if (n > best) (best = n), (delim = d);
  }
  if (!delim) return null;
  let line = 1, fields = 1, inQuotes = false, expected = -1;
  for (let i = 0; i <= text.length; i++) {
    const ch = i < text.length ? text[i] : '\n';
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && ch === delim) fields++;
    else if (!inQuotes && ch === '\n') {
      const blank = i === 0 || text[i - 1] === '\n' || (text[i - 1] === '\r' && text[i - 2] === '\n') || i === text.length;
      if (!blank || expected < 0) {
        if (expected < 0) expected = fields;
        else if (fields !== expected) return { line, fields, expected, delimiter: delim };
      }
      if (++line > maxLines) return null;
      fields = 1;
    }
  }
  return null;
}

// DuckDB type -> [projection SQL for column c, core column type]. Everything is cast to one of
// three Arrow layouts (BIGINT, DOUBLE, VARCHAR) so the bridge stays small.
export function projectionFor(column, duckType) {
  const c = quoteIdent(column);
  const t = duckType.toUpperCase();
  if (t === 'BOOLEAN') return [`CAST(${c} AS BIGINT)`, ColumnType.Bool];
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|UTINYINT|USMALLINT|UINTEGER)$/.test(t)) return [`CAST(${c} AS BIGINT)`, ColumnType.Int64];
  if (/^(UBIGINT|HUGEINT|UHUGEINT|FLOAT|DOUBLE|REAL)$/.test(t) || t.startsWith('DECIMAL')) return [`CAST(${c} AS DOUBLE)`, ColumnType.Double];
  if (t === 'DATE') return [`epoch_us(CAST(${c} AS TIMESTAMP))`, ColumnType.Date];
  if (t.startsWith('TIMESTAMP')) return [`epoch_us(${c})`, ColumnType.Timestamp];
  return [`CAST(${c} AS VARCHAR)`, ColumnType.String];
}

// Turns a DuckDB error into one readable sentence about the file.
export function explainDuckDBError(err) {
  const text = String(err && err.message ? err.message : err);
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  const columns = text.match(/Expected Number of Columns:\s*(\d+)\s*Found:\s*(\d+)/i);
  const line = text.match(/(?:line|Line)\s*:?\s*(\d+)/);
  if (columns) {
    return `row ${line ? 'on line ' + line[1] + ' ' : ''}has ${columns[2]} fields where the header has ${columns[1]} (ragged rows)`;
  }
  if (/unterminated quote|quote.*not terminated/i.test(text)) return `a quoted value is never closed${line ? ' (line ' + line[1] + ')' : ''}`;
  let first = lines[0] || 'unknown error';
  first = first.replace(/^(Invalid Input Error|Conversion Error|IO Error|Binder Error|Parser Error):\s*/i, '');
  return first.length > 300 ? first.slice(0, 300) + '…' : first;
}

let uploadCounter = 0;

// Loads `bytes` as CSV source `name`. Resolves to { name, rows, columns } or throws LoadError;
// either way the core's state says what happened (a failed load keeps the earlier data).
export async function loadCsv({ db, bridge, name, bytes, demo = false, onStep = () => {} }) {
  if (bytes.length > kMaxFileBytes) {
    const msg = `the file is ${(bytes.length / 2 ** 30).toFixed(1)} GB; the browser build reads files up to 2 GB`;
    bridge.failSource(name, msg);
    throw new LoadError(`${name}: ${msg}`);
  }
  const handle = bridge.beginSource(name, bytes.length, demo);
  const ms = {};  // milliseconds per stage, returned for benchmarks
  let t = performance.now();
  const lap = (stage) => {
    const now = performance.now();
    ms[stage] = (ms[stage] || 0) + (now - t);
    t = now;
  };
  const fileName = `segx_upload_${++uploadCounter}.csv`;
  let registered = false;
  // Parsed into a staging table first: a failed reload leaves DuckDB's earlier table as it was,
  // just as the core keeps its earlier copy.
  const staging = quoteIdent(name + '.loading');
  try {
    const problem = textProblem(bytes);
    if (problem) throw new LoadError(problem);
    // registerBuffer hands the bytes to the worker (detaching them in the browser): keep the head.
    const head = new TextDecoder().decode(bytes.subarray(0, 16 << 20));
    lap('check');
    bridge.progress(name, 'parsing', 0.1);
    await onStep();
    lap('yield');
    await db.registerBuffer(fileName, bytes);
    registered = true;
    lap('register');
    try {
      await db.query(`CREATE OR REPLACE TABLE ${staging} AS SELECT * FROM read_csv_auto(${quoteLiteral(fileName)})`);
    } catch (e) {
      throw new LoadError(explainDuckDBError(e));
    }
    lap('parse');
    const described = (await db.query(`DESCRIBE ${staging}`)).toArray().map((r) => [String(r.column_name), String(r.column_type)]);
    if (described.length === 0) throw new LoadError('no columns were found');
    const ragged = findRaggedLine(head);
    if (ragged && ragged.expected !== described.length) {
      const d = ragged.delimiter === '\t' ? 'tab' : `"${ragged.delimiter}"`;
      throw new LoadError(`line ${ragged.line} has ${ragged.fields} fields where the header has ${ragged.expected} (ragged rows, separator ${d})`);
    }
    const total = Number((await db.query(`SELECT count(*)::DOUBLE AS n FROM ${staging}`)).getChildAt(0).get(0));
    const cols = described.map(([col, type]) => {
      const [sql, coreType] = projectionFor(col, type);
      return { name: col, duckType: type, sql, coreType, index: bridge.addColumn(handle, col, coreType) };
    });
    const select = `SELECT ${cols.map((c) => c.sql).join(', ')} FROM ${staging}`;
    let rows = 0;
    lap('describe');
    for await (const batch of db.batches(select)) {
      lap('query');
      cols.forEach((c, i) => {
        for (const data of batch.getChildAt(i).data) bridge.appendData(handle, c.index, c.coreType, data, c.name);
      });
      rows += batch.numRows;
      lap('copy');
      bridge.progress(name, 'transferring', 0.2 + 0.8 * (total ? rows / total : 1));
      await onStep();
      lap('yield');
    }
    bridge.endSource(handle, rows);
    lap('finish');
    await db.query(`DROP TABLE IF EXISTS ${quoteIdent(name)}`);
    await db.query(`ALTER TABLE ${staging} RENAME TO ${quoteIdent(name)}`);
    lap('rename');
    return { name, rows, columns: cols.map((c) => ({ name: c.name, type: c.duckType })), ms };
  } catch (e) {
    const message = e instanceof LoadError ? e.message : explainDuckDBError(e);
    bridge.failSource(name, message);
    throw new LoadError(`${name}: ${message}`);
  } finally {
    try {
      await db.query(`DROP TABLE IF EXISTS ${staging}`);
      if (registered) await db.dropFile(fileName);
    } catch {
      // Only a staging copy is left behind; the loaded data is unaffected.
    }
  }
}
