// Loads one dropped file end to end, shared by the page and the Node tests:
//   bytes -> readers (encoding, CSV / JSON / Parquet) -> a DuckDB relation named after the file
//   -> the first rows for the Data panel (column figures when it asks)
//   -> the mapping's SQL projection, streamed into the core's model as a mapped source.
// A CSV's relation is a VIEW over read_csv of the registered file, with the options DuckDB's
// sniffer chose fixed at load: DuckDB keeps no copy of the rows, and the one pass that maps the
// file into the core is DuckDB's parse of it (no CREATE TABLE first, no second scan). JSON and
// Parquet (already Arrow tables in JS) become tables. The core drops a source's rows once the
// model is built (src/app/session.h); fillModel streams its mapped rows again from the relation
// (the view reads the file again) when another file's change needs a rebuild.
// A failure at any step leaves what was loaded before untouched (staging relation, core keeps
// its earlier copy) and says what went wrong, naming the file.
//
// `db` is the small adapter over DuckDB-wasm made by duckdb_browser.js or the Node tests:
//   registerBuffer(fileName, bytes), registerBlob?(fileName, blob) (the page: a File read lazily
//   by DuckDB's worker, never copied into its heap), dropFile(fileName), query(sql) -> Arrow
//   Table, batches(sql) -> async iterable of RecordBatches, insertArrow(table, tableName).
import { ColumnType } from './core_bridge.js';
import { internalFile, internalTable } from './duckdb_lock.js';
import {
  LoadError, explainDuckDBError, findLongLine, findRaggedLine, findUnclosedQuote, kMaxLineBytes, projectionFor, quoteIdent, quoteLiteral,
} from './load_support.js';
import { inferMapping, mappingSql, statusCandidate, validateMapping } from './mapping.js';
import { readSource } from './readers/index.js';

const kPreviewRows = 1000;
// Exact distinct counts up to this many rows; DuckDB's HyperLogLog estimate above.
const kExactDistinctRows = 200_000;
let uploadCounter = 0;

const intType = { bool: ColumnType.Bool, int: ColumnType.Int64, date: ColumnType.Date, timestamp: ColumnType.Timestamp };

