// A funnel's first runs in a fresh page, run by hand (not part of .ci/test):
//
//   node tests/bench/funnel_first_use.mjs [--users 1000000] [--events 10000000] [--seed 42] [--settle 10]
//
// The suite (suite.mjs) times each definition after untimed runs of it; this script times the
// runs a person meets first. The shop (data/generate.mjs, cached in build/bench-data/) is loaded
// into the real page in headless Chromium (V8's normal tiering) through segx.loadFiles; after
// --settle seconds (the page's idle frames build every name's per-user starts, then their times
// while they fit, then run the engine once per mode over a sample: Session::warm_index_step),
// single runs of segx.run, in this order: the suite's ordered funnel, the same twice more, a
// window edit, step 2 changed to names not used yet (their first use builds their per-name
// times when the warm-up could not keep them), each run once more, and back.
import { rmSync } from 'node:fs';
import { join } from 'node:path';

import { serve } from '../../.ci/serve.mjs';
import { startBrowser } from '../web/support/browser_env.mjs';
import { benchArgs, ensureShopFiles, makeBenchSite } from './shop.mjs';

const argv = process.argv.slice(2);
const settleAt = argv.indexOf('--settle');
const settleSeconds = settleAt >= 0 ? Number(argv.splice(settleAt, 2)[1]) : 10;
const o = benchArgs(argv, { users: 1_000_000, events: 10_000_000 }, 'funnel_first_use.mjs');
const { dir } = ensureShopFiles(o);
const files = ['users.csv', 'events.csv', 'orders.csv'];

const site = makeBenchSite(dir, files, 'segx-first-use-');
const server = await serve(site, 0);
const env = await startBrowser({ optimise: true });
const page = await env.openPage({ query: '?demo=0' });
page.setDefaultTimeout(3600_000);
await page.evaluate(() => {
  const input = Object.assign(document.createElement('input'), { type: 'file', multiple: true, id: 'bench-files', hidden: true });
  document.body.append(input);
});
await page.setInputFiles('#bench-files', files.map((f) => join(dir, f)));
const t0 = Date.now();
const loaded = await page.evaluate(async () => window.segx.loadFiles([...document.getElementById('bench-files').files]));
for (const r of loaded) if (!r.ok) throw new Error(`${r.name}: ${r.error}`);
console.log(`loaded in ${((Date.now() - t0) / 1000).toFixed(1)} s; waiting ${settleSeconds} s`);
await page.waitForTimeout(settleSeconds * 1000);

const overview = () => page.evaluate(async () => (await window.segx.state('overview')));
const before = await overview();
const mib = (b) => (b / 2 ** 20).toFixed(1);
const parts = (o) => `per-user starts ${mib(o.memory_parts['index.user_starts'])} MiB, times ${mib(o.memory_parts['index.posting_times'])} MiB ` +
  `(${((o.memory_parts['index.user_starts'] + o.memory_parts['index.posting_times']) / o.events).toFixed(2)} B/event)`;
console.log(`${before.users} users, ${before.events} events (${before.top_events.map((e) => `${e.event} ${e.events}`).join(', ')}); ` +
  `the index's ${parts(before)}`);

const funnel = (steps, days = 7) => ({ segx: 1, kind: 'funnel', steps: steps.map((event) => ({ event })), window: { days } });
const base = ['view_item', 'search', 'begin_checkout', 'purchase'];
const step2 = (name) => funnel([base[0], name, ...base.slice(2)]);
const runs = [
  ['the first ordered funnel in the page', funnel(base)],
  ['the same again', funnel(base)],
  ['the same again', funnel(base)],
  ['window 3 days', funnel(base, 3)],
  ['step 2 = add_to_cart (first use)', step2('add_to_cart')],
  ['the same again', step2('add_to_cart')],
  ['step 2 = page_view (first use)', step2('page_view')],
  ['the same again', step2('page_view')],
  ['step 2 = search again', funnel(base)],
  ['the same again', funnel(base)],
];
console.log('\n| run | ms | heap MiB |\n|---|---:|---|');
for (const [label, def] of runs) {
  const [ms, answer, heap0, heap1] = await page.evaluate(async (d) => {
    const h0 = await window.segx.heapBytes();
    const t = performance.now();
    const a = await window.segx.run(d);
    return [performance.now() - t, a, h0, await window.segx.heapBytes()];
  }, def);
  if (!answer.ok) throw new Error(`${label}: ${JSON.stringify(answer.errors)}`);
  console.log(`| ${label} | ${ms.toFixed(1)} | ${mib(heap0)} -> ${mib(heap1)} |`);
}
const after = await overview();
console.log(`\nafter: the index's ${parts(after)}`);
await env.close();
server.close();
rmSync(site, { recursive: true, force: true });
