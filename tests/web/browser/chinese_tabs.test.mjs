// The analysis tabs in Simplified Chinese, in the real page at 1400×900: the language switched
// through window.segx.setLanguage, a funnel built and its bar clicked, an RFM cell hovered (its
// tooltip and segment in Chinese) and a segment opened as an audience (the rule keeps the stored
// English name: translation is display only), retention by month and a board group chosen by
// their Chinese labels, the SQL tab run by its Chinese button; then English again, where the
// English labels find the same widgets. Screenshots of every tab in both languages go to
// build/test-artifacts/languages/.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { artifacts, clickWidget, frames, pick, settle, startBrowser } from '../support/browser_env.mjs';

let env;
before(async () => {
  env = await startBrowser();
});
after(async () => env && (await env.close()));

async function stateWhen(page, check = () => true) {
  let s;
  for (let i = 0; i < 300; ++i) {
    s = await page.evaluate(() => window.segx.state());
    if (check(s)) break;
    await frames(page);
  }
  return s;
}

const shots = join(artifacts, 'languages');
const tabs = ['Funnels', 'RFM', 'Retention', 'Lifecycle', 'SQL'];
// The 10-segment grid's Chinese names, as the RFM tab shows them (src/app/i18n/strings_zh.inc).
const zhSegment = {
  Champions: '冠军客户', 'Loyal Customers': '忠诚客户', 'Potential Loyalists': '潜力忠诚客户', 'New Customers': '新客户',
  Promising: '有潜力客户', 'Need Attention': '需要关注客户', 'About To Sleep': '即将沉睡客户', 'At Risk': '流失风险客户',
  "Can't Lose Them": '不能流失客户', Hibernating: '沉睡客户',
};
const pct = (x) => `${(x * 100).toFixed(1)}%`;

async function screenshotTabs(page, lang) {
  for (const tab of tabs) {
    await clickWidget(page, `###${tab}`); // the tabs' language-free ids
    await stateWhen(page, (t) => !t.funnel.evaluating && !t.rfm.evaluating && !t.retention.evaluating && !t.lifecycle.evaluating);
    await frames(page, 3);
    await page.screenshot({ path: join(shots, `${tab.toLowerCase()}-${lang}.png`) });
  }
}