// lazyStats: the columns' null and distinct counts wait until the Data panel asks (columnStats,
// through web/loads.js stats). The page loads so; tests read them at once.
// `blob`: the file as a Blob (the page's File), which a CSV in UTF-8 registers as it is.
// `fromHead`: `bytes` are only the head of `blob`, a CSV in UTF-8 (web/csv_head.js). The pass
// that maps it checks the rest; when the rest is not what the head promised, the load throws
// RetryWhole, having said nothing, and the caller loads the file whole.
export async function loadSource({ db, bridge, name, bytes, blob, fromHead = false, demo = false, encoding, mapping, savedMapping, lazyStats = false, onStep = () => {}, isCancelled = () => false }) {
  const handle = bridge.beginSource(name, fromHead ? blob.size : bytes.length, demo);
  const ms = {};  // milliseconds per stage, for benchmarks
  let t = performance.now();
  const lap = (stage) => {
    const now = performance.now();
    ms[stage] = (ms[stage] || 0) + (now - t);
    t = now;
  };
  const checkCancel = () => {
    if (isCancelled()) throw new LoadError('the load was cancelled');
  };
  // Internal names hold a slash, which no file name does (web/duckdb_lock.js).
  const staging = internalTable(`loading/${++uploadCounter}`);
  const fileName = internalFile(`upload_${uploadCounter}`);
  let registered = false;  // fileName, until the file's relation owns it
  try {
    let read;
    try {
      read = await readSource(name, bytes, { encoding });
    } catch (e) {
      throw new LoadError(e.problem || String(e.message || e));
    }
    lap('read');
    bridge.progress(name, 'parsing', 0.1);
    await onStep();
    checkCancel();
    let csv = null;  // {view, columns}: how the CSV reads
    if (read.csvBytes) {
      // A zero byte anywhere (not only near the start) means binary data, or text in another
      // encoding: never let one reach an event name or a user id.
      const nul = read.csvBytes.indexOf(0);
      if (nul >= 0) {
        throw new LoadError(`this is not a text file: a zero byte at offset ${nul} (line ${lineAt(read.csvBytes, nul)}); ` +
          'expected CSV text (UTF-16 text without a byte order mark: choose UTF-16 in the encoding menu)');
      }
      const long = findLongLine(read.csvBytes);
      if (long) {
        throw new LoadError(`line ${long.line} is ${(long.bytes / 1e6).toFixed(1)} MB long without a line break (at most ` +
          `${kMaxLineBytes.toLocaleString('en-US')} bytes per line); expected CSV text with one row per line`);
      }
      // registerBuffer hands the bytes to the worker (detaching them in the browser): keep the head.
      const head = new TextDecoder().decode(read.csvBytes.subarray(0, 16 << 20));
      const wide = headerFields(head);
      if (wide > kMaxColumns) {
        throw new LoadError(`the header has ${wide.toLocaleString('en-US')} columns; segx reads at most ${kMaxColumns.toLocaleString('en-US')} ` +
          'columns per file (keep the columns you need, or check the separator)');
      }
      read.csvSize = fromHead ? blob.size : read.csvBytes.length;
      const unclosed = read.csvSize <= 16 << 20 && findUnclosedQuote(head);
      if (unclosed) throw new LoadError(`a quoted value is never closed (the quote opens on line ${unclosed.line})`);
      read.head = head;
      await registerCsv(db, fileName, read.csvBytes, fromHead ? blob : csvBlob(blob, bytes, read.csvBytes));
      read.csvBytes = null;
      registered = true;
      try {
        csv = await csvView(db, fileName);
      } catch (e) {
        // DuckDB's sniffer gives up on a file whose rows do not all have the header's fields
        // ("no separator fits"): say which line is short or long instead.
        const explained = explainDuckDBError(e);
        const ragged = findRaggedLine(head);
        if (ragged) throw new LoadError(/^this does not read as CSV/.test(explained) ? `${explained.replace(/\s*\(is it a text export\?\)$/, '')}: ${raggedText(ragged)}` : raggedText(ragged));
        throw new LoadError(explained);
      }
      await db.query(`CREATE OR REPLACE VIEW ${quoteIdent(staging)} AS ${csv.view}`);
    } else {
      await dropRelation(db, staging);
      await db.insertArrow(read.table, staging);
      read.table = null;
    }
    lap('parse');
    const columns = csv ? csv.columns : await describe(db, staging);
    if (columns.length === 0) throw new LoadError('no columns were found');
    if (read.head) addSniffedTimeFormats(columns, csv.formats, read.head);
    if (read.head) {
      const ragged = findRaggedLine(read.head);
      // DuckDB names the columns itself (column0, column1, …) when it read the first line as a row:
      // with rows of other widths, or another separator than the first line's, that is a file
      // whose lines do not agree (mixed separators), not a file without a header.
      const invented = columns.every((c, i) => c.name === `column${i}` || c.name === `column${String(i).padStart(String(columns.length - 1).length, '0')}`);
      if (ragged && (ragged.expected !== columns.length || invented)) throw new LoadError(raggedText(ragged));
    }
    if (read.warning) bridge.status('warning', `${name}: ${read.warning}`);
    // A CSV's rows are counted by the pass that maps them (below); a table knows its count.
    let stats = lazyStats ? (csv ? null : await rowCount(db, staging)) : await columnStats(db, staging, columns);
    lap('stats');
    checkCancel();

    // The Data panel's preview: the first rows, typed as the core shows them.
    const cols = columns.map((c) => {
      const [sql, coreType] = projectionFor(c.name, c.type);
      return { ...c, sql, coreType, index: bridge.addColumn(handle, c.name, coreType) };
    });
    let previewRows = 0;
    const preview = `SELECT ${cols.map((c) => c.sql).join(', ')} FROM ${quoteIdent(staging)} LIMIT ${kPreviewRows}`;
    for await (const batch of db.batches(preview)) {
      cols.forEach((c, i) => {
        for (const data of batch.getChildAt(i).data) bridge.appendData(handle, c.index, c.coreType, data, c.name);
      });
      previewRows += batch.numRows;
    }
    lap('preview');

    // The mapping: given, else the one saved for this file name if it still fits, else inferred.
    let m = mapping;
    if (!m && savedMapping && validateMapping({ ...savedMapping, source: name }, columns).length === 0) m = { ...savedMapping, source: name };
    if (!m) {
      // A status column's values decide whether it marks refunds: look at a few distinct ones.
      const status = statusCandidate(columns);
      const samples = {};
      if (status) {
        const rows = (await db.query(`SELECT DISTINCT CAST(${quoteIdent(status)} AS VARCHAR) AS v FROM ${quoteIdent(staging)} WHERE ${quoteIdent(status)} IS NOT NULL LIMIT 200`)).toArray();
        samples[status] = rows.map((r) => String(r.v));
      }
      m = inferMapping(name, columns, samples);
    }
    // The one pass: the mapping's projection streamed into the core straight from the staging
    // relation (for a CSV, DuckDB parsing the file). The file replaces an earlier version only
    // after it (a file DuckDB cannot read to the end keeps the earlier one). Until the pass has
    // counted the rows, the progress bar estimates them from the first lines.
    const estimate = stats ? stats.rows : estimateRows(read.head, Math.min(read.csvSize, 16 << 20), read.csvSize);
    const result = await applyMapping({ db, bridge, name, relation: staging, mapping: m, columns, total: estimate, readErrorsFail: !!csv, fromHead, onStep, isCancelled });
    Object.assign(ms, result.ms);
    t = performance.now();
    // The pass read every row once when the mapping neither filters nor repeats rows.
    if (!stats) stats = { rows: result.ok && result.fileRows !== undefined ? result.fileRows : (await rowCount(db, staging)).rows };
    bridge.endSource(handle, previewRows);
    await dropSource(db, name);
    await db.query(`ALTER ${csv ? 'VIEW' : 'TABLE'} ${quoteIdent(staging)} RENAME TO ${quoteIdent(name)}`);
    if (registered) {
      relationFiles(db).set(name, fileName);
      registered = false;
    }
    bridge.info(name, {
      format: read.format,
      encoding: read.encoding || '',
      encoding_note: read.detected && read.detected.reason && read.encoding !== 'utf-8' ? read.detected.reason : '',
      total_rows: stats.rows,
      ...(stats.columns ? { stats: stats.columns, stats_exact: stats.exact } : {}),
    });
    lap('rest');
    const enc = read.encoding && read.encoding !== 'utf-8' ? `, ${read.encoding}` : '';
    // The status line's words come from the interface's tables (bridge.tr), in its language.
    const rowsOf = (n) => bridge.tr(n === 1 ? 'n_row' : 'n_rows', n.toLocaleString('en-US'));
    const loaded = bridge.tr('msg_loaded_file', name, rowsOf(stats.rows), `${read.format}${enc}`);
    const kind = bridge.tr(`kind_${m.kind}`);
    const rejects = result.ok && (bridge.state('sources').find((s) => s.name === name) || {}).rejects;
    if (!result.ok) bridge.ready(name, bridge.tr('msg_loaded_mapping_attention', loaded));
    else if (!rejects || !rejects.total) bridge.ready(name, bridge.tr('msg_loaded_mapped', loaded, kind));
    else {
      // Rejected rows are listed on the file's Rejected rows tab; the status says how many and why.
      const why = rejects.reasons.map((r) => `${r.count.toLocaleString('en-US')} ${bridge.shown(r.reason)}`).join(bridge.tr('msg_list_sep'));
      const none = rejects.kept === 0;
      bridge.ready(name, none ? '' : bridge.tr('msg_loaded_rejected', loaded, kind, rowsOf(rejects.total), why));
      if (none) bridge.status('warning', bridge.tr('msg_no_rows_loaded', name, rejects.read.toLocaleString('en-US'), why));
    }
    return { name, rows: stats.rows, format: read.format, encoding: read.encoding, columns, mapping: m, mapped: result, ms };
  } catch (e) {
    // DuckDB failing to read the file past the head (bytes that are not UTF-8, a line too
    // long, a broken row): the whole file's load decides what it is, and words it.
    if (fromHead && (e instanceof RetryWhole || isReadError(e))) {
      bridge.abandonSource(name);
      throw new RetryWhole();
    }
    const message = e instanceof LoadError ? e.message : explainDuckDBError(e);
    bridge.failSource(name, message);
    throw new LoadError(`${name}: ${message}`);
  } finally {
    try {
      await dropRelation(db, staging);
      if (registered) await db.dropFile(fileName);
    } catch {
      // Only a staging copy is left behind; the loaded data is unaffected.
    }
  }
}

