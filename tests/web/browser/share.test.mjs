// Sharing an audience definition as a link: it opens in the builder, and the draft survives a reload.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { join } from 'node:path';

import { artifacts, settle, startBrowser } from '../support/browser_env.mjs';

let env;
before(async () => {
  env = await startBrowser();
});
after(async () => env && (await env.close()));

const definition = {
  segx: 1,
  id: 'cn-buyers',
  name: 'Buyers in China "VIP" <b>',
  root: {
    match: 'all',
    rules: [
      { kind: 'property', attribute: 'country', op: 'eq', value: 'China' },
      { kind: 'behavior', did: true, event: 'purchase' },
    ],
  },
};

// The demo's files, loaded as a colleague would load their own.
const loadDemoFiles = (page) => page.evaluate(async () => {
  const files = await Promise.all(['users.csv', 'orders.csv', 'events.csv'].map(async (n) =>
    ({ name: n, bytes: new Uint8Array(await (await fetch('demo/' + n)).arrayBuffer()) })));
  await window.segx.loadFiles(files);
});

describe('sharing audiences', () => {
  test('a link on a fresh page waits for data without the demo, then opens; the draft survives a reload', async () => {
    const first = await env.openPage();
    await settle(first);
    const link = await first.evaluate((d) => window.segx.shareLink(d), definition);
    assert.match(link, /#a=[A-Za-z0-9_-]+$/);
    const expected = await first.evaluate((d) => window.segx.run(d), definition);
    assert.equal(expected.ok, true, JSON.stringify(expected));
    assert.ok(expected.size > 0);
    await first.close();

    // A colleague's fresh page: no demo to judge the definition against; it says what it expects.
    const page = await env.openPage({ query: link.slice(link.indexOf('/', 8) + 1) });
    let s = await settle(page);
    assert.deepEqual(s.sources, []);
    assert.deepEqual(s.pending, [{ kind: 'audience', name: definition.name, needs: { attributes: ['country'], events: ['purchase'], properties: [] } }]);
    assert.match(s.messages.at(-1).text, /opens when data is loaded: it expects files with the user attribute "country", the event "purchase"/);
    assert.deepEqual(s.audience.definition.root.rules, []);

    // Data that fits arrives: the definition opens in the builder, not saved behind the user's back.
    await loadDemoFiles(page);
    s = await settle(page);
    assert.deepEqual(s.pending, []);
    assert.equal(s.audience.name, definition.name);
    assert.equal(s.audience.size, expected.size);
    assert.deepEqual(s.saved.audiences, []);
    assert.match(s.messages.at(-1).text, new RegExp(`Opened audience .*: ${expected.size} users`));
    // The draft is autosaved, and the data is kept in this browser: a reload without the link keeps both.
    await page.waitForFunction(() => localStorage.getItem('segx.draft')?.includes('cn-buyers'));
    await page.evaluate(() => { location.hash = ''; });
    await page.reload();
    await page.evaluate(() => window.segx.ready());
    s = await settle(page);
    assert.equal(s.audience.name, definition.name);
    assert.equal(s.audience.size, expected.size);
    assert.deepEqual(page.problems(), []);
    await page.close();
  });

  test('a damaged link imports nothing; a link that does not fit the data opens with its problems in place', async () => {
    const page = await env.openPage({ query: '#a=not*base64' });
    let s = await settle(page);
    assert.deepEqual(s.audience.definition.root.rules, []);
    assert.match(s.messages.at(-1).text, /The shared audience was not imported: .*base64url/);
    // A valid link to a definition that names an attribute the data does not have.
    const bad = await page.evaluate((d) => window.segx.shareLink(d), {
      ...definition, root: { match: 'all', rules: [{ kind: 'property', attribute: 'no_such_column', op: 'is_set' }] },
    });
    await page.goto(bad);
    await page.reload();
    await page.evaluate(() => window.segx.ready());
    await page.evaluate(() => window.segx.saveAudience({ segx: 1, id: 'mine', name: 'Mine', root: { match: 'all', rules: [] } }));
    s = await settle(page);
    assert.equal(s.pending.length, 1);
    await loadDemoFiles(page);
    s = await settle(page);
    // Opened in the builder to repair, the problem under its rule and in words in the message.
    assert.deepEqual(s.pending, []);
    assert.equal(s.audience.definition.root.rules[0].attribute, 'no_such_column');
    assert.match(s.audience.errors.map((e) => e.message).join('\n'), /unknown attribute "no_such_column"/);
    assert.match(s.messages.at(-1).text, /does not fit the loaded data: the rule 'no_such_column is set' names a column that no loaded file has/);
    assert.deepEqual(s.saved.audiences.map((a) => a.id), ['mine'], 'nothing saved changed');
    await page.screenshot({ path: join(artifacts, 'share-link-does-not-fit.png') });
    assert.deepEqual(page.problems(), []);
    await page.close();
  });
});
