// The page over a session's life: the as-of field follows every load and removal (and Enter on
// it never pins a stale time), messages say what happened in words, copied SQL runs in the
// page's own DuckDB, loaded data survives a reload until forgotten, and the layout holds at
// 1000×700 and 1920×1080.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { join } from 'node:path';

import { artifacts, clickWidget, dropFiles, fieldShows, frames, replaceText, settle, startBrowser } from '../support/browser_env.mjs';
import { utf8 } from '../support/node_env.mjs';

let env;
before(async () => {
  env = await startBrowser();
});
after(async () => env && (await env.close()));

const state = (page) => page.evaluate(() => window.segx.state());
const press = async (page, key) => {
  await page.keyboard.press(key);
  await frames(page);
};
// Clicks the Overview's as-of field and presses Enter without changing its text.
async function enterOnAsOf(page) {
  await clickWidget(page, 'Overview');
  await clickWidget(page, '##as_of');
  await press(page, 'End');
  await press(page, 'Enter');
  return settle(page);
}
const recent = { segx: 1, name: 'Active in the last 3 days', root: { match: 'all', rules: [
  { kind: 'behavior', event: 'visit', window: { last_days: 3 } }] } };

describe('the as-of time', () => {
  test('follows loads and removals; Enter on the unchanged field applies nothing', async () => {
    const page = await env.openPage();
    let s = await settle(page);
    const demoAsOf = s.as_of;
    assert.ok(demoAsOf);
    await clickWidget(page, '##as_of'); // the field is shown (and filled) before the demo leaves
    await press(page, 'Escape');
    await dropFiles(page, [
      { name: 'may.csv', bytes: utf8('user_id,event,time\nu1,visit,2024-05-01 10:00:00\nu2,visit,2024-05-10 09:00:00\n') },
      { name: 'june.csv', bytes: utf8('user_id,event,time\nu3,visit,2024-06-20 08:30:00\n') },
    ]);
    s = await settle(page);
    assert.equal(s.as_of, '2024-06-20 08:30:00');
    s = await enterOnAsOf(page);
    assert.deepEqual([s.as_of, s.as_of_is_default], ['2024-06-20 08:30:00', true], 'Enter kept the model as-of, not the demo\'s');
    assert.equal((await page.evaluate((d) => window.segx.run(d), recent)).size, 1);

    // Remove june.csv in the Data tab: the as-of goes back to May's latest event.
    await clickWidget(page, 'june.csv');
    await clickWidget(page, 'Data');
    await clickWidget(page, 'Remove file');
    s = await settle(page);
    assert.equal(s.as_of, '2024-05-10 09:00:00');
    s = await enterOnAsOf(page);
    assert.deepEqual([s.as_of, s.as_of_is_default], ['2024-05-10 09:00:00', true]);
    assert.equal((await page.evaluate((d) => window.segx.run(d), recent)).size, 1);

    // A typed time still applies.
    await replaceText(page, '##as_of', '2024-05-02', (text) => fieldShows(page, text));
    await press(page, 'Enter');
    s = await settle(page);
    assert.deepEqual([s.as_of, s.as_of_is_default], ['2024-05-02 00:00:00', false]);
    assert.deepEqual(page.problems(), []);
    await page.close();
  });
});

const ukBuyers = { segx: 1, id: 'uk-buyers', name: 'UK buyers', root: { match: 'all', rules: [
  { kind: 'property', attribute: 'country', op: 'eq', value: 'United Kingdom' },
  { kind: 'behavior', event: 'purchase', count: { op: 'gte', value: 2 } }] } };