// Registers a CSV's UTF-8 bytes under `fileName`: as a Blob when the adapter can (the page:
// DuckDB's worker reads it lazily, nothing lands in its heap), else as a buffer (the Node tests:
// a copy in DuckDB's heap for as long as the file stays loaded).
async function registerCsv(db, fileName, csvBytes, blob) {
  if (db.registerBlob) await db.registerBlob(fileName, blob || new Blob([csvBytes]));
  else await db.registerBuffer(fileName, csvBytes);
}

// The Blob that holds exactly `csvBytes`: the file itself when it is UTF-8 already (less its
// byte order mark: a slice, not a copy), null when the text was converted (another encoding,
// or bad bytes replaced) and only the converted bytes hold it.
function csvBlob(blob, bytes, csvBytes) {
  if (!blob || typeof blob.slice !== 'function' || blob.size !== bytes.length || csvBytes.buffer !== bytes.buffer) return null;
  const skipped = csvBytes.byteOffset - bytes.byteOffset;
  return skipped === 0 && csvBytes.length === bytes.length ? blob : blob.slice(skipped, skipped + csvBytes.length);
}

// How DuckDB reads a registered CSV, decided once: its sniffer's dialect and column types
// (sniff_csv, the same sniffer read_csv_auto runs), fixed in a read_csv call that every later
// query of the view runs without sniffing again. A column of integers past 2^53 is read as text
// (rereadBigIntegers). Returns {view: SELECT text, columns: [{name, type}], formats}.
async function csvView(db, fileName) {
  const sniff = async (types) => {
    const args = types ? `, types = ${types}` : '';
    const r = (await db.query(`SELECT * FROM sniff_csv(${quoteLiteral(fileName)}${args})`)).toArray()[0].toJSON();
    const columns = [...r.Columns].map((c) => ({ name: String(c.name), type: String(c.type) }));
    // The options sniff_csv's own Prompt names, each quoted here: its Prompt does not escape
    // quotes in column names. "(empty)" is how it says "none".
    const text = (v) => quoteLiteral(v == null || String(v) === '(empty)' ? '' : String(v));
    const options = [
      'auto_detect = false', `delim = ${text(r.Delimiter)}`, `quote = ${text(r.Quote)}`, `escape = ${text(r.Escape)}`,
      `new_line = ${text(r.NewLineDelimiter)}`, `skip = ${Number(r.SkipRows) || 0}`, `comment = ${text(r.Comment)}`,
      `header = ${r.HasHeader ? 'true' : 'false'}`,
      `columns = {${columns.map((c) => `${quoteLiteral(c.name)}: ${quoteLiteral(c.type)}`).join(', ')}}`,
      ...(r.DateFormat != null ? [`dateformat = ${text(r.DateFormat)}`] : []),
      ...(r.TimestampFormat != null ? [`timestampformat = ${text(r.TimestampFormat)}`] : []),
    ];
    return {
      view: `SELECT * FROM read_csv(${quoteLiteral(fileName)}, ${options.join(', ')})`,
      columns,
      formats: { date: r.DateFormat == null ? null : String(r.DateFormat), timestamp: r.TimestampFormat == null ? null : String(r.TimestampFormat) },
    };
  };
  const first = await sniff();
  const big = await bigIntegerColumns(db, first.view, first.columns);
  if (!big.length) return first;
  return sniff('{' + big.map((c) => `${quoteLiteral(c.name)}: 'VARCHAR'`).join(', ') + '}');
}

