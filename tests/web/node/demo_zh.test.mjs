// The Chinese demo shop (data/demo_zh, `node data/generate.mjs --shop zh`) loads through the real
// loader into the real WASM core as the page loads it: the GBK orders file is read as GBK, the
// Chinese column names map by themselves (会员ID, 下单时间, 实付金额, 订单号, 订单状态, 事件, 时间),
// 省份 / 城市 / 渠道 become attributes, users, orders, revenue and refunds agree with DuckDB over
// the raw files, and the Beijing times (written with +08:00) are the instants they say.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';

import { loadSource } from '../../../web/source_loader.js';
import { repo, startCore, startDuckDB } from '../support/node_env.mjs';

const one = (db, sql) => Object.values(db.query(sql).toArray()[0].toJSON()).map((v) => (typeof v === 'bigint' ? Number(v) : v));
const cents = (x) => Math.round(x * 100);
const def = (name, ...rules) => ({ segx: 1, id: 'a', name, root: { kind: 'group', match: 'all', rules } });
// The page's order (web/main.js kDemos.zh).
const kFiles = ['会员.csv', '订单.csv', '行为日志.csv'];

describe('the Chinese demo shop', () => {
  let bridge, db;
  const loaded = {};
  before(async () => {
    bridge = await startCore();
    db = await startDuckDB();
    for (const name of kFiles) loaded[name] = await loadSource({ db, bridge, name, demo: true, bytes: readFileSync(join(repo, 'data/demo_zh', name)) });
  });

  test('every file is read in its encoding and mapped by its Chinese column names', () => {
    assert.equal(loaded['订单.csv'].encoding, 'gb18030');
    assert.equal(loaded['会员.csv'].encoding, 'utf-8');
    const m = Object.fromEntries(bridge.state('sources').map((s) => [s.name, s.mapping]));
    assert.deepEqual([m['会员.csv'].kind, m['会员.csv'].user_id], ['users', '会员ID']);
    for (const attr of ['省份', '城市', '渠道', '会员等级']) assert.ok(m['会员.csv'].columns.includes(attr), attr);
    const o = m['订单.csv'];
    assert.deepEqual([o.kind, o.user_id, o.time, o.revenue, o.order_id, o.refund_status, o.refund_values],
      ['orders', '会员ID', '下单时间', '实付金额', '订单号', '订单状态', ['已退款']]);
    const e = m['行为日志.csv'];
    assert.deepEqual([e.kind, e.user_id, e.time, e.event], ['events', '会员ID', '时间', '事件']);
    for (const s of bridge.state('sources')) assert.equal(s.rejects.total, 0, `${s.name}: no rejected rows`);
  });

  test('users, orders, revenue and refunds agree with DuckDB over the raw files', () => {
    const o = bridge.state('overview');
    const [users] = one(db, `SELECT count(DISTINCT id) FROM (SELECT 会员ID AS id FROM "会员.csv" UNION ALL SELECT 会员ID FROM "订单.csv" UNION ALL SELECT 会员ID FROM "行为日志.csv")`);
    const [orders, revenue, customers] = one(db, `SELECT count(*), sum(实付金额), count(DISTINCT 会员ID) FROM "订单.csv"`);
    const [refunds, refunded] = one(db, `SELECT count(*), sum(实付金额) FROM "订单.csv" WHERE 订单状态 = '已退款'`);
    assert.deepEqual([o.users, o.orders, o.customers, cents(o.revenue), o.refunds, cents(o.refund_amount)],
      [users, orders, customers, cents(revenue), refunds, cents(refunded)]);
    // A shop of realistic size and prices (data/README.md).
    assert.equal(users, 1200);
    assert.ok(orders > 300 && refunds > 0 && refunds < orders / 10, `${orders} orders, ${refunds} refunded`);
    assert.ok(revenue / orders > 100 && revenue / orders < 1000, `¥${(revenue / orders).toFixed(2)} per order`);
  });

  test("times carry Beijing's offset and are read as the instants they are", () => {
    const o = bridge.state('overview');
    // 行为日志.csv's first row is at 2025-11-01 10:51:07+08:00: 02:51:07 UTC, not 10:51:07.
    assert.equal(readFileSync(join(repo, 'data/demo_zh/行为日志.csv'), 'utf8').split('\n')[1].split(',')[2], '2025-11-01 10:51:07+08:00');
    assert.deepEqual([o.first, o.last], ['2025-11-01 02:51:07', '2026-10-31 16:24:07']);
    const [first, last] = one(db, `SELECT epoch_us(min(t)), epoch_us(max(t)) FROM
      (SELECT 时间 AS t FROM "行为日志.csv" UNION ALL SELECT 下单时间 FROM "订单.csv")`);
    const us = (text) => Date.parse(text.replace(' ', 'T') + 'Z') * 1000;
    assert.deepEqual([us(o.first), us(o.last)], [first, last]);
  });

  test('an audience by 渠道, 省份 and purchases is the users DuckDB finds', () => {
    const d = def('广东的微信复购客户',
      { kind: 'property', attribute: '渠道', op: 'eq', value: '微信' },
      { kind: 'property', attribute: '省份', op: 'in', values: ['广东省', '浙江省'] },
      { kind: 'behavior', event: 'purchase', count: { op: 'gte', value: 2 } });
    const r = bridge.run(d, { members: true });
    assert.equal(r.ok, true, JSON.stringify(r.errors));
    const want = db.query(`SELECT u.会员ID AS id FROM "会员.csv" u JOIN "订单.csv" o USING (会员ID)
      WHERE u.渠道 = '微信' AND u.省份 IN ('广东省', '浙江省') GROUP BY 1 HAVING count(*) >= 2 ORDER BY 1`).toArray().map((x) => x.toJSON().id);
    assert.ok(want.length > 0, 'a telling audience');
    assert.deepEqual([...r.members].sort(), want);
    // The behaviour log's Chinese event names are events too.
    const cart = bridge.run(def('加购用户', { kind: 'behavior', event: '加入购物车' }));
    const [carts] = one(db, `SELECT count(DISTINCT 会员ID) FROM "行为日志.csv" WHERE 事件 = '加入购物车'`);
    assert.equal(cart.size, carts);
  });

  test("README.zh-CN.md's example definitions run on the Chinese demo", () => {
    const text = readFileSync(join(repo, 'README.zh-CN.md'), 'utf8');
    const blocks = [...text.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]));
    assert.deepEqual(blocks.map((d) => d.kind ?? 'audience'), ['audience', 'funnel', 'rfm', 'retention', 'lifecycle', 'board']);
    for (const d of blocks) {
      const r = bridge.run(d);
      assert.equal(r.ok, true, `${d.name}: ${JSON.stringify(r.errors)}`);
    }
    // The RFM example without segments is the 8-class template with its Chinese names.
    const rfm = bridge.run(blocks[2]);
    assert.ok(rfm.segments.some((s) => s.name === '重要价值客户'), JSON.stringify(rfm.segments.map((s) => s.name)));
  });
});
