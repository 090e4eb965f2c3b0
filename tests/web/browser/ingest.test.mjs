// Ingestion in the real page: a GBK export with Chinese headers, an orders file whose revenue is
// an expression, a mapping edited by clicking real widgets, cancelling a load, and the budget.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { artifacts, clickWidget, dropFiles, fieldShows, frames, replaceText, settle, startBrowser } from '../support/browser_env.mjs';
import { gbk } from '../support/fixtures.mjs';
import { utf8 } from '../support/node_env.mjs';

let env;
before(async () => {
  env = await startBrowser();
});
after(async () => env && (await env.close()));

describe('ingestion in the page', () => {
  test('a GBK orders export with Chinese headers is decoded, mapped and rendered', async () => {
    const page = await env.openPage({ query: '?demo=0' });
    const csv = '订单号,会员ID,下单时间,金额,城市\nA1,1001,2024/03/01 10:00,12.50,上海\nA2,1002,2024/03/02 11:30,7.25,北京\nA3,1001,2024/03/05 09:15,30.00,深圳\n';
    await dropFiles(page, [{ name: '订单.csv', bytes: gbk(csv) }]);
    const s = await settle(page);
    const src = s.sources[0];
    assert.equal(src.name, '订单.csv');
    assert.equal(src.encoding, 'gb18030');
    assert.equal(src.rows, 3);
    assert.deepEqual(
      { kind: src.mapping.kind, user: src.mapping.user_id, time: src.mapping.time, revenue: src.mapping.revenue, order: src.mapping.order_id },
      { kind: 'orders', user: '会员ID', time: '下单时间', revenue: '金额', order: '订单号' },
    );
    assert.deepEqual([s.overview.users, s.overview.orders, s.overview.revenue], [2, 3, 49.75]);
    assert.equal(s.overview.first, '2024-03-01 10:00:00');
    assert.equal(await page.evaluate(() => window.segx.cell('订单.csv', 4, 0)), '上海');
    await clickWidget(page, 'Data');
    await frames(page, 3);
    await page.screenshot({ path: join(artifacts, 'gbk-orders.png') });
    assert.deepEqual(page.problems(), []);
    await page.close();
  });

  test('the detected encoding is shown and can be overridden with the Encoding picker', async () => {
    const page = await env.openPage({ query: '?demo=0' });
    const bytes = gbk('user_id,event,time,城市\nu1,visit,2024-01-01 10:00:00,上海\n');
    await dropFiles(page, [{ name: 'cn.csv', bytes }]);
    let s = await settle(page);
    assert.equal(s.sources[0].encoding, 'gb18030');
    assert.equal(await page.evaluate(() => window.segx.cell('cn.csv', 3, 0)), '上海');
    // Pick Windows-1252 by hand: the file is read again with it, and the text changes with it.
    await clickWidget(page, 'Data');
    await clickWidget(page, 'Encoding');
    await clickWidget(page, 'Windows-1252 (Latin)');
    s = await settle(page);
    assert.equal(s.sources[0].encoding, 'windows-1252');
    assert.equal(s.sources[0].columns[3].name, new TextDecoder('windows-1252').decode(gbk('城市')));
    assert.equal(await page.evaluate(() => window.segx.cell('cn.csv', 3, 0)), new TextDecoder('windows-1252').decode(gbk('上海')));
    assert.deepEqual(page.problems(), []);
    await page.close();
  });

  test('revenue from an expression with a row filter matches an independent sum', async () => {
    const page = await env.openPage({ query: '?demo=0' });
    // The UCI Online Retail layout; "C" invoices are cancellations.
    const rows = [['InvoiceNo', 'StockCode', 'Quantity', 'InvoiceDate', 'UnitPrice', 'CustomerID', 'Country']];
    let expected = 0;
    const invoices = new Set();
    for (let i = 0; i < 400; i++) {
      const cancelled = i % 10 === 0;
      const inv = (cancelled ? 'C' : '') + (536000 + Math.floor(i / 3));
      const qty = cancelled ? -(1 + (i % 4)) : 1 + (i % 6);
      const price = Math.round((0.85 + (i % 17) * 1.15) * 100) / 100;
      if (!cancelled) (expected += qty * price), invoices.add(inv);
      rows.push([inv, 'S' + (i % 50), qty, `12/${1 + (i % 28)}/2010 ${8 + (i % 10)}:${String(i % 60).padStart(2, '0')}`, price, 12000 + (Math.floor(i / 3) % 37), 'United Kingdom']);
    }
    // Dropped as it is: the mapping is inferred, revenue becomes "Quantity" * "UnitPrice", and the
    // cancellations (negative amounts) are refunds, shown beside revenue, not rejected rows.
    await dropFiles(page, [{ name: 'online_retail.csv', bytes: utf8(rows.map((r) => r.join(',')).join('\n')) }]);
    let s = await settle(page);
    let src = s.sources[0];
    assert.equal(src.mapping.kind, 'orders');
    assert.equal(src.mapping.revenue_expr, '"Quantity" * "UnitPrice"');
    assert.equal(src.mapping.order_id, 'InvoiceNo');
    assert.equal(src.mapping.user_id, 'CustomerID');
    assert.deepEqual(src.rejects.reasons.map((r) => [r.reason, r.count]), []);
    assert.equal(s.overview.refunds, 40);
    assert.equal(s.overview.orders, invoices.size);
    assert.ok(Math.abs(s.overview.revenue - expected) < 1e-6, `${s.overview.revenue} vs ${expected}`);
    assert.equal(s.overview.users, 37);

    // With a row filter the cancellations are not rows at all; the figures stay the same.
    const mapping = { ...src.mapping, filter: `NOT starts_with("InvoiceNo", 'C')` };
    const applied = await page.evaluate(([m]) => window.segx.applyMapping('online_retail.csv', m), [mapping]);
    assert.equal(applied.ok, true, JSON.stringify(applied));
    s = await settle(page);
    src = s.sources[0];
    assert.deepEqual([src.rejects.read, src.rejects.kept, src.rejects.total], [360, 360, 0]);
    assert.equal(s.overview.orders, invoices.size);
    assert.ok(Math.abs(s.overview.revenue - expected) < 1e-6);
    assert.deepEqual(page.problems(), []);
    await page.close();
  });

  // Issue 14, item 3: DuckDB keeps no copy of a CSV. The page registers the dropped File itself
  // (read lazily by DuckDB's worker) or, for text converted to UTF-8, a Blob of it, and the
  // file's relation is a view over read_csv: the SQL tab and the rebuilds read the file again.
  test('a dropped CSV is a view over the File: DuckDB holds none of its rows', async () => {
    const page = await env.openPage({ query: '?demo=0' });
    const lines = ['user_id,event,time,page'];
    for (let i = 0; i < 30000; i++) lines.push(`u${i % 997},${['view', 'cart', 'buy'][i % 3]},2024-01-${String(1 + (i % 28)).padStart(2, '0')} 10:00:00,/p/${i % 50}`);
    const bytes = utf8(lines.join('\n') + '\n');
    await dropFiles(page, [{ name: 'big.csv', bytes }, { name: 'cn.csv', bytes: gbk('user_id,event,time,城市\nu1,visit,2024-01-01 10:00:00,上海\n') }]);
    let s = await settle(page);
    assert.deepEqual(s.sources.map((x) => [x.name, x.state, x.rows]), [['big.csv', 'ready', 30000], ['cn.csv', 'ready', 1]]);
    const mem = await page.evaluate(() => window.segx.duckdbMemory());
    assert.deepEqual(mem.tables, []);
    assert.deepEqual(mem.views.sort(), ['big.csv', 'cn.csv']);
    // A table of these rows would take more than half the file (DuckDB's CTAS of a CSV holds
    // about its size); the views hold nothing.
    assert.ok(mem.bytes < 0.5 * bytes.length, `DuckDB holds ${mem.bytes} B for a ${bytes.length} B file`);
    // SQL reads the files again, the converted one as UTF-8.
    assert.deepEqual(await page.evaluate(() => window.segx.sql('SELECT count(*)::INT AS n, count(DISTINCT user_id)::INT AS u FROM "big.csv"')), [{ n: 30000, u: 997 }]);
    assert.deepEqual(await page.evaluate(() => window.segx.sql('SELECT "城市" AS c FROM "cn.csv"')), [{ c: '上海' }]);
    // Adding a file rebuilds the model: the others are streamed again from their views.
    const before = s.overview.events;
    await page.evaluate(() => window.segx.loadFiles([{ name: 'more.csv', bytes: 'user_id,event,time\nu5,view,2024-02-01 10:00:00\n' }]));
    s = await settle(page);
    assert.equal(s.overview.events, before + 1);
    assert.deepEqual(page.problems(), []);
    await page.close();
  });

  test('a mapping applied once is reused when the same export is dropped after a reload', async () => {
    const page = await env.openPage({ query: '?demo=0' });
    const file = { name: 'crm.csv', bytes: utf8('member,when,what\nm1,2024-01-01 10:00:00,signup\nm2,2024-01-02 10:00:00,login\n') };
    await dropFiles(page, [file]);
    let s = await settle(page);
    assert.equal(s.sources[0].mapping.user_id, null);  // "member" is not a known id name
    const mapping = { ...s.sources[0].mapping, kind: 'events', user_id: 'member', time: 'when', event: 'what', columns: [] };
    assert.equal((await page.evaluate(([m]) => window.segx.applyMapping('crm.csv', m), [mapping])).ok, true);
    await page.reload();
    await page.evaluate(() => window.segx.ready());
    await dropFiles(page, [file]);
    s = await settle(page);
    assert.equal(s.sources[0].mapping.user_id, 'member');
    assert.equal(s.sources[0].mapping.event, 'what');
    assert.equal(s.overview.events, 2);
    assert.deepEqual(page.problems(), []);
    await page.close();
  });

  test('the as-of time is set by typing into the Overview', async () => {
    const page = await env.openPage({ query: '?demo=0' });
    await dropFiles(page, [{ name: 'e.csv', bytes: utf8('user_id,event,time\nu1,a,2024-03-01 10:00:00\nu2,b,2024-05-01 10:00:00\n') }]);
    let s = await settle(page);
    assert.equal(s.as_of, '2024-05-01 10:00:00');
    await clickWidget(page, 'Overview');
    await replaceText(page, '##as_of', '2024-04-01', (text) => fieldShows(page, text));
    await page.keyboard.press('Enter');
    await frames(page, 3);
    s = await settle(page);
    assert.equal(s.as_of, '2024-04-01 00:00:00');
    assert.equal(s.as_of_is_default, false);
    await clickWidget(page, 'Latest event');
    s = await settle(page);
    assert.equal(s.as_of, '2024-05-01 10:00:00');
    assert.deepEqual(page.problems(), []);
    await page.close();
  });

  test('a mapping edited with real widgets previews at once and applies', async () => {
    const page = await env.openPage({ query: '?demo=0' });
    await dropFiles(page, [{ name: 'log.csv', bytes: utf8('uid,action,ts,amount\nu1,open,2024-01-01 10:00:00,\nu2,buy,2024-01-02 10:00:00,5\nu1,buy,2024-01-03 10:00:00,7\n') }]);
    let s = await settle(page);
    assert.equal(s.sources[0].mapping.kind, 'events');
    assert.deepEqual(s.overview.top_events.map((e) => [e.event, e.events]), [['buy', 2], ['open', 1]]);
    await clickWidget(page, 'Data');
    await clickWidget(page, 'Mapping');
    // Switch the file to "orders": every row becomes a purchase with the amount as revenue.
    await clickWidget(page, 'orders');
    s = await settle(page);
    assert.equal(s.sources[0].mapping_edited.kind, 'orders');
    assert.equal(s.sources[0].mapping.kind, 'events');  // not applied yet
    await clickWidget(page, 'Apply mapping');
    s = await settle(page);
    assert.equal(s.sources[0].mapping.kind, 'orders');
    assert.equal(s.sources[0].mapping_edited, undefined);
    // The open row has no amount: an orders file requires one.
    assert.deepEqual(s.sources[0].rejects.reasons.map((r) => [r.reason, r.count]), [['non-numeric amount', 1]]);
    assert.deepEqual([s.overview.orders, s.overview.revenue], [2, 12]);
    await page.screenshot({ path: join(artifacts, 'mapping.png') });
    assert.deepEqual(page.problems(), []);
    await page.close();
  });

  test('a load can be cancelled, and what was loaded before stays', async () => {
    const page = await env.openPage({ query: '?demo=0' });
    await dropFiles(page, [{ name: 'keep.csv', bytes: utf8('user_id,event,time\nu1,a,2024-01-01 00:00:00\n') }]);
    await settle(page);
    const result = await page.evaluate(async () => {
      let text = 'user_id,event,time\n';
      for (let i = 0; i < 300000; i++) text += `u${i % 5000},e${i % 7},2024-01-01 00:00:${String(i % 60).padStart(2, '0')}\n`;
      const done = window.segx.loadFiles([{ name: 'keep.csv', bytes: text }]);
      await window.segx.cancel();
      return done;
    });
    assert.equal(result[0].ok, false);
    assert.match(result[0].error, /keep\.csv: the load was cancelled/);
    const s = await settle(page);
    assert.equal(s.sources.length, 1);
    assert.equal(s.sources[0].state, 'ready');
    assert.equal(s.overview.events, 1);
    assert.match(s.messages.at(-1).text, /cancelled \(the earlier version is kept\)/);
    assert.deepEqual(page.problems(), []);
    await page.close();
  });

  test('a CSV over 16 MB loads from its head, and loads whole when its rest is not UTF-8 or holds a zero byte', async () => {
    const page = await env.openPage({ query: '?demo=0' });
    // ~17 MB of ASCII rows, then one more row whose city is Chinese: in UTF-8, in GBK, or
    // with a zero byte. Only the first is what the head promised (web/csv_head.js).
    const tails = { 'utf8.csv': [...utf8('last,visit,2024-02-01 10:00:00,上海\n')], 'gbk.csv': [...gbk('last,visit,2024-02-01 10:00:00,上海\n')], 'nul.csv': [...utf8('last,visit,2024-02-01 10:00:00,x\0y\n')] };
    const results = await page.evaluate(async (tails) => {
      const pad = 'p'.repeat(120);
      let text = 'user_id,event,time,city\n';
      for (let i = 0; text.length < 17 << 20; i++) text += `u${i % 1000},view,2024-01-01 10:00:00,${pad}${i}\n`;
      const head = new TextEncoder().encode(text);
      const out = { headBytes: head.length, headLines: text.split('\n').length - 1 };
      for (const [name, tail] of Object.entries(tails)) {
        const bytes = new Uint8Array(head.length + tail.length);
        bytes.set(head);
        bytes.set(tail, head.length);
        out[name] = (await window.segx.loadFiles([{ name, bytes }]))[0];
      }
      return out;
    }, tails);
    const s = await settle(page);
    const src = (name) => s.sources.find((x) => x.name === name);
    const rows = results.headLines;  // the header and the rows before the tail, plus the tail's row
    assert.deepEqual([src('utf8.csv').state, src('utf8.csv').rows, src('utf8.csv').encoding], ['ready', rows, 'utf-8']);
    assert.deepEqual([src('gbk.csv').state, src('gbk.csv').rows, src('gbk.csv').encoding], ['ready', rows, 'gb18030']);
    for (const name of ['utf8.csv', 'gbk.csv'])
      assert.deepEqual(await page.evaluate((n) => window.segx.sql(`SELECT city FROM "${n}" WHERE user_id = 'last'`), name), [{ city: '上海' }]);
    // The whole load's own words: the offset and line of the zero byte, past the head.
    const nulAt = results.headBytes + 'last,visit,2024-02-01 10:00:00,x'.length;
    assert.equal(results['nul.csv'].ok, false);
    assert.match(results['nul.csv'].error, new RegExp(`nul\\.csv: this is not a text file: a zero byte at offset ${nulAt} \\(line ${rows + 1}\\)`));
    assert.equal(src('nul.csv').state, 'failed');
    assert.equal(s.overview.events, 2 * rows);
    assert.deepEqual(page.problems(), []);
    await page.close();
  });

  test('a file over the memory budget is refused before loading, earlier data intact', async () => {
    const page = await env.openPage({ query: '?demo=0' });
    await dropFiles(page, [{ name: 'small.csv', bytes: utf8('user_id,event,time\nu1,a,2024-01-01 00:00:00\n') }]);
    await settle(page);
    // The smallest budget (1 MB; less is refused, issue 17) and a file of 1.1 MB.
    const tiny = await page.evaluate(() => window.segx.setMemoryBudget(1e-6).then(() => 'set', (e) => e.message));
    assert.match(tiny, /the memory budget must be a number of megabytes from 1 to 1048576/);
    await page.evaluate(() => window.segx.setMemoryBudget(1));
    await dropFiles(page, [{ name: 'big.csv', bytes: utf8('user_id,event,time\n' + 'u2,b,2024-01-01 00:00:00\n'.repeat(45000)) }]);
    const s = await settle(page);
    assert.match(s.messages.at(-1).text, /big\.csv: the file is 1\.07 MB, more than the memory budget of 1 MB; it was not loaded \(change "Memory budget" in the left rail/);
    assert.equal(s.sources.find((x) => x.name === 'big.csv').state, 'failed');
    assert.equal(s.sources.find((x) => x.name === 'small.csv').rows, 1);
    assert.equal(s.overview.events, 1);
    assert.deepEqual(page.problems(), []);
    await page.close();
  });
});