// More columns than any export people analyse has: DuckDB's CSV sniffer needs memory per column
// per candidate dialect, and 10,000 columns exhaust the browser's before it says anything.
export const kMaxColumns = 2000;

// The number of fields of the header line (the separator it uses most; quotes respected).
function headerFields(head) {
  const end = head.search(/\r?\n|\r/);
  const line = end < 0 ? head : head.slice(0, end);
  let best = 1;
  for (const d of [',', ';', '\t', '|']) {
    let n = 1, quoted = false;
    for (const ch of line) {
      if (ch === '"') quoted = !quoted;
      else if (ch === d && !quoted) n++;
    }
    best = Math.max(best, n);
  }
  return best;
}

const raggedText = (r) => {
  const d = r.delimiter === '\t' ? 'tab' : `"${r.delimiter}"`;
  return `line ${r.line} has ${r.fields} ${r.fields === 1 ? 'field' : 'fields'} where the header has ${r.expected} (ragged rows, separator ${d})`;
};

// 1-based line of byte `offset`.
function lineAt(bytes, offset) {
  let line = 1;
  for (let i = bytes.indexOf(0x0a); i >= 0 && i < offset; i = bytes.indexOf(0x0a, i + 1)) line++;
  return line;
}

// Reads a loaded file into a fresh DuckDB again (after DuckDB-wasm trapped and was restarted,
// web/duckdb_browser.js): the same relation under the file's name, as the load made it (for a
// CSV, the view over the file registered again). The core, which holds the model, is not touched.
export async function restoreTable({ db, name, bytes, blob, encoding }) {
  const read = await readSource(name, bytes, { encoding });
  const staging = internalTable(`loading/${++uploadCounter}`);
  const fileName = internalFile(`upload_${uploadCounter}`);
  if (read.csvBytes) {
    await registerCsv(db, fileName, read.csvBytes, csvBlob(blob, bytes, read.csvBytes));
    try {
      await db.query(`CREATE OR REPLACE VIEW ${quoteIdent(staging)} AS ${(await csvView(db, fileName)).view}`);
    } catch (e) {
      await db.dropFile(fileName);
      throw e;
    }
  } else {
    await db.insertArrow(read.table, staging);
  }
  await dropSource(db, name);
  await db.query(`ALTER ${read.csvBytes ? 'VIEW' : 'TABLE'} ${quoteIdent(staging)} RENAME TO ${quoteIdent(name)}`);
  if (read.csvBytes) relationFiles(db).set(name, fileName);
}

