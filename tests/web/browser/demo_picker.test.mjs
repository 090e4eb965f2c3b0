// The demo picker in the real page: "中文店铺" replaces the English demo with the Chinese shop
// (its GBK orders file included), and text the UI font lacks (𠮷, past U+FFFF) is drawn as the
// fallback square, never as blank. One page for both.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { artifacts, clickWidget, frames, settle, startBrowser } from '../support/browser_env.mjs';

let env, page;
before(async () => {
  env = await startBrowser();
  page = await env.openPage();
});
after(async () => env && (await env.close()));

const names = (s) => s.sources.map((x) => x.name).sort();

// Pixels of ink (grey to black: text, and the thin square) in a rectangle of the page, from a
// real screenshot decoded in the page. The rail's background is near white.
async function inkIn(rect) {
  const png = await page.screenshot({ clip: { x: rect.x, y: rect.y, width: rect.w, height: rect.h } });
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const g = c.getContext('2d');
    g.drawImage(img, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] < 200 && d[i + 1] < 200 && d[i + 2] < 200) n++;
    return n;
  }, png.toString('base64'));
}

describe('the demo picker', () => {
  test('"中文店铺" replaces the English demo with the Chinese shop, mapped', async () => {
    let s = await settle(page);
    assert.deepEqual(names(s), ['events.csv', 'orders.csv', 'users.csv']);
    await clickWidget(page, '###DemoShopZh');
    const start = Date.now();
    for (;;) {
      s = await page.evaluate(() => window.segx.state());
      if (!s.loading && s.sources.length === 3 && s.sources.every((x) => x.state === 'ready' && x.demo) && names(s).includes('会员.csv')) break;
      assert.ok(Date.now() - start < 90000, `the Chinese demo did not load: ${JSON.stringify(s.sources.map((x) => [x.name, x.state]))}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.deepEqual(names(s), ['会员.csv', '行为日志.csv', '订单.csv']);
    const byName = Object.fromEntries(s.sources.map((x) => [x.name, x]));
    assert.equal(byName['订单.csv'].encoding, 'gb18030');
    assert.deepEqual([byName['会员.csv'].mapping.kind, byName['订单.csv'].mapping.kind, byName['行为日志.csv'].mapping.kind], ['users', 'orders', 'events']);
    // The figures agree with the page's own DuckDB over the raw tables.
    const [raw] = await page.evaluate(() => window.segx.sql(`SELECT count(*)::INT AS orders, (SELECT count(DISTINCT 会员ID)::INT FROM "会员.csv") AS users FROM "订单.csv"`));
    assert.deepEqual([s.overview.users, s.overview.orders], [raw.users, raw.orders]);
    await frames(page, 3);
    await page.screenshot({ path: join(artifacts, 'demo-zh.png') });
    // And back: the English shop replaces it again.
    await clickWidget(page, '###DemoShopEn');
    for (;;) {
      s = await page.evaluate(() => window.segx.state());
      if (!s.loading && names(s).join() === 'events.csv,orders.csv,users.csv' && s.sources.every((x) => x.state === 'ready')) break;
      assert.ok(Date.now() - start < 180000, 'the English demo did not come back');
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.deepEqual(page.problems(), []);
  });

  test('a name the font lacks (𠮷) is drawn as the fallback square, a rare one it has (堃) as itself', async () => {
    const everyone = (id, name) => ({ segx: 1, id, name, root: { match: 'all', rules: [] } });
    for (const [id, name] of [['g1', '𠮷'], ['g2', '堃'], ['g3', ' ']]) {
      const r = await page.evaluate((d) => window.segx.saveAudience(d), everyone(id, name));
      assert.equal(r.ok, true, JSON.stringify(r.errors));
    }
    await clickWidget(page, '###Audiences');
    await page.mouse.move(1, 1);
    await frames(page, 3);
    const ink = {};
    for (const name of ['𠮷', '堃', ' ']) {
      const rect = await page.evaluate((l) => window.segx.widgetRect(l), name);
      assert.ok(rect && rect.visible, `the saved audience "${name}" is drawn in the rail`);
      ink[name] = await inkIn(rect);
    }
    // A blank name draws no ink: the two others do.
    assert.equal(ink[' '], 0, JSON.stringify(ink));
    assert.ok(ink['𠮷'] > 5 && ink['堃'] > 5, JSON.stringify(ink));
    await page.screenshot({ path: join(artifacts, 'glyph-fallback.png') });
    assert.deepEqual(page.problems(), []);
  });
});
