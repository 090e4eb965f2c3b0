// Command-line arguments of tools/segx.mjs: parsed strictly, every mistake named.
import { readFileSync } from 'node:fs';

export const usage = `segx — run a saved segx definition over files with native DuckDB

usage:
  node tools/segx.mjs run --workspace WS.json --definition NAME --out OUT FILES...

  --workspace FILE   a workspace exported from the page ("Export workspace"): its saved
                     definitions and the mappings of files by name
  --definition NAME  the id or the name of a saved definition (audience, funnel, ...)
  --out FILE         where to write the answer ("-" for standard output)
  --format csv|json  csv (default: a header row) or json (an array of row objects)
  --as-of TIME       the as-of time (ISO 8601, UTC); default: the latest event, as in the page
  --threads N        DuckDB threads (default: every core)
  --database FILE    a DuckDB database file to hold the tables (default: memory, or for files
                     of more than 1 GiB in all a database file in a temporary folder, removed
                     at the end; either way DuckDB spills past its memory limit to that folder)
  --in-memory        keep the tables in memory whatever the files' size
  --memory-limit SIZE  DuckDB's memory limit, e.g. 8GB (default: 80% of the machine's memory);
                     past it DuckDB spills to a temporary folder
  --sql              print the compiled SQL to standard output too
  --summary FILE     write {kind, as_of, rows, ms} as JSON
  --quiet            no progress lines
  --trace            each DuckDB statement's time and memory on standard error
  FILES              CSV/TSV (UTF-8; UTF-16 and GBK are converted first), Parquet, JSON lines.
                     A file takes the workspace's mapping saved under its name; a file
                     without one is mapped as the page would infer it.

answers:
  audience   one row per member: user_id
  funnel     one row per step (and per breakdown value): the compiled funnel SQL's columns
  others     the compiled SQL's rows (see "Copy SQL" in each tab)
`;

class UsageError extends Error {
  constructor(message) {
    super(`${message}\n(run with --help for the usage)`);
    this.exitCode = 2;
  }
}

export function parseArgs(argv) {
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) return { help: true };
  const [command, ...rest] = argv;
  if (command !== 'run') throw new UsageError(`unknown command "${command}" (the command is "run")`);
  const out = { format: 'csv', files: [], printSql: false, quiet: false };
  const value = (i, flag) => {
    if (i + 1 >= rest.length || rest[i + 1].startsWith('--')) throw new UsageError(`${flag} needs a value`);
    return rest[i + 1];
  };
  for (let i = 0; i < rest.length; ++i) {
    const a = rest[i];
    if (!a.startsWith('--')) out.files.push(a);
    else if (a === '--sql') out.printSql = true;
    else if (a === '--quiet') out.quiet = true;
    else if (a === '--trace') out.trace = true;
    else if (a === '--in-memory') out.inMemory = true;
    else {
      const v = value(i, a);
      ++i;
      if (a === '--workspace') out.workspacePath = v;
      else if (a === '--definition') out.definition = v;
      else if (a === '--out') out.out = v;
      else if (a === '--format') out.format = v;
      else if (a === '--as-of') out.asOf = v;
      else if (a === '--threads') out.threads = Number(v);
      else if (a === '--database') out.database = v;
      else if (a === '--memory-limit') out.memoryLimit = v;
      else if (a === '--summary') out.summary = v;
      else throw new UsageError(`unknown option ${a}`);
    }
  }
  if (!out.workspacePath) throw new UsageError('--workspace is missing');
  if (!out.definition) throw new UsageError('--definition is missing');
  if (!out.out) throw new UsageError('--out is missing');
  if (!['csv', 'json'].includes(out.format)) throw new UsageError(`--format: expected csv or json, not "${out.format}"`);
  if (out.threads !== undefined && !(Number.isInteger(out.threads) && out.threads >= 1)) throw new UsageError('--threads: expected a whole number ≥ 1');
  if (out.memoryLimit !== undefined && !/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(out.memoryLimit)) {
    throw new UsageError(`--memory-limit: expected a size such as 8GB or 512MB, not "${out.memoryLimit}"`);
  }
  if (out.files.length === 0) throw new UsageError('no data files given');
  if (out.inMemory && out.database) throw new UsageError('--in-memory and --database: give one');
  let text;
  try {
    text = readFileSync(out.workspacePath, 'utf8');
  } catch (e) {
    throw new UsageError(`--workspace: cannot read ${out.workspacePath} (${e.code || e.message})`);
  }
  try {
    out.workspace = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--workspace: ${out.workspacePath} is not JSON (${e.message})`);
  }
  if (!out.workspace || typeof out.workspace !== 'object' || Array.isArray(out.workspace)) {
    throw new UsageError(`--workspace: ${out.workspacePath} is not a segx workspace (expected a JSON object)`);
  }
  return out;
}