// The registered file behind each CSV's view, per DuckDB adapter: dropped with the view.
const filesByDb = new WeakMap();
function relationFiles(db) {
  if (!filesByDb.has(db)) filesByDb.set(db, new Map());
  return filesByDb.get(db);
}

// Drops a relation the loader made, a view (CSV) or a table (JSON, Parquet), if it exists.
async function dropRelation(db, name) {
  try {
    await db.query(`DROP VIEW IF EXISTS ${quoteIdent(name)}`);
  } catch {
    // "is of type Table": a table by that name
    await db.query(`DROP TABLE IF EXISTS ${quoteIdent(name)}`);
  }
}

// Drops a loaded file's relation and the registered file a CSV's view reads.
export async function dropSource(db, name) {
  await dropRelation(db, name);
  const files = relationFiles(db);
  const file = files.get(name);
  if (file === undefined) return;
  files.delete(name);
  await db.dropFile(file);
}

// The columns of a relation, as DESCRIBE gives them.
async function describe(db, relation) {
  return (await db.query(`DESCRIBE ${quoteIdent(relation)}`)).toArray().map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
}

// Rows of a CSV estimated from its first lines (`head`, the text of its first `headBytes`
// bytes), for the progress bar before the pass counts them.
function estimateRows(head, headBytes, size) {
  if (!head) return 0;
  let lines = 0;
  for (let i = head.indexOf('\n'); i >= 0; i = head.indexOf('\n', i + 1)) lines++;
  return lines > 1 ? Math.max(1, Math.round(((lines - 1) * size) / headBytes)) : 1;
}

