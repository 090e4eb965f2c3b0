// The Chinese interface in the real page: the header's switch turns every tab to 简体中文 at once,
// an audience is built by clicking widgets found by their Chinese labels and counts what
// window.segx.run counts, the choice survives a reload (the workspace keeps it), and the shell's
// tabs are saved as screenshots at 1400×900 in both languages (build/test-artifacts).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { artifacts, clickWidget, frames, settle, startBrowser } from '../support/browser_env.mjs';

let env;
before(async () => {
  env = await startBrowser();
});
after(async () => env && (await env.close()));

// The state once the draft's evaluation has caught up with the draft.
async function state(page) {
  let s;
  for (let i = 0; i < 100; ++i) {
    s = await page.evaluate(() => window.segx.state());
    if (!s.audience.evaluating) break;
    await frames(page);
  }
  return s;
}

async function pick(page, picker, typed, item) {
  await clickWidget(page, picker);
  await page.keyboard.type(typed);
  await frames(page, 3);
  await clickWidget(page, `${item}##pick`);
}

// Shows each of the shell's tabs (by a language-free id) and saves it.
async function screenshots(page, lang) {
  for (const tab of ['Overview', 'Audiences', 'Data']) {
    await clickWidget(page, `###${tab}`);
    await frames(page, 4);
    await page.screenshot({ path: join(artifacts, `shell-${tab.toLowerCase()}-${lang}.png`) });
  }
}

const expectedRoot = {
  kind: 'group',
  match: 'all',
  rules: [
    { kind: 'property', attribute: 'country', op: 'eq', value: 'China' },
    { kind: 'behavior', did: true, event: 'purchase', window: { last_days: 30 }, count: { op: 'gte', unit: 'orders', value: 1 } },
  ],
};

describe('the Chinese interface', () => {
  test('switches by its header button, builds an audience by Chinese labels, and survives a reload', async () => {
    const page = await env.openPage({ viewport: { width: 1400, height: 900 } });
    await settle(page);
    // A fresh browser context: the page follows navigator.language (English here) until the
    // workspace names a language.
    assert.equal(await page.evaluate(() => window.segx.state('language')), 'en');
    await screenshots(page, 'en');

    await clickWidget(page, '简体中文');
    let s = await state(page);
    assert.equal(s.language, 'zh-CN');
    // Tabs and buttons are drawn from the Chinese table; their ids stay English.
    for (const label of ['概览', '人群', '漏斗', '留存', '数据', '打开文件']) {
      const rect = await page.evaluate((l) => window.segx.widgetRect(l), label);
      assert.ok(rect && rect.visible, `no visible widget labelled "${label}"`);
    }
    assert.equal(await page.evaluate(() => window.segx.widgetRect('Audiences')).then((r) => r !== null), true);

    await clickWidget(page, '人群');
    await clickWidget(page, '+ 添加规则');
    await clickWidget(page, '属性规则');
    await pick(page, '##root.rules[0].attribute', 'coun', 'country');
    await clickWidget(page, '##root.rules[0].value_top');
    await clickWidget(page, 'China##pick');
    await clickWidget(page, '+ 添加规则');
    await clickWidget(page, '行为规则');
    await clickWidget(page, '##root.rules[1].window');
    await clickWidget(page, '最近');
    s = await state(page);
    assert.equal(s.audience.ok, true, JSON.stringify(s.audience.errors));
    assert.deepEqual(s.audience.definition.root, expectedRoot);
    const expected = await page.evaluate((root) => window.segx.run({ segx: 1, id: 'x', name: 'x', root }), expectedRoot);
    assert.ok(expected.size > 0 && expected.size < s.overview.users);
    assert.equal(s.audience.size, expected.size);
    // The rule size beside each rule, in Chinese ("… 位用户").
    const sizeText = await page.evaluate((n) => window.segx.widgetRect(n), `${s.audience.size.toLocaleString('en-US')} 位用户`);
    assert.ok(sizeText === null || sizeText.w > 0);

    // Saved under the Chinese button; the status line speaks Chinese.
    await clickWidget(page, '保存');
    s = await state(page);
    assert.match(s.messages.at(-1).text, /^已保存人群“/);

    await screenshots(page, 'zh');

    // The choice is in the workspace: a reload comes back in Chinese, the draft with it.
    await page.reload();
    await page.evaluate(() => window.segx.ready());
    await settle(page);
    s = await state(page);
    assert.equal(s.language, 'zh-CN');
    assert.equal(s.audience.size, expected.size);
    await frames(page, 3);
    assert.ok(await page.evaluate(() => window.segx.widgetRect('人群')), 'the tabs are Chinese after a reload');

    // Back to English by the other button: the English labels tests use are there again.
    await clickWidget(page, 'English');
    assert.equal((await state(page)).language, 'en');
    await frames(page, 3);
    assert.ok(await page.evaluate(() => window.segx.widgetRect('Audiences')));
    assert.deepEqual(page.problems(), []);
  });
});
