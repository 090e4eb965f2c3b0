// The Audiences tab in the real page: an audience built by clicking real widgets, exported as
// JSON, imported again after a reload, shared as a link, its members downloaded as CSV, and
// the saved audiences of the rail renamed, duplicated, deleted and restored.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';

import { artifacts, clickWidget, frames, pick, settle, startBrowser, stateWhen } from '../support/browser_env.mjs';

let env;
before(async () => {
  env = await startBrowser();
});
after(async () => env && (await env.close()));

// The state once the draft's evaluation (run a slice per frame) has caught up with the draft.
async function state(page) {
  let s;
  for (let i = 0; i < 100; ++i) {
    s = await page.evaluate(() => window.segx.state());
    if (!s.audience.evaluating) break;
    await frames(page);
  }
  return s;
}

// Clicks an ImGui text field and waits until the page's text bridge (web/ime.js) has focus;
// throws naming the field if it never does (typing would otherwise go nowhere).
async function clickText(page, label) {
  await clickWidget(page, label);
  const focused = () => page.evaluate(() => document.activeElement?.id === 'ime-field');
  for (let i = 0; i < 50 && !(await focused()); ++i) await frames(page);
  if (!(await focused())) throw new Error(`text field "${label}" did not take the keyboard (the IME field never got the focus)`);
}

async function download(page, label) {
  const done = page.waitForEvent('download');
  await clickWidget(page, label);
  const d = await done;
  return { name: d.suggestedFilename(), text: readFileSync(await d.path(), 'utf8') };
}

// The audience the clicks below build, for comparing with window.segx.run.
// (In the canonical form the core writes: every default spelled out.)
const expectedRoot = {
  kind: 'group',
  match: 'all',
  rules: [
    { kind: 'property', attribute: 'country', op: 'eq', value: 'China' },
    // A new rule on purchase counts orders: the demo's purchases carry order ids.
    { kind: 'behavior', did: true, event: 'purchase', count: { op: 'gte', unit: 'orders', value: 1 } },
  ],
};

async function buildByClicking(page) {
  await clickWidget(page, 'Audiences');
  await clickWidget(page, '+ Add rule##root');
  await clickWidget(page, 'Attribute rule##root');
  await pick(page, '##root.rules[0].attribute', 'coun', 'country');
  // The value's list shows the top values with their counts; typing narrows it.
  await clickWidget(page, '##root.rules[0].value_top');
  await clickWidget(page, 'China##pick');
  await clickWidget(page, '+ Add rule##root');
  await clickWidget(page, 'Behavior rule##root');
}

