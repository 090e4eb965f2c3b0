// Column-role mapping: which column of a file is the user id, the time, the event name, the
// revenue, the order id. Inferred from names (English and Chinese) and types, always editable,
// and compiled to one SQL projection that DuckDB runs. A mapping is plain JSON and travels in
// the workspace (without data).
import { quoteIdent, quoteLiteral } from './load_support.js';

const KINDS = ['users', 'events', 'orders'];
export const TIME_FORMATS = ['auto', 'iso', 'ymd_slash', 'mdy_slash', 'dmy_slash', 'ymd_compact', 'unix_s', 'unix_ms', 'excel'];

// Names are compared lower-cased with everything but letters, digits and CJK removed.
const norm = (s) => String(s).toLowerCase().replace(/[^a-z0-9\u4e00-\u9fff]/g, '');

const ROLE_NAMES = {
  user_id: ['userid', 'user', 'customerid', 'customer', 'distinctid', 'clientid', 'memberid', 'accountid', 'uid', 'personid',
    'visitorid', 'buyerid', 'customerno', 'customernumber', 'userpseudoid', '会员id', '用户id', '客户id', '客户编号', '会员编号',
    '买家id', '用户编号', '会员号', '会员', '用户', '客户', '顾客id', '顾客编号'],
  time: ['timestamp', 'eventtime', 'eventtimestamp', 'time', 'ts', 'datetime', 'createdat', 'occurredat', 'ordertime', 'orderdate',
    'invoicedate', 'purchasedate', 'purchasetime', 'paidat', 'servertime', 'clienttime', 'date', 'eventdate', 'transactiondate',
    'transactiontime', '下单时间', '时间', '日期', '创建时间', '支付时间', '订单时间', '交易时间', '购买时间', '付款时间', '发生时间'],
  event: ['event', 'eventname', 'eventtype', 'action', 'activity', 'eventaction', '事件', '事件名', '事件名称', '行为', '行为类型', '操作'],
  revenue: ['amount', 'revenue', 'total', 'ordervalue', 'value', 'sales', 'gmv', 'totalprice', 'grandtotal', 'subtotal', 'price',
    'totalamount', 'orderamount', 'paidamount', 'payment', 'dollars', 'dollar', 'spend', 'spent', 'amountspent', 'totalspend',
    'netsales', '金额', '实付金额', '订单金额', '支付金额', '消费金额', '销售额', '总价', '实收金额', '付款金额', '成交金额', '总金额'],
  order_id: ['orderid', 'invoiceno', 'invoice', 'invoiceid', 'invoicenumber', 'transactionid', 'ordernumber', 'orderno',
    'orderref', '订单号', '订单编号', '订单id', '交易号', '交易编号', '流水号'],
};
const QUANTITY = ['quantity', 'qty', 'units', 'count', '数量', '购买数量'];
// An orders file's status column can mark refunds (DESIGN §2): rows whose status is one of
// REFUND_STATUSES (compared trimmed and lower-cased) become refunds of their amount.
const STATUS = ['status', 'orderstatus', 'paymentstatus', 'financialstatus', 'transactionstatus', 'state', '订单状态', '状态',
  '交易状态', '支付状态', '退款状态'];
export const REFUND_STATUSES = ['refunded', 'refund', 'cancelled', 'canceled', 'returned', 'return', 'voided', 'void', 'chargeback',
  'partially_refunded', '已退款', '退款', '退款成功', '已取消', '取消', '已退货', '退货', '退货退款', '交易关闭', '已关闭'];
const UNIT_PRICE = ['unitprice', 'price', 'itemprice', '单价', '价格'];

const isNumeric = (t) => /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|REAL|DECIMAL)/i.test(t);
const isTemporal = (t) => /^(DATE|TIMESTAMP)/i.test(t);

// Picks the column whose normalised name comes first in `names`; exact matches beat suffixes
// such as "customer_id_hash".
function pick(columns, names, accept = () => true) {
  let best = null;
  let bestRank = Infinity;
  for (const c of columns) {
    if (!accept(c)) continue;
    const n = norm(c.name);
    let rank = names.indexOf(n);
    if (rank < 0) {
      const partial = names.findIndex((k) => k.length >= 4 && (n.endsWith(k) || n.startsWith(k)));
      rank = partial < 0 ? -1 : 1000 + partial;
    }
    if (rank >= 0 && rank < bestRank) (best = c), (bestRank = rank);
  }
  return best ? best.name : null;
}

