// Definitions for the differential oracle, generated from the data's own schema: every rule
// kind (property, behavior, audience, funnel, rfm, lifecycle and its board-group form, retention
// cells, nested groups), operator, window form, count unit, aggregate, occurrence, nesting and negation of the
// audience format; every funnel mode with windows in each unit, entry ranges, exclusions, step
// filters, audience filters and breakdowns; every RFM method and monetary setting with cut points
// and segment grids; retention by event or date attribute, each period, exact and on-or-after,
// any or a chosen return; lifecycles and boards with their windows, thresholds and events. Values come from the data (its most frequent
// values, and a value no row has), so that rules match some users and miss others.
import { rng } from './random.mjs';

// The schema of the contract tables `users` and `events` in DuckDB (db.query → Arrow), with
// up to 6 frequent values of each column, as the generators need it.
export function readSchema(db) {
  const rows = (sql) => db.query(sql).toArray().map((r) => r.toJSON());
  const columns = (table) => rows(`DESCRIBE ${table}`).map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
  const values = (table, c, where = '') => rows(`SELECT "${c.name.replace(/"/g, '""')}" AS v, count(*) AS n FROM ${table} ${where}
      GROUP BY 1 HAVING v IS NOT NULL ORDER BY n DESC, v LIMIT 6`).map((r) => plain(r.v, c.type));
  const attributes = columns('users').filter((c) => c.name !== 'user_id').map((c) => ({ ...c, values: values('users', c) }));
  const fixed = new Set(['user_id', 'event', 'time', 'revenue', 'order_id', 'seq']);
  const properties = columns('events').filter((c) => !fixed.has(c.name)).map((c) => ({ ...c, values: values('events', c) }));
  const events = rows('SELECT event, count(*) AS n FROM events GROUP BY 1 ORDER BY n DESC, event').map((r) => String(r.event));
  const span = rows('SELECT min(time) AS lo, max(time) AS hi FROM events')[0];
  return { attributes, properties, events, from: Number(span.lo), to: Number(span.hi) };
}

// A DuckDB value as JSON writes it in a definition.
function plain(v, type) {
  if (typeof v === 'bigint') return Number(v);
  if (/^DATE/.test(type)) return new Date(Number(v)).toISOString().slice(0, 10);
  if (/^TIMESTAMP/.test(type)) return new Date(Number(v)).toISOString().replace('.000Z', 'Z');
  return v;
}

const kind = (type) => {
  const t = String(type).toUpperCase();
  if (t === 'BOOLEAN') return 'bool';
  if (/INT|DOUBLE|FLOAT|DECIMAL|REAL/.test(t)) return 'number';
  if (/^DATE|^TIMESTAMP/.test(t)) return 'time';
  return 'text';
};

// One comparison (a property rule's or a where filter's) on column `c`, valid for its type.
function comparison(r, c) {
  const pick = (list) => list[Math.floor(r() * list.length)];
  const k = kind(c.type);
  const known = c.values.length ? c.values : k === 'number' ? [0] : k === 'bool' ? [true] : k === 'time' ? ['2026-01-01'] : ['x'];
  const value = () => (r() < 0.85 ? pick(known) : k === 'number' ? 123456 : k === 'bool' ? !known[0] : k === 'time' ? '2031-01-01' : 'no such value');
  const ops = { bool: ['eq', 'neq', 'in', 'not_in', 'is_set', 'is_not_set'],
    number: ['eq', 'neq', 'in', 'not_in', 'gt', 'gte', 'lt', 'lte', 'between', 'is_set', 'is_not_set'],
    time: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'between', 'is_set', 'is_not_set'],
    text: ['eq', 'neq', 'in', 'not_in', 'contains', 'not_contains', 'starts_with', 'gt', 'lte', 'between', 'is_set', 'is_not_set'] }[k];
  const op = pick(ops);
  const out = { op };
  if (op === 'in' || op === 'not_in') out.values = [value(), value()].filter((v, i, a) => a.indexOf(v) === i);
  else if (op === 'between') {
    let [a, b] = [value(), value()];
    if (k === 'number' ? a > b : String(a) > String(b)) [a, b] = [b, a];
    out.values = [a, b];
  } else if (op === 'contains' || op === 'not_contains' || op === 'starts_with') {
    const s = String(pick(known));
    out.value = s.slice(0, Math.max(1, Math.floor(r() * s.length)));
  } else if (op !== 'is_set' && op !== 'is_not_set') out.value = value();
  if (k === 'text' && op !== 'is_set' && op !== 'is_not_set' && r() < 0.25) out.ci = true;
  return out;
}

