// Text input with an input method (pinyin and the like) through web/ime.js's field over the
// ImGui text input, driven like a real IME through the DevTools protocol; ordinary typing, keys
// and clicks with the field in place; and web/files.js's download and file picker.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { artifacts, clickWidget, frames, settle, startBrowser, stateWhen } from '../support/browser_env.mjs';
import { repo } from '../support/node_env.mjs';

let env;
before(async () => {
  env = await startBrowser();
});
after(async () => env && (await env.close()));

const state = (page) => page.evaluate(() => window.segx.state());
const lastMessage = async (page) => (await state(page)).messages.at(-1).text;
// Which element has the focus, and where the IME field is (CSS px), if shown.
const focus = (page) =>
  page.evaluate(() => {
    const f = document.getElementById('ime-field');
    const r = f.getBoundingClientRect();
    return { active: document.activeElement.id, hidden: f.hidden, composing: f.classList.contains('composing'), value: f.value,
      rect: { x: r.x, y: r.y, w: r.width, h: r.height } };
  });
const press = async (page, key) => {
  await page.keyboard.press(key);
  await frames(page);
};

// Clicks the Overview's as-of field and selects its text, so what comes next replaces it.
// The field takes the focus at the end of the frame that activated the ImGui input; keys sent
// before then would race the move (a person cannot type within a frame of clicking; Playwright can).
async function editAsOf(page) {
  await clickWidget(page, '##as_of');
  await page
    .waitForFunction(() => document.activeElement.id === 'ime-field', null, { timeout: 5000 })
    .catch(() => assert.fail('the IME field has the focus while the as-of field is edited'));
  await press(page, 'Control+A');
}

describe('input methods', () => {
  test('composed Chinese text reaches the ImGui field; Backspace, Home and typing work through the field', async () => {
    const page = await env.openPage();
    await settle(page);
    const asOf = (await state(page)).as_of;
    assert.equal((await focus(page)).hidden, true, 'no field while nothing is edited');

    // The field lies over the widget (CSS px), and takes the focus.
    await editAsOf(page);
    const widget = await page.evaluate(() => window.segx.widgetRect('##as_of'));
    const f = await focus(page);
    for (const k of ['x', 'y', 'w', 'h']) assert.ok(Math.abs(f.rect[k] - widget[k]) < 1, `field ${k} ${f.rect[k]} vs widget ${widget[k]}`);

    // Pinyin being composed stays in the field; the committed text goes to ImGui.
    const cdp = await page.context().newCDPSession(page);
    const messages = (await state(page)).messages.length;
    await cdp.send('Input.imeSetComposition', { text: 'shang hai', selectionStart: 9, selectionEnd: 9 });
    await frames(page);
    assert.deepEqual([(await focus(page)).composing, (await focus(page)).value], [true, 'shang hai']);
    await page.screenshot({ path: join(artifacts, 'ime-composing.png') });
    await cdp.send('Input.imeSetComposition', { text: '上海', selectionStart: 2, selectionEnd: 2 });
    await cdp.send('Input.insertText', { text: '上海' });
    await frames(page);
    assert.deepEqual([(await focus(page)).composing, (await focus(page)).value], [false, ''], 'committed text leaves the field');
    assert.equal((await state(page)).messages.length, messages, 'nothing applied before Enter');
    await press(page, 'Enter');
    assert.equal(await lastMessage(page), 'As-of time: cannot read "上海" as a date or time (try 2026-10-31 23:59:59)');
    assert.equal((await state(page)).as_of, asOf);
    // Enter ended the edit: the field is gone and the canvas has the focus again.
    assert.deepEqual([(await focus(page)).active, (await focus(page)).hidden], ['canvas', true]);

    // Text inserted without composition (an emoji keyboard, a paste from the IME), then Backspace.
    await editAsOf(page);
    await cdp.send('Input.insertText', { text: '北京x' });
    await frames(page);
    await press(page, 'Backspace');
    await press(page, 'Enter');
    const beijing = 'As-of time: cannot read "北京" as a date or time (try 2026-10-31 23:59:59)';
    assert.equal((await stateWhen(page, (x) => x.messages.at(-1).text === beijing)).messages.at(-1).text, beijing);

    // Ordinary typing: each character once (a doubled one would not parse), Home moves the caret.
    await editAsOf(page);
    await page.keyboard.type('024-02-03');
    await frames(page);
    await press(page, 'Home');
    await page.keyboard.type('2');
    await press(page, 'Enter');
    let s = await stateWhen(page, (x) => /^2024-02-03/.test(x.as_of));
    assert.equal(s.messages.at(-1).text, 'As-of time set to 2024-02-03 00:00:00');
    assert.match(s.as_of, /^2024-02-03/);

    // A click inside the field being edited keeps the edit (and the focus); a click elsewhere on
    // the canvas reaches ImGui and ends it.
    await editAsOf(page);
    await clickWidget(page, '##as_of');
    assert.equal((await focus(page)).active, 'ime-field');
    await page.keyboard.type('2025-05-06');
    const before = (await state(page)).selected;
    const other = (await state(page)).sources.map((x) => x.name).find((n) => n !== before);
    await clickWidget(page, other);
    s = await state(page);
    assert.equal(s.selected, other);
    assert.deepEqual([(await focus(page)).active, (await focus(page)).hidden], ['canvas', true]);
    // A second edit after one ended by a click works as the first.
    await editAsOf(page);
    await page.keyboard.type('2023-03-04');
    await press(page, 'Enter');
    s = await stateWhen(page, (x) => /^2023-03-04/.test(x.as_of));
    assert.match(s.as_of, /^2023-03-04/, `the last messages: ${JSON.stringify(s.messages.slice(-3).map((m) => m.text))}`);
    assert.deepEqual(page.problems(), []);
    await page.close();
  });

  test('on a HiDPI screen the field covers the widget in CSS pixels', async () => {
    const page = await env.openPage({ deviceScaleFactor: 2, viewport: { width: 1000, height: 700 } });
    await settle(page);
    await editAsOf(page);
    const widget = await page.evaluate(() => window.segx.widgetRect('##as_of'));
    const f = await focus(page);
    for (const k of ['x', 'y', 'w', 'h']) assert.ok(Math.abs(f.rect[k] - widget[k]) < 1, `field ${k} ${f.rect[k]} vs widget ${widget[k]}`);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Input.imeSetComposition', { text: 'zhong', selectionStart: 5, selectionEnd: 5 });
    await cdp.send('Input.insertText', { text: '中文' });
    await press(page, 'Enter');
    assert.match(await lastMessage(page), /cannot read "中文"/);
    assert.deepEqual(page.problems(), []);
    await page.close();
  });
});

