// Every way out of the page's DuckDB (issue 17, defect 4), run as segx.sql runs SQL: each fails
// with a clear reason, the loaded files' tables stay, and no connection is attempted (the runner
// watches sockets, DNS, fetch and http). The page's own tables and views keep working.
import assert from 'node:assert/strict';

import { isTrap } from '../../../../web/duckdb_browser.js';
import { SqlTables } from '../../../../web/sql_tables.js';

const kOut = 'http://127.0.0.1:9';
const refused = (sql, pattern) => ({ name: `SQL: ${sql.length > 70 ? sql.slice(0, 70) + '…' : sql}`, run: (ctx) => ctx.sql(sql), error: pattern });
const kFiles = /segx reads only the files you load/;
const kExt = /does not install or load DuckDB extensions|extension/i;
const kLocked = /settings are locked|locked/;
// DuckDB-wasm's Node build prints "Aborted()" many times while it traps; the runner's log keeps
// only what the cases say.
function quietly(f) {
  const saved = [console.log, console.error, console.warn];
  console.log = console.error = console.warn = () => {};
  try {
    return f();
  } finally {
    [console.log, console.error, console.warn] = saved;
  }
}

export const sqlCases = [
  refused(`SELECT * FROM read_csv('${kOut}/a.csv')`, kFiles),
  refused(`SELECT * FROM read_csv_auto('${kOut}/a.csv')`, kFiles),
  refused(`SELECT * FROM '${kOut}/a.csv'`, kFiles),
  refused(`SELECT * FROM 'https://example.com/a.csv'`, kFiles),
  refused(`SELECT * FROM 's3://bucket/a.parquet'`, /reads only the files you load|does not exist/),
  refused(`SELECT * FROM read_parquet('${kOut}/a.parquet')`, /reads only|extension|does not exist/i),
  refused(`SELECT * FROM read_json('${kOut}/a.json')`, /reads only|extension|does not exist/i),
  refused(`SELECT * FROM read_text('${kOut}/a.txt')`, kFiles),
  refused(`SELECT * FROM read_blob('/etc/passwd')`, kFiles),
  refused(`SELECT * FROM read_csv('/etc/passwd')`, kFiles),
  refused(`SELECT * FROM '/segx/../etc/passwd'`, /reads only the files you load|does not exist/),
  refused(`SELECT * FROM glob('/*')`, /reads only|Cannot access|not one of them/),
  refused(`ATTACH '${kOut}/db.duckdb' AS outside`, kFiles),
  refused(`ATTACH '/tmp/x.duckdb' AS local`, kFiles),
  refused(`COPY (SELECT 1 AS x) TO '${kOut}/out.csv'`, kFiles),
  refused(`COPY (SELECT 1 AS x) TO '/tmp/out.csv'`, kFiles),
  // A loaded CSV is a view over its file (web/source_loader.js): DuckDB refuses to copy into it
  // before reading anything; the lock-down would refuse the URL.
  refused(`COPY "events.csv" FROM '${kOut}/more.csv'`, /segx reads only the files you load|is not an? table/),
  refused(`EXPORT DATABASE '/tmp/dump'`, kFiles),
  refused(`LOAD httpfs`, kExt),
  refused(`LOAD json`, kExt),
  refused(`LOAD '/tmp/evil.duckdb_extension'`, kExt),
  refused(`SET enable_external_access=true`, kLocked),
  refused(`SET allowed_directories=['/']`, kLocked),
  refused(`SET allowed_paths=['/etc/passwd']`, kLocked),
  refused(`SET autoload_known_extensions=true`, kLocked),
  refused(`SET autoinstall_known_extensions=true`, kLocked),
  refused(`SET allow_community_extensions=true`, kLocked),
  refused(`SET custom_extension_repository='${kOut}/'`, kLocked),
  refused(`SET lock_configuration=false`, kLocked),
  refused(`RESET lock_configuration`, kLocked),
  refused(`RESET ALL`, /locked|Can only SET or RESET a variable/),
  refused(`PRAGMA enable_external_access`, /does not exist|Pragma/),
  {
    name: 'SQL: INSTALL from a URL does not reach it',
    run: (ctx) => ctx.sql(`FORCE INSTALL httpfs FROM '${kOut}/'`),
    // DuckDB-wasm may accept INSTALL as a no-op (its extensions are fetched on LOAD, refused above);
    // either way nothing is fetched (the runner checks) and LOAD stays refused.
    check: (r, ctx) => {
      if (!r.ok) assert.match(r.message, kExt);
      assert.equal(ctx.sql('LOAD httpfs').ok, false);
    },
  },
  {
    name: 'SQL: the settings stay as locked',
    run: (ctx) => ctx.sql(`SELECT name, value FROM duckdb_settings() WHERE name IN ('enable_external_access', 'lock_configuration', 'autoload_known_extensions', 'autoinstall_known_extensions', 'allow_community_extensions', 'allowed_directories') ORDER BY name`),
    check: (r) => {
      assert.ok(r.ok, r.message);
      assert.deepEqual(Object.fromEntries(r.rows.map((x) => [x.name, String(x.value)])), {
        allow_community_extensions: 'false', allowed_directories: '[/segx/]', autoinstall_known_extensions: 'false',
        autoload_known_extensions: 'false', enable_external_access: 'false', lock_configuration: 'true',
      });
    },
  },
  {
    name: 'SQL: the loaded files are readable tables',
    run: (ctx) => ctx.sql('SELECT count(*)::INT AS n FROM "events.csv"'),
    check: (r) => (assert.ok(r.ok, r.message), assert.equal(r.rows[0].n, 4)),
  },
  {
    name: 'SQL: the views users and events are made under the lock-down',
    run: async (ctx) => {
      const tables = new SqlTables({ db: { ...ctx.db, query: async (q) => ctx.db.query(q), registerBuffer: async (n, b) => ctx.db.registerBuffer(n, b), dropFile: async (n) => ctx.db.dropFile(n) }, bridge: ctx.bridge });
      await tables.refresh();
      return ctx.sql('SELECT (SELECT count(*) FROM users)::INT AS users, (SELECT count(*) FROM events)::INT AS events');
    },
    check: (r, ctx) => {
      assert.ok(r.ok, r.message);
      const o = ctx.bridge.state('overview');
      assert.deepEqual([r.rows[0].users, r.rows[0].events], [o.users, o.events]);
    },
  },
  {
    name: 'SQL: an ATTACH of memory is harmless and detached',
    run: (ctx) => ctx.sql("ATTACH ':memory:' AS scratch"),
    check: (r, ctx) => {
      assert.ok(r.ok, r.message);
      assert.ok(ctx.sql('DETACH scratch').ok);
    },
  },
  {
    // A real trap (issue 17, defect 1): a list of 1e9 BIGINTs is more than DuckDB-wasm's memory,
    // and instead of an out-of-memory error its WASM faults ("table index is out of bounds" here;
    // Chromium has said "memory access out of bounds" and "function signature mismatch"), after
    // which the instance answers nothing. The page recognises the message and does what
    // restartDuckDB does (tests/web/browser/duckdb_restart.test.mjs runs it in the page); the
    // runner then checks that the files' tables, the model and the saved work are as before.
    name: 'SQL: a list too large for DuckDB-wasm traps it; a fresh DuckDB gets the loaded files back',
    isolated: true,
    run: (ctx) => quietly(() => ctx.sql('SELECT len(range(1000000000)) AS n')),
    check: async (r, ctx) => {
      assert.equal(r.ok, false);
      assert.ok(isTrap(r.message), `not recognised as a trap: ${r.message}`);
      await ctx.restartDuckDB(r.message.split('\n')[0]);
      assert.deepEqual(ctx.sql('SELECT 42 AS x').rows, [{ x: 42 }]);
      assert.match(ctx.bridge.state('messages').at(-1).text, /^DuckDB failed \(.*\) and was restarted; the 3 loaded files were read into it again\. The model and saved work are unchanged\.$/);
    },
  },
  {
    name: 'SQL: every message a DuckDB-wasm trap has given is recognised, DuckDB\'s own errors are not',
    run: () => ({ ok: true }),
    check: () => {
      for (const m of ['memory access out of bounds', 'table index is out of bounds', 'function signature mismatch',
        'null function or function signature mismatch', 'RuntimeError: unreachable', 'Aborted(). Build with -sASSERTIONS for more info.',
        'Maximum call stack size exceeded']) assert.ok(isTrap(m), m);
      for (const m of ['Out of Memory Error: Allocation failure', 'Parser Error: Max expression depth limit of 1000 exceeded',
        'Binder Error: Referenced column "x" not found', 'Conversion Error: Could not convert string']) assert.equal(isTrap(m), false, m);
    },
  },
];
