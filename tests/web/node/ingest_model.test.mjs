// Several files make one user-centric model: ids that differ only in type are one user, order
// ids count once across files, amount expressions and row filters match native DuckDB, and a
// reloaded or removed file leaves no trace.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';


import { applyMapping, dropSource, fillModel, loadSource } from '../../../web/source_loader.js';
import { startCore, startDuckDB, utf8 } from '../support/node_env.mjs';

// DuckDB-wasm as node_env.mjs makes it, with Arrow tables inserted as an IPC stream (the
// blocking build's insertArrowTable creates nothing for the ES-module Tables of the readers).

// Native DuckDB (@duckdb/node-api) over the same CSV text, for figures computed independently.
let native = null;
let tmp = null;
async function nativeRow(csvText, select) {
  if (!native) {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    native = await (await DuckDBInstance.create(':memory:')).connect();
    tmp = mkdtempSync(join(tmpdir(), 'segx-ingest-'));
  }
  const path = join(tmp, `f${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(path, csvText);
  const reader = await native.runAndReadAll(select.replace('$FILE', `read_csv_auto('${path}')`));
  return reader.getRowObjectsJS()[0];
}

let bridge, db;
before(async () => {
  bridge = await startCore();
  db = await startDuckDB();
});

const state = (section) => bridge.state(section);
const source = (name) => state('sources').find((s) => s.name === name);
const figures = () => {
  const o = state('overview');
  return { users: o.users, customers: o.customers, events: o.events, orders: o.orders, revenue: o.revenue };
};
const topEvents = () => Object.fromEntries(state('overview').top_events.map((e) => [e.event, [e.events, e.users]]));
const cents = (x) => Math.round(x * 100);
async function clear() {
  for (const s of state('sources')) {
    bridge.call('source_remove', s.name);
    await dropSource(db, s.name);
  }
  assert.deepEqual(figures(), { users: 0, customers: 0, events: 0, orders: 0, revenue: 0 });
}

describe('users + events + orders files make one model', () => {
  // users.csv: ids as integers (BIGINT).
  const USERS = 'user_id,country,signup_date\n123,CN,2024-01-05\n456,US,2024-01-06\n789,JP,2024-01-07\n';
  // events.csv: ids as text (VARCHAR: "guest-1" is not a number); " 456" carries spaces; the
  // purchase rows carry the order ids of orders.csv but no amounts.
  const EVENTS = [
    'user_id,event,time,order_id',
    '"123",view,2024-02-01 10:00:00,',
    '"123",purchase,2024-02-01 10:05:00,A1',
    'guest-1,view,2024-02-02 09:00:00,',
    '" 456",purchase,2024-02-03 12:00:00,A2',
  ].join('\n') + '\n';
  // orders.csv: ids as 123.0 (DOUBLE, as pandas writes an integer column with gaps).
  const ORDERS = [
    'customer_id,order_id,order_time,amount',
    '123.0,A1,2024-02-01 10:05:00,50',
    '456.0,A2,2024-02-03 12:00:00,20',
    '123.0,A3,2024-02-10 08:00:00,5.5',
  ].join('\n') + '\n';

  before(async () => {
    await clear();
    for (const [name, text] of [['users.csv', USERS], ['events.csv', EVENTS], ['orders.csv', ORDERS]]) {
      await loadSource({ db, bridge, name, bytes: utf8(text) });
    }
  });

  test('each file gets its kind and id column, with the id types DuckDB found', () => {
    const s = state('sources');
    assert.deepEqual(s.map((x) => [x.name, x.mapping.kind, x.mapping.user_id, x.columns.find((c) => c.name === x.mapping.user_id).type]), [
      ['users.csv', 'users', 'user_id', 'BIGINT'],
      ['events.csv', 'events', 'user_id', 'VARCHAR'],
      ['orders.csv', 'orders', 'customer_id', 'DOUBLE'],
    ]);
    assert.deepEqual(source('users.csv').mapping.columns, ['country', 'signup_date']);
    assert.deepEqual(s.map((x) => x.rejects.total), [0, 0, 0]);
  });

  test('123, "123", " 456" and 123.0 are the same users; a user only in events is a user', () => {
    // 123, 456 and 789 from users.csv, guest-1 from events.csv: not 123 twice, nor "123.0".
    assert.equal(state('overview').users, 4);
    // A1 and A2 are purchases in both files: one purchase each (the orders file's, which has
    // the amount), so 3 purchases, not 5.
    assert.deepEqual(topEvents(), { purchase: [3, 2], view: [2, 2] });
    assert.equal(state('overview').merged_purchases, 2);
  });

  test('an order id in both the events file and the orders file counts once', () => {
    // A1 and A2 appear in both files, A3 only in orders.csv: 3 orders, not 5. Revenue comes
    // from the orders file alone (the purchase events carry no amount).
    assert.deepEqual(figures(), { users: 4, customers: 2, events: 5, orders: 3, revenue: 75.5 });
    assert.equal(state('overview').first, '2024-02-01 10:00:00');
    assert.equal(state('overview').last, '2024-02-10 08:00:00');
  });

  test('reloading a file under the same name replaces it: nothing doubles', async () => {
    await loadSource({ db, bridge, name: 'events.csv', bytes: utf8(EVENTS) });
    await loadSource({ db, bridge, name: 'orders.csv', bytes: utf8(ORDERS) });
    assert.deepEqual(figures(), { users: 4, customers: 2, events: 5, orders: 3, revenue: 75.5 });
    assert.equal(state('sources').length, 3);
    // A new version of orders.csv with one more order, from a new customer.
    await loadSource({ db, bridge, name: 'orders.csv', bytes: utf8(ORDERS + '999,A4,2024-02-11 08:00:00,4.5\n') });
    assert.deepEqual(figures(), { users: 5, customers: 3, events: 6, orders: 4, revenue: 80 });
    assert.equal(source('orders.csv').rows, 4);
    await loadSource({ db, bridge, name: 'orders.csv', bytes: utf8(ORDERS) });
    assert.deepEqual(figures(), { users: 4, customers: 2, events: 5, orders: 3, revenue: 75.5 });
  });

  test('removing a file from the model takes its users, events, orders and revenue with it', async () => {
    // The core keeps no copy of the other files' mapped rows: fillModel streams them again.
    bridge.modelRemove('orders.csv');
    assert.deepEqual(bridge.missingSources().map((m) => m.name).sort(), ['events.csv', 'users.csv']);
    await fillModel({ db, bridge });
    // Orders A1 and A2 remain as purchase events of events.csv; A3 and all revenue go.
    assert.deepEqual(figures(), { users: 4, customers: 2, events: 4, orders: 2, revenue: 0 });
    assert.deepEqual(topEvents(), { purchase: [2, 2], view: [2, 2] });
    assert.equal(source('orders.csv').rejects.read, 0); // no mapped source left
    bridge.modelRemove('events.csv');
    await fillModel({ db, bridge });
    assert.deepEqual(figures(), { users: 3, customers: 0, events: 0, orders: 0, revenue: 0 });
    assert.equal(state('overview').first, null);
    assert.equal(state('as_of'), null);
    bridge.modelRemove('users.csv');
    await fillModel({ db, bridge });
    assert.deepEqual(figures(), { users: 0, customers: 0, events: 0, orders: 0, revenue: 0 });
    // The files stay listed (their tables are loaded) until removed from the session.
    assert.deepEqual(state('sources').map((s) => s.name), ['users.csv', 'events.csv', 'orders.csv']);
    bridge.call('source_remove', 'events.csv');
    assert.deepEqual(state('sources').map((s) => s.name), ['users.csv', 'orders.csv']);
  });
});

// A UCI Online Retail layout: line items, cancellations ("C" invoices, negative quantities),
// adjustments with negative amounts, rows without a customer, descriptions with commas.
function uciCsv() {
  const lines = ['InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country'];
  const items = [
    ['85123A', 'WHITE HANGING HEART T-LIGHT HOLDER', 2.55],
    ['71053', 'WHITE METAL LANTERN', 3.39],
    ['84406B', '"CREAM CUPID HEARTS COAT HANGER, LARGE"', 2.75],
    ['22752', 'SET 7 BABUSHKA NESTING BOXES', 7.65],
    ['21730', 'GLASS STAR FROSTED T-LIGHT HOLDER', 4.25],
    ['22633', 'HAND WARMER UNION JACK', 1.85],
    ['POST', 'POSTAGE', 18],
  ];
  const customers = [17850, 13047, 12583, 13748, 15100, 15291, 14688, 17809, 15311, 16098];
  let seed = 7;
  const rand = (n) => ((seed = (seed * 1103515245 + 12345) % 2147483648), Math.floor(seed / 65536) % n);
  for (let inv = 0; inv < 120; inv++) {
    const cancelled = inv % 11 === 5;
    const no = (cancelled ? 'C' : '') + (536365 + inv);
    const customer = inv % 13 === 7 ? '' : String(customers[rand(customers.length)]);
    const day = 1 + (inv % 28);
    const time = `12/${day}/2010 ${8 + (inv % 10)}:${String((inv * 7) % 60).padStart(2, '0')}`;
    const country = customer === '12583' ? 'France' : 'United Kingdom';
    const n = 1 + rand(4);
    for (let k = 0; k < n; k++) {
      const [code, desc, price] = items[rand(items.length)];
      const qty = (cancelled ? -1 : 1) * (1 + rand(24));
      lines.push([no, code, desc, qty, time, price, customer, country].join(','));
    }
  }
  // Adjustments: not cancellations, yet negative amounts; and a free sample (amount 0).
  lines.push('536999,B,Adjust bad debt,1,12/20/2010 10:00,-11062.06,17850,United Kingdom');
  lines.push('537000,22752,SET 7 BABUSHKA NESTING BOXES,-3,12/21/2010 10:00,7.65,13047,United Kingdom');
  lines.push('537001,21730,SAMPLE,4,12/22/2010 10:00,0,15100,United Kingdom');
  return lines.join('\n') + '\n';
}

describe('UCI Online Retail: an amount expression and a row filter, checked against native DuckDB', () => {
  const csv = uciCsv();
  const filter = `NOT starts_with("InvoiceNo", 'C')`;
  let loaded;

  before(async () => {
    await clear();
    loaded = await loadSource({ db, bridge, name: 'Online Retail.csv', bytes: utf8(csv) });
  });

  test('the layout is inferred as orders with revenue "Quantity" * "UnitPrice"', () => {
    const m = loaded.mapping;
    assert.deepEqual(
      [m.kind, m.user_id, m.time, m.order_id, m.revenue, m.revenue_expr, m.event_constant, m.columns],
      ['orders', 'CustomerID', 'InvoiceDate', 'InvoiceNo', null, '"Quantity" * "UnitPrice"', 'purchase', ['StockCode', 'Description', 'Quantity', 'UnitPrice', 'Country']],
    );
    assert.equal(source('Online Retail.csv').time_format, 'mdy_slash');
  });

  test('with the cancellation filter, revenue and orders equal native DuckDB over the same CSV', async () => {
    const r = await applyMapping({ db, bridge, name: 'Online Retail.csv', mapping: { ...loaded.mapping, filter }, columns: loaded.columns });
    assert.equal(r.ok, true, JSON.stringify(r.problems));
    const expected = await nativeRow(csv, `
      SELECT count(DISTINCT InvoiceNo) FILTER (WHERE Quantity * UnitPrice >= 0)::INT AS orders,
             sum(Quantity * UnitPrice) FILTER (WHERE Quantity * UnitPrice >= 0)::DOUBLE AS revenue, count(*)::INT AS events,
             count(DISTINCT CustomerID) FILTER (WHERE Quantity * UnitPrice >= 0)::INT AS customers, count(DISTINCT CustomerID)::INT AS users,
             count(*) FILTER (WHERE Quantity * UnitPrice < 0)::INT AS refunds, -sum(Quantity * UnitPrice) FILTER (WHERE Quantity * UnitPrice < 0)::DOUBLE AS refunded
      FROM $FILE
      WHERE NOT starts_with(InvoiceNo, 'C') AND CustomerID IS NOT NULL`);
    const o = figures();
    assert.equal(o.orders, expected.orders);
    assert.equal(cents(o.revenue), cents(expected.revenue));
    assert.equal(o.events, expected.events);
    assert.equal(o.users, expected.users);
    assert.equal(o.customers, expected.customers);
    // The adjustments (negative amounts, not "C" invoices) are refunds beside revenue.
    const ov = state('overview');
    assert.deepEqual([ov.refunds, cents(ov.refund_amount), cents(ov.net_revenue)], [expected.refunds, cents(expected.refunded), cents(expected.revenue - expected.refunded)]);
    assert.equal(expected.refunds, 2, 'the fixture has two adjustments');
    // The rows the filter keeps and the core refuses, by reason, also as native DuckDB counts them.
    const refused = await nativeRow(csv, `
      SELECT count(*) FILTER (WHERE CustomerID IS NULL)::INT AS no_user, count(*)::INT AS kept_by_filter
      FROM $FILE WHERE NOT starts_with(InvoiceNo, 'C')`);
    const rej = source('Online Retail.csv').rejects;
    assert.equal(rej.read, refused.kept_by_filter);
    assert.deepEqual(rej.reasons.map((x) => [x.reason, x.count]), [['no user id', refused.no_user]]);
    assert.ok(refused.no_user > 0, 'the fixture has rows without a customer');
  });

  test('without the filter, cancellations are refunds: counted and shown beside revenue, never rejected', async () => {
    const r = await applyMapping({ db, bridge, name: 'Online Retail.csv', mapping: loaded.mapping, columns: loaded.columns });
    assert.equal(r.ok, true);
    const expected = await nativeRow(csv, `
      SELECT count(DISTINCT InvoiceNo) FILTER (WHERE Quantity * UnitPrice >= 0)::INT AS orders,
             sum(Quantity * UnitPrice) FILTER (WHERE Quantity * UnitPrice >= 0)::DOUBLE AS revenue,
             count(*) FILTER (WHERE Quantity * UnitPrice < 0)::INT AS refunds,
             -sum(Quantity * UnitPrice) FILTER (WHERE Quantity * UnitPrice < 0)::DOUBLE AS refunded
      FROM $FILE WHERE CustomerID IS NOT NULL`);
    assert.equal(figures().orders, expected.orders);
    assert.equal(cents(figures().revenue), cents(expected.revenue));
    const ov = state('overview');
    assert.equal(ov.refunds, expected.refunds);
    assert.equal(cents(ov.refund_amount), cents(expected.refunded));
    assert.equal(cents(ov.net_revenue), cents(expected.revenue - expected.refunded));
    assert.equal(topEvents().refund[0], expected.refunds);
    assert.ok(expected.refunds > 10, 'cancellations and adjustments');
    const rej = source('Online Retail.csv').rejects;
    assert.deepEqual(rej.reasons.map((x) => x.reason), ['no user id']);
  });

  test('a full mapping given to loadSource, filter included, gives the same model', async () => {
    await applyMapping({ db, bridge, name: 'Online Retail.csv', mapping: { ...loaded.mapping, filter }, columns: loaded.columns });
    const withFilter = [figures(), source('Online Retail.csv').rejects];
    await loadSource({ db, bridge, name: 'Online Retail.csv', bytes: utf8(csv), mapping: { ...loaded.mapping, filter } });
    assert.deepEqual([figures(), source('Online Retail.csv').rejects], withFilter);
    assert.equal(source('Online Retail.csv').mapping.filter, filter);
    const cancelled = await nativeRow(csv, `SELECT count(*)::INT AS n FROM $FILE WHERE starts_with(InvoiceNo, 'C')`);
    assert.equal(source('Online Retail.csv').rejects.read, source('Online Retail.csv').rows - cancelled.n);
  });
});