// web/files.js's own source is run in the page (its functions are not on window.segx), with
// the page's Content-Security-Policy in force.
const filesSource = readFileSync(join(repo, 'web/files.js'), 'utf8').replace(/^export /gm, '');
const withFiles = (page) => page.evaluate(`(() => { ${filesSource}; window.segxFiles = { downloadText, pickFile }; })()`);

describe('files.js', () => {
  test('downloadText saves the text as a file; pickFile resolves to the chosen file, or null', async () => {
    const page = await env.openPage({ query: '?demo=0' });
    await withFiles(page);
    const text = JSON.stringify({ segx: 1, kind: 'workspace', name: '上海 ✓' }, null, 2);
    const download = page.waitForEvent('download');
    await page.evaluate((t) => window.segxFiles.downloadText('segx-workspace.json', 'application/json', t), text);
    const d = await download;
    assert.equal(d.suggestedFilename(), 'segx-workspace.json');
    assert.equal(readFileSync(await d.path(), 'utf8'), text);

    let chooser = page.waitForEvent('filechooser');
    let picked = page.evaluate(async () => {
      const f = await window.segxFiles.pickFile('.json,application/json');
      return f && { name: f.name, text: await f.text() };
    });
    let c = await chooser;
    assert.equal(await c.element().getAttribute('accept'), '.json,application/json');
    await c.setFiles({ name: 'w.json', mimeType: 'application/json', buffer: Buffer.from('{"segx": 1}') });
    assert.deepEqual(await picked, { name: 'w.json', text: '{"segx": 1}' });

    chooser = page.waitForEvent('filechooser');
    picked = page.evaluate(() => window.segxFiles.pickFile('.json'));
    c = await chooser;
    await c.setFiles([]);  // Chromium reports choosing nothing as "cancel"
    assert.equal(await picked, null);
    // The chooser's inputs are gone afterwards.
    assert.equal(await page.evaluate(() => document.querySelectorAll('input[type=file]').length), 1);  // the page's own picker
    assert.deepEqual(page.problems(), []);
    await page.close();
  });
});
