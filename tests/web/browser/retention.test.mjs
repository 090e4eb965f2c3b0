// The Retention and Lifecycle tabs in the real page, on the demo: each tab opened by clicking
// it, its period changed by clicking the real combo, the answers in state() equal to
// window.segx.run's for the same definitions, a cohort cell hovered and clicked (it opens its
// users in the builder: a `retention` rule whose size is the cell's count), a lifecycle bar
// segment and a board group
// clicked open their `lifecycle` audiences in the builder (the group's size is the board's
// pool), and "Copy SQL" puts each definition's statement on the clipboard. A breakdown by an
// attribute draws one curve per group, each segx.run's answer for the definition restricted to
// the group; a point is hovered and clicked open. Saved retentions are renamed, deleted and
// restored in the rail.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { artifacts, clickWidget, frames, pick, settle, startBrowser } from '../support/browser_env.mjs';

let env;
before(async () => {
  env = await startBrowser();
});
after(async () => env && (await env.close()));

// The state once every tab's work (run a slice per frame) has caught up and `check` holds.
async function stateWhen(page, check = () => true) {
  let s;
  for (let i = 0; i < 200; ++i) {
    s = await page.evaluate(() => window.segx.state());
    if (!s.audience.evaluating && !s.retention.evaluating && !s.lifecycle.evaluating && check(s)) break;
    await frames(page);
  }
  return s;
}

const run = (page, definition) => page.evaluate((d) => window.segx.run(d), definition);

