// The RFM tab in the real page: opened by clicking it on the demo, the method switched by
// clicking the real combo, its answer equal to window.segx.run's for the same settings, a
// heat-map cell hovered (its exact numbers) and clicked, opening that cell's audience in the
// Audiences tab (the tab's settings, saved in the workspace, are the rule's); the grid editor
// painting a cell (the segment table follows), and Copy SQL.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { artifacts, clickWidget, frames, settle, startBrowser } from '../support/browser_env.mjs';

let env;
before(async () => {
  env = await startBrowser();
});
after(async () => env && (await env.close()));

async function stateWhen(page, check) {
  let s;
  for (let i = 0; i < 200; ++i) {
    s = await page.evaluate(() => window.segx.state());
    if (check(s)) break;
    await frames(page);
  }
  return s;
}

const pct = (x) => `${(x * 100).toFixed(1)}%`;

describe('the RFM tab', () => {
  test('scores the demo as segx.run does, shows a cell\'s numbers on hover and opens it as an audience', async () => {
    const page = await env.openPage();
    await settle(page);
    await clickWidget(page, 'RFM');
    let s = await stateWhen(page, (t) => !t.rfm.evaluating && t.rfm.answer);
    assert.equal(s.rfm.ok, true, JSON.stringify(s.rfm.errors));
    assert.equal(s.rfm.method, 'quantile');
    assert.ok(s.rfm.answer.customers > 0, 'the demo has customers');

    // The method, switched by clicking the combo and its item.
    await clickWidget(page, '##rfm.method');
    await clickWidget(page, 'thresholds');
    s = await stateWhen(page, (t) => t.rfm.method === 'thresholds' && !t.rfm.evaluating);
    const r = s.rfm;
    assert.equal(r.ok, true, JSON.stringify(r.errors));
    assert.equal(r.definition.method, 'thresholds');
    assert.equal(r.answer.method, 'thresholds');
    const run = await page.evaluate((d) => window.segx.run(d), r.definition);
    assert.equal(run.ok, true, JSON.stringify(run.errors));
    assert.deepEqual(r.answer, run);
    // The same settings written by hand give the same answer.
    assert.deepEqual(await page.evaluate(() => window.segx.run({ segx: 1, kind: 'rfm', method: 'thresholds' })), run);

    // The busiest cell: hovered, its tooltip gives its exact numbers.
    const cell = run.cells.reduce((a, b) => (b.customers > a.customers ? b : a));
    const label = `##rfm.cell.r${cell.r}.f${cell.f}`;
    const rect = await page.evaluate((l) => window.segx.widgetRect(l), label);
    assert.ok(rect?.visible, `${label} is drawn`);
    await page.mouse.move(rect.x + rect.w / 2, rect.y + rect.h / 2);
    s = await stateWhen(page, (t) => t.rfm.hover);
    const hover = s.rfm.hover;
    assert.match(hover, new RegExp(`^R=${cell.r} F=${cell.f} · ${cell.segment}\n`));
    assert.ok(hover.includes(`Customers: ${cell.customers.toLocaleString('en-US')} (${pct(cell.customers / run.customers)} of all customers)`), hover);
    assert.ok(hover.includes(`(${pct(cell.revenue / run.revenue)} of all revenue)`), hover);
    await page.screenshot({ path: join(artifacts, 'rfm.png') });

    // A click on the cell opens its audience in the Audiences tab.
    await clickWidget(page, label);
    s = await stateWhen(page, (t) => t.audience.definition.root.rules[0]?.kind === 'rfm');
    // The edited settings are saved in the workspace ("rfm-1"), and the rule names them.
    assert.equal(r.settings_id, 'rfm-1');
    assert.deepEqual(s.saved.rfms, [{ id: 'rfm-1', name: '' }]);
    assert.deepEqual(s.audience.definition.root.rules, [{ kind: 'rfm', rfm: 'rfm-1', r: [cell.r, cell.r], f: [cell.f, cell.f] }]);
    assert.equal(s.audience.name, `RFM R=${cell.r} F=${cell.f}`);
    s = await stateWhen(page, (t) => !t.audience.evaluating && t.audience.size !== undefined);
    assert.equal(s.audience.size, cell.customers, 'the audience holds the cell\'s customers');
    const inFront = () => page.evaluate(() => window.segx.widgetRect('##audience_name').then((x) => !!x?.visible));
    for (let i = 0; i < 20 && !(await inFront()); ++i) await frames(page);
    assert.ok(await inFront(), 'the Audiences tab is in front');

    // A segment row opens the segment's audience.
    await clickWidget(page, 'RFM');
    await clickWidget(page, '##rfm.segment.0');
    s = await stateWhen(page, (t) => t.audience.definition.root.rules[0]?.segments);
    assert.deepEqual(s.audience.definition.root.rules, [{ kind: 'rfm', rfm: 'rfm-1', segments: [run.segments[0].name] }]);

    // The grid editor: paint the cell R=5 F=1 (New Customers) into Promising; the segment table
    // loses New Customers and Promising gains its customers.
    await clickWidget(page, 'RFM');
    await clickWidget(page, 'Edit the grid##rfm.edit');
    const promising = run.segments.findIndex((x) => x.name === 'Promising');
    const newCustomers = run.segments.find((x) => x.name === 'New Customers').customers;
    await clickWidget(page, `##rfm.paint.${promising}`);
    s = await stateWhen(page, (t) => t.rfm.paint_segment === promising);
    assert.equal(s.rfm.paint_segment, promising);
    await clickWidget(page, '##rfm.cell.r5.f1');
    s = await stateWhen(page, (t) => t.rfm.definition.segments.length === 9 && !t.rfm.evaluating);
    assert.equal(s.rfm.edit_problem, '');
    const names = s.rfm.answer.segments.map((x) => x.name);
    assert.ok(!names.includes('New Customers'), names.join());
    assert.equal(s.rfm.answer.segments.find((x) => x.name === 'Promising').customers,
      run.segments.find((x) => x.name === 'Promising').customers + newCustomers);
    assert.deepEqual(s.rfm.definition.segments.find((x) => x.name === 'Promising'), { name: 'Promising', r: [4, 5], f: [1, 1] });
    await page.screenshot({ path: join(artifacts, 'rfm-grid.png') });

    // Copy SQL: the status says so (the clipboard is the browser's).
    await clickWidget(page, 'Copy SQL##rfm');
    s = await stateWhen(page, (t) => t.messages?.at(-1)?.text?.includes('DuckDB SQL'));
    assert.equal(s.messages.at(-1).text, 'Copied the RFM scores as DuckDB SQL');
  });
});
