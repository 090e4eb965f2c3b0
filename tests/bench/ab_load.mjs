// A/B of the page's load, run by hand: the same file loaded through the real file chooser by two
// or more built sites, alternated round by round in one browser, so that a noisy machine
// (two shared cores here) moves every site alike.
//
//   node tests/bench/ab_load.mjs FILE ROUNDS SITE_DIR...
//   e.g. node tests/bench/ab_load.mjs build/bench-data/u1000000-e10000000-s42/events.csv 4 /tmp/site_before build/site
//
// Per load: wall seconds from setFiles until state() shows the file ready and the model built
// (state() builds it when no frame has yet). Prints every run, then each site's median.
import { chromium } from 'playwright-core';

import { serve } from '../../.ci/serve.mjs';
import { clickWidget } from '../web/support/browser_env.mjs';

const [file, rounds, ...sites] = process.argv.slice(2);
if (!file || !(Number(rounds) >= 1) || !sites.length) {
  console.error('usage: node tests/bench/ab_load.mjs FILE ROUNDS SITE_DIR...');
  process.exit(2);
}
const servers = await Promise.all(sites.map((s) => serve(s, 0)));
const origins = servers.map((s) => `http://127.0.0.1:${s.address().port}`);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--use-gl=angle', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
});
const name = file.split('/').pop();
const times = sites.map(() => []);
for (let r = 0; r < Number(rounds); r++) {
  for (let k = 0; k < sites.length; k++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${origins[k]}/?demo=0`);
    await page.evaluate(() => window.segx.ready());
    const chooserP = page.waitForEvent('filechooser');
    await clickWidget(page, 'Open files');
    const chooser = await chooserP;
    const t0 = performance.now();
    await chooser.setFiles(file);
    let source;
    for (;;) {
      const s = await page.evaluate(() => window.segx.state());
      source = s.sources.find((x) => x.name === name);
      if (!s.loading && source && source.state !== 'loading') break;
      await new Promise((res) => setTimeout(res, 50));
    }
    times[k].push((performance.now() - t0) / 1000);
    const heap = await page.evaluate(() => window.segx.heapBytes());
    console.log(`round ${r + 1}, ${sites[k]}: ${times[k].at(-1).toFixed(2)} s (${source.state}, ${source.rows} rows; app heap ${(heap / 2 ** 20).toFixed(1)} MiB)`);
    await context.close();
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (let k = 0; k < sites.length; k++) console.log(`${sites[k]}: ${times[k].map((t) => t.toFixed(2)).join(', ')} s; median ${median(times[k]).toFixed(2)} s`);
await browser.close();
await Promise.all(servers.map((s) => new Promise((res) => s.close(res))));