// A file's kind: the first rule of this table whose test holds, over the roles found by name
// (`r`: user, time, event, order, revenue, revenueExpr, dateOnlyTime). The one place the kind is
// decided; tests/web/node/mapping_infer.test.mjs has a test per row.
export const KIND_RULES = [
  { kind: 'events', when: 'a time and an event column: an event log, even if some rows carry an order id or amount',
    test: (r) => r.time && r.event },
  { kind: 'orders', when: 'a time and an amount (or quantity × unit price) or an order id, and no event column: ' +
      'a transactions file, every row a purchase with that amount as revenue',
    test: (r) => r.time && (r.order || r.revenue || r.revenueExpr) },
  { kind: 'users', when: 'only a date named like an attribute (signup_date, a DATE): a users file',
    test: (r) => r.time && r.dateOnlyTime },
  { kind: 'events', when: 'a time and nothing else: one event per row, named after the file',
    test: (r) => r.time },
  { kind: 'users', when: 'no time column: one row per user, the other columns attributes',
    test: () => true },
];

// The status column that marks refunds and the values of it that do, when `samples` (column
// name -> some distinct values as text) shows any: null otherwise.
export function inferRefundStatus(columns, samples = {}) {
  const status = pick(columns, STATUS, (c) => !isNumeric(c.type));
  if (!status) return null;
  const values = (samples[status] || []).filter((v) => v != null && REFUND_STATUSES.includes(String(v).trim().toLowerCase()));
  return values.length ? { column: status, values: [...new Set(values.map((v) => String(v).trim()))].sort() } : null;
}
// The column whose values inferRefundStatus wants to see, if any.
export const statusCandidate = (columns) => pick(columns, STATUS, (c) => !isNumeric(c.type));

// Infers a mapping for a file from its columns ({name, type} with DuckDB types) and, optionally,
// sample values of the status candidate (statusCandidate; {name: [text, ...]}).
export function inferMapping(source, columns, samples = {}) {
  const user = pick(columns, ROLE_NAMES.user_id);
  const time = pick(columns, ROLE_NAMES.time, (c) => c.name !== user);
  const event = pick(columns, ROLE_NAMES.event, (c) => c.name !== user && c.name !== time && !isNumeric(c.type));
  const order = pick(columns, ROLE_NAMES.order_id, (c) => c.name !== user);
  let revenue = pick(columns, ROLE_NAMES.revenue, (c) => c.name !== user && c.name !== time && c.name !== order && (isNumeric(c.type) || /^VARCHAR/i.test(c.type)));
  let revenueExpr = '';
  const qty = pick(columns, QUANTITY, (c) => isNumeric(c.type));
  const unit = pick(columns, UNIT_PRICE, (c) => isNumeric(c.type) && c.name !== qty);
  if (qty && unit && (!revenue || revenue === unit)) {
    // The UCI Online Retail layout: revenue is quantity times unit price.
    revenue = null;
    revenueExpr = `${quoteIdent(qty)} * ${quoteIdent(unit)}`;
  }
  const roles = { user, time, event, order, revenue, revenueExpr, dateOnlyTime: time && isTemporalOnlyDate(columns, time) };
  const { kind } = KIND_RULES.find((rule) => rule.test(roles));
  const refund = kind === 'orders' ? inferRefundStatus(columns, samples) : null;
  const used = new Set(kind === 'users' ? [user] : [user, time, event, order, revenue].filter(Boolean));
  const rest = columns.map((c) => c.name).filter((n) => !used.has(n));
  return {
    source,
    kind,
    user_id: user,
    time: kind === 'users' ? null : time,
    time_format: 'auto',
    tz_offset_minutes: 0,
    event: kind === 'events' ? event : null,  // orders: every row is a purchase
    event_constant: kind === 'orders' ? 'purchase' : event ? '' : stem(source),
    revenue: kind === 'users' ? null : revenue,
    revenue_expr: kind === 'users' ? '' : revenueExpr,
    order_id: kind === 'users' ? null : order,
    // Only when a status column marks refunds (the keys are optional).
    ...(refund ? { refund_status: refund.column, refund_values: refund.values } : {}),
    filter: '',
    columns: rest,  // attributes (users) or event properties (events, orders)
  };
}

