// Test support: serves build/site on a free port and opens it in Debian's Chromium (headless,
// WebGL2 through SwiftShader). Every page records console errors, uncaught exceptions and any
// request that leaves the page's origin; `page.problems()` returns them for the test to assert.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { chromium } from 'playwright-core';

import { serve } from '../../../.ci/serve.mjs';
import { repo } from './node_env.mjs';

export const artifacts = join(repo, 'build/test-artifacts');

// SEGX_SITE: another built site to serve (benchmarks comparing two builds); build/site by default.
export const siteDir = process.env.SEGX_SITE || join(repo, 'build/site');

// Tests run WebAssembly as V8's baseline compiler (Liftoff) makes it, never optimised: each page
// opened compiles DuckDB-wasm's 34 MB again, and optimising its hot functions in the background
// cost more CPU than the tests' small data gain from it (the Audiences tab's tests: 194 CPU-seconds
// with it, 136 without, 2026-12-05). What runs is the same code, so the tests check the same
// behaviour; benchmarks pass { optimise: true } to measure what a person's browser runs.
export async function startBrowser({ optimise = false } = {}) {
  const server = await serve(siteDir, 0);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--use-gl=angle', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
      // SEGX_JS_FLAGS: more V8 flags, space-separated, for experiments by hand.
      `--js-flags=${[...(optimise ? [] : ['--liftoff-only']), process.env.SEGX_JS_FLAGS || ''].join(' ').trim()}`,
      // Extra switches for experiments by hand (benchmarks), e.g. SEGX_CHROMIUM_FLAGS=--js-flags=--no-liftoff
      // (a later --js-flags replaces an earlier one).
      ...(process.env.SEGX_CHROMIUM_FLAGS || '').split(' ').filter(Boolean)],
  });
  mkdirSync(artifacts, { recursive: true });

  async function openPage({ query = '', viewport = { width: 1280, height: 800 }, deviceScaleFactor = 1 } = {}) {
    const context = await browser.newContext({ viewport, deviceScaleFactor, acceptDownloads: true });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
    const page = await context.newPage();
    const problems = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(`console error: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
    page.on('request', (r) => {
      const url = r.url();
      if (!url.startsWith(origin + '/') && !url.startsWith('data:') && !url.startsWith('blob:')) problems.push(`request outside the origin: ${url}`);
    });
    page.problems = () => problems;
    await page.goto(`${origin}/${query}`);
    await page.evaluate(() => window.segx.ready());
    return page;
  }

  return {
    origin,
    openPage,
    close: async () => {
      await browser.close();
      await new Promise((r) => server.close(r));
    },
  };
}

// Waits until the page has drawn two more frames, so queued input has been handled.
export const frames = (page, n = 2) =>
  page.evaluate((n) => new Promise((r) => {
    const step = (k) => (k === 0 ? r() : requestAnimationFrame(() => step(k - 1)));
    step(n);
  }), n);

// Reads the state (`read(page)`: segx.state() unless given) until `check` holds, a frame apart,
// or returns the last state after `limit` frames: typed keys reach Dear ImGui over several frames
// (a key that goes down twice in a frame waits for the next), and evaluations run in slices.
export async function stateWhen(page, check, { read = (p) => p.evaluate(() => window.segx.state()), limit = 100 } = {}) {
  let s;
  for (let i = 0; i < limit; ++i) {
    s = await read(page);
    if (check(s)) break;
    await frames(page);
  }
  return s;
}

// Clicks the centre of an ImGui item, found by its label, like a person would.
export async function clickWidget(page, label) {
  await frames(page);
  const rect = await page.evaluate((l) => window.segx.widgetRect(l), label);
  if (!rect) throw new Error(`no widget labelled "${label}" was drawn`);
  if (!rect.visible) throw new Error(`widget "${label}" is not visible`);
  // Like a person: move there first, so Dear ImGui sees the hover a frame before the press
  // (items that allow overlap, such as tabs, ignore a press on the frame the mouse arrives).
  await page.mouse.move(rect.x + rect.w / 2, rect.y + rect.h / 2);
  await frames(page);
  await page.mouse.down();
  await frames(page, 1);
  await page.mouse.up();
  await frames(page);
  return rect;
}

// Picks `item` from a type-ahead picker: opens it, types to narrow the list, clicks the match.
export async function pick(page, picker, typed, item) {
  await clickWidget(page, picker);
  await page.keyboard.type(typed);
  await frames(page, 3);
  await clickWidget(page, `${item}##pick`);
}

// Drops files on the page through a real DOM drop event with a DataTransfer.
export async function dropFiles(page, files) {
  await page.evaluate(async (files) => {
    const dt = new DataTransfer();
    for (const f of files) dt.items.add(new File([new Uint8Array(f.bytes)], f.name, { type: 'text/csv' }));
    const canvas = document.getElementById('canvas');
    for (const type of ['dragenter', 'dragover', 'drop']) {
      canvas.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true, clientX: 600, clientY: 400 }));
    }
  }, files.map((f) => ({ name: f.name, bytes: [...f.bytes] })));
}

// Waits until no source is loading any more, and the draft's evaluation (run a slice per
// frame) has caught up.
export async function settle(page, timeoutMs = 60000) {
  const start = Date.now();
  for (;;) {
    const s = await page.evaluate(() => window.segx.state());
    if (!s.loading && !s.audience.evaluating) break;
    if (Date.now() - start > timeoutMs) throw new Error(`still loading after ${timeoutMs} ms: ${JSON.stringify(s.sources)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  await frames(page);
  return page.evaluate(() => window.segx.state());
}

// Waits until the last frame drew `text` (a field's new text: Enter pressed before the page has
// taken a typed tail would apply the old one). Fails if it never does.
export async function fieldShows(page, text, limit = 100) {
  const shown = (runs) => runs.some((r) => r.text.includes(text));
  const drawn = await stateWhen(page, shown, { read: (p) => p.evaluate(() => window.segx.drawnText()), limit });
  if (!shown(drawn)) throw new Error(`the page never drew "${text}"`);
}

// Replaces the text of an ImGui text field, as a person would: click it, select all, delete,
// type. Only the first few characters are real key presses; the rest arrives as one input
// event, as a paste or an IME commit does (every key press is a round trip of rendered frames,
// and long SQL typed key by key took most of a test's time). `done(text)` polls until the
// page has taken the text.
export async function replaceText(page, label, text, done) {
  await clickWidget(page, label);
  const focused = () => page.evaluate(() => document.activeElement?.id === 'ime-field');
  for (let i = 0; i < 50 && !(await focused()); ++i) await frames(page);
  if (!(await focused())) throw new Error(`the field "${label}" did not take the keyboard`);
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  const typed = [...text].slice(0, 6).join('');
  await page.keyboard.type(typed);
  if (text.length > typed.length) await page.keyboard.insertText(text.slice(typed.length));
  if (done) await done(text);
}