function window(r, schema) {
  const x = r();
  if (x < 0.3) return undefined;
  if (x < 0.7) return { last_days: [1, 7, 30, 90, 100000][Math.floor(r() * 5)] };
  const t = (f) => new Date(schema.from + f * (schema.to - schema.from)).toISOString().replace('.000Z', 'Z');
  const [a, b] = [r(), r()].sort();
  if (x < 0.8) return { from: t(a) };
  if (x < 0.9) return { to: t(b) };
  return a === b ? { from: t(a) } : { from: t(a), to: t(b) };
}

const numeric = (schema) => schema.properties.filter((p) => kind(p.type) === 'number');

function behavior(r, schema, opts) {
  const pick = (list) => list[Math.floor(r() * list.length)];
  const rule = { kind: 'behavior', event: r() < 0.9 ? pick(schema.events.slice(0, 6)) : pick(schema.events) };
  if (r() < 0.2) rule.did = false;
  if (r() < 0.35) rule.where = Array.from({ length: 1 + Math.floor(r() * 2) }, () => {
    const p = pick(schema.properties);
    return { property: p.name, ...comparison(r, p) };
  });
  const w = window(r, schema);
  if (w) rule.window = w;
  const m = r();
  if (m < 0.45) {
    const op = pick(['gte', 'lte', 'eq', 'between']);
    rule.count = op === 'between' ? { op, values: [1, 1 + Math.floor(r() * 3)] } : { op, value: Math.floor(r() * 4) };
    if (opts.units && r() < 0.5) rule.count.unit = pick(['events', 'orders', 'days']);
  } else if (m < 0.75) {
    const props = numeric(schema);
    const ofProperty = props.length && r() < 0.5;
    const fn = pick(['sum', 'avg', 'min', 'max']);
    const op = pick(['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'between']);
    const v = () => Math.round(r() * 100);
    rule.aggregate = { fn, of: ofProperty ? 'property' : 'revenue', ...(ofProperty ? { property: pick(props).name } : {}), op };
    if (op === 'between') rule.aggregate.values = [v(), 100 + v()];
    else rule.aggregate.value = v();
  } else if (m < 0.85) rule.occurrence = pick(['first', 'last']);
  return rule;
}

function group(r, schema, opts, depth) {
  const n = Math.floor(r() * (depth === 0 ? 4 : 3)) + (depth === 0 ? 1 : 0);
  const rules = Array.from({ length: n }, () => {
    const x = r();
    if (x < 0.15 && depth < 2) return group(r, schema, opts, depth + 1);
    if (x < 0.45) {
      const a = schema.attributes[Math.floor(r() * schema.attributes.length)];
      return { kind: 'property', attribute: a.name, ...comparison(r, a) };
    }
    if (x < 0.52 && opts.audiences?.length) return { kind: 'audience', op: r() < 0.7 ? 'in' : 'not_in', id: opts.audiences[Math.floor(r() * opts.audiences.length)] };
    if (x < 0.61 && opts.rfms?.length) return rfmRule(r, opts.rfms);
    if (x < 0.64 && opts.lifecycle) return lifecycleRule(r, schema);
    if (x < 0.67 && opts.retention) return retentionRule(r, schema);
    if (x < 0.58 && opts.funnels?.length) {
      const f = opts.funnels[Math.floor(r() * opts.funnels.length)];
      return { kind: 'funnel', funnel: f.id, ...(r() < 0.6 ? { reached: 1 + Math.floor(r() * f.steps) } : { dropped_after: 1 + Math.floor(r() * (f.steps - 1)) }) };
    }
    return behavior(r, schema, opts);
  });
  const g = { kind: 'group', match: r() < 0.6 ? 'all' : 'any', rules };
  if (depth > 0 && r() < 0.2) g.negate = true;
  return g;
}

// `prefix` names them (`${prefix}${i}`): the corpus's must not take a saved audience's id.
export function generateAudiences(schema, { count, seed, prefix = 'oracle-a', ...opts }) {
  const r = rng(seed);
  return Array.from({ length: count }, (_, i) => ({ segx: 1, id: `${prefix}${i}`, name: `oracle audience ${i}`, root: group(r, schema, opts, 0) }));
}

const WINDOWS = [{ seconds: 1 }, { seconds: 90 }, { minutes: 45 }, { hours: 6 }, { hours: 48 }, { days: 1 }, { days: 7 }, { days: 30 }];

export function generateFunnels(schema, { count, seed, audiences = [] }) {
  const r = rng(seed);
  const pick = (list) => list[Math.floor(r() * list.length)];
  const events = schema.events.slice(0, 6);
  return Array.from({ length: count }, (_, i) => {
    const order = ['ordered', 'strict', 'unordered'][i % 3];
    const n = 2 + Math.floor(r() * 3);
    const steps = Array.from({ length: n }, () => {
      const step = { event: pick(events) };
      if (r() < 0.25) {
        const p = pick(schema.properties);
        step.where = [{ property: p.name, ...comparison(r, p) }];
      }
      return step;
    });
    const def = { segx: 1, kind: 'funnel', id: `oracle-f${i}`, name: `oracle funnel ${i}`, steps, order, window: pick(WINDOWS) };
    if (r() < 0.3) {
      const t = (f) => new Date(schema.from + f * (schema.to - schema.from)).toISOString().replace('.000Z', 'Z');
      const [a, b] = [r(), r()].sort();
      def.entry = r() < 0.3 ? { from: t(a) } : a === b ? { to: t(b) } : { from: t(a), to: t(b) };
    }
    if (order !== 'unordered' && r() < 0.35) {
      const i1 = 1 + Math.floor(r() * (n - 1));
      const exclusion = { event: pick(events), between: [i1, i1 + 1 + Math.floor(r() * (n - i1))] };
      def.exclusions = [exclusion];
    }
    if (r() < 0.25) def.audience = audiences.length && r() < 0.5 ? { audience: pick(audiences) } : group(r, schema, {}, 1);
    if (r() < 0.2) def.breakdown = { attribute: pick(schema.attributes).name, top: 2 + Math.floor(r() * 3) };
    return def;
  });
}

const DAYS = [1, 7, 30, 90, 365];

// An `rfm` rule on saved settings ({id, segments: names, method}): segments or score ranges.
function rfmRule(r, rfms) {
  const pick = (list) => list[Math.floor(r() * list.length)];
  const s = pick(rfms);
  const rule = { kind: 'rfm', ...(s.id ? { rfm: s.id } : {}) };
  if (r() < 0.5) return { ...rule, segments: [pick(s.segments), pick(s.segments)].filter((v, i, a) => a.indexOf(v) === i) };
  const top = s.method === 'mean' ? 2 : 5;
  const range = () => {
    const a = 1 + Math.floor(r() * top), b = 1 + Math.floor(r() * top);
    return [Math.min(a, b), Math.max(a, b)];
  };
  for (const k of ['r', 'f', 'm']) if (r() < 0.6) rule[k] = range();
  if (!rule.r && !rule.f && !rule.m) rule.f = range();
  return rule;
}

// A `lifecycle` rule: a stage in the period holding as-of, or a board group.
function lifecycleRule(r, schema) {
  const pick = (list) => list[Math.floor(r() * list.length)];
  const event = r() < 0.5 ? { event: pick(schema.events.slice(0, 6)) } : {};
  if (r() < 0.6) return { kind: 'lifecycle', stage: pick(['new', 'returning', 'resurrecting', 'dormant']), period: pick(['day', 'week', 'month']), ...event };
  return { kind: 'lifecycle', group: pick(['new', 'returning', 'dormant']), window: { last_days: pick(DAYS) }, dormant_days: pick([1, 30, 90]), ...event };
}

// A `retention` rule: a cell (cohort, k) of an inline retention, the cohort a period's first
// day within the data's span (or a little after it: an empty cell).
function retentionRule(r, schema) {
  const pick = (list) => list[Math.floor(r() * list.length)];
  const period = pick(['day', 'week', 'month']);
  const periods = 1 + Math.floor(r() * 8);
  const retention = { segx: 1, kind: 'retention', period, start: { event: pick(schema.events.slice(0, 6)) },
    return: r() < 0.5 ? { any: true } : { event: pick(schema.events.slice(0, 6)) }, mode: r() < 0.5 ? 'exact' : 'on_or_after', periods };
  const d = new Date(schema.from + (0.4 + 0.65 * r()) * (schema.to - schema.from));
  d.setUTCHours(0, 0, 0, 0);
  if (period === 'week') d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  if (period === 'month') d.setUTCDate(1);
  return { kind: 'retention', retention, cohort: d.toISOString().slice(0, 10), period: Math.floor(r() * (periods + 1)) };
}

const ascending = (r, scale) => {
  const cuts = [];
  let x = 0;
  for (let i = 0; i < 4; i++) cuts.push((x += Math.max(scale / 100, Math.round(r() * scale * 100) / 100)));
  return cuts;
};

// RFM settings: every method and monetary setting, cut points, and custom segment grids (one
// bounding M, one covering the grid in bands) beside the default one.
export function generateRfms(schema, { count, seed }) {
  const r = rng(seed);
  return Array.from({ length: count }, (_, i) => {
    const def = { segx: 1, kind: 'rfm', id: `oracle-r${i}`, name: `oracle rfm ${i}`, method: ['quantile', 'thresholds', 'mean'][i % 3] };
    if (r() < 0.5) def.monetary = 'mean_order';
    if (r() < 0.7) def.thresholds = { r: ascending(r, 40), f: r() < 0.5 ? [1, 2, 3, 5] : ascending(r, 3), m: ascending(r, 60) };
    const top = def.method === 'mean' ? 2 : 5;
    if (r() < 0.4) {
      const cut = 1 + Math.floor(r() * (top - 1));
      def.segments = [
        { name: 'high M', r: [1, top], f: [1, top], m: [cut + 1, top] },
        { name: 'recent', r: [cut + 1, top], f: [1, top], m: [1, cut] },
        { name: 'rest', r: [1, cut], f: [1, top], m: [1, cut] },
      ];
    } else if (def.method === 'mean') {
      def.segments = [{ name: 'above', r: [2, 2], f: [1, 2], m: [1, 2] }, { name: 'below', r: [1, 1], f: [1, 2], m: [1, 2] }];
    }
    return def;
  });
}

// Retention definitions: each period, exact and on-or-after, start by event or date attribute,
// any or a chosen return, short and long triangles, audience filters.
export function generateRetentions(schema, { count, seed, audiences = [] }) {
  const r = rng(seed);
  const pick = (list) => list[Math.floor(r() * list.length)];
  const dates = schema.attributes.filter((a) => /^DATE|^TIMESTAMP/.test(a.type));
  const events = schema.events.slice(0, 6);
  return Array.from({ length: count }, (_, i) => {
    const period = ['day', 'week', 'month'][i % 3];
    const def = { segx: 1, kind: 'retention', id: `oracle-t${i}`, name: `oracle retention ${i}`, period,
      start: dates.length && r() < 0.3 ? { attribute: pick(dates).name } : { event: pick(events) },
      mode: Math.floor(i / 3) % 2 ? 'on_or_after' : 'exact' };
    def.return = r() < 0.5 ? { event: pick(events) } : { any: true };
    def.periods = period === 'day' ? 1 + Math.floor(r() * 40) : period === 'week' ? 1 + Math.floor(r() * 20) : 1 + Math.floor(r() * 12);
    if (r() < 0.3) def.cohorts = 1 + Math.floor(r() * 30);
    if (r() < 0.25) def.audience = audiences.length && r() < 0.5 ? { audience: pick(audiences) } : group(r, schema, {}, 1);
    return def;
  });
}

// Lifecycles (each period, an event or any, 1..30 periods) and boards (last N days or a from/to
// window, dormancy thresholds, an event or any), some with audience filters.
export function generateLifecycles(schema, { count, seed, audiences = [] }) {
  const r = rng(seed);
  const pick = (list) => list[Math.floor(r() * list.length)];
  const events = schema.events.slice(0, 6);
  const t = (f) => new Date(schema.from + f * (schema.to - schema.from)).toISOString().replace('.000Z', 'Z');
  const out = [];
  for (let i = 0; i < count; i++) {
    const audience = r() < 0.25 ? { audience: audiences.length && r() < 0.5 ? { audience: pick(audiences) } : group(r, schema, {}, 1) } : {};
    const event = r() < 0.6 ? { event: pick(events) } : {};
    if (i % 2 === 0) {
      out.push({ segx: 1, kind: 'lifecycle', id: `oracle-l${i}`, name: `oracle lifecycle ${i}`, period: pick(['day', 'week', 'month']), periods: 1 + Math.floor(r() * 30), ...event, ...audience });
    } else {
      const [a, b] = [0.3 + 0.6 * r(), 0.3 + 0.6 * r()].sort();
      const period = r() < 0.6 ? { last_days: pick(DAYS) } : a === b || r() < 0.3 ? { from: t(a) } : { from: t(a), to: t(b) };
      out.push({ segx: 1, kind: 'board', id: `oracle-b${i}`, name: `oracle board ${i}`, period, dormant_days: pick([1, 7, 30, 90, 400]), ...event, ...audience });
    }
  }
  return out;
}
