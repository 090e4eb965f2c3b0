// Native DuckDB for the command-line runner: the files as tables of their own, their mappings,
// the contract tables `users` and `events`, and the answer written by DuckDB itself (COPY), so
// that a result of millions of rows never passes through JS.
//
// Locked down as the page's DuckDB is (web/duckdb_lock.js): once the files are read, DuckDB may
// write only the answer's file and read nothing else, fetches no extension, and its
// configuration is locked, before any SQL from the workspace (a mapping's filter or revenue
// expression) runs. A shared workspace cannot make the runner read another file of the machine.
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { basename, join, resolve } from 'node:path';

import { contractTablesSql } from '../../web/contract_tables.js';
import { quoteIdent, quoteLiteral } from '../../web/load_support.js';
import { inferMapping, validateMapping } from '../../web/mapping.js';
import { decodeToUtf8, detectEncoding } from '../../web/readers/encoding.js';
import { sniffFormat } from '../../web/readers/index.js';

// `database`: a DuckDB file to keep the tables in; else `onDisk`: a file in the runner's temporary
// folder (removed by close()), for inputs larger than memory: DuckDB compresses a file's tables
// and keeps only what a statement touches in memory; else memory. Either way DuckDB spills what
// outgrows `memoryLimit` to that folder, never to the working directory.
export async function openDatabase({ threads, database, memoryLimit, trace, onDisk = false } = {}) {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const temp = mkdtempSync(join(tmpdir(), 'segx-'));
  // Without the ICU extension (not bundled, never downloaded) DuckDB's times are UTC.
  const options = { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false', temp_directory: join(temp, 'spill') };
  if (threads) options.threads = String(threads);
  if (memoryLimit) options.memory_limit = memoryLimit;
  const file = database || (onDisk ? join(temp, 'tables.duckdb') : ':memory:');
  const instance = await DuckDBInstance.create(file, options);
  const conn = await instance.connect();
  const rawRows = async (sql) => (await conn.runAndReadAll(sql)).getRowObjectsJS();
  // --trace: each statement's time, DuckDB's memory and temporary storage after it, and the
  // process's resident memory, on standard error.
  const traced = async (sql, f) => {
    if (!trace) return f(sql);
    const t0 = performance.now();
    const r = await f(sql);
    const [m] = await rawRows('SELECT sum(memory_usage_bytes)::BIGINT AS mem, sum(temporary_storage_bytes)::BIGINT AS tmp FROM duckdb_memory()');
    const gib = (b) => `${(Number(b) / 2 ** 30).toFixed(2)} GiB`;
    trace(`[trace] ${((performance.now() - t0) / 1000).toFixed(1)} s, duckdb ${gib(m.mem)} + temp ${gib(m.tmp)}, rss ${gib(process.memoryUsage.rss())}: ` +
      sql.replace(/\s+/g, ' ').slice(0, 100));
    return r;
  };
  const rows = (sql) => traced(sql, rawRows);
  const answerPath = (out, format) => (out === '-' ? join(temp, `answer.${format}`) : resolve(out));
  return {
    run: (sql) => traced(sql, (q) => conn.run(q)),
    rows,
    temp,
    // From here on DuckDB reads and writes nothing but the answer's file for (out, format).
    async lockDown(out, format) {
      for (const sql of [
        `SET allowed_paths=[${quoteLiteral(answerPath(out, format))}]`,
        'SET autoinstall_known_extensions=false',
        'SET autoload_known_extensions=false',
        'SET allow_community_extensions=false',
        'SET enable_external_access=false',
        // The files' tables are read (their rowid, the contract's `row`, is file order); from
        // here rows may be written in any order: `seq` carries the stored order, and every
        // compiled answer ends in ORDER BY, which DuckDB keeps. Less memory, more parallel.
        'SET preserve_insertion_order=false',
        'SET lock_configuration=true',
      ]) await conn.run(sql);
    },
    // Writes the rows of one SELECT to `out` (a path, or "-" for standard output); returns the count.
    async copyTo(sql, out, format) {
      const target = answerPath(out, format);
      // USE_TMP_FILE false: over an existing file DuckDB would write `tmp_<name>` beside it
      // first, a path the lock-down does not allow (a second run to the same --out failed).
      const options = format === 'json' ? '(FORMAT JSON, ARRAY true, USE_TMP_FILE false)' : '(FORMAT CSV, HEADER true, USE_TMP_FILE false)';
      const r = await rows(`COPY (${sql}) TO ${quoteLiteral(target)} ${options}`);
      if (out === '-') process.stdout.write(readFileSync(target));
      return Number(Object.values(r[0] || { n: 0 })[0] ?? 0);
    },
    // The tables, once the answer no longer needs them (the files' own after compiling).
    async drop(tables) {
      for (const t of tables) await conn.run(`DROP TABLE IF EXISTS ${quoteIdent(t)}`);
    },
    close() {
      conn.closeSync?.();
      instance.closeSync?.();
      rmSync(temp, { recursive: true, force: true });
    },
  };
}

// The first bytes of a file, for its format and encoding.
function head(path, n = 1 << 20) {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    const got = readSync(fd, buf, 0, n, 0);
    return new Uint8Array(buf.buffer, buf.byteOffset, got);
  } finally {
    closeSync(fd);
  }
}

