// The real page in headless Chromium: demo on open, drop and pick files, click real ImGui
// widgets, keyboard and clipboard, HiDPI canvas, bad files — with no console error and no
// request outside the page's origin.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { artifacts, clickWidget, dropFiles, frames, settle, startBrowser } from '../support/browser_env.mjs';
import { repo, utf8 } from '../support/node_env.mjs';

let env;
before(async () => {
  env = await startBrowser();
});
after(async () => env && (await env.close()));

const dataLines = (name) => readFileSync(join(repo, 'data/demo', name), 'utf8').trimEnd().split('\n').length - 1;

describe('the page', () => {
  test('opens with the demo loaded, drops a CSV, and clicks real widgets', async () => {
    const page = await env.openPage();
    let s = await settle(page);
    assert.equal(s.demo, true);
    assert.deepEqual(s.sources.map((x) => [x.name, x.rows, x.state]), [
      ['users.csv', dataLines('users.csv'), 'ready'],
      ['orders.csv', dataLines('orders.csv'), 'ready'],
      ['events.csv', dataLines('events.csv'), 'ready'],
    ]);
    await page.screenshot({ path: join(artifacts, 'demo.png') });

    // A click on a source in the rail selects it.
    await clickWidget(page, 'orders.csv');
    assert.equal((await page.evaluate(() => window.segx.state())).selected, 'orders.csv');
    await clickWidget(page, 'users.csv');
    assert.equal((await page.evaluate(() => window.segx.state())).selected, 'users.csv');

    // A real drop event with a CSV: the demo steps aside, the file arrives with its types.
    const csv = 'customer,城市,spent,joined\nc1,上海,10.5,2024-01-02\nc2,北京,7,2024-03-04\nc3,,0.25,\n';
    await dropFiles(page, [{ name: 'shop.csv', bytes: utf8(csv) }]);
    s = await settle(page);
    assert.equal(s.demo, false);
    assert.deepEqual(s.sources.map((x) => x.name), ['shop.csv']);
    assert.equal(s.sources[0].rows, 3);
    assert.deepEqual(s.sources[0].columns.map((c) => `${c.name}:${c.type}`), ['customer:VARCHAR', '城市:VARCHAR', 'spent:DOUBLE', 'joined:DATE']);
    assert.equal(await page.evaluate(() => window.segx.cell('shop.csv', 1, 1)), '北京');
    assert.equal(s.selected, 'shop.csv');

    // "Open files" is an ImGui button: a real click opens the browser's file chooser.
    const chooser = page.waitForEvent('filechooser');
    await clickWidget(page, 'Open files');
    await (await chooser).setFiles({ name: 'more.csv', mimeType: 'text/csv', buffer: Buffer.from('a,b\n1,2\n3,4\n') });
    s = await settle(page);
    assert.deepEqual(s.sources.map((x) => [x.name, x.rows]), [['shop.csv', 3], ['more.csv', 2]]);

    await page.screenshot({ path: join(artifacts, 'page.png') });
    assert.deepEqual(page.problems(), []);
    await page.close();
  });

  test('typing, select-all, copy and paste go through the system clipboard', async () => {
    const page = await env.openPage({ query: '?demo=0' });
    await dropFiles(page, [{ name: 'c.csv', bytes: utf8('amount,name\n1,x\n') }]);
    await settle(page);
    await clickWidget(page, 'Data');
    await clickWidget(page, '##column_filter');
    await page.keyboard.type('amo');
    await frames(page);
    await page.keyboard.press('Control+A');
    await frames(page);
    await page.keyboard.press('Control+C');
    await frames(page);
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), 'amo');

    await page.evaluate(() => navigator.clipboard.writeText('上海'));
    await page.keyboard.press('Control+A');
    await frames(page);
    await page.keyboard.press('Control+V');
    await frames(page, 3);
    await page.keyboard.press('Control+A');
    await frames(page);
    await page.keyboard.press('Control+C');
    await frames(page);
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), '上海');
    assert.deepEqual(page.problems(), []);
    await page.close();
  });

  test('draws on the canvas only when what it shows changes', async () => {
    const page = await env.openPage({ query: '?demo=0' });
    await frames(page, 5);
    // Counts the WebGL calls that change pixels (the page draws through these two).
    await page.evaluate(() => {
      const P = WebGL2RenderingContext.prototype;
      window.glCalls = 0;
      for (const name of ['drawElements', 'clear']) {
        const original = P[name];
        P[name] = function (...args) {
          window.glCalls++;
          return original.apply(this, args);
        };
      }
    });
    const calls = () => page.evaluate(() => window.glCalls);
    // Moves over an empty part of the page: the interface runs its frames after the input, but
    // none would look different, so nothing is drawn.
    const r = await page.evaluate(() => window.segx.widgetRect('Open files'));
    for (let i = 0; i < 5; i++) {
      await page.mouse.move(1000 + 10 * i, 700);
      await frames(page, 3);
    }
    assert.equal(await calls(), 0);
    // Hovering a button lights it up: that frame is drawn.
    await page.mouse.move(r.x + r.w / 2, r.y + r.h / 2);
    await frames(page, 3);
    assert.ok((await calls()) > 0, 'a hovered button was drawn');
    assert.deepEqual(page.problems(), []);
    await page.close();
  });

  test('draws at device pixels and follows the window size', async () => {
    const page = await env.openPage({ query: '?demo=0', deviceScaleFactor: 2, viewport: { width: 900, height: 600 } });
    await frames(page, 3);
    const size = () => page.evaluate(() => {
      const c = document.getElementById('canvas');
      return [c.width, c.height, c.clientWidth, c.clientHeight];
    });
    assert.deepEqual(await size(), [1800, 1200, 900, 600]);
    await page.setViewportSize({ width: 700, height: 500 });
    await page.waitForFunction(() => document.getElementById('canvas').width === 1400, null, { timeout: 5000 });
    assert.deepEqual(await size(), [1400, 1000, 700, 500]);
    // Widget rectangles come back in CSS pixels, inside the window.
    const r = await page.evaluate(() => window.segx.widgetRect('Open files'));
    assert.ok(r.x >= 0 && r.y >= 0 && r.x + r.w <= 700 && r.y + r.h <= 500, JSON.stringify(r));
    assert.deepEqual(page.problems(), []);
    await page.close();
  });

  test('bad files give a clear message naming the file, and keep what was loaded', async () => {
    const page = await env.openPage({ query: '?demo=0' });
    await dropFiles(page, [{ name: 'keep.csv', bytes: utf8('id,v\n1,a\n2,b\n') }]);
    await settle(page);
    const cases = [
      ['empty.csv', new Uint8Array(0), /empty\.csv: the file is empty/],
      ['photo.csv', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0x49, 0x48]), /photo\.csv: this is not a text file/],
      ['ragged.csv', utf8('a,b,c\n1,2,3\n4,5,6,7,8\n'), /ragged\.csv: line 3 has 5 fields where the header has 3/],
      ['sheet.csv', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0]), /sheet\.csv: this is a zip archive or an Excel workbook/],
    ];
    for (const [name, bytes, pattern] of cases) {
      await dropFiles(page, [{ name, bytes }]);
      const s = await settle(page);
      assert.match(s.messages.at(-1).text, pattern);
      assert.equal(s.messages.at(-1).level, 'error');
      assert.equal(s.sources.find((x) => x.name === name).state, 'failed');
      assert.equal(s.sources.find((x) => x.name === 'keep.csv').rows, 2);
    }
    // The page still runs: a widget can be clicked and a good file loads after the bad ones.
    await clickWidget(page, 'keep.csv');
    await dropFiles(page, [{ name: 'after.csv', bytes: utf8('x\n1\n') }]);
    const s = await settle(page);
    assert.equal(s.sources.find((x) => x.name === 'after.csv').rows, 1);
    await page.screenshot({ path: join(artifacts, 'bad-input.png') });
    assert.deepEqual(page.problems(), []);
    await page.close();
  });
});
