#!/usr/bin/env node
// segx on the command line: a saved definition over files too large for a browser tab. It maps
// the files as the page does (the workspace's mapping for a file name, else the same inference),
// compiles the definition with the same core (the WASM module, as "Copy SQL" does) and runs the
// SQL in native DuckDB on every core, writing the answer as CSV or JSON. No data is sent anywhere.
//
//   node tools/segx.mjs run --workspace ws.json --definition NAME --out members.csv FILES...
//
// See `node tools/segx.mjs --help` and the README ("Data beyond the tab").
import { statSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

import { parseArgs, usage } from './cli/args.mjs';
import { compileDefinition, findDefinition } from './cli/compile.mjs';
import { loadFiles, openDatabase } from './cli/native_db.mjs';

// Inputs past this size keep their tables in a database file (see openDatabase) unless told.
const kOnDiskBytes = 2 ** 30;

async function main(argv) {
  const args = parseArgs(argv);
  if (args.help) return void process.stdout.write(usage);
  const t0 = performance.now();
  const workspace = args.workspace;
  const definition = findDefinition(workspace, args.definition);
  let bytes = 0;
  for (const f of args.files) bytes += statSync(f, { throwIfNoEntry: false })?.size ?? 0;
  const onDisk = !args.inMemory && bytes > kOnDiskBytes;
  const log = (line) => args.quiet || process.stderr.write(line + '\n');
  if (onDisk && !args.database) log(`${(bytes / 2 ** 30).toFixed(1)} GiB of files: the tables go to a temporary database file (--in-memory to keep them in memory)`);
  const db = await openDatabase({ threads: args.threads, database: args.database, memoryLimit: args.memoryLimit, onDisk,
    trace: args.trace && ((line) => process.stderr.write(line + '\n')) });
  try {
    await runWith(db, args, definition, t0, log);
  } finally {
    db.close();
  }
}

async function runWith(db, args, definition, t0, log) {
  const workspace = args.workspace;
  const sources = await loadFiles(db, args.files, workspace.mappings || {}, log, () => db.lockDown(args.out, args.format));
  const t1 = performance.now();
  const compiled = await compileDefinition({ db, sources, workspace, definition, asOf: args.asOf });
  if (args.printSql) process.stdout.write(compiled.sql + '\n');
  await db.drop(sources.map((s) => s.table)); // only `users` and `events` from here on
  const t2 = performance.now();
  const rows = await db.copyTo(compiled.sql, args.out, args.format);
  const t3 = performance.now();
  const ms = (a, b) => `${Math.round(b - a).toLocaleString('en-US')} ms`;
  if (!args.quiet) {
    process.stderr.write(`${compiled.kind} "${definition.name || definition.id}" as of ${compiled.asOf}: ` +
      `${rows.toLocaleString('en-US')} rows to ${args.out} (load ${ms(t0, t1)}, compile ${ms(t1, t2)}, query ${ms(t2, t3)})\n`);
  }
  if (args.summary) writeFileSync(args.summary, JSON.stringify({ kind: compiled.kind, as_of: compiled.asOf, rows, ms: { load: t1 - t0, compile: t2 - t1, query: t3 - t2 } }));
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`segx: ${e && e.message ? e.message : e}\n`);
    process.exit(e && e.exitCode ? e.exitCode : 1);
  },
);