// A column named like a date ("signup_date") of DATE type on a file with no event or amount is
// an attribute of a users file, not an event time.
function isTemporalOnlyDate(columns, time) {
  const c = columns.find((x) => x.name === time);
  return c && /^DATE$/i.test(c.type) && !/time|stamp|时间/.test(norm(c.name));
}

const stem = (name) => String(name).replace(/\.[^.]*$/, '') || 'event';

// Expressions come from people and from shared workspace files: allow arithmetic, functions on
// columns and literals, nothing that reads other files or changes the database.
// Subqueries need one of the statement keywords (DuckDB also runs `(PIVOT 'file' ...)`,
// `(TABLE t)`, `(SUMMARIZE t)` and the like as subqueries).
// Besides what reads or changes the database: functions that build values of any size (a
// `repeat('x', 2e9)` exhausts DuckDB-wasm's memory and can break its worker) or read settings.
const kForbidden = /;|--|\/\*|\b(read_\w+|copy|attach|detach|install|load|pragma|call|export|import|create|drop|insert|update|delete|alter|set|reset|select|from|with|glob|checkpoint|vacuum|query|query_table|table|values|pivot|unpivot|summarize|describe|show|explain|repeat|range|generate_series|unnest|list_resize|array_resize|lpad|rpad|getenv|current_setting|sniff_csv|duckdb_\w+|parquet_\w+)\b/i;
export function checkExpression(expr, what) {
  const text = String(expr);
  if (text.length > 2000) throw new Error(`${what}: the expression is longer than 2000 characters`);
  // Quoted identifiers and string literals are data, not keywords. One left-to-right pass, so
  // a quote character inside the other kind of quotes ('"' or "it's") cannot shift the pairing.
  const bare = text.replace(/"(?:[^"]|"")*"|'(?:[^']|'')*'/g, (q) => (q[0] === '"' ? '""' : "''"));
  // Dollar-quoted ($$...$$) and escape (E'\'') strings quote differently from the pairing above.
  if (/\$/.test(bare)) throw new Error(`${what}: "$" is not allowed in an expression`);
  if (/(^|[^\w])e''/i.test(bare)) throw new Error(`${what}: escape strings (E'...') are not allowed in an expression`);
  const bad = bare.match(kForbidden);
  if (bad) throw new Error(`${what}: "${bad[0]}" is not allowed in an expression`);
  if (/:\/\//.test(text)) throw new Error(`${what}: URLs are not allowed in an expression`);
  return text;
}

// Validates a mapping against a file's columns; returns a list of problems with their paths.
export function validateMapping(m, columns) {
  // Mappings also come from workspace files: anything but the documented shape is a problem,
  // never an exception.
  if (!m || typeof m !== 'object' || Array.isArray(m)) return ['mapping: expected an object'];
  const problems = [];
  const names = new Set(columns.map((c) => c.name));
  const given = (key) => m[key] !== null && m[key] !== undefined;
  const typed = {};
  for (const key of ['user_id', 'time', 'event', 'revenue', 'order_id', 'refund_status', 'event_constant', 'revenue_expr', 'filter', 'time_format']) {
    typed[key] = !given(key) || typeof m[key] === 'string';
    if (!typed[key]) problems.push(`${key}: expected text`);
  }
  const col = (key) => {
    if (typed[key] && given(key) && !names.has(m[key])) problems.push(`${key}: no column named "${m[key]}"`);
  };
  if (given('refund_values') && (!Array.isArray(m.refund_values) || m.refund_values.some((c) => typeof c !== 'string'))) {
    problems.push('refund_values: expected a list of texts');
  }
  if (given('columns') && (!Array.isArray(m.columns) || m.columns.some((c) => typeof c !== 'string'))) {
    return [...problems, 'columns: expected a list of column names'];
  }
  if (!KINDS.includes(m.kind)) problems.push(`kind: expected one of ${KINDS.join(', ')}`);
  if (!m.user_id) problems.push('user_id: choose the column that holds the user id');
  col('user_id');
  if (m.kind !== 'users') {
    if (!m.time) problems.push('time: choose the column that holds the time');
    col('time');
    col('event');
    col('revenue');
    col('order_id');
    col('refund_status');
    if (m.kind === 'events' && !m.event && !String(m.event_constant || '').trim()) problems.push('event: choose a column or give a constant event name');
    if (m.kind === 'orders' && !m.revenue && !String(m.revenue_expr || '').trim()) problems.push('revenue: choose a column or an expression');
  }
  if (typed.time_format && !TIME_FORMATS.includes(m.time_format || 'auto')) problems.push(`time_format: expected one of ${TIME_FORMATS.join(', ')}`);
  if (!Number.isInteger(m.tz_offset_minutes ?? 0) || Math.abs(m.tz_offset_minutes ?? 0) > 18 * 60)
    problems.push('tz_offset_minutes: expected whole minutes between -1080 and 1080');
  for (const [i, c] of (m.columns || []).entries()) if (!names.has(c)) problems.push(`columns[${i}]: no column named "${c}"`);
  for (const key of ['revenue_expr', 'filter']) {
    if (!m[key] || !typed[key]) continue;
    try {
      checkExpression(m[key], key);
    } catch (e) {
      problems.push(e.message);
    }
  }
  return problems;
}

