// No request leaves the page's origin, whatever SQL runs (issue 17, defect 4): a sink HTTP server
// on another port stands for "outside"; every way DuckDB could reach it (read_csv of a URL, a
// replacement scan, ATTACH, COPY … TO, INSTALL / LOAD of extensions, turning the lock-down off)
// goes through segx.sql and the SQL tab, each must fail with a clear error, the sink must get no
// request, the page must keep answering with its data unchanged, and the console must stay clean.
// Last, the DuckDB worker itself is shown to be under the page's policy: a fetch from inside it
// is refused.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, test } from 'node:test';

import { clickWidget, frames, replaceText, settle, startBrowser } from '../support/browser_env.mjs';

const sqlState = (page) => page.evaluate(() => window.segx.state('sql'));
async function sqlWhen(page, check, tries = 300) {
  let s;
  for (let i = 0; i < tries; ++i) {
    s = await sqlState(page);
    if (check(s)) break;
    await frames(page);
  }
  return s;
}

// Replaces the SQL tab's text (browser_env.mjs replaceText).
async function typeQuery(page, text) {
  await replaceText(page, '##sql_text', text);
  await sqlWhen(page, (x) => x.text === text, 100);
}

let env, sink, sinkUrl;
const hits = [];
before(async () => {
  sink = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    res.writeHead(200, { 'Content-Type': 'text/csv', 'Access-Control-Allow-Origin': '*' }).end('a,b\n1,2\n');
  });
  await new Promise((r) => sink.listen(0, '127.0.0.1', r));
  sinkUrl = `http://127.0.0.1:${sink.address().port}`;
  env = await startBrowser();
});
after(async () => {
  if (env) await env.close();
  if (sink) await new Promise((r) => sink.close(r));
});

// Each escape attempt and what its refusal must say (a clear reason, never a silent success).
const attempts = (u) => [
  [`SELECT * FROM read_csv('${u}/a.csv')`, /reads only the files you load|not one of them/],
  [`SELECT * FROM read_csv_auto('${u}/a.csv')`, /reads only the files you load/],
  [`SELECT * FROM '${u}/a.csv'`, /reads only the files you load/],
  [`SELECT * FROM '${u}/a.parquet'`, /reads only the files you load|extensions/],
  [`SELECT * FROM read_parquet('${u}/a.parquet')`, /reads only the files you load|extensions|does not exist/],
  [`SELECT * FROM read_json('${u}/a.json')`, /reads only the files you load|extensions|does not exist/],
  [`SELECT * FROM read_text('${u}/a.txt')`, /reads only the files you load/],
  [`SELECT * FROM read_blob('${u}/a.bin')`, /reads only the files you load/],
  [`SELECT * FROM glob('${u}/*')`, /reads only the files you load|not supported|Cannot access/],
  [`ATTACH '${u}/db.duckdb' AS outside`, /reads only the files you load/],
  [`COPY (SELECT 1 AS x) TO '${u}/out.csv'`, /reads only the files you load/],
  [`COPY (SELECT 1 AS x) TO '/tmp/out.csv'`, /reads only the files you load/],
  [`INSTALL httpfs`, /extensions|not allowed|locked|disabled/i],
  [`LOAD httpfs`, /extensions/],
  [`LOAD json`, /extensions/],
  [`FORCE INSTALL json FROM '${u}/'`, /extensions|not allowed|locked|disabled/i],
  [`SET custom_extension_repository='${u}/'`, /locked/],
  [`SET enable_external_access=true`, /locked|Cannot change/],
  [`SET allowed_directories=['/']`, /locked/],
  [`SET autoload_known_extensions=true`, /locked/],
  [`SET lock_configuration=false`, /locked/],
  [`RESET lock_configuration`, /locked/],
];

describe('no request outside the origin', () => {
  test('every escape attempt through segx.sql and the SQL tab fails clearly and reaches nothing', async () => {
    const page = await env.openPage();
    await settle(page);
    // The data, not its memory: the idle warm-up (Session::warm_index_step) builds index parts meanwhile.
    const data = async () => {
      const { memory_bytes, memory_parts, ...rest } = await page.evaluate(() => window.segx.state('overview'));
      assert.ok(memory_bytes > 0 && memory_parts['events.event'] > 0);
      return rest;
    };
    const overview = await data();
    const count = async () => Number((await page.evaluate(() => window.segx.sql('SELECT count(*)::DOUBLE AS n FROM events')))[0].n);
    const events = await count();

    for (const [sql, expected] of attempts(sinkUrl)) {
      const r = await page.evaluate(async (q) => {
        try {
          await window.segx.sql(q);
          return { ok: true };
        } catch (e) {
          return { ok: false, message: String(e.message || e) };
        }
      }, sql);
      // INSTALL may be a no-op in the browser build: then only LOAD could fetch, and it is refused.
      if (r.ok && /^(FORCE )?INSTALL/.test(sql)) continue;
      assert.equal(r.ok, false, `${sql} must be refused`);
      assert.match(r.message, expected, `${sql}: ${r.message}`);
    }

    // The SQL tab, typed and run as a person would: the reason is shown as the query's error.
    await clickWidget(page, 'SQL');
    await typeQuery(page, `SELECT * FROM read_csv('${sinkUrl}/tab.csv')`);
    await clickWidget(page, 'Run');
    const tab = await sqlWhen(page, (x) => x.status !== 'running' && x.status !== 'idle');
    assert.equal(tab.status, 'failed', JSON.stringify(tab));
    assert.match(tab.error, /reads only the files you load/);

    // The page still answers, with the same data.
    assert.equal(await count(), events);
    assert.deepEqual(await data(), overview);
    await frames(page);
    assert.deepEqual(hits, [], 'the sink got requests');
    assert.deepEqual(page.problems(), []);

    // The worker runs under the page's policy: a fetch from inside it is refused by the browser.
    const workers = page.workers();
    assert.ok(workers.length >= 1, 'DuckDB runs in a worker');
    for (const w of workers) {
      const r = await w.evaluate((u) => fetch(`${u}/from-worker`).then(() => 'reached', (e) => `refused: ${e}`), sinkUrl);
      assert.match(r, /^refused/);
    }
    assert.deepEqual(hits, [], 'the sink got a request from the worker');
  });
});
