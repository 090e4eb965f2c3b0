// Test support: the tables of the SQL contract (src/core/sql/audience_sql.h: `users` and
// `events`) built in DuckDB-wasm from files loaded through the real loader, and one-statement
// runs of compiled SQL. Used by the audience and funnel SQL oracles.
import assert from 'node:assert/strict';

import { quoteIdent } from '../../../web/load_support.js';
import { loadSource } from '../../../web/source_loader.js';

// A mapped column typed as the model types it (web/mapping.js columnSql).
export function typed(name, type) {
  const c = quoteIdent(name);
  const t = String(type).toUpperCase();
  if (t === 'BOOLEAN') return `CAST(${c} AS BOOLEAN)`;
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|UTINYINT|USMALLINT|UINTEGER)$/.test(t)) return `CAST(${c} AS BIGINT)`;
  if (/^(HUGEINT|UBIGINT|FLOAT|DOUBLE|REAL|DECIMAL)/.test(t)) return `CAST(${c} AS DOUBLE)`;
  if (t === 'DATE') return `CAST(${c} AS DATE)`;
  if (t.startsWith('TIMESTAMP')) return `CAST(${c} AS TIMESTAMP)`;
  return `CAST(${c} AS VARCHAR)`;
}

// `loaded`: loadSource results in load order. Users files become `users` (one here), event and
// orders files the union `events` (an orders row with a negative amount is a `refund`), one
// purchase per (user, order id) across sources, with revenue kept once per order: on the rows
// of the first source (in load order) that gives the order an amount (the core's revenue owner
// rule), and
// `seq`, the stored order of equal times: sources in load order, then rows in file order
// (rowid: the order the mapping's projection reads them in).
export function createContractTables(db, loaded) {
  const typeOf = (l, name) => l.columns.find((c) => c.name === name).type;
  const id = (l) => `trim(CAST(${quoteIdent(l.mapping.user_id)} AS VARCHAR))`;
  const props = (l) => (l.mapping.columns || []).map((c) => `${typed(c, typeOf(l, c))} AS ${quoteIdent(c)}`);
  const users = loaded.filter((l) => l.mapping.kind === 'users');
  assert.ok(users.length <= 1, 'one users file: the contract has one row per user');
  db.query(users.length
    ? `CREATE OR REPLACE TABLE users AS SELECT ${[`${id(users[0])} AS user_id`, ...props(users[0])].join(', ')} FROM ${quoteIdent(users[0].name)}`
    : 'CREATE OR REPLACE TABLE users (user_id VARCHAR)');
  const parts = loaded.filter((l) => l.mapping.kind !== 'users').map((l, source) => {
    const m = l.mapping;
    assert.match(typeOf(l, m.time), /^TIMESTAMP/, `${l.name}: a time column DuckDB typed (text times are the core's to parse)`);
    const revenue = m.revenue_expr ? `TRY_CAST((${m.revenue_expr}) AS DOUBLE)` : m.revenue ? `CAST(${quoteIdent(m.revenue)} AS DOUBLE)` : 'NULL::DOUBLE';
    // An orders file's row with a negative amount is a refund (DESIGN §2).
    const event = m.kind === 'orders' ? `CASE WHEN ${revenue} < 0 THEN 'refund' ELSE 'purchase' END` : m.event ? `trim(CAST(${quoteIdent(m.event)} AS VARCHAR))` : `'${m.event_constant}'`;
    const order = m.order_id ? `NULLIF(trim(CAST(${quoteIdent(m.order_id)} AS VARCHAR)), '')` : 'NULL::VARCHAR';
    const cols = [`${source} AS "source"`, 'rowid AS "row"', `${id(l)} AS user_id`, `${event} AS event`,
      `CAST(${quoteIdent(m.time)} AS TIMESTAMP) AS time`, `${revenue} AS revenue`, `${order} AS order_id`, ...props(l)];
    return `SELECT ${cols.join(', ')} FROM ${quoteIdent(l.name)}`;
  });
  db.query(`CREATE OR REPLACE TABLE raw_events AS ${parts.join('\nUNION ALL BY NAME\n')}`);
  // One purchase per (user, order id) across sources (event_store.h): the pair's owner is the
  // first source whose purchase row of the pair has an amount, else the first with one; other
  // sources' purchase rows of the pair go, their property values filling what the owner's first
  // row of the pair lacks (the earliest non-null value, in load then file order).
  const fixed = new Set(['source', 'row', 'user_id', 'event', 'time', 'revenue', 'order_id']);
  const propNames = db.query('DESCRIBE raw_events').toArray().map((r) => r.toJSON().column_name).filter((n) => !fixed.has(n));
  const fill = propNames.map((p) => {
    const c = quoteIdent(p);
    return `CASE WHEN "first_of_pair" THEN COALESCE(${c}, arg_min(${c}, "source" * 4294967296 + "row") FILTER (WHERE "source" <> "owner" AND ${c} IS NOT NULL) OVER pair) ELSE ${c} END AS ${c}`;
  });
  db.query(`CREATE OR REPLACE TABLE events AS
    WITH owned AS (
      SELECT *,
        CASE WHEN event = 'purchase' AND order_id IS NOT NULL
             THEN coalesce(min("source") FILTER (WHERE revenue IS NOT NULL) OVER pair, min("source") OVER pair) END AS "owner",
        CASE WHEN order_id IS NULL
               OR "source" = min("source") FILTER (WHERE revenue IS NOT NULL) OVER (PARTITION BY order_id)
             THEN revenue END AS "counted_revenue"
      FROM raw_events
      WINDOW pair AS (PARTITION BY user_id, order_id, event = 'purchase' AND order_id IS NOT NULL)
    ), marked AS (
      SELECT *, "owner" IS NOT NULL AND "source" = "owner"
                AND "row" = min("row") FILTER (WHERE "source" = "owner") OVER pair AS "first_of_pair"
      FROM owned
      WINDOW pair AS (PARTITION BY user_id, order_id, "owner" IS NOT NULL)
    ), filled AS (
      SELECT "source", "row", "owner", user_id, event, time, "counted_revenue" AS revenue, order_id${fill.length ? ', ' + fill.join(', ') : ''}
      FROM marked
      WINDOW pair AS (PARTITION BY user_id, order_id, "owner" IS NOT NULL)
    )
    SELECT user_id, event, time, revenue, order_id, row_number() OVER (ORDER BY "source", "row") AS seq,
      * EXCLUDE ("source", "row", "owner", user_id, event, time, revenue, order_id)
    FROM filled
    WHERE "owner" IS NULL OR "source" = "owner"`);
}

export async function loadAll(bridge, db, files) {
  const loaded = [];
  for (const [name, bytes, mapping] of files) loaded.push(await loadSource({ db, bridge, name, bytes, mapping: mapping && { ...mapping, source: name } }));
  for (const s of bridge.state().sources) assert.equal(s.rejects.total, 0, `${s.name}: no rejected rows`);
  createContractTables(db, loaded);
  return loaded;
}

// One statement (prepare refuses more), its rows' user ids.
export function runSql(db, sql) {
  const stmt = db.conn.prepare(sql);
  try {
    return stmt.query().toArray().map((r) => String(r.toJSON().user_id));
  } finally {
    stmt.close();
  }
}

