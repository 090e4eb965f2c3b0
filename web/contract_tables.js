// The tables of the SQL contract (src/core/sql/audience_sql.h: `users` and `events`) built in
// DuckDB from files that are already tables, one per file, with their mappings (web/mapping.js).
// Shared by the command-line runner (tools/segx.mjs, native DuckDB) and the Node tests
// (DuckDB-wasm): pure SQL text, no database handle.
import { quoteIdent, quoteLiteral } from './load_support.js';
import { checkExpression } from './mapping.js';

// A source's file name for messages (`name`, when its table is named otherwise: the runner's).
const nameOf = (s) => s.name || s.table;

// A mapped column typed as the model types it (web/mapping.js columnSql).
export function typedColumn(name, type) {
  const c = quoteIdent(name);
  const t = String(type).toUpperCase();
  if (t === 'BOOLEAN') return `CAST(${c} AS BOOLEAN)`;
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|UTINYINT|USMALLINT|UINTEGER)$/.test(t)) return `CAST(${c} AS BIGINT)`;
  if (/^(HUGEINT|UBIGINT|FLOAT|DOUBLE|REAL|DECIMAL)/.test(t)) return `CAST(${c} AS DOUBLE)`;
  if (t === 'DATE') return `CAST(${c} AS DATE)`;
  if (t.startsWith('TIMESTAMP')) return `CAST(${c} AS TIMESTAMP)`;
  return `CAST(${c} AS VARCHAR)`;
}

