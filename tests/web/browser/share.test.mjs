// Sharing an audience definition as a link: it opens in the builder, and the draft survives a reload.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { settle, startBrowser } from '../support/browser_env.mjs';

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

describe('sharing audiences', () => {
  test('a share link opens the audience once the data is loaded, and it survives a reload', async () => {
    const first = await env.openPage();
    await settle(first);
    const link = await first.evaluate((d) => window.segx.shareLink(d), definition);
    assert.match(link, /#a=[A-Za-z0-9_-]+$/);
    const expected = await first.evaluate((d) => window.segx.run(d), definition);
    assert.equal(expected.ok, true, JSON.stringify(expected));
    assert.ok(expected.size > 0);
    await first.close();

    const page = await env.openPage({ query: link.slice(link.indexOf('/', 8) + 1) });
    let s = await settle(page);
    // Opened in the builder, not saved behind the user's back: saving is their choice.
    assert.equal(s.audience.name, definition.name);
    assert.equal(s.audience.size, expected.size);
    assert.deepEqual(s.saved.audiences, []);
    assert.match(s.messages.at(-1).text, new RegExp(`Opened audience .*: ${expected.size} users`));
    // The draft is autosaved: a reload without the link keeps it.
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

  test('a damaged or hostile link imports nothing and says why', async () => {
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
    s = await settle(page);
    assert.deepEqual(s.audience.definition.root.rules, []);
    assert.match(s.messages.at(-1).text, /not imported: .*no_such_column/);
    assert.deepEqual(page.problems(), []);
    await page.close();
  });
});
