// The SQL tab in the real page, on the demo: the default query run by clicking Run (its rows
// equal the page's DuckDB running the same query, over `users` and `events` views that hold
// every loaded file), a header click sorts, DuckDB's error shown with its place, a statement
// that would change the database refused, a long query cancelled (and the next one runs), every
// row downloaded as CSV, the queries kept in the history, and an audience opened from the
// Audiences tab's "Open in SQL tab" giving its members.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { artifacts, clickWidget, frames, replaceText, settle, startBrowser } from '../support/browser_env.mjs';

let env;
before(async () => {
  env = await startBrowser();
});
after(async () => env && (await env.close()));

const sqlState = (page) => page.evaluate(() => window.segx.state('sql'));
async function sqlWhen(page, check, tries = 300) {
  let s;
  for (let i = 0; i < tries; ++i) {
    s = await sqlState(page);
    if (check(s)) return s;
    await frames(page);
  }
  // A wait that ran out is a failure here, not a slow pass (the next assertion might still hold).
  assert.fail(`the SQL tab did not get there in ${tries} polls: ${JSON.stringify({ status: s.status, error: s.error, text: s.text.slice(0, 80) })}`);
}

// Replaces the editor's text (browser_env.mjs replaceText: typed, the tail as one input event).
async function typeQuery(page, text) {
  await replaceText(page, '##sql_text', text);
  const s = await sqlWhen(page, (x) => x.text === text, 100);
  assert.equal(s.text, text);
}

describe('the SQL tab', () => {
  test('runs, sorts, marks errors, refuses writes, cancels, downloads and remembers queries', async () => {
    const page = await env.openPage();
    await settle(page);
    await clickWidget(page, 'SQL');
    const overview = await page.evaluate(() => window.segx.state('overview'));

    // The default query: events per event name over the mapped `events` view.
    await clickWidget(page, 'Run');
    let s = await sqlWhen(page, (x) => x.status !== 'running' && x.status !== 'idle');
    assert.equal(s.status, 'done', s.error);
    assert.deepEqual(s.columns.map((c) => c.name), ['event', 'events', 'users']);
    const duck = await page.evaluate((q) => window.segx.sql(q), s.ran);
    assert.equal(s.total_rows, duck.length);
    assert.deepEqual(s.rows.map((r) => [r[0], Number(r[1])]), duck.slice(0, 20).map((r) => [r.event, Number(r.events)]));
    // The view holds both files' events (events.csv and the orders' purchases), as the model does.
    assert.equal(duck.reduce((n, r) => n + Number(r.events), 0), overview.events);
    await page.screenshot({ path: join(artifacts, 'sql.png') });

    // A click on the "users" header sorts by it (ascending), a second one descending.
    await clickWidget(page, '##sql.header.users');
    s = await sqlWhen(page, (x) => x.sort_column === 2);
    const byUsers = [...duck].sort((a, b) => Number(a.users) - Number(b.users)).map((r) => Number(r.users));
    assert.deepEqual(s.rows.map((r) => Number(r[2])), byUsers.slice(0, 20));
    await clickWidget(page, '##sql.header.users');
    s = await sqlWhen(page, (x) => x.sort_descending);
    assert.deepEqual(s.rows.map((r) => Number(r[2])), [...byUsers].reverse().slice(0, 20));

    // Every row as CSV.
    const download = page.waitForEvent('download');
    await clickWidget(page, 'Download CSV');
    const file = await download;
    const csv = readFileSync(await file.path(), 'utf8').trim().split('\n');
    assert.equal(file.suggestedFilename(), 'segx-query.csv');
    assert.equal(csv[0], 'event,events,users');
    assert.equal(csv.length, duck.length + 1);

    // DuckDB's error, with the line and column it points at.
    await typeQuery(page, 'SELECT user_id, evnt FROM events');
    await clickWidget(page, 'Run');
    s = await sqlWhen(page, (x) => x.status === 'failed');
    assert.match(s.error, /evnt/);
    assert.equal(s.error_line, 1);
    assert.equal(s.error_column, 'SELECT user_id, '.length + 1);

    // A statement that would change the loaded tables is not run.
    await typeQuery(page, 'DROP TABLE "events.csv"');
    await clickWidget(page, 'Run');
    s = await sqlWhen(page, (x) => x.status === 'failed' && /DROP/.test(x.error));
    assert.match(s.error, /only reads: "DROP" would change the database/);
    assert.equal((await page.evaluate(() => window.segx.sql('SELECT count(*)::INT AS n FROM "events.csv"')))[0].n, 41793);

    // A long query, cancelled: the tab says so and the next query runs.
    await typeQuery(page, 'SELECT count(*) FROM range(20000000000) a');
    await clickWidget(page, 'Run');
    s = await sqlWhen(page, (x) => x.status === 'running', 20);
    assert.equal(s.status, 'running');
    await clickWidget(page, 'Cancel');
    s = await sqlWhen(page, (x) => x.status === 'cancelled', 20);
    assert.equal(s.status, 'cancelled');
    await typeQuery(page, 'SELECT count(DISTINCT user_id) AS buyers FROM events WHERE event = \'purchase\'');
    await clickWidget(page, 'Run');
    s = await sqlWhen(page, (x) => x.status === 'done' && x.columns[0]?.name === 'buyers', 600);
    assert.equal(s.status, 'done', s.error);
    assert.equal(Number(s.rows[0][0]), overview.customers);

    // The history, newest first, in the workspace.
    assert.deepEqual(s.history.slice(0, 3), [
      'SELECT count(DISTINCT user_id) AS buyers FROM events WHERE event = \'purchase\'',
      'SELECT count(*) FROM range(20000000000) a',
      'SELECT user_id, evnt FROM events',
    ]);

    // "Open in SQL tab" from the Audiences tab: the audience's SQL, whose rows are its members.
    await clickWidget(page, 'Audiences');
    await frames(page, 3);
    const audience = await page.evaluate(() => window.segx.state('audience'));
    await clickWidget(page, 'Open in SQL tab');
    s = await sqlWhen(page, (x) => x.text.startsWith('-- segx audience') && /FROM "users"/.test(x.text));
    await frames(page, 3);
    await clickWidget(page, 'Run');
    s = await sqlWhen(page, (x) => x.status === 'done' && x.columns[0]?.name === 'user_id', 600);
    assert.equal(s.status, 'done', s.error);
    assert.equal(s.total_rows, audience.size);
  });
});