// Role columns are cast to the few layouts the core reads: text, BIGINT, DOUBLE, or epoch µs.
function roleSql(column, type, role, tzOffsetMinutes = 0) {
  const c = quoteIdent(column);
  if (role === 'time') {
    // An instant with a zone (TIMESTAMPTZ) is taken as it is. A DATE or zone-less TIMESTAMP that
    // DuckDB's sniffer parsed is wall time like zone-less text: the core leaves epoch µs alone,
    // so the offset is applied here (the same text in JSON, read by the core, gets it there).
    if (/^(TIMESTAMP WITH TIME ZONE|TIMESTAMPTZ)$/i.test(type)) return { sql: `epoch_us(${c})`, layout: 'epoch_us' };
    if (isTemporal(type)) {
      const shift = Number.isInteger(tzOffsetMinutes) && tzOffsetMinutes ? ` - ${tzOffsetMinutes * 60_000_000}` : '';
      return { sql: `(epoch_us(CAST(${c} AS TIMESTAMP))${shift})`, layout: 'epoch_us' };
    }
    if (isNumeric(type)) return { sql: `CAST(${c} AS DOUBLE)`, layout: 'double' };
    return { sql: `CAST(${c} AS VARCHAR)`, layout: 'text' };
  }
  if (role === 'user_id') {
    if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|UTINYINT|USMALLINT|UINTEGER)$/i.test(type)) return { sql: `CAST(${c} AS BIGINT)`, layout: 'int64' };
    if (isNumeric(type)) return { sql: `CAST(${c} AS DOUBLE)`, layout: 'double' };
    return { sql: `CAST(${c} AS VARCHAR)`, layout: 'text' };
  }
  if (role === 'revenue') {
    if (isNumeric(type)) return { sql: `CAST(${c} AS DOUBLE)`, layout: 'double' };
    return { sql: `CAST(${c} AS VARCHAR)`, layout: 'text' };
  }
  return { sql: `CAST(${c} AS VARCHAR)`, layout: 'text' };
}

// An explicit day/month order (time_format mdy_slash or dmy_slash) wins over the order DuckDB's
// sniffer chose when it typed a CSV column as DATE or TIMESTAMP: "01/02/2024" typed day-first
// is written back as the text it was read from (strftime with the sniffed format, kept on the
// column by source_loader.js) and the core reads that text in the chosen order, so rows that do
// not fit the order are rejected as any text would be. Null when DuckDB's reading stands: no
// sniffed format, a year-first format, or the order DuckDB chose.
const kDayMonthOrders = { mdy_slash: '%m', dmy_slash: '%d' };
function typedTimeAsText(column, timeFormat) {
  const first = kDayMonthOrders[timeFormat];
  const sniffed = column && column.format && /^(DATE|TIMESTAMP)$/i.test(column.type) && /^%([dm])[-/.]%([dm])[-/.]%Y/.exec(column.format);
  if (!first || !sniffed || sniffed[1] === sniffed[2] || `%${sniffed[1]}` === first) return null;
  return { sql: `strftime(${quoteIdent(column.name)}, ${quoteLiteral(column.format)})`, layout: 'text' };
}

