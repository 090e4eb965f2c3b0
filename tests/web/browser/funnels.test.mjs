// The Funnels tab in the real page: a three-step funnel built on the demo by clicking real
// widgets, its counts equal to window.segx.run's for the same definition, a click on a step's
// bar (and on a drop-off) opening that step's audience in the Audiences tab, and the saved
// funnel in the rail deleted and restored. Then "Copy SQL", "Copy link" (a "#f=" link opening
// the funnel in a fresh page, with its breakdown drawn as grouped bars that give their numbers
// on hover), and the draft surviving a reload.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { artifacts, clickWidget, frames, pick, settle, startBrowser, stateWhen } from '../support/browser_env.mjs';

let env;
before(async () => {
  env = await startBrowser();
});
after(async () => env && (await env.close()));

// The state once every tab's work (run a slice per frame) has caught up.
async function state(page) {
  let s;
  for (let i = 0; i < 100; ++i) {
    s = await page.evaluate(() => window.segx.state());
    if (!s.audience.evaluating && !s.funnel.evaluating) break;
    await frames(page);
  }
  return s;
}

const kSteps = ['view_item', 'add_to_cart', 'purchase'];

describe('the Funnels tab', () => {
  test('builds a 3-step funnel by clicking, counts it as segx.run does, and opens a step as an audience', async () => {
    const page = await env.openPage();
    await settle(page);
    // Idle frames after the load build every event name's per-user starts before any funnel
    // asks, then their times beside the postings while they fit (Session::warm_index_step):
    // starts compact, a 4 B base and 64 2 B offsets per 64 users, times 4 B per event, fewest
    // events first, all within the index's budget of 4 B per event, evicting nothing. (The
    // draft's empty steps build nothing.)
    const startsOf = (t, names) => names * (Math.floor(t.overview.users / 64) + 1) * (4 + 64 * 2);
    const timesOf = (t) => {
      let bytes = startsOf(t, 6);
      for (const { events } of [...t.overview.top_events].sort((a, b) => a.events - b.events))
        if (bytes + 4 * events <= 4 * t.overview.events) bytes += 4 * events;
      return bytes - startsOf(t, 6);
    };
    const warmed = await stateWhen(page, (t) => t.overview.memory_parts['index.user_starts'] === startsOf(t, 6) &&
      t.overview.memory_parts['index.posting_times'] === timesOf(t));
    assert.equal(warmed.overview.top_events.length, 6);
    assert.ok(warmed.overview.users >= 64); // (fewer users would keep them wide)
    assert.ok(timesOf(warmed) >= 4 * Math.min(...warmed.overview.top_events.map((e) => e.events)));
    assert.ok(startsOf(warmed, 6) + timesOf(warmed) <= 4 * warmed.overview.events);
    await clickWidget(page, 'Funnels');
    await pick(page, '##steps[0].event', 'view_i', 'view_item');
    await pick(page, '##steps[1].event', 'add_to', 'add_to_cart');
    await clickWidget(page, '+ Add step##steps');
    await pick(page, '##steps[2].event', 'purch', 'purchase');

    let s = await stateWhen(page, (t) => t.funnel.definition.steps.length === 3 && t.funnel.steps.length === 3, { read: state });
    const f = s.funnel;
    assert.equal(f.ok, true, JSON.stringify(f.errors));
    assert.deepEqual(f.definition.steps, kSteps.map((event) => ({ event })));
    assert.equal(f.definition.order, 'ordered');
    assert.deepEqual(f.definition.window, { days: 7 });
    assert.equal(f.evaluating, false);
    const users = f.steps.map((x) => x.users);
    assert.ok(users[0] > users[1] && users[1] > users[2] && users[2] > 0, `step users ${users}`);

    // The same definition through segx.run gives the same answer.
    const run = await page.evaluate((d) => window.segx.run(d), f.definition);
    assert.equal(run.ok, true, JSON.stringify(run.errors));
    assert.deepEqual(f.answer, run);
    assert.deepEqual(run.steps.map((x) => x.users), users);
    assert.deepEqual(run.steps.map((x) => x.event), kSteps);

    // A click on step 2's bar: the funnel is saved (the audience names it), and the Audiences
    // tab opens "converted to step 2".
    assert.equal(f.saved_id, null);
    await clickWidget(page, '##chart.steps[1]');
    s = await stateWhen(page, (t) => t.funnel.saved_id !== null && t.audience.definition.root.rules.length === 1, { read: state });
    const id = s.funnel.saved_id;
    assert.equal(id, 'funnel-1');
    assert.deepEqual(s.saved.funnels.map((x) => x.id), [id]);
    assert.match(s.messages.map((m) => m.text).join('\n'), /the audience refers to the saved funnel/);
    assert.deepEqual(s.audience.definition.root.rules, [{ kind: 'funnel', funnel: id, reached: 2 }]);
    assert.equal(s.audience.name, 'New funnel: converted to step 2 (add_to_cart)');
    // The tab comes to the front a frame or two after the click.
    const inFront = () => page.evaluate(() => window.segx.widgetRect('##audience_name').then((r) => !!r?.visible));
    for (let i = 0; i < 20 && !(await inFront()); ++i) await frames(page);
    assert.ok(await inFront(), 'the Audiences tab is in front');
    // The audience's size is the funnel's step-2 users (the `funnel` rule, evaluated by the core).
    s = await stateWhen(page, (t) => !t.audience.evaluating, { read: state });
    assert.ok(s.audience.ok, JSON.stringify(s.audience.errors));
    assert.equal(s.audience.size, users[1]);

    // The drop-off part of step 3's bar: the users who dropped after step 2.
    await clickWidget(page, 'Funnels');
    await page.screenshot({ path: join(artifacts, 'funnels.png') });
    await clickWidget(page, '##chart.steps[2].drop');
    s = await stateWhen(page, (t) => 'dropped_after' in (t.audience.definition.root.rules[0] ?? {}), { read: state });
    assert.deepEqual(s.audience.definition.root.rules, [{ kind: 'funnel', funnel: id, dropped_after: 2 }]);
    s = await stateWhen(page, (t) => !t.audience.evaluating, { read: state });
    assert.ok(s.audience.ok, JSON.stringify(s.audience.errors));
    assert.equal(s.audience.size, users[1] - users[2]);

    // The saved funnel in the rail: deleted, then restored by Undo.
    await clickWidget(page, 'Funnels');
    await clickWidget(page, `Delete##${id}`);
    s = await stateWhen(page, (t) => t.saved.funnels.length === 0, { read: state });
    assert.deepEqual(s.saved.funnels, []);
    assert.equal(s.funnel.saved_id, null); // the draft stays, unsaved
    await clickWidget(page, 'Undo delete of "New funnel"');
    s = await stateWhen(page, (t) => t.saved.funnels.length === 1, { read: state });
    assert.deepEqual(s.saved.funnels.map((x) => x.id), [id]);

    // The saved funnel is in the stored workspace: it comes back after a reload.
    await page.reload();
    await page.evaluate(() => window.segx.ready());
    s = await settle(page);
    assert.deepEqual(s.saved.funnels.map((x) => x.id), [id]);
    assert.deepEqual(page.problems(), []);
    await page.close();
  });

  test('Copy SQL, a share link with a breakdown drawn as grouped bars, and the draft surviving a reload', async () => {
    const page = await env.openPage();
    await settle(page);
    const def = { segx: 1, kind: 'funnel', name: 'Shared "checkout" <b>', steps: kSteps.map((event) => ({ event })),
      window: { days: 3 }, breakdown: { attribute: 'country', top: 3 } };
    const run = await page.evaluate((d) => window.segx.run(d), def);
    assert.equal(run.ok, true, JSON.stringify(run.errors));
    // Three countries, the other ones, and users with none.
    assert.deepEqual(run.breakdown.map((r) => r.row), ['value', 'value', 'value', 'other', 'not_set']);

    // "Copy link" on an opened funnel gives a "#f=" link; a fresh page opens it in the tab.
    assert.equal((await page.evaluate((d) => window.segx.openFunnel(d), def)).ok, true);
    await clickWidget(page, 'Copy link##funnel');
    let link = '';
    for (let i = 0; i < 50 && !link.includes('#f='); ++i) link = await page.evaluate(() => navigator.clipboard.readText()), await frames(page);
    assert.match(link, /#f=[A-Za-z0-9_-]+$/);
    // "Copy SQL": one DuckDB statement, with the breakdown rows.
    await clickWidget(page, 'Copy SQL##funnel');
    let sql = '';
    for (let i = 0; i < 50 && !sql.startsWith('-- segx funnel'); ++i) sql = await page.evaluate(() => navigator.clipboard.readText()), await frames(page);
    assert.match(sql, /^-- segx funnel .*\bWITH\b[\s\S]*"bd_rows"/s);
    await page.close();

    // On a fresh page the link waits for data (no demo: the link is about the sender's data),
    // naming the events the funnel expects.
    const path = link.slice(link.indexOf('/', 8) + 1);
    const waiting = await env.openPage({ query: path });
    let p = [];
    for (let i = 0; i < 100 && !p.length; ++i) p = (await waiting.evaluate(() => window.segx.state())).pending || [], await frames(waiting);
    assert.deepEqual(p.map((x) => [x.kind, x.name]), [['funnel', def.name]]);
    assert.deepEqual([...p[0].needs.events].sort(), [...new Set(def.steps.map((x) => x.event))].sort());
    assert.equal((await waiting.evaluate(() => window.segx.state('overview'))).users, 0);
    await waiting.close();

    // With data (here the demo, asked for), it opens in the Funnels tab.
    const shared = await env.openPage({ query: path.replace('#', path.includes('?') ? '&demo=1#' : '?demo=1#') });
    let s = await stateWhen(shared, (t) => t.funnel.name === def.name && !t.funnel.evaluating && t.funnel.answer, { read: state });
    assert.deepEqual(s.funnel.definition, { ...def, id: '', order: 'ordered' });
    assert.deepEqual(s.funnel.answer.breakdown, run.breakdown);
    assert.equal(s.funnel.saved_id, null); // opened, not saved behind the user's back

    // The breakdown's grouped bars: the first value's step-2 bar gives its exact numbers.
    await clickWidget(shared, 'Funnels');
    const label = '##breakdown_bars[1][0]';
    const rect = await shared.evaluate((l) => window.segx.widgetRect(l), label);
    assert.ok(rect?.visible, `${label} is drawn`);
    await shared.mouse.move(rect.x + rect.w / 2, rect.y + rect.h / 2);
    s = await stateWhen(shared, (t) => t.funnel.hover, { read: state });
    const row = run.breakdown[0];
    assert.match(s.funnel.hover, new RegExp(`^${row.value}\nStep 2\\. add_to_cart\nUsers: ${row.steps[1].users.toLocaleString('en-US')}\n`));

    // The draft is kept in this browser: a reload without the link opens it again.
    await shared.waitForFunction(() => localStorage.getItem('segx.funnel_draft')?.includes('Shared'));
    await shared.evaluate(() => { location.hash = ''; });
    await shared.reload();
    await shared.evaluate(() => window.segx.ready());
    s = await stateWhen(shared, (t) => t.funnel.name === def.name, { read: state });
    assert.deepEqual(s.funnel.definition, { ...def, id: '', order: 'ordered' });
    assert.deepEqual(shared.problems(), []);
    await shared.close();
  });
});