// DuckDB's sniffer types a column of 20-digit integers (ids: order numbers, device ids) as
// DOUBLE or HUGEINT, and the projection to the core makes doubles of them: 12345678901234567890
// and 12345678901234567891 become one user. A column holding an integer past 2^53 is read as
// text, which keeps every digit. Returns those columns. Reads the whole file once, but only
// when the sniffer typed a column so (amounts, mostly).
async function bigIntegerColumns(db, select, columns) {
  const wide = columns.filter((c) => /^(DOUBLE|FLOAT|REAL|HUGEINT|UHUGEINT|UBIGINT)$/i.test(c.type) || /^DECIMAL/i.test(c.type));
  if (!wide.length) return [];
  const probes = wide.map((c) => {
    const q = `TRY_CAST(${quoteIdent(c.name)} AS DOUBLE)`;
    return `coalesce(bool_or(abs(${q}) > 9007199254740992 AND ${q} = trunc(${q})), false)`;
  });
  const flags = Object.values((await db.query(`SELECT ${probes.join(', ')} FROM (${select})`)).toArray()[0].toJSON());
  return wide.filter((c, i) => flags[i] === true);
}

// DuckDB's sniffer reads every DATE column of a CSV with one strftime format, and every
// TIMESTAMP column with another ("01/02/2024" as "%d/%m/%Y"). The format is kept on the column
// ({name, type, format}) so that a mapping with an explicit day/month order can turn such a
// column back into the text it was read from (mapping.js); only when the file's first lines hold
// a day-month-year date such as "01/02/2024". Without a format, typed times are read as DuckDB
// typed them.
function addSniffedTimeFormats(columns, formats, head) {
  if (!columns.some((c) => /^(DATE|TIMESTAMP)$/i.test(c.type))) return;
  if (!/(^|[^\d])\d{1,2}[-/.]\d{1,2}[-/.]\d{4}($|[^\d])/m.test(head.slice(0, 1 << 16))) return;
  for (const c of columns) {
    const format = /^DATE$/i.test(c.type) ? formats.date : /^TIMESTAMP$/i.test(c.type) ? formats.timestamp : null;
    if (format) c.format = format;
  }
}

// The relation's row count (a table keeps it; a CSV's view reads the file).
async function rowCount(db, table) {
  return { rows: Number((await db.query(`SELECT count(*)::DOUBLE AS n FROM ${quoteIdent(table)}`)).getChildAt(0).get(0)) };
}

// Null and distinct counts of every column in one scan.
export async function columnStats(db, table, columns) {
  const { rows } = await rowCount(db, table);
  const distinct = rows <= kExactDistinctRows ? (c) => `count(DISTINCT ${c})` : (c) => `approx_count_distinct(${c})`;
  const parts = columns.flatMap((c) => {
    const q = quoteIdent(c.name);
    return [`(count(*) - count(${q}))::DOUBLE`, `${distinct(q)}::DOUBLE`];
  });
  const r = (await db.query(`SELECT ${parts.join(', ')} FROM ${quoteIdent(table)}`)).toArray()[0];
  const values = r ? Object.values(r.toJSON()).map(Number) : [];
  return {
    rows,
    exact: rows <= kExactDistinctRows,
    columns: columns.map((c, i) => ({ nulls: values[2 * i] || 0, distinct: values[2 * i + 1] || 0 })),
  };
}

// Runs a mapping over a loaded file and hands the rows to the core as a mapped source.
// Problems (validation, or DuckDB refusing an expression) are stored on the source and
// returned; the earlier mapped source stays until a mapping succeeds. Then the other files'
// rows the rebuild needs are streamed again (fillModel), unless a load job holds the model.
// `relation`: the DuckDB relation to read (a load's staging one; the file's own by default).
// `readErrorsFail`: a load's pass over a CSV's view is DuckDB's first full read of the file, so
// a row DuckDB cannot read (a value that does not fit its column's type, a ragged row past the
// sniffer's sample) fails the load, as the file's problem, not the mapping's.
// Resolves to {ok, rows, fileRows?, ms}: fileRows, the file's rows, when the pass read each once.
export async function applyMapping({ db, bridge, name, relation = name, mapping, columns, total = 0, readErrorsFail = false, fromHead = false, onStep = () => {}, isCancelled = () => false }) {
  const ms = {};
  let t = performance.now();
  const problems = validateMapping(mapping, columns);
  if (problems.length) {
    bridge.info(name, { mapping, problems });
    bridge.status('warning', bridge.tr('msg_mapping_attention', name, bridge.shown(problems[0])));
    return { ok: false, problems, ms };
  }
  let streamed;
  try {
    streamed = await streamMapped({ db, bridge, name, relation, mapping, columns, total, fromHead, onStep, isCancelled });
  } catch (e) {
    if (e instanceof LoadError || e instanceof RetryWhole) throw e;
    if (fromHead && isReadError(e)) throw new RetryWhole();
    const problem = await mappingProblem(db, mapping, relation, e);
    if (readErrorsFail && problem.startsWith('the mapping could not run: ') && isReadError(e)) throw new LoadError(explainDuckDBError(e));
    bridge.info(name, { mapping, problems: [problem] });
    bridge.status('warning', `${name}: ${bridge.shown(problem)}`);
    return { ok: false, problems: [problem], ms };
  }
  ms.map = performance.now() - t;
  // `columns` with `applied`: what streams this file again when another one changes.
  bridge.info(name, { mapping, applied: mapping, problems: [], columns });
  if (!bridge.held) await fillModel({ db, bridge, onStep });
  return { ok: true, rows: streamed.rows, ...(streamed.fileRows ? { fileRows: streamed.rows } : {}), ms };
}