// `sources`: [{table, name?, mapping, columns: [{name, type}]}] in load order. The users file becomes
// `users` (at most one), event and orders files the union `events` (an orders row with a
// negative amount is a `refund`), one purchase per (user, order id) across sources, with revenue
// kept once per order: on the rows of the first source (in load order) that gives the order an
// amount (the core's revenue owner rule), and `seq`, the stored order of equal times: sources in
// load order, then rows in file order (rowid: the order the mapping's projection reads them in).
// `create`: 'TABLE' (materialised, for repeated queries) or 'VIEW' (computed per query); `raw`:
// the same for `raw_events`, the mapped rows before the order rule, which only `events` reads.
// Returns the statements in order; throws an Error naming the file when a mapping cannot be
// expressed in SQL.
export function contractTablesSql(sources, { create = 'TABLE', raw = create } = {}) {
  const typeOf = (s, name) => {
    const c = s.columns.find((x) => x.name === name);
    if (!c) throw new Error(`${nameOf(s)}: no column named "${name}"`);
    return c.type;
  };
  const id = (s) => `trim(CAST(${quoteIdent(s.mapping.user_id)} AS VARCHAR))`;
  const props = (s) => (s.mapping.columns || []).map((c) => `${typedColumn(c, typeOf(s, c))} AS ${quoteIdent(c)}`);
  const where = (s) => (s.mapping.filter ? ` WHERE ${checkExpression(s.mapping.filter, `${nameOf(s)}: filter`)}` : '');
  const users = sources.filter((s) => s.mapping.kind === 'users');
  if (users.length > 1) throw new Error(`${users.map(nameOf).join(', ')}: one users file at most (the contract has one row per user)`);
  const out = [];
  out.push(users.length
    ? `CREATE OR REPLACE ${create} users AS SELECT ${[`${id(users[0])} AS user_id`, ...props(users[0])].join(', ')} FROM ${quoteIdent(users[0].table)}${where(users[0])}`
    : `CREATE OR REPLACE ${create} users AS SELECT CAST(NULL AS VARCHAR) AS user_id WHERE false`);
  const eventSources = sources.filter((s) => s.mapping.kind !== 'users');
  const parts = eventSources.map((s, source) => {
    const m = s.mapping;
    if (!/^TIMESTAMP|^DATE$/i.test(typeOf(s, m.time))) {
      throw new Error(`${nameOf(s)}: the time column "${m.time}" is ${typeOf(s, m.time)}, not a date or time DuckDB recognised ` +
        '(times written as text in other layouts are read by the page, not by SQL)');
    }
    const revenue = m.revenue_expr
      ? `TRY_CAST((${checkExpression(m.revenue_expr, `${nameOf(s)}: revenue_expr`)}) AS DOUBLE)`
      : m.revenue ? `CAST(${quoteIdent(m.revenue)} AS DOUBLE)` : 'NULL::DOUBLE';
    // An orders file's row with a negative amount is a refund (DESIGN §2).
    const event = m.kind === 'orders' ? `CASE WHEN ${revenue} < 0 THEN 'refund' ELSE 'purchase' END`
      : m.event ? `trim(CAST(${quoteIdent(m.event)} AS VARCHAR))` : quoteLiteral(m.event_constant || '');
    const order = m.order_id ? `NULLIF(trim(CAST(${quoteIdent(m.order_id)} AS VARCHAR)), '')` : 'NULL::VARCHAR';
    const shift = Number.isInteger(m.tz_offset_minutes) && m.tz_offset_minutes ? ` - INTERVAL ${m.tz_offset_minutes} MINUTE` : '';
    const cols = [`${source} AS "source"`, 'rowid AS "row"', `${id(s)} AS user_id`, `${event} AS event`,
      `CAST(${quoteIdent(m.time)} AS TIMESTAMP)${shift} AS time`, `${revenue} AS revenue`, `${order} AS order_id`, ...props(s)];
    const rows = `SELECT ${cols.join(', ')} FROM ${quoteIdent(s.table)}${where(s)}`;
    // A refunded order (its status one of refund_values) was a purchase, then a refund of its
    // amount: the row again after every row of the file, as web/mapping.js hands it to the core.
    const values = m.kind === 'orders' && m.refund_status && Array.isArray(m.refund_values)
      ? m.refund_values.filter((v) => typeof v === 'string' && v.trim()) : [];
    if (!values.length) return rows;
    const marked = `trim(CAST(${quoteIdent(m.refund_status)} AS VARCHAR)) IN (${values.map((v) => quoteLiteral(v.trim())).join(', ')})`;
    const again = cols.map((c) => (c === 'rowid AS "row"' ? `rowid + 4294967296 AS "row"` : c === `${event} AS event` ? `'refund' AS event`
      : c === `${revenue} AS revenue` ? `-abs(${revenue}) AS revenue` : c));
    const filter = s.mapping.filter ? `(${checkExpression(s.mapping.filter, `${nameOf(s)}: filter`)}) AND ` : '';
    return `${rows}\nUNION ALL BY NAME\nSELECT ${again.join(', ')} FROM ${quoteIdent(s.table)} WHERE ${filter}${marked}`;
  });
  const rawSql = parts.length ? parts.join('\nUNION ALL BY NAME\n')
    : `SELECT 0 AS "source", 0 AS "row", NULL::VARCHAR AS user_id, NULL::VARCHAR AS event, NULL::TIMESTAMP AS time,
       NULL::DOUBLE AS revenue, NULL::VARCHAR AS order_id WHERE false`;
  out.push(`CREATE OR REPLACE ${raw} raw_events AS ${rawSql}`);
  // One purchase per (user, order id) across sources (src/core/model/event_store.h): the pair's
  // owner is the first source whose purchase row of the pair has an amount, else the first with
  // one; other sources' purchase rows of the pair go, their property values filling what the
  // owner's first row of the pair lacks (the earliest non-null value, in load then file order).
  const fixed = new Set(['source', 'row', 'user_id', 'event', 'time', 'revenue', 'order_id']);
  const propNames = [...new Set(eventSources.flatMap((s) => s.mapping.columns || []))].filter((n) => !fixed.has(n));
  const fill = propNames.map((p) => {
    const c = quoteIdent(p);
    return `CASE WHEN "first_of_pair" THEN COALESCE(${c}, arg_min(${c}, "source" * 4294967296 + "row") FILTER (WHERE "source" <> "owner" AND ${c} IS NOT NULL) OVER pair) ELSE ${c} END AS ${c}`;
  });
  // Only rows with an order id take part in the rule (every window below partitions by the order
  // id), so the windows run over those alone and the other rows, most of a large file, pass
  // through as they are: windows over the whole table are what outgrew memory at 100M events.
  // `seq` is source and row packed in one number (their order, without a sort of the table).
  const rest = (...also) => `* EXCLUDE (${['"source"', '"row"', ...also, 'user_id', 'event', 'time', 'revenue', 'order_id'].join(', ')})`;
  const seq = '"source" * 1099511627776 + "row" AS seq';
  out.push(`CREATE OR REPLACE ${create} events AS
    WITH owned AS (
      SELECT *,
        CASE WHEN event = 'purchase'
             THEN coalesce(min("source") FILTER (WHERE revenue IS NOT NULL) OVER pair, min("source") OVER pair) END AS "owner",
        CASE WHEN "source" = min("source") FILTER (WHERE revenue IS NOT NULL) OVER (PARTITION BY order_id)
             THEN revenue END AS "counted_revenue"
      FROM raw_events
      WHERE order_id IS NOT NULL
      WINDOW pair AS (PARTITION BY user_id, order_id, event = 'purchase')
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
    SELECT user_id, event, time, revenue, order_id, ${seq}, ${rest()} FROM raw_events WHERE order_id IS NULL
    UNION ALL BY NAME
    SELECT user_id, event, time, revenue, order_id, ${seq}, ${rest('"owner"')} FROM filled WHERE "owner" IS NULL OR "source" = "owner"`);
  return out;
}
