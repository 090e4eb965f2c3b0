// Right answers on real exports (issue 13): shapes of public exports loaded through the real
// loader into the real WASM core, each figure checked against DuckDB over the raw file.
// - a line-item export (UCI Online Retail): "5+ orders" counts invoices, not lines, in the core
//   and in the compiled SQL;
// - the demo (an events file whose purchases carry the orders file's ids): one purchase per
//   order, so "purchase at least 2 times" is the real repeat buyers; the same file loaded twice
//   is said;
// - a CDNOW transactions file (customer_id,date,cds,dollars): orders with dollars as revenue;
// - a Chinese shop export with 订单状态: 已退款 rows are refunds beside revenue.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';

import { fillModel, loadSource } from '../../../web/source_loader.js';
import { loadAll, runSql } from '../support/contract_tables.mjs';
import { repo, startCore, startDuckDB, utf8 } from '../support/node_env.mjs';

const one = (db, sql) => Object.values(db.query(sql).toArray()[0].toJSON()).map((v) => (typeof v === 'bigint' ? Number(v) : v));
const cents = (x) => Math.round(x * 100);
const def = (name, ...rules) => ({ segx: 1, id: name.replace(/\W+/g, '-'), name, root: { kind: 'group', match: 'all', rules } });

// UCI Online Retail's columns, several lines per invoice, ISO times as Online Retail II writes
// them; a few "C" cancellations (negative quantities).
function onlineRetail() {
  const lines = ['InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country'];
  const customers = [17850, 13047, 12583, 13748, 15100, 15291, 14688, 17809, 15311, 16098, 12431, 12662];
  let seed = 11;
  const rand = (n) => ((seed = (seed * 1103515245 + 12345) % 2147483648), Math.floor(seed / 65536) % n);
  for (let inv = 0; inv < 70; inv++) {
    const cancelled = inv % 17 === 9;
    const customer = String(customers[rand(customers.length)]);
    const country = ['12583', '12431', '12662'].includes(customer) ? 'France' : 'United Kingdom';
    const day = String(1 + (inv % 28)).padStart(2, '0');
    const time = `2010-${inv < 35 ? 11 : 12}-${day} ${String(8 + (inv % 10)).padStart(2, '0')}:${String((inv * 7) % 60).padStart(2, '0')}:00`;
    for (let k = 1 + rand(6); k > 0; k--) {
      const qty = (cancelled ? -1 : 1) * (1 + rand(12));
      lines.push([(cancelled ? 'C' : '') + (536365 + inv), `2${rand(900)}`, `ITEM ${rand(50)}`, qty, time, (1 + rand(900) / 100).toFixed(2), customer, country].join(','));
    }
  }
  return lines.join('\n') + '\n';
}

describe('a line-item export: orders, not rows', () => {
  let bridge, db;
  before(async () => {
    bridge = await startCore();
    db = await startDuckDB();
    await loadAll(bridge, db, [['Online Retail.csv', utf8(onlineRetail())]]);
  });

  test('"UK customers with 5+ orders" counts invoices: the core, its SQL and DuckDB over the raw file agree', () => {
    const m = bridge.state('sources')[0].mapping;
    assert.deepEqual([m.kind, m.order_id, m.revenue_expr], ['orders', 'InvoiceNo', '"Quantity" * "UnitPrice"']);
    const uk = { property: 'Country', op: 'eq', value: 'United Kingdom' };
    const orders = def('UK customers with 5+ orders', { kind: 'behavior', event: 'purchase', where: [uk], count: { op: 'gte', value: 5, unit: 'orders' } });
    const lines = def('UK customers with 5+ lines', { kind: 'behavior', event: 'purchase', where: [uk], count: { op: 'gte', value: 5 } });
    const expected = (per) => runSql(db, `SELECT CAST(CustomerID AS BIGINT)::VARCHAR AS user_id FROM "Online Retail.csv"
      WHERE Country = 'United Kingdom' AND CustomerID IS NOT NULL AND Quantity * UnitPrice >= 0
      GROUP BY 1 HAVING ${per} >= 5 ORDER BY 1`);
    const byInvoice = expected('count(DISTINCT InvoiceNo)');
    const byLine = expected('count(*)');
    assert.ok(byInvoice.length > 0 && byInvoice.length < byLine.length, `a telling fixture: ${byInvoice.length} vs ${byLine.length}`);
    for (const [d, want] of [[orders, byInvoice], [lines, byLine]]) {
      const core = bridge.run(d, { members: true });
      assert.equal(core.ok, true, JSON.stringify(core.errors));
      assert.deepEqual([...core.members].sort(), want);
      const sql = bridge.sql(d);
      assert.equal(sql.ok, true);
      assert.deepEqual(runSql(db, sql.sql), want);
    }
    // Cancellations are refunds: counted beside revenue, never as orders.
    const [refunds, refunded] = one(db, `SELECT count(*), -sum(Quantity * UnitPrice) FROM "Online Retail.csv" WHERE CustomerID IS NOT NULL AND Quantity < 0`);
    const o = bridge.state('overview');
    assert.deepEqual([o.refunds, cents(o.refund_amount)], [refunds, cents(refunded)]);
    assert.ok(refunds > 0);
    const [invoices] = one(db, `SELECT count(DISTINCT InvoiceNo) FROM "Online Retail.csv" WHERE CustomerID IS NOT NULL AND Quantity >= 0`);
    assert.equal(o.orders, invoices);
  });
});