describe('the analysis tabs in Chinese', () => {
  test('funnel, RFM, retention, lifecycle and SQL work by their Chinese labels, and English comes back', async () => {
    mkdirSync(shots, { recursive: true });
    const page = await env.openPage({ viewport: { width: 1400, height: 900 } });
    await settle(page);
    await page.evaluate(() => window.segx.setLanguage('zh-CN'));

    // Funnels: the tab, "新建" and "+ 添加步骤" by their Chinese labels (a new draft takes the
    // language's default name); step 2's bar opens an audience whose name and message are Chinese.
    await clickWidget(page, '漏斗');
    await clickWidget(page, '新建');
    await pick(page, '##steps[0].event', 'view_i', 'view_item');
    await pick(page, '##steps[1].event', 'add_to', 'add_to_cart');
    await clickWidget(page, '+ 添加步骤');
    await pick(page, '##steps[2].event', 'purch', 'purchase');
    let s = await stateWhen(page, (t) => t.funnel.steps.length === 3 && !t.funnel.evaluating);
    assert.equal(s.funnel.ok, true, JSON.stringify(s.funnel.errors));
    assert.equal(s.funnel.definition.name, '新漏斗');
    await clickWidget(page, '##chart.steps[1]');
    s = await stateWhen(page, (t) => t.audience.definition.root.rules[0]?.kind === 'funnel');
    assert.deepEqual(s.audience.definition.root.rules, [{ kind: 'funnel', funnel: s.funnel.saved_id, reached: 2 }]);
    assert.equal(s.audience.name, '新漏斗：转化到步骤 2（add_to_cart）');
    assert.ok(s.messages.some((m) => m.text === '已保存漏斗“新漏斗”：人群引用的是已保存的漏斗'), JSON.stringify(s.messages));

    // RFM: the busiest cell's tooltip in Chinese, its segment by its Chinese name.
    await clickWidget(page, 'RFM 分层');
    s = await stateWhen(page, (t) => t.rfm.answer && !t.rfm.evaluating);
    const answer = s.rfm.answer;
    const cell = answer.cells.reduce((a, b) => (b.customers > a.customers ? b : a));
    const cellId = `##rfm.cell.r${cell.r}.f${cell.f}`;
    const rect = await page.evaluate((l) => window.segx.widgetRect(l), cellId);
    assert.ok(rect?.visible, `${cellId} is drawn`);
    await page.mouse.move(rect.x + rect.w / 2, rect.y + rect.h / 2);
    s = await stateWhen(page, (t) => t.rfm.hover);
    assert.ok(zhSegment[cell.segment], `a template segment: ${cell.segment}`);
    assert.match(s.rfm.hover, new RegExp(`^R=${cell.r} F=${cell.f} · ${zhSegment[cell.segment]}\n客户：`));
    assert.ok(s.rfm.hover.includes(`（占全部客户的 ${pct(cell.customers / answer.customers)}）`), s.rfm.hover);
    // The cell, clicked, opens its customers.
    await clickWidget(page, cellId);
    s = await stateWhen(page, (t) => t.audience.definition.root.rules[0]?.kind === 'rfm' && !t.audience.evaluating);
    assert.equal(s.audience.name, `RFM R=${cell.r} F=${cell.f}`);
    assert.equal(s.audience.size, cell.customers);
    // The first segment's row: the audience is named in Chinese, the rule keeps the stored name.
    await clickWidget(page, 'RFM 分层');
    await clickWidget(page, '##rfm.segment.0');
    s = await stateWhen(page, (t) => t.audience.definition.root.rules[0]?.segments);
    assert.equal(s.audience.definition.root.rules[0].segments[0], 'Champions');
    assert.equal(s.audience.name, 'RFM 冠军客户');

    // Retention: a start event, then the month period by its Chinese item "月".
    await clickWidget(page, '留存');
    await pick(page, '##retention.start.event', 'page_v', 'page_view');
    await clickWidget(page, '##retention.period');
    await clickWidget(page, '月');
    s = await stateWhen(page, (t) => t.retention.answer?.period === 'month');
    assert.equal(s.retention.definition.period, 'month');

    // Lifecycle: the board's 休眠用户 row opens the dormant pool.
    await clickWidget(page, '生命周期');
    s = await stateWhen(page, (t) => t.lifecycle.answer && t.lifecycle.board.answer);
    await clickWidget(page, '休眠用户');
    s = await stateWhen(page, (t) => t.audience.definition.root.rules[0]?.group === 'dormant');
    assert.equal(s.audience.name, '看板：休眠用户');

    // SQL: run by "运行".
    await clickWidget(page, '###SQL');
    await clickWidget(page, '运行');
    s = await stateWhen(page, (t) => t.sql.status !== 'running' && t.sql.status !== 'idle');
    assert.equal(s.sql.status, 'done', s.sql.error);

    await screenshotTabs(page, 'zh');

    // English again: the same widgets by their English labels.
    await page.evaluate(() => window.segx.setLanguage('en'));
    await clickWidget(page, 'Funnels');
    await clickWidget(page, '+ Add step##steps');
    s = await stateWhen(page, (t) => t.funnel.definition.steps.length === 4);
    assert.equal(s.funnel.definition.steps.length, 4);
    await clickWidget(page, 'x##steps[3]');
    s = await stateWhen(page, (t) => t.funnel.definition.steps.length === 3);
    assert.equal(s.funnel.definition.steps.length, 3);
    await clickWidget(page, 'Lifecycle');
    await clickWidget(page, 'Dormant 休眠用户##board.group.dormant');
    await screenshotTabs(page, 'en');
    assert.deepEqual(page.problems(), []);
    await page.close();
  });
});
