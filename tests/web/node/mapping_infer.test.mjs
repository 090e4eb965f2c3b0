// What a file is, from its columns: web/mapping.js's KIND_RULES table, one test per row (in
// table order: the first rule that holds decides), the amount names a transactions file may use,
// and a status column that marks refunds. Pure JS: no DuckDB, no core.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { inferMapping, inferRefundStatus, KIND_RULES, mappingSql } from '../../../web/mapping.js';

const cols = (spec) => spec.split(',').map((c) => {
  const [name, type = 'VARCHAR'] = c.split(':');
  return { name, type };
});
const kind = (spec) => inferMapping('f.csv', cols(spec)).kind;
// The rule (its index in KIND_RULES) that decides a file.
const ruleOf = (spec) => {
  const m = inferMapping('f.csv', cols(spec));
  const r = { user: m.user_id, time: m.time, event: m.event, order: m.order_id, revenue: m.revenue, revenueExpr: m.revenue_expr };
  return KIND_RULES.findIndex((rule) => rule.test({ ...r, time: pickTime(spec), dateOnlyTime: /signup_date:DATE/.test(spec) }));
};
const pickTime = (spec) => /time|date|日期|时间/i.test(spec);

describe('KIND_RULES: one test per row, in order', () => {
  test('the table has the five rules these tests cover', () => {
    assert.deepEqual(KIND_RULES.map((r) => r.kind), ['events', 'orders', 'users', 'events', 'users']);
    for (const r of KIND_RULES) assert.ok(r.when.length > 20, 'each rule says when it applies');
  });

  test('row 1: a time and an event column is an events file, even with an order id and an amount', () => {
    assert.equal(kind('user_id,event,timestamp:TIMESTAMP,order_id,value:DOUBLE'), 'events');
    assert.equal(kind('distinct_id,event_name,event_time:TIMESTAMP'), 'events');
    assert.equal(kind('用户ID,行为类型,时间:TIMESTAMP'), 'events');
    assert.equal(ruleOf('user_id,event,timestamp:TIMESTAMP,order_id'), 0);
  });

  test('row 2: a time and an amount, and no event column, is an orders file with that amount as revenue', () => {
    // CDNOW: customer_id,date,cds,dollars (the date as DuckDB types 19970101: a BIGINT).
    const cdnow = inferMapping('CDNOW_master.txt', cols('customer_id:BIGINT,date:BIGINT,cds:BIGINT,dollars:DOUBLE'));
    assert.deepEqual([cdnow.kind, cdnow.user_id, cdnow.time, cdnow.revenue, cdnow.order_id, cdnow.event_constant, cdnow.columns],
      ['orders', 'customer_id', 'date', 'dollars', null, 'purchase', ['cds']]);
    // Every amount name of DESIGN §2, English and Chinese, as the only amount column.
    for (const amount of ['dollars', 'amount', 'sales', 'total', 'spend', 'price', '金额', '实付金额', '订单金额', '消费金额', 'Amount Spent', 'Total_Spend']) {
      const m = inferMapping('t.csv', cols(`Customer ID:BIGINT,Order Date:DATE,${amount}:DOUBLE`));
      assert.deepEqual([amount, m.kind, m.revenue], [amount, 'orders', amount]);
    }
    // An order id alone, or quantity × unit price (UCI Online Retail), make an orders file too.
    assert.equal(kind('customer_id,order_id,created_at:TIMESTAMP'), 'orders');
    const uci = inferMapping('Online Retail.csv', cols('InvoiceNo,StockCode,Quantity:BIGINT,InvoiceDate:TIMESTAMP,UnitPrice:DOUBLE,CustomerID:DOUBLE,Country'));
    assert.deepEqual([uci.kind, uci.order_id, uci.revenue, uci.revenue_expr], ['orders', 'InvoiceNo', null, '"Quantity" * "UnitPrice"']);
    assert.equal(ruleOf('customer_id,date:DATE,dollars:DOUBLE'), 1);
  });

  test('row 3: only a date named like an attribute is a users file', () => {
    assert.equal(kind('user_id,signup_date:DATE,country'), 'users');
    assert.equal(ruleOf('user_id,signup_date:DATE,country'), 2);
  });

  test('row 4: a time and nothing else is an events file, its rows named after the file', () => {
    const m = inferMapping('logins.csv', cols('user_id,login_time:TIMESTAMP,ip'));
    assert.deepEqual([m.kind, m.event, m.event_constant], ['events', null, 'logins']);
    assert.equal(ruleOf('user_id,login_time:TIMESTAMP,ip'), 3);
  });

  test('row 5: no time column is a users file', () => {
    const m = inferMapping('crm.csv', cols('customer_id,country,plan'));
    assert.deepEqual([m.kind, m.columns], ['users', ['country', 'plan']]);
    assert.equal(ruleOf('customer_id,country,plan'), 4);
  });
});

describe('a status column can mark refunds', () => {
  const shop = cols('订单号,会员ID,下单时间:TIMESTAMP,实付金额:DOUBLE,订单状态');

  test('inferred from the column name and its values, kept as the file writes them', () => {
    assert.deepEqual(inferRefundStatus(shop, { 订单状态: ['已完成', '已退款', '已取消', ' 已退款 '] }),
      { column: '订单状态', values: ['已取消', '已退款'] });
    assert.deepEqual(inferRefundStatus(cols('order_id,customer_id,date:DATE,total:DOUBLE,financial_status'),
      { financial_status: ['paid', 'Refunded', 'partially_refunded'] }), { column: 'financial_status', values: ['Refunded', 'partially_refunded'] });
    // A status whose values mark no refund, or no values seen: nothing inferred.
    assert.equal(inferRefundStatus(shop, { 订单状态: ['已完成', '待发货'] }), null);
    assert.equal(inferRefundStatus(shop), null);
  });

  test('a marked row is a purchase and then a refund of its amount (negated: the core makes it a refund)', () => {
    const m = inferMapping('订单.csv', shop, { 订单状态: ['已完成', '已退款'] });
    assert.deepEqual([m.kind, m.refund_status, m.refund_values, m.revenue], ['orders', '订单状态', ['已退款'], '实付金额']);
    const { sql } = mappingSql({ ...m, filter: '"实付金额" > 1' }, shop, '订单.csv');
    assert.match(sql, / UNION ALL SELECT .*-abs\(CAST\("实付金额" AS DOUBLE\)\) AS c2, .* FROM "订单.csv" WHERE \("实付金额" > 1\) AND trim\(CAST\("订单状态" AS VARCHAR\)\) IN \('已退款'\)$/);
    // Without a refund status the keys are absent and the SQL is as before.
    const plain = inferMapping('订单.csv', shop);
    assert.equal('refund_status' in plain, false);
    assert.doesNotMatch(mappingSql(plain, shop, '订单.csv').sql, /UNION/);
  });
});