describe('messages and SQL', () => {
  test('a definition that does not fit says so in words; Copy SQL runs as is in the page', async () => {
    const page = await env.openPage();
    let s = await settle(page);
    // The demo has no "Country" (it has "country"): the message names the rule, not a JSON path alone.
    const r = await page.evaluate(() => window.segx.importText(JSON.stringify({ segx: 1, name: 'UK', root: { match: 'all', rules: [
      { kind: 'property', attribute: 'Country', op: 'eq', value: 'United Kingdom' }] } })));
    assert.equal(r.ok, false);
    s = await state(page);
    assert.match(s.messages.at(-1).text, /^The audience file was not imported: the rule 'Country is United Kingdom' names a column that no loaded file has \(known: /);

    // Copy SQL on a real audience; the copied text runs in the page's DuckDB over its views.
    const demo = { segx: 1, name: 'Repeat buyers in China', root: { match: 'all', rules: [
      { kind: 'property', attribute: 'country', op: 'eq', value: 'China' },
      { kind: 'behavior', event: 'purchase', count: { op: 'gte', value: 2 }, window: { last_days: 365 } }] } };
    const opened = await page.evaluate((d) => window.segx.openAudience(d), demo);
    assert.equal(opened.ok, true, JSON.stringify(opened));
    s = await settle(page);
    await clickWidget(page, 'Copy SQL');
    await page.waitForFunction(() => window.segx.state('messages').then((m) => /Copied the audience as DuckDB SQL/.test(m.at(-1).text)));
    const sql = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(sql, /FROM "events"/);
    const rows = await page.evaluate((q) => window.segx.sql(`SELECT count(*)::INTEGER AS n FROM (${q})`), sql);
    assert.equal(rows[0].n, s.audience.size);
    assert.ok(s.audience.size > 0);
    const views = await page.evaluate(() => window.segx.sql("SELECT table_name FROM information_schema.tables WHERE table_type = 'VIEW' ORDER BY 1"));
    // The contract's views, and the demo's files: a CSV's relation is a view over the file.
    assert.deepEqual(views.map((v) => v.table_name), ['events', 'events.csv', 'orders.csv', 'users', 'users.csv']);
    assert.deepEqual(page.problems(), []);
    await page.close();
  });
});

describe('data kept in this browser', () => {
  test('a loaded file comes back after a reload, with saved audiences; "Forget data" removes it', async () => {
    const page = await env.openPage();
    await settle(page);
    const csv = 'customer_id,Country,InvoiceDate,Amount,InvoiceNo\n' +
      'c1,United Kingdom,2024-03-01 10:00:00,10.5,A1\nc1,United Kingdom,2024-03-05 10:00:00,7,A2\nc2,France,2024-03-02 09:00:00,3,A3\n';
    await dropFiles(page, [{ name: 'retail.csv', bytes: utf8(csv) }]);
    let s = await settle(page);
    assert.deepEqual(s.sources.map((x) => x.name), ['retail.csv']);
    await page.waitForFunction(() => window.segx.state('kept').then((k) => k.kept));
    const saved = await page.evaluate(() => window.segx.saveAudience({ segx: 1, id: 'buyers', name: 'Buyers', root: { match: 'all', rules: [
      { kind: 'behavior', event: 'purchase', count: { op: 'gte', value: 2 } }] } }));
    assert.equal(saved.size, 1);

    await page.reload();
    await page.evaluate(() => window.segx.ready());
    await page.waitForFunction(() => window.segx.state('kept').then((k) => k.restored));
    s = await settle(page);
    assert.deepEqual(s.sources.map((x) => [x.name, x.demo]), [['retail.csv', false]], 'restored, not the demo\n' + s.messages.map((m) => m.text).join('\n'));
    assert.deepEqual([s.kept.kept, s.kept.restored, s.kept.files], [true, true, 1]);
    assert.match(s.messages.map((m) => m.text).join('\n'), /Restored 1 file \(173 B\) from this browser/);
    assert.equal((await page.evaluate(() => window.segx.run({ segx: 1, root: { match: 'all', rules: [{ kind: 'audience', op: 'in', id: 'buyers' }] } }))).size, 1);
    await frames(page, 3);
    await page.screenshot({ path: join(artifacts, 'kept-data-restored.png') });

    // A page closed while writing the manifest leaves a newer one empty: the last whole one is read.
    await page.evaluate(async () => {
      const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('segx-data');
      await (await dir.getFileHandle('manifest-999999.json', { create: true })).createWritable().then((w) => w.close());
    });
    await page.reload();
    await page.evaluate(() => window.segx.ready());
    await page.waitForFunction(() => window.segx.state('kept').then((k) => k.restored));
    s = await settle(page);
    assert.deepEqual(s.sources.map((x) => [x.name, x.demo]), [['retail.csv', false]], 'restored past the cut-short manifest\n' + s.messages.map((m) => m.text).join('\n'));

    await clickWidget(page, 'Forget data');
    // The files go first, then the kept copy's last write is awaited, then the status says so.
    await page.waitForFunction(() => window.segx.state().then((t) => !t.kept.kept && t.sources.length === 0 &&
      /^Forgot the data/.test(t.messages.at(-1)?.text || '')));
    s = await settle(page);
    assert.deepEqual(s.sources, []);
    assert.equal(s.kept.kept, false);
    assert.match(s.messages.at(-1).text, /Forgot the data kept in this browser and unloaded 1 file/);
    await page.reload();
    await page.evaluate(() => window.segx.ready());
    s = await settle(page);
    assert.deepEqual(s.sources.map((x) => x.demo), [true, true, true], 'nothing kept: the demo again');
    assert.deepEqual(s.saved.audiences.map((a) => a.id), ['buyers'], 'saved audiences stay');

    // A limit below the files' size keeps nothing.
    await page.evaluate(() => window.segx.setKeepData(0.000001));
    await dropFiles(page, [{ name: 'retail.csv', bytes: utf8(csv) }]);
    s = await settle(page);
    await page.waitForFunction(() => window.segx.state('messages').then((m) => m.some((x) => /will not come back after a reload/.test(x.text))));
    assert.equal((await state(page)).kept.kept, false);
    assert.deepEqual(page.problems(), []);
    await page.close();
  });
});

// Non-overlapping rectangles, each inside [0, width].
function assertLaidOut(rects, width, what) {
  for (const [name, r] of Object.entries(rects)) {
    assert.ok(r, `${what}: ${name} was drawn`);
    assert.ok(r.visible && r.x >= 0 && r.x + r.w <= width + 0.5, `${what}: ${name} inside the window (${JSON.stringify(r)})`);
  }
  const list = Object.entries(rects);
  for (let i = 0; i < list.length; i++) {
    for (let j = i + 1; j < list.length; j++) {
      const [a, ra] = list[i], [b, rb] = list[j];
      const apart = ra.x + ra.w <= rb.x + 0.5 || rb.x + rb.w <= ra.x + 0.5 || ra.y + ra.h <= rb.y + 0.5 || rb.y + rb.h <= ra.y + 0.5;
      assert.ok(apart, `${what}: ${a} and ${b} overlap`);
    }
  }
}

describe('layout', () => {
  for (const [width, height] of [[1000, 700], [1920, 1080]]) {
    test(`${width}×${height}: KPIs and the toolbar wrap, nothing overlaps; Escape closes Messages`, async () => {
      const page = await env.openPage({ viewport: { width, height } });
      await settle(page);
      const rectsOf = (labels) => page.evaluate(async (labels) => {
        const out = {};
        for (const l of labels) out[l] = await window.segx.widgetRect(l);
        return out;
      }, labels);
      const kpis = ['Users', 'Customers', 'Events', 'Orders', 'Revenue', 'Date span'].map((k) => `##kpi ${k}`);
      assertLaidOut(await rectsOf(kpis), width, 'Overview');
      await page.screenshot({ path: join(artifacts, `layout-overview-${width}x${height}.png`) });

      // Two saved audiences and an unsaved draft: the overlap matrix, with a long status message.
      await page.evaluate(async () => {
        await window.segx.saveAudience({ segx: 1, id: 'cn', name: 'Customers in China with a rather long name', root: { match: 'all', rules: [{ kind: 'property', attribute: 'country', op: 'eq', value: 'China' }] } });
        await window.segx.saveAudience({ segx: 1, id: 'buyers', name: 'Buyers', root: { match: 'all', rules: [{ kind: 'behavior', event: 'purchase' }] } });
        await window.segx.openAudience({ segx: 1, name: 'Draft', root: { match: 'all', rules: [{ kind: 'behavior', event: 'purchase', count: { op: 'gte', value: 3 } }] } });
        await window.segx.importText('{"segx": 1, "name": "x", "root": {"match": "all", "rules": [' +
          Array.from({ length: 6 }, (_, i) => `{"kind": "property", "attribute": "missing_column_number_${i}", "op": "is_set"}`).join(',') + ']}}');
      });
      await settle(page);
      await clickWidget(page, 'Audiences');
      await clickWidget(page, 'Overlap');
      await frames(page, 3);
      const toolbar = ['Save', 'Save as new', 'New', 'Download JSON', 'Import JSON', 'Copy link', 'Copy SQL', 'Export members', 'Download workspace'];
      assertLaidOut(await rectsOf(toolbar), width, 'Audiences toolbar');
      await page.screenshot({ path: join(artifacts, `layout-audiences-${width}x${height}.png`) });

      await clickWidget(page, '##messages_button');
      assert.ok((await page.evaluate(() => window.segx.widgetRect('##messages_window')))?.visible, 'the Messages window is open');
      await page.screenshot({ path: join(artifacts, `layout-messages-${width}x${height}.png`) });
      await press(page, 'Escape');
      await frames(page, 2);
      assert.equal(await page.evaluate(() => window.segx.widgetRect('##messages_window')), null, 'Escape closed it');
      assert.deepEqual(page.problems(), []);
      await page.close();
    });
  }
});