describe('the Retention and Lifecycle tabs', () => {
  test('retention: the triangle of the chosen settings is segx.run\'s, by week then by month', async () => {
    const page = await env.openPage();
    await settle(page);
    await clickWidget(page, 'Retention');
    await pick(page, '##retention.start.event', 'page_v', 'page_view');
    let s = await stateWhen(page, (t) => t.retention.definition.start.event === 'page_view' && t.retention.answer);
    let r = s.retention;
    assert.equal(r.ok, true, JSON.stringify(r.errors));
    assert.equal(r.evaluating, false);
    assert.deepEqual(r.definition.start, { event: 'page_view' });
    assert.deepEqual(r.definition.return, { any: true });
    assert.equal(r.definition.period, 'week');
    assert.deepEqual(r.answer, await run(page, r.definition));
    assert.equal(r.answer.cohorts.length, 13);
    const revision = r.revision;

    // The period, by the real combo.
    await clickWidget(page, '##retention.period');
    await clickWidget(page, 'month##retention.period');
    s = await stateWhen(page, (t) => t.retention.definition.period === 'month' && t.retention.answer?.period === 'month');
    r = s.retention;
    assert.ok(r.revision > revision);
    assert.equal(r.answer.period, 'month');
    assert.deepEqual(r.answer, await run(page, r.definition));
    // The newest cohort with users has some of them back in the next month.
    const row = r.answer.cohorts.findIndex((c) => c.size > 0 && c.counts.length > 1);
    assert.ok(row >= 0, JSON.stringify(r.answer.cohorts));

    // Hover a cell (its exact numbers show in a tooltip); a click opens its users as an audience.
    const cell = `##retention.cell.${row}.1`;
    const rect = await page.evaluate((l) => window.segx.widgetRect(l), cell);
    assert.ok(rect?.visible, `${cell} is drawn`);
    await page.mouse.move(rect.x + rect.w / 2, rect.y + rect.h / 2);
    await frames(page, 3);
    await page.screenshot({ path: join(artifacts, 'retention.png') });
    await clickWidget(page, cell);
    const want = r.answer.cohorts[row];
    s = await stateWhen(page, (t) => t.audience.definition.root.rules[0]?.kind === 'retention' && t.audience.size !== undefined);
    const rule = s.audience.definition.root.rules[0];
    assert.deepEqual({ cohort: rule.cohort, period: rule.period, retention: rule.retention.period }, { cohort: want.start, period: 1, retention: 'month' });
    assert.equal(s.audience.size, want.counts[1]);
    assert.ok(want.counts[1] > 0);
    await clickWidget(page, 'Retention');

    // "Copy SQL": the triangle as one DuckDB statement on the clipboard.
    await clickWidget(page, 'Copy SQL##retention.sql');
    let sql = '';
    for (let k = 0; k < 50 && !sql.startsWith('-- segx retention'); ++k) sql = await page.evaluate(() => navigator.clipboard.readText()), await frames(page);
    assert.match(sql, /^-- segx retention "Retention" \(month, exact, 12 periods, 13 cohorts\)/);
    assert.deepEqual(page.problems(), []);
  });

  test('retention: a breakdown by country as curves (segx.run per group), a point hovered and opened', async () => {
    const page = await env.openPage();
    await settle(page);
    await clickWidget(page, 'Retention');
    await pick(page, '##retention.start.event', 'page_v', 'page_view');
    await clickWidget(page, '##retention.period');
    await clickWidget(page, 'month##retention.period');
    await pick(page, '##retention.breakdown.attribute', 'countr', 'country');
    const done = (t) => t.retention.answer?.period === 'month' && t.retention.breakdown?.groups.length > 0 &&
      t.retention.breakdown.groups.every((g) => g.answer?.period === 'month');
    let s = await stateWhen(page, done);
    const r = s.retention;
    const b = r.breakdown;
    assert.ok(done(s), JSON.stringify(b));
    assert.deepEqual(b.errors, []);
    assert.equal(b.attribute, 'country');
    assert.equal(b.top, 5);
    const values = b.groups.filter((g) => g.row === 'value');
    assert.ok(values.length >= 2 && values.length <= 5, JSON.stringify(b.groups.map((g) => g.value)));
    for (let i = 1; i < values.length; ++i) assert.ok(values[i - 1].users >= values[i].users);
    // Each curve is segx.run's answer for the same definition restricted to the group.
    const ruleOf = (g) => g.row === 'value' ? { kind: 'property', attribute: 'country', op: 'eq', value: g.value }
      : g.row === 'other' ? { kind: 'property', attribute: 'country', op: 'not_in', values: values.map((v) => v.value) }
        : { kind: 'property', attribute: 'country', op: 'is_not_set' };
    const sizes = r.answer.cohorts.map(() => 0);
    let users = 0;
    for (const g of b.groups) {
      const def = { ...r.definition, audience: { match: 'all', rules: [ruleOf(g)] } };
      assert.deepEqual(g.definition, def);
      assert.deepEqual(g.answer, await run(page, def));
      g.answer.cohorts.forEach((c, i) => (sizes[i] += c.size));
      assert.equal(g.answer.cohorts.reduce((n, c) => n + c.size, 0), g.users);
      users += g.users;
    }
    // The groups add up to the whole triangle, cohort by cohort.
    assert.equal(users, b.total);
    assert.deepEqual(sizes, r.answer.cohorts.map((c) => c.size));

    // The point farthest from the other curves (so the mouse names one curve), k >= 1.
    const means = b.groups.map((g) => g.answer.mean);
    let best = null;
    for (let gi = 0; gi < means.length; ++gi)
      for (let k = 1; k < means[gi].length; ++k) {
        if (typeof means[gi][k] !== 'number') continue;
        const gap = Math.min(...means.map((m, j) => (j === gi || typeof m[k] !== 'number' ? 1 : Math.abs(m[k] - means[gi][k]))));
        if (!best || gap > best.gap) best = { gi, k, gap };
      }
    assert.ok(best, JSON.stringify(means));
    const { gi, k } = best;
    const complete = b.groups[gi].answer.cohorts.filter((c) => c.complete[k]);
    const returned = complete.reduce((n, c) => n + c.counts[k], 0);
    const cohortUsers = complete.reduce((n, c) => n + c.size, 0);
    assert.ok(Math.abs(returned / cohortUsers - means[gi][k]) < 1e-12);

    // Scroll the results (the wheel over the triangle, whose rows all fit) until the point is in
    // view, then hover it.
    const point = `##retention.breakdown.${gi}.${k}`;
    const cell = await page.evaluate(() => window.segx.widgetRect('##retention.cell.0.0'));
    await page.mouse.move(cell.x + cell.w / 2, cell.y + cell.h / 2);
    for (let i = 0; i < 20; ++i) {
      const rect = await page.evaluate((l) => window.segx.widgetRect(l), point);
      if (rect?.visible) break;
      await page.mouse.wheel(0, 200);
      await frames(page, 3);
    }
    for (let i = 0; i < 3; ++i) await page.mouse.wheel(0, 200), await frames(page, 2); // the whole chart in view
    const rect = await page.evaluate((l) => window.segx.widgetRect(l), point);
    assert.ok(rect?.visible, `${point} is drawn: ${JSON.stringify(rect)}`);
    await page.mouse.move(rect.x + rect.w / 2, rect.y + rect.h / 2);
    await frames(page, 3);
    const hover = (await page.evaluate(() => window.segx.state('retention'))).breakdown.hover;
    const fmt = (n) => n.toLocaleString('en-US');
    assert.ok(hover.includes(`> ${b.groups[gi].value ?? ''}`), hover);
    assert.ok(hover.includes(`(${fmt(returned)} of ${fmt(cohortUsers)} users, complete cohorts)`), hover);
    await page.screenshot({ path: join(artifacts, 'retention_breakdown.png') });

    // A click opens the users behind the point: the group's rule and the complete cells at k.
    await clickWidget(page, point);
    s = await stateWhen(page, (t) => t.audience.definition.root.rules[0]?.kind === 'property' && t.audience.size !== undefined);
    const rules = s.audience.definition.root.rules;
    assert.deepEqual(rules[0], ruleOf(b.groups[gi]));
    assert.equal(rules[1].kind, 'group');
    assert.deepEqual(rules[1].rules.map((c) => [c.kind, c.cohort, c.period]), complete.filter((c) => c.size > 0).map((c) => ['retention', c.start, k]));
    assert.equal(s.audience.size, returned);
    assert.deepEqual(page.problems(), []);
    await page.close();
  });

  test('saved retentions in the rail: kept as edited, renamed, a new one, deleted and restored by Undo', async () => {
    const page = await env.openPage();
    await settle(page);
    await clickWidget(page, 'Retention');
    await pick(page, '##retention.start.event', 'page_v', 'page_view');
    let s = await stateWhen(page, (t) => t.saved.retentions.length === 1 && t.retention.saved_id);
    const first = s.saved.retentions[0].id;
    assert.equal(s.retention.saved_id, first);
    assert.equal(s.retention.definition.id, first);

    // Rename in the rail: the field opens with the name selected; Enter takes the new one.
    await clickWidget(page, `Rename##${first}`);
    await frames(page, 2);
    await page.keyboard.type('Weekly views');
    await page.keyboard.press('Enter');
    s = await stateWhen(page, (t) => t.saved.retentions[0]?.name === 'Weekly views');
    assert.equal(s.saved.retentions[0].name, 'Weekly views');
    assert.equal(s.retention.definition.name, 'Weekly views');

    // A new retention: kept once it reads, first in the rail.
    await clickWidget(page, 'New##retention');
    await pick(page, '##retention.start.event', 'purch', 'purchase');
    s = await stateWhen(page, (t) => t.saved.retentions.length === 2);
    const second = s.saved.retentions[0].id;
    assert.notEqual(second, first);
    assert.deepEqual(s.retention.definition.start, { event: 'purchase' });
    await page.screenshot({ path: join(artifacts, 'retention_rail.png') });

    // Delete the open one: the next opens; Undo restores it and opens it again.
    await clickWidget(page, `Delete##${second}`);
    s = await stateWhen(page, (t) => t.saved.retentions.length === 1 && t.retention.definition.id === first);
    assert.deepEqual(s.saved.retentions.map((x) => x.id), [first]);
    assert.deepEqual(s.retention.definition.start, { event: 'page_view' });
    assert.equal(s.retention.can_undo_delete, true);
    await clickWidget(page, 'Undo delete of "Retention"');
    s = await stateWhen(page, (t) => t.saved.retentions.length === 2 && t.retention.definition.id === second);
    assert.deepEqual(s.saved.retentions.map((x) => x.id), [second, first]);
    assert.deepEqual(s.retention.answer, await run(page, s.retention.definition));

    // Kept in the stored workspace: both come back after a reload, the last edited open.
    await page.reload();
    await page.evaluate(() => window.segx.ready());
    s = await settle(page);
    s = await stateWhen(page, (t) => t.retention.definition.id === second);
    assert.deepEqual(s.saved.retentions.map((x) => x.name), ['Retention', 'Weekly views']);
    assert.deepEqual(page.problems(), []);
    await page.close();
  });

  test('lifecycle: the bars and the board are segx.run\'s; a segment and a group open audiences', async () => {
    const page = await env.openPage();
    await settle(page);
    await clickWidget(page, 'Lifecycle');
    let s = await stateWhen(page, (t) => t.lifecycle.answer && t.lifecycle.board.answer);
    let l = s.lifecycle;
    assert.equal(l.ok, true, JSON.stringify(l.errors));
    assert.equal(l.board.ok, true, JSON.stringify(l.board.errors));
    assert.deepEqual(l.answer, await run(page, l.definition));
    assert.deepEqual(l.board.answer, await run(page, l.board.definition));
    assert.deepEqual(l.board.definition.period, { last_days: 30 });
    assert.equal(l.board.definition.dormant_days, 90);

    await clickWidget(page, '##lifecycle.period');
    await clickWidget(page, 'day##lifecycle.period');
    s = await stateWhen(page, (t) => t.lifecycle.answer?.period === 'day');
    l = s.lifecycle;
    assert.equal(l.definition.period, 'day');
    assert.deepEqual(l.answer, await run(page, l.definition));
    assert.equal(l.answer.periods.length, 12);
    await page.screenshot({ path: join(artifacts, 'lifecycle.png') });

    // A click on a returning segment: the audience of the users returning now, by the chart's period.
    const i = l.answer.periods.findIndex((p) => p.returning > 0);
    assert.ok(i >= 0, JSON.stringify(l.answer.periods));
    await clickWidget(page, `##lifecycle.bar.${i}.returning`);
    s = await stateWhen(page, (t) => t.audience.definition.root.rules[0]?.kind === 'lifecycle');
    assert.deepEqual(s.audience.definition.root.rules, [{ kind: 'lifecycle', stage: 'returning', period: 'day' }]);
    assert.equal(s.audience.name, 'Lifecycle: Returning users');

    // A board group: exactly the board's pool of that group.
    await clickWidget(page, 'Lifecycle');
    await clickWidget(page, 'Dormant 休眠用户##board.group.dormant');
    s = await stateWhen(page, (t) => t.audience.definition.root.rules[0]?.group === 'dormant' && t.audience.answer);
    assert.deepEqual(s.audience.definition.root.rules, [{ kind: 'lifecycle', group: 'dormant', window: { last_days: 30 }, dormant_days: 90 }]);
    assert.equal(s.audience.name, 'Board: Dormant users');
    assert.equal((await run(page, s.audience.definition)).size, l.board.answer.groups.dormant.pool);
    assert.ok(l.board.answer.groups.dormant.pool > 0);

    // "Copy SQL" of the board and of the chart: their compiled statements on the clipboard.
    await clickWidget(page, 'Lifecycle');
    for (const [button, head] of [['Copy SQL##board.sql', '-- segx board'], ['Copy SQL##lifecycle.sql', '-- segx lifecycle']]) {
      await clickWidget(page, button);
      let sql = '';
      for (let k = 0; k < 50 && !sql.startsWith(head); ++k) sql = await page.evaluate(() => navigator.clipboard.readText()), await frames(page);
      assert.ok(sql.startsWith(head), sql.slice(0, 80));
      assert.match(sql, /FROM "events"/);
    }
    assert.deepEqual(page.problems(), []);
  });
});