// Compiles a mapping to one SELECT over the file's DuckDB table. Returns the SQL and, per output
// column, its role and layout, in order: user_id, time, event, revenue, order_id, then columns;
// `fileRows` when the SELECT gives each row of the file once (no filter, no refund rows).
export function mappingSql(m, columns, table) {
  const typeOf = new Map(columns.map((c) => [c.name, c.type]));
  const out = [];
  const add = (role, r) => out.push({ role, ...r });
  add('user_id', roleSql(m.user_id, typeOf.get(m.user_id), 'user_id'));
  if (m.kind !== 'users') {
    const time = columns.find((c) => c.name === m.time);
    add('time', typedTimeAsText(time, m.time_format) || roleSql(m.time, typeOf.get(m.time), 'time', m.tz_offset_minutes));
    // An orders file holds purchases only: its rows take the constant purchase event.
    if (m.event && m.kind === 'events') add('event', roleSql(m.event, typeOf.get(m.event), 'event'));
    let revenue = null;
    if (m.revenue_expr) revenue = { sql: `TRY_CAST((${checkExpression(m.revenue_expr, 'revenue_expr')}) AS DOUBLE)`, layout: 'double' };
    else if (m.revenue) revenue = roleSql(m.revenue, typeOf.get(m.revenue), 'revenue');
    if (revenue) add('revenue', revenue);
    if (m.order_id) add('order_id', roleSql(m.order_id, typeOf.get(m.order_id), 'order_id'));
  }
  for (const name of m.columns || []) add('column', { name, ...columnSql(name, typeOf.get(name)) });
  const filter = m.filter ? checkExpression(m.filter, 'filter') : '';
  const where = filter ? ` WHERE ${filter}` : '';
  const select = out.map((o, i) => `${o.sql} AS c${i}`).join(', ');
  let sql = `SELECT ${select} FROM ${quoteIdent(table)}${where}`;
  const refund = m.kind === 'orders' ? refundByStatus(m, out.find((o) => o.role === 'revenue')) : null;
  if (refund) {
    // A refunded order was a purchase, then a refund of its amount: the row again, negated,
    // which the core makes a `refund` event (DESIGN §2), after every purchase row.
    const again = out.map((o, i) => `${o.role === 'revenue' ? refund.negative : o.sql} AS c${i}`).join(', ');
    sql += ` UNION ALL SELECT ${again} FROM ${quoteIdent(table)} WHERE ${filter ? `(${filter}) AND ` : ''}${refund.marked}`;
  }
  return { sql, outputs: out, fileRows: !filter && !refund };
}

// An orders row whose status is one of refund_values (trimmed text) was refunded: the SQL that
// marks it and its amount negated. Null without a status, values or a revenue.
function refundByStatus(m, revenue) {
  const values = Array.isArray(m.refund_values) ? m.refund_values.filter((v) => typeof v === 'string' && v.trim()) : [];
  if (!m.refund_status || !values.length || !revenue) return null;
  const marked = `trim(CAST(${quoteIdent(m.refund_status)} AS VARCHAR)) IN (${values.map((v) => quoteLiteral(v.trim())).join(', ')})`;
  const negative = revenue.layout === 'double' ? `-abs(${revenue.sql})` : `'-' || ltrim(trim(${revenue.sql}), '-')`;
  return { marked, negative };
}

function columnSql(name, type) {
  const c = quoteIdent(name);
  const t = String(type || '').toUpperCase();
  if (t === 'BOOLEAN') return { sql: `CAST(${c} AS BIGINT)`, layout: 'int64', type: 'bool' };
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|UTINYINT|USMALLINT|UINTEGER)$/.test(t)) return { sql: `CAST(${c} AS BIGINT)`, layout: 'int64', type: 'int' };
  if (isNumeric(t)) return { sql: `CAST(${c} AS DOUBLE)`, layout: 'double', type: 'double' };
  if (t === 'DATE') return { sql: `epoch_us(CAST(${c} AS TIMESTAMP))`, layout: 'int64', type: 'date' };
  if (t.startsWith('TIMESTAMP')) return { sql: `epoch_us(CAST(${c} AS TIMESTAMP))`, layout: 'int64', type: 'timestamp' };
  return { sql: `CAST(${c} AS VARCHAR)`, layout: 'text', type: 'string' };
}