// True when a text value of `batch` holds a zero byte (its columns' UTF-8 bytes searched whole).
function hasZeroByte(batch) {
  for (let i = 0; i < batch.numCols; i++)
    for (const data of batch.getChildAt(i).data)
      if (data.valueOffsets && data.values instanceof Uint8Array && data.values.indexOf(0) >= 0) return true;
  return false;
}

// A load from a file's head whose rest turned out not clean (web/csv_head.js): load it whole.
export class RetryWhole extends Error {
  constructor() {
    super('the file is read again whole');
  }
}

// DuckDB's CSV reader failing on the file itself (not on an expression of the mapping).
const isReadError = (e) => /CSV Error|CSV file|Invalid unicode|sniff/i.test(String(e && e.message ? e.message : e));

// The mapping's projection streamed into the core as the file's mapped source: the rows kept.
// Throws (after aborting the source) on a cancel or when DuckDB refuses the query. Resolves to
// {rows, fileRows}: fileRows when each of the file's rows gave one row (no filter, no refunds).
// `restream`: the rows of a file the core released (fillModel), which keep its place in load order.
// `fromHead` (see loadSource): the values are searched for zero bytes, which a whole load refuses.
async function streamMapped({ db, bridge, name, relation = name, mapping, columns, total = 0, stage = 'mapping', restream = false, fromHead = false, onStep = () => {}, isCancelled = () => false }) {
  const { sql, outputs, fileRows } = mappingSql(mapping, columns, relation);
  const byRole = (role) => outputs.findIndex((o) => o.role === role);
  const order = mapping.kind === 'users'
    ? [byRole('user_id'), ...outputs.map((o, i) => (o.role === 'column' ? i : -1)).filter((i) => i >= 0)]
    : [byRole('user_id'), byRole('time'), byRole('event'), byRole('revenue'), byRole('order_id'),
       ...outputs.map((o, i) => (o.role === 'column' ? i : -1)).filter((i) => i >= 0)];
  const timeOut = outputs[byRole('time')];
  const spec = {
    name,
    kind: mapping.kind,
    time_format: mapping.time_format || 'auto',
    time_is_epoch_us: !!timeOut && timeOut.layout === 'epoch_us',
    tz_offset_minutes: mapping.tz_offset_minutes || 0,
    constant_event: mapping.kind === 'orders' ? 'purchase' : mapping.event ? '' : mapping.event_constant || '',
    revenue_required: mapping.kind === 'orders',
    columns: mapping.columns || [],
    restream,
    // Reserved up front by the core, so that its columns do not grow by doubling past them.
    expected_rows: Math.max(0, Math.round(total || 0)),
  };
  const layout = order.map((i) => (i < 0 ? null : { index: i, layout: outputs[i].layout, intType: intType[outputs[i].type] ?? ColumnType.Int64 }));
  const h = bridge.modelBegin(spec);
  let rows = 0;
  const started = performance.now();
  try {
    for await (const batch of db.batches(sql)) {
      if (isCancelled()) throw new LoadError('the load was cancelled');
      if (fromHead && hasZeroByte(batch)) throw new RetryWhole();
      bridge.modelAppend(h, batch, layout);
      rows += batch.numRows;
      const seconds = (performance.now() - started) / 1000;
      if (stage) bridge.progress(name, stage, total ? Math.min(1, rows / total) : 1, seconds > 0.2 ? rows / seconds : 0);
      await onStep();
    }
    bridge.modelFinish(h);
  } catch (e) {
    bridge.modelAbort(h);
    throw e;
  }
  return { rows, fileRows };
}

