// DuckDB-wasm trap recovery in the real page (issue 17, defect 1; web/duckdb_browser.js), with a
// real trap: `SELECT len(range(1000000000))` makes DuckDB-wasm 1.32.0 trap (a list of 1e9
// BIGINTs, 8 GB, more than WASM's 4 GB; in Node 3e8 traps too): DuckDB does not refuse it with
// an out-of-memory error but faults: "memory access out of bounds" in Chromium, "table index is out of bounds" in Node),
// after which that instance answers nothing. Through segx.sql and through the SQL tab's Run:
// the query fails saying DuckDB is being restarted, a fresh worker starts, every loaded file's
// table is read into it again, the user is told so, later queries work, and the model and
// saved work are unchanged.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { clickWidget, dropFiles, frames, replaceText, settle, startBrowser } from '../support/browser_env.mjs';
import { utf8 } from '../support/node_env.mjs';

let env;
before(async () => {
  env = await startBrowser();
});
after(async () => env && (await env.close()));

const kTrap = 'SELECT len(range(1000000000)) AS n';
const kTrapped = /^DuckDB failed \((RuntimeError: )?(memory access out of bounds|table index is out of bounds|function signature mismatch|null function or function signature mismatch)\); it is being restarted, and the loaded files read into it again$/;
const kTold = /^DuckDB failed \((RuntimeError: )?(memory access out of bounds|table index is out of bounds|function signature mismatch|null function or function signature mismatch)\) and was restarted; the 2 loaded files were read into it again\. The model and saved work are unchanged\.$/;
const kEvents = 'user_id,event,time\nu1,view,2024-03-01 10:00:00\nu2,view,2024-03-01 11:00:00\nu1,buy,2024-03-02 09:30:00\nu3,view,2024-03-03 08:00:00\n';
const kUsers = 'user_id,country\nu1,CN\nu2,US\nu3,JP\nu4,FR\n';
const kBuyers = { segx: 1, id: 'buyers', name: 'Buyers', root: { kind: 'group', match: 'all', rules: [{ kind: 'behavior', did: true, event: 'buy' }] } };
const kFiles = ['events.csv', 'users.csv'];

// What must survive a restart: the model (overview, sources), the saved work, and each loaded
// file's table in DuckDB.
async function snapshot(page) {
  const s = await page.evaluate(() => window.segx.state());
  const tables = [];
  for (const n of kFiles) tables.push(await page.evaluate((n) => window.segx.sql(`SELECT count(*)::INT AS n, count(DISTINCT user_id)::INT AS u FROM "${n}"`), n));
  return {
    overview: { users: s.overview.users, events: s.overview.events, first: s.overview.first, last: s.overview.last },
    sources: s.sources.map((x) => ({ name: x.name, state: x.state, rows: x.rows })),
    saved: s.saved,
    revision: s.workspace_revision,
    buyers: (await page.evaluate((d) => window.segx.run(d), kBuyers)).size,
    tables,
  };
}

const messageCount = async (page) => (await page.evaluate(() => window.segx.state('messages'))).length;
// The first message since `from` that says DuckDB was restarted (the restart reads the files in
// the loads' queue, after the failed call returned).
async function restartMessage(page, from) {
  let messages;
  for (let i = 0; i < 600; ++i) {
    messages = (await page.evaluate(() => window.segx.state('messages'))).slice(from);
    const told = messages.find((m) => /restarted/.test(m.text));
    if (told) return told;
    await frames(page);
  }
  assert.fail(`no restart message: ${JSON.stringify(messages)}`);
}

async function runInSqlTab(page, text) {
  await replaceText(page, '##sql_text', text);
  await clickWidget(page, 'Run');
  let s;
  for (let i = 0; i < 600 && ['running', 'idle'].includes((s = await page.evaluate(() => window.segx.state('sql'))).status); ++i) await frames(page);
  return s;
}

describe('DuckDB-wasm trap', () => {
  test('the page restarts DuckDB, reads the loaded files into it again and keeps the model and saved work', async () => {
    const page = await env.openPage();
    await settle(page);
    await dropFiles(page, [{ name: 'events.csv', bytes: utf8(kEvents) }, { name: 'users.csv', bytes: utf8(kUsers) }]);
    let s = await settle(page);
    assert.deepEqual(s.sources.map((x) => x.name).sort(), kFiles);
    assert.ok((await page.evaluate((d) => window.segx.saveAudience(d), kBuyers)).ok);
    const before = await snapshot(page);
    assert.deepEqual(before.tables, [[{ n: 4, u: 3 }], [{ n: 4, u: 4 }]]);
    assert.equal(before.buyers, 1);

    // Through segx.sql: the query that traps fails, saying what happens next.
    let from = await messageCount(page);
    const failed = await page.evaluate((q) => window.segx.sql(q).then((r) => `answered ${JSON.stringify(r)}`, (e) => String(e.message)), kTrap);
    assert.match(failed, kTrapped);
    let told = await restartMessage(page, from);
    assert.equal(told.level, 'warning');
    assert.match(told.text, kTold);
    // Everything as before: the files' tables (in the new instance), the model, the saved work.
    await settle(page);
    assert.deepEqual(await snapshot(page), before);
    assert.deepEqual(await page.evaluate(() => window.segx.sql('SELECT 42 AS x')), [{ x: 42 }]);

    // Through the SQL tab, as a person would: typed, Run. The tab shows why it failed; DuckDB is
    // restarted again; the next query in the tab (on a new connection) answers.
    await clickWidget(page, 'SQL');
    from = await messageCount(page);
    s = await runInSqlTab(page, kTrap);
    assert.equal(s.status, 'failed');
    assert.match(s.error, kTrapped);
    told = await restartMessage(page, from);
    assert.match(told.text, kTold);
    await settle(page);
    const kCount = 'SELECT event, count(*)::INT AS n FROM "events.csv" GROUP BY event ORDER BY event';
    s = await runInSqlTab(page, kCount);
    assert.equal(s.status, 'done', s.error);
    assert.deepEqual(s.rows.map((r) => [r[0], Number(r[1])]), [['buy', 1], ['view', 3]]);
    // The tab's two queries went into its history (kept in the workspace); nothing else moved.
    const after = await snapshot(page);
    assert.deepEqual(s.history.slice(0, 2), [kCount, kTrap]);
    assert.equal(after.revision, before.revision + 2);
    assert.deepEqual({ ...after, revision: before.revision }, before);
    assert.deepEqual(page.problems(), []);
  });
});