describe('the demo: one purchase per order across the events and orders files', () => {
  let bridge, db;
  const demo = (n) => readFileSync(join(repo, 'data/demo', n));
  before(async () => {
    bridge = await startCore();
    db = await startDuckDB();
    // The page's demo order (web/main.js).
    for (const name of ['users.csv', 'orders.csv', 'events.csv']) await loadSource({ db, bridge, name, bytes: demo(name) });
  });

  test('1,193 orders are 1,193 purchases, and "purchase at least 2 times" is the 156 repeat buyers', () => {
    const o = bridge.state('overview');
    const purchases = o.top_events.find((e) => e.event === 'purchase');
    assert.deepEqual([o.orders, purchases.events, purchases.users, o.customers, o.merged_purchases, cents(o.revenue)], [1193, 1193, 401, 401, 1193, 11267681]);
    const [repeat] = one(db, `SELECT count(*) FROM (SELECT user_id FROM "orders.csv" GROUP BY 1 HAVING count(*) >= 2)`);
    assert.equal(repeat, 156); // data/README.md
    for (const unit of [undefined, 'orders']) {
      const d = def('repeat buyers', { kind: 'behavior', event: 'purchase', count: { op: 'gte', value: 2, ...(unit ? { unit } : {}) } });
      assert.equal(bridge.run(d).size, repeat, `unit ${unit ?? 'events'}`);
    }
    // The kept purchases carry the events file's details too: the device of each purchase.
    const mobile = def('mobile purchasers', { kind: 'behavior', event: 'purchase', where: [{ property: 'device', op: 'eq', value: 'mobile' }] });
    const [mobileBuyers] = one(db, `SELECT count(DISTINCT user_id) FROM "events.csv" WHERE event = 'purchase' AND device = 'mobile'`);
    assert.equal(bridge.run(mobile).size, mobileBuyers);
  });

  test('the same file loaded twice (another name, another encoding) is said, naming both files', async () => {
    const text = demo('events.csv');
    // The same rows in UTF-16LE with a BOM.
    const utf16 = new Uint8Array(2 + text.length * 2);
    utf16.set([0xff, 0xfe]);
    const s = new TextDecoder().decode(text);
    for (let i = 0; i < s.length; i++) (utf16[2 + 2 * i] = s.charCodeAt(i) & 0xff), (utf16[3 + 2 * i] = s.charCodeAt(i) >> 8);
    await loadSource({ db, bridge, name: 'events (utf16).csv', bytes: utf16.subarray(0, 2 + 2 * s.length) });
    const o = bridge.state('overview');
    assert.deepEqual(o.duplicate_sources, [{ file: 'events (utf16).csv', same_as: 'events.csv' }]);
    const said = bridge.state('messages').map((m) => m.text).filter((t) => t.includes('the same rows'));
    assert.equal(said.length, 1);
    assert.match(said[0], /^events \(utf16\)\.csv holds exactly the same rows as events\.csv/);
    // Its purchases merge: still one per order.
    assert.equal(o.top_events.find((e) => e.event === 'purchase').events, 1193);
    bridge.call('source_remove', 'events (utf16).csv');
    await fillModel({ db, bridge }); // the other files' rows, streamed again for the rebuild
    assert.equal(bridge.state('overview').duplicate_sources, undefined);
  });
});

describe('a transactions file and a shop export with a status column', () => {
  let bridge, db;
  before(async () => {
    bridge = await startCore();
    db = await startDuckDB();
  });

  test('CDNOW (customer_id,date,cds,dollars) maps as orders with dollars as revenue', async () => {
    const rows = ['customer_id,date,cds,dollars'];
    for (let i = 0; i < 200; i++) rows.push([1 + (i % 37), `1997${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}`, 1 + (i % 3), ((i * 7.31) % 90 + 5).toFixed(2)].join(','));
    const r = await loadSource({ db, bridge, name: 'CDNOW_master.csv', bytes: utf8(rows.join('\n') + '\n') });
    assert.deepEqual([r.mapping.kind, r.mapping.user_id, r.mapping.time, r.mapping.revenue, r.mapping.columns], ['orders', 'customer_id', 'date', 'dollars', ['cds']]);
    const [revenue, customers] = one(db, 'SELECT sum(dollars), count(DISTINCT customer_id) FROM "CDNOW_master.csv"');
    const o = bridge.state('overview');
    assert.deepEqual([o.events, o.orders, o.customers, cents(o.revenue)], [200, 200, customers, cents(revenue)]);
    assert.equal(bridge.state('sources')[0].rejects.total, 0);
    assert.equal(o.first, '1997-01-01 00:00:00');
    bridge.call('source_remove', 'CDNOW_master.csv');
  });

  test('订单状态 已退款 / 已取消 rows are purchases refunded in full, inferred from the column and its values', async () => {
    const csv = '订单号,会员ID,下单时间,实付金额,订单状态\n' +
      'D1,m1,2024-05-01 10:00:00,100.00,已完成\nD2,m1,2024-05-03 10:00:00,50.00,已退款\n' +
      'D3,m2,2024-05-04 10:00:00,30.00,已完成\nD4,m3,2024-05-05 10:00:00,20.00,已取消\n';
    const r = await loadSource({ db, bridge, name: '订单.csv', bytes: utf8(csv) });
    assert.deepEqual([r.mapping.kind, r.mapping.refund_status, r.mapping.refund_values], ['orders', '订单状态', ['已取消', '已退款']]);
    const o = bridge.state('overview');
    // Four orders were placed (200); two were refunded (70): net 130.
    assert.deepEqual([o.orders, o.revenue, o.customers, o.refunds, o.refund_amount, o.net_revenue], [4, 200, 3, 2, 70, 130]);
    // Refunds are events like any other: usable in rules.
    const refunded = def('refunded', { kind: 'behavior', event: 'refund' });
    assert.deepEqual(bridge.run(refunded, { members: true }).members.sort(), ['m1', 'm3']);
  });
});