// Streams again, from their DuckDB tables, the mapped rows of every file the model's rebuild
// needs (the core drops a source's rows once the model is built: src/app/session.h), then lets
// the core rebuild. The old model is freed before they stream (its tabs keep their last answers
// until the rebuild), so that the heap never holds it beside them. A file that cannot be read
// again leaves the model, said in the status bar. Returns the names streamed.
export async function fillModel({ db, bridge, onStep = () => {} }) {
  const missing = bridge.missingSources();
  if (!missing.length) return [];
  bridge.holdModel();
  try {
    bridge.dropModel();
    for (const m of missing) {
      // The file shows as loading (stage and bar) while its rows come again; not cancellable:
      // the model needs them.
      bridge.busy(m.name, 'mapping');
      try {
        if (!m.mapping) throw new Error('no mapping was applied');
        await streamMapped({ db, bridge, name: m.name, mapping: { ...m.mapping, source: m.name }, columns: m.columns || [], total: m.total_rows || 0, restream: true, onStep });
      } catch (e) {
        bridge.modelRemove(m.name);
        bridge.status('error', bridge.tr('msg_restream_failed', m.name, bridge.shown(explainDuckDBError(e))));
      } finally {
        bridge.ready(m.name, '');
      }
    }
  } finally {
    bridge.releaseModel();
  }
  return missing.map((m) => m.name);
}

// The first rows of a mapping's projection, for the mapping panel's live preview.
export async function previewMapping({ db, bridge, name, mapping, columns, limit = 50 }) {
  const problems = validateMapping(mapping, columns);
  bridge.info(name, { mapping, problems });
  if (problems.length) return { ok: false, problems };
  const { sql, outputs } = mappingSql(mapping, columns, name);
  const h = bridge.mappedPreviewBegin(name);
  try {
    const kinds = outputs.map((o) => {
      const coreType = o.role === 'time' && o.layout === 'epoch_us' ? ColumnType.Timestamp
        : o.layout === 'double' ? ColumnType.Double : o.layout === 'int64' ? (intType[o.type] ?? ColumnType.Int64) : ColumnType.String;
      return { coreType, index: bridge.addColumn(h, o.role === 'column' ? o.name : o.role, coreType) };
    });
    let rows = 0;
    for await (const batch of db.batches(`${sql} LIMIT ${limit}`)) {
      kinds.forEach((k, i) => {
        for (const data of batch.getChildAt(i).data) bridge.appendData(h, k.index, k.coreType, data, outputs[i].role);
      });
      rows += batch.numRows;
    }
    bridge.endSource(h, rows);
    return { ok: true, rows };
  } catch (e) {
    const problem = await mappingProblem(db, mapping, name, e);
    bridge.info(name, { mapping, problems: [problem] });
    return { ok: false, problems: [problem] };
  }
}

// DuckDB's refusal of a mapping's query as a problem, under the path of the expression it
// refused when one of them fails alone (an unknown column, a syntax error), like the problems
// of validateMapping. The expressions passed checkExpression already.
async function mappingProblem(db, mapping, table, error) {
  const explained = explainDuckDBError(error);
  const from = quoteIdent(table);
  const probes = [
    ['revenue_expr', mapping.kind !== 'users' && mapping.revenue_expr, (x) => `SELECT TRY_CAST((${x}) AS DOUBLE) FROM ${from} LIMIT 0`],
    ['filter', mapping.filter, (x) => `SELECT 1 FROM ${from} WHERE ${x} LIMIT 0`],
  ];
  for (const [key, expr, sql] of probes) {
    if (!expr) continue;
    try {
      await db.query(sql(expr));
    } catch (e) {
      return `${key}: the expression could not run: ${explainDuckDBError(e)}`;
    }
  }
  return `the mapping could not run: ${explained}`;
}