describe('the Audiences tab', () => {
  test('builds a two-rule audience by clicking, exports it, and imports it after a reload', async () => {
    const page = await env.openPage();
    await settle(page);
    await buildByClicking(page);
    let s = await state(page);
    assert.equal(s.audience.ok, true, JSON.stringify(s.audience.errors));
    assert.deepEqual(s.audience.definition.root, expectedRoot);
    const expected = await page.evaluate((root) => window.segx.run({ segx: 1, id: 'x', name: 'x', root }), expectedRoot);
    assert.ok(expected.size > 0 && expected.size < s.overview.users);
    assert.equal(s.audience.size, expected.size);
    assert.equal(s.audience.share, expected.share);
    // Each rule's own size is shown beside it.
    const alone = async (rule) => (await page.evaluate((r) => window.segx.run({ segx: 1, root: { match: 'all', rules: [r] } }), rule)).size;
    assert.deepEqual(s.audience.rule_sizes, { 'root.rules[0]': await alone(expectedRoot.rules[0]), 'root.rules[1]': await alone(expectedRoot.rules[1]) });

    // The name is typed into an ImGui field.
    await clickText(page, '##audience_name');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('Chinese buyers');
    await page.keyboard.press('Enter');
    assert.equal((await stateWhen(page, (t) => t.audience.name === 'Chinese buyers', { read: state })).audience.name, 'Chinese buyers');

    const file = await download(page, 'Download JSON');
    assert.equal(file.name, 'Chinese-buyers.segx.json');
    const exported = JSON.parse(file.text);
    assert.deepEqual(exported, { segx: 1, id: '', name: 'Chinese buyers', root: expectedRoot });

    // After a reload: a new, empty audience, then "Import JSON" with the downloaded file.
    await page.reload();
    await page.evaluate(() => window.segx.ready());
    await settle(page);
    await clickWidget(page, 'Audiences');
    await clickWidget(page, 'New');
    s = await state(page);
    assert.deepEqual(s.audience.definition.root.rules, []);
    const chooser = page.waitForEvent('filechooser');
    await clickWidget(page, 'Import JSON');
    await (await chooser).setFiles({ name: 'a.json', mimeType: 'application/json', buffer: Buffer.from(file.text) });
    for (let i = 0; i < 100 && (await state(page)).audience.name !== 'Chinese buyers'; ++i) await frames(page);
    s = await state(page);
    assert.equal(s.audience.name, 'Chinese buyers');
    assert.equal(s.audience.size, expected.size);

    // A file that is not a valid definition changes nothing and says why, with the JSON path.
    const bad = page.waitForEvent('filechooser');
    await clickWidget(page, 'Import JSON');
    const hostile = { segx: 1, name: '<b>x</b>', root: { match: 'all', rules: [{ kind: 'property', attribute: 'country', op: 'eq', value: 7, extra: 1 }] } };
    await (await bad).setFiles({ name: 'b.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(hostile)) });
    for (let i = 0; i < 100 && !/not imported/.test((await state(page)).messages.at(-1)?.text); ++i) await frames(page);
    s = await state(page);
    assert.match(s.messages.at(-1).text, /The audience file was not imported: rule 1 of the top group \(root\.rules\[0\]\.extra\): unknown key/);
    assert.equal(s.audience.name, 'Chinese buyers');
    assert.equal(s.audience.size, expected.size);

    // A valid one opens over the unsaved draft, which stays one click away.
    const other = { segx: 1, name: 'Japan', root: { match: 'all', rules: [{ kind: 'property', attribute: 'country', op: 'eq', value: 'Japan' }] } };
    assert.equal((await page.evaluate((t) => window.segx.importText(t), JSON.stringify(other))).ok, true);
    assert.equal((await state(page)).audience.name, 'Japan');
    await clickWidget(page, 'Switch back');
    s = await state(page);
    assert.equal(s.audience.name, 'Chinese buyers');
    assert.equal(s.audience.size, expected.size);
    assert.deepEqual(page.problems(), []);
    await page.close();
  });

  test('saves to the rail, shares a link, and downloads the members as CSV', async () => {
    const page = await env.openPage();
    await settle(page);
    await buildByClicking(page);
    await clickWidget(page, 'Save');
    let s = await state(page);
    assert.deepEqual(s.saved.audiences, [{ id: 'audience-1', name: 'New audience' }]);
    assert.equal(s.audience.saved_id, 'audience-1');

    // Members CSV: user_id plus the ticked attributes, one row per member.
    await clickWidget(page, 'Export members');
    const csv = await download(page, 'Download CSV');
    assert.equal(csv.text[0], '\uFEFF', 'a byte-order mark, for Excel');
    const lines = csv.text.slice(1).trimEnd().split('\n');
    assert.equal(lines[0], 'user_id,signup_date,country,city,channel,device,age_band,plan,email_opt_in');
    const members = await page.evaluate((root) => window.segx.run({ segx: 1, id: 'x', name: 'x', root }, { members: true }), expectedRoot);
    assert.equal(lines.length - 1, members.size);
    assert.deepEqual(lines.slice(1).map((l) => l.split(',')[0]).sort(), members.members.sort());
    assert.ok(lines.slice(1).every((l) => l.split(',')[2] === 'China'));

    // "Copy link": the clipboard holds a link that opens the same audience in a fresh page.
    await clickWidget(page, 'Copy link');
    let link = null;
    for (let i = 0; i < 100 && !link; ++i) link = await page.evaluate(() => window.segx.lastShareLink()), await frames(page);
    assert.match(link, /#a=[A-Za-z0-9_-]+$/);
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link);
    // (A link opens without the demo and waits for data; "?demo=1" brings the demo, as the sender had.)
    const other = await env.openPage({ query: '?demo=1' + link.slice(link.indexOf('#')) });
    const t = await settle(other);
    assert.equal(t.audience.size, members.size);
    assert.deepEqual(t.audience.definition.root, expectedRoot);
    await other.close();

    // Rail: duplicate, rename, delete, undo; each change reaches the autosaved workspace.
    await clickWidget(page, 'Duplicate##audience-1');
    s = await state(page);
    assert.deepEqual(s.saved.audiences.map((a) => a.name), ['New audience', 'New audience (copy)']);
    await clickWidget(page, 'Rename##audience-1');
  await frames(page, 3);
    await page.keyboard.press('Control+A');
    await page.keyboard.type('中国买家');
    await page.keyboard.press('Enter');
    s = await stateWhen(page, (t) => t.saved.audiences[0].name === '中国买家', { read: state });
    assert.deepEqual(s.saved.audiences.map((a) => a.name), ['中国买家', 'New audience (copy)']);
    await clickWidget(page, 'Overlap');
    await frames(page);
    await clickWidget(page, 'Delete##audience-1');
    s = await state(page);
    assert.deepEqual(s.saved.audiences.map((a) => a.id), ['audience-2']);
    assert.equal(s.audience.ok, true);  // the draft stays, now unsaved
    assert.equal(s.audience.saved_id, null);
    await clickWidget(page, 'Undo delete of "中国买家"');
    s = await state(page);
    assert.deepEqual(s.saved.audiences.map((a) => [a.id, a.name]), [['audience-1', '中国买家'], ['audience-2', 'New audience (copy)']]);
    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('segx.workspace')).audiences);
    assert.deepEqual(Object.keys(stored), ['audience-1', 'audience-2']);
    assert.equal(stored['audience-1'].name, '中国买家');

    // "Copy SQL": one DuckDB statement over the documented users/events tables.
    await clickWidget(page, 'Copy SQL');
    let sql = '';
    for (let i = 0; i < 50 && !sql.startsWith('-- segx audience'); ++i) sql = await page.evaluate(() => navigator.clipboard.readText()), await frames(page);
    assert.match(sql, /^-- segx audience "中国买家" as of /);
    assert.match(sql, /"country" = 'China'/);
    assert.match(sql, /FROM "events"/);
    assert.deepEqual(page.problems(), []);
    await page.close();
  });

  test('value lists, type-ahead with Enter, and rules moved and removed by their buttons', async () => {
    const page = await env.openPage();
    await settle(page);
    await buildByClicking(page);
    // "is one of": the value is kept, and a second one comes from the top-values list.
    await clickWidget(page, '##root.rules[0].op');
    await clickWidget(page, 'is one of');
    await clickWidget(page, '##add_top');
    await clickWidget(page, 'Japan##pick');
    // The event picker: typing narrows the list, Enter takes the first match.
    await clickWidget(page, '##root.rules[1].event');
    await page.keyboard.type('view_it');
    await page.keyboard.press('Enter');
    let s = await stateWhen(page, (t) => t.audience.definition.root.rules[1]?.event === 'view_item', { read: state });
    assert.deepEqual(s.audience.definition.root.rules, [
      { kind: 'property', attribute: 'country', op: 'in', values: ['China', 'Japan'] },
      { kind: 'behavior', did: true, event: 'view_item', count: { op: 'gte', value: 1 } },
    ]);
    const run = (rules) => page.evaluate((rules) => window.segx.run({ segx: 1, root: { match: 'all', rules } }), rules);
    assert.equal(s.audience.size, (await run(s.audience.definition.root.rules)).size);
    // Move the behaviour rule up, then remove the property rule.
    await clickWidget(page, '##root.rules[1].up');
    s = await state(page);
    assert.deepEqual(s.audience.definition.root.rules.map((r) => r.kind), ['behavior', 'property']);
    await clickWidget(page, 'x##root.rules[1]');
    s = await state(page);
    assert.deepEqual(s.audience.definition.root.rules.map((r) => r.kind), ['behavior']);
    assert.equal(s.audience.size, (await run(s.audience.definition.root.rules)).size);
    assert.deepEqual(page.problems(), []);
    await page.close();
  });

  test('"Download workspace" and importing it into another browser profile restores every audience', async () => {
    const page = await env.openPage();
    await settle(page);
    for (const [id, value] of [['cn', 'China'], ['jp', 'Japan']]) {
      const r = await page.evaluate((d) => window.segx.saveAudience(d), {
        segx: 1, id, name: `In ${value}`, root: { match: 'all', rules: [{ kind: 'property', attribute: 'country', op: 'eq', value }] },
      });
      assert.equal(r.ok, true, JSON.stringify(r));
    }
    await clickWidget(page, 'Audiences');
    const file = await download(page, 'Download workspace');
    assert.equal(file.name, 'segx-workspace.json');
    const doc = JSON.parse(file.text);
    assert.deepEqual(Object.keys(doc.audiences), ['cn', 'jp']);
    assert.equal(doc.kind, 'workspace');
    assert.equal(typeof doc.mappings, 'object');  // (the demo's inferred mappings are not saved ones)
    await page.close();

    // A fresh context has empty storage: a broken workspace is refused whole, a good one lands.
    const other = await env.openPage();
    await settle(other);
    const broken = structuredClone(doc);
    broken.audiences.jp.root.rules[0].op = 'equals';
    let r = await other.evaluate((t) => window.segx.importText(t), JSON.stringify(broken));
    assert.equal(r.ok, false);
    assert.match(r.errors[0].path, /^audiences\["jp"\]\.root\.rules\[0\]\.op/);
    assert.deepEqual((await state(other)).saved.audiences, []);
    const chooser = other.waitForEvent('filechooser');
    await clickWidget(other, 'Audiences');
    await clickWidget(other, 'Import JSON');
    await (await chooser).setFiles({ name: 'segx-workspace.json', mimeType: 'application/json', buffer: Buffer.from(file.text) });
    let s;
    for (let i = 0; i < 100 && (s = await state(other)).saved.audiences.length < 2; ++i) await frames(other);
    assert.deepEqual(s.saved.audiences, [{ id: 'cn', name: 'In China' }, { id: 'jp', name: 'In Japan' }]);
    assert.match(s.messages.at(-1).text, /Imported a workspace: 2 audiences/);
    await clickWidget(other, 'Overlap');
    await frames(other, 3);
    const size = async (value) => (await other.evaluate((v) => window.segx.run({ segx: 1, root: { match: 'all', rules: [
      { kind: 'property', attribute: 'country', op: 'eq', value: v }] } }), value)).size;
    const [cn, jp, all] = [await size('China'), await size('Japan'), (await state(other)).overview.users];
    const o = (await state(other)).audience.overlap;
    assert.deepEqual(o.names, ['In China', 'In Japan', 'New audience (unsaved)']);
    assert.deepEqual(o.counts, [cn, 0, cn, 0, jp, jp, cn, jp, all]);
    await other.screenshot({ path: `${artifacts}/audiences-overlap.png` });
    assert.deepEqual(other.problems(), []);
    await other.close();
  });

  test('a saved audience that no longer reads survives reloads with its errors, until deleted', async () => {
    const page = await env.openPage();
    await settle(page);
    const old = { segx: 1, id: 'old', name: 'Old format', root: { match: 'all', rules: [{ kind: 'property', attribute: 'country', op: 'equals', value: 'China' }] } };
    const cn = { segx: 1, id: 'cn', name: 'In China', root: { match: 'all', rules: [{ kind: 'property', attribute: 'country', op: 'eq', value: 'China' }] } };
    await page.evaluate((w) => localStorage.setItem('segx.workspace', JSON.stringify(w)), { segx: 1, audiences: { cn, old }, settings: { memory_budget_mb: 300 } });
    await page.reload();
    await page.evaluate(() => window.segx.ready());
    let s = await settle(page);
    assert.deepEqual(s.saved.audiences.map((a) => [a.id, !!a.unread]), [['cn', false], ['old', true]]);
    assert.equal(s.saved.audiences[1].errors[0].path, 'root.rules[0].op');
    assert.equal(s.memory_budget_mb, 300);
    // A change in the interface stores the workspace; the unreadable one goes back as it came.
    await buildByClicking(page);
    await clickWidget(page, 'Save');
    const storedAudiences = () => page.evaluate(() => JSON.parse(localStorage.getItem('segx.workspace')).audiences);
    let stored = await storedAudiences();
    for (let i = 0; i < 50 && !stored['audience-1']; ++i) await frames(page), (stored = await storedAudiences());
    assert.deepEqual(Object.keys(stored), ['cn', 'audience-1', 'old']);
    assert.deepEqual(stored.old, old);
    await page.reload();
    await page.evaluate(() => window.segx.ready());
    s = await settle(page);
    assert.deepEqual(s.saved.audiences.map((a) => a.id), ['cn', 'audience-1', 'old']);
    // Deleting it is the user's choice, in the rail.
    await clickWidget(page, 'Audiences');
    await clickWidget(page, 'Delete##unread old');
    for (let i = 0; i < 50 && 'old' in (stored = await storedAudiences()); ++i) await frames(page);
    assert.deepEqual(Object.keys(stored), ['cn', 'audience-1']);
    assert.deepEqual(page.problems(), []);
    await page.close();
  });
});