// The DuckDB reader for one file. UTF-8 CSV is read in place (in parallel, as large as it is);
// UTF-16 and GBK text is converted to a UTF-8 copy first, as the page does in memory.
function readerSql(db, path, name) {
  let bytes;
  try {
    bytes = head(path);
  } catch (e) {
    throw new Error(`${name}: cannot read ${path} (${e.code || e.message})`);
  }
  if (bytes.length === 0) throw new Error(`${name}: the file is empty (0 bytes)`);
  const format = sniffFormat(name, bytes);
  if (format === 'parquet') return { format, sql: `read_parquet(${quoteLiteral(path)})` };
  if (format === 'json' || format === 'jsonl') {
    return { format, sql: `read_json_auto(${quoteLiteral(path)}, format = ${format === 'jsonl' ? "'newline_delimited'" : "'array'"})` };
  }
  const detected = detectEncoding(bytes);
  let file = path;
  if (detected.encoding !== 'utf-8') {
    file = join(db.temp, `${Math.random().toString(36).slice(2)}.csv`);
    writeFileSync(file, decodeToUtf8(new Uint8Array(readFileSync(path)), detected.encoding, name));
  }
  return { format: 'csv', encoding: detected.encoding, sql: `read_csv_auto(${quoteLiteral(file)})` };
}

// Loads each file as a table and maps it: the workspace's mapping for the file's name when it
// fits the file's columns, else the inferred one (web/mapping.js, as the page does). The tables
// are named `segx/file/N` (the page's internal names have a slash too), so that no file name
// meets `users`, `events` or another file's name under DuckDB's case-blind names. Then
// `lockDown()` (when given: before any expression of the workspace runs) and `users` and
// `events` (web/contract_tables.js). Returns the sources in order.
export async function loadFiles(db, paths, mappings, log, lockDown = async () => {}) {
  const sources = [];
  const names = new Set();
  for (const path of paths) {
    const name = basename(path);
    if (names.has(name)) throw new Error(`${name}: two files have this name; the workspace maps files by name`);
    names.add(name);
    const reader = readerSql(db, path, name);
    const table = `segx/file/${sources.length + 1}`;
    try {
      await db.run(`CREATE OR REPLACE TABLE ${quoteIdent(table)} AS SELECT * FROM ${reader.sql}`);
    } catch (e) {
      throw new Error(`${name}: DuckDB could not read it as ${reader.format}: ${String(e.message || e).split('\n')[0]}`);
    }
    const columns = (await db.rows(`DESCRIBE ${quoteIdent(table)}`)).map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
    const saved = Object.hasOwn(mappings, name) ? { ...mappings[name], source: name } : null;
    const savedProblems = saved ? validateMapping(saved, columns) : [];
    const mapping = saved && savedProblems.length === 0 ? saved : inferMapping(name, columns);
    const problems = validateMapping(mapping, columns);
    if (problems.length) throw new Error(`${name}: the mapping needs attention: ${problems.join('; ')}`);
    const [{ n }] = await db.rows(`SELECT count(*)::BIGINT AS n FROM ${quoteIdent(table)}`);
    const how = saved ? (savedProblems.length ? `inferred (the saved mapping does not fit: ${savedProblems[0]})` : 'from the workspace') : 'inferred';
    log(`${name}: ${Number(n).toLocaleString('en-US')} rows (${reader.format}${reader.encoding && reader.encoding !== 'utf-8' ? `, ${reader.encoding}` : ''}), mapped as ${mapping.kind}, mapping ${how}`);
    sources.push({ name, table, mapping, columns });
  }
  await lockDown();
  // `raw_events` a view: read once, by `events`; not kept a second time.
  for (const sql of contractTablesSql(sources, { raw: 'VIEW' })) await db.run(sql);
  await db.run('DROP VIEW raw_events');
  return sources;
}
