// The UI font holds every character the interface draws from its translation tables and every
// character of the Chinese demo, inside the glyph ranges the page rasterises; text it lacks
// (a character past U+FFFF such as 𠮷, which ImGui reads as U+FFFD) falls back to a visible
// square, never to nothing. Reads the font's character map (cmap formats 4 and 12) directly.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import { repo } from '../support/node_env.mjs';

// The code points a TrueType font maps to glyphs: the union of its Unicode cmap subtables
// (format 4: BMP segments; format 12: 32-bit groups). Glyph 0 (.notdef) is not a glyph.
export function cmapCodePoints(bytes) {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const numTables = v.getUint16(4);
  let cmap = -1;
  for (let i = 0; i < numTables; i++) {
    const rec = 12 + 16 * i;
    if (String.fromCharCode(...bytes.subarray(rec, rec + 4)) === 'cmap') cmap = v.getUint32(rec + 8);
  }
  if (cmap < 0) throw new Error('the font has no cmap table');
  const points = new Set();
  const n = v.getUint16(cmap + 2);
  for (let i = 0; i < n; i++) {
    const platform = v.getUint16(cmap + 4 + 8 * i), encoding = v.getUint16(cmap + 6 + 8 * i);
    if (!(platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10)))) continue;
    const sub = cmap + v.getUint32(cmap + 8 + 8 * i), format = v.getUint16(sub);
    if (format === 4) {
      const segs = v.getUint16(sub + 6) / 2;
      const ends = sub + 14, starts = ends + 2 * segs + 2, deltas = starts + 2 * segs, offsets = deltas + 2 * segs;
      for (let s = 0; s < segs; s++) {
        const end = v.getUint16(ends + 2 * s), start = v.getUint16(starts + 2 * s);
        const delta = v.getInt16(deltas + 2 * s), ro = v.getUint16(offsets + 2 * s);
        for (let c = start; c <= end && c !== 0xffff; c++) {
          let glyph;
          if (ro === 0) glyph = (c + delta) & 0xffff;
          else {
            glyph = v.getUint16(offsets + 2 * s + ro + 2 * (c - start));
            if (glyph !== 0) glyph = (glyph + delta) & 0xffff;
          }
          if (glyph !== 0) points.add(c);
        }
      }
    } else if (format === 12) {
      const groups = v.getUint32(sub + 12);
      for (let g = 0; g < groups; g++) {
        const at = sub + 16 + 12 * g, start = v.getUint32(at), end = v.getUint32(at + 4), glyph = v.getUint32(at + 8);
        for (let c = start; c <= end; c++) if (glyph + (c - start) !== 0) points.add(c);
      }
    }
  }
  return points;
}

// Every character of the tables' texts (SEGX_STRING / SEGX_MESSAGE(key, "text") values, escapes
// undone).
function tableCharacters(file) {
  const text = readFileSync(file, 'utf8');
  const chars = new Set();
  for (const m of text.matchAll(/SEGX_(?:STRING|MESSAGE)\(\s*\w+\s*,\s*"((?:[^"\\]|\\.)*)"\s*\)/g))
    for (const ch of JSON.parse(`"${m[1]}"`)) if (ch >= ' ') chars.add(ch);
  return chars;
}

// Every character of the Chinese demo's files (the orders file is GBK).
function demoCharacters() {
  const dir = join(repo, 'data/demo_zh');
  const chars = new Set();
  for (const name of readdirSync(dir)) {
    const bytes = readFileSync(join(dir, name));
    const text = new TextDecoder(name === '订单.csv' ? 'gbk' : 'utf-8').decode(bytes); // drops a BOM
    for (const ch of text) if (ch >= ' ') chars.add(ch);
  }
  return chars;
}

// The glyph ranges the page rasterises (src/app/theme.cpp kGlyphRanges) and its fallback.
function themeSettings() {
  const src = readFileSync(join(repo, 'src/app/theme.cpp'), 'utf8');
  const body = src.match(/kGlyphRanges\[\]\s*=\s*\{([^}]*)\}/)[1];
  const nums = [...body.matchAll(/0x[0-9a-fA-F]+|\b\d+\b/g)].map((m) => Number(m[0]));
  const ranges = [];
  for (let i = 0; i + 1 < nums.length && nums[i] !== 0; i += 2) ranges.push([nums[i], nums[i + 1]]);
  const fallback = src.match(/kMissingGlyph\s*=\s*(0x[0-9a-fA-F]+)/);
  const applied = /FallbackChar\s*=\s*kMissingGlyph/.test(src);
  return { ranges, fallback: fallback && applied ? Number(fallback[1]) : null };
}

const hex = (c) => 'U+' + c.toString(16).toUpperCase().padStart(4, '0');
const describeChars = (list) => list.slice(0, 40).map((ch) => `${ch} (${hex(ch.codePointAt(0))})`).join(', ') +
  (list.length > 40 ? ` … and ${list.length - 40} more` : '');

const fontFile = join(repo, 'build/deps/segx-ui.ttf');

describe('the UI font', { skip: !existsSync(fontFile) && 'build/deps/segx-ui.ttf is missing: run .ci/setup' }, () => {
  const font = existsSync(fontFile) ? cmapCodePoints(readFileSync(fontFile)) : new Set();
  const { ranges, fallback } = themeSettings();
  const inRanges = (c) => ranges.some(([a, b]) => c >= a && c <= b);
  const missing = (chars) => [...chars].filter((ch) => !font.has(ch.codePointAt(0)));
  const unrasterised = (chars) => [...chars].filter((ch) => !inRanges(ch.codePointAt(0)));

  test('the cmap reader reads the font: ASCII, GB2312 hanzi and nothing past it', () => {
    for (const ch of 'Az09 ,.中文店铺人群漏斗留存') assert.ok(font.has(ch.codePointAt(0)), ch);
    assert.ok(font.size > 7000 && font.size < 20000, `${font.size} code points`);
  });

  const tables = ['src/app/i18n/strings_en.inc', 'src/app/i18n/strings_zh.inc', 'src/core/lang/messages_en.inc', 'src/core/lang/messages_zh.inc'];
  for (const table of tables) {
    test(`holds every character of ${table}, inside the rasterised ranges`, () => {
      const chars = tableCharacters(join(repo, table));
      assert.ok(chars.size > 20, `${chars.size} characters read`);
      const lost = missing(chars);
      assert.deepEqual(lost, [], `not in the font (run .ci/setup to rebuild it): ${describeChars(lost)}`);
      const outside = unrasterised(chars);
      assert.deepEqual(outside, [], `outside kGlyphRanges in src/app/theme.cpp: ${describeChars(outside)}`);
    });
  }

  test("holds every character of the Chinese demo (provinces, cities, channels, categories, columns)", () => {
    const chars = demoCharacters();
    for (const ch of '广东省深圳市微信抖音小红书天猫京东女装美妆母婴数码会员下单时间实付金额') assert.ok(chars.has(ch), `the demo has ${ch}`);
    const lost = missing(chars);
    assert.deepEqual(lost, [], `not in the font: ${describeChars(lost)}`);
    assert.deepEqual(unrasterised(chars), []);
  });

  test('text outside GB2312 renders (traditional, name characters) or falls back to a visible square', () => {
    // In the font and rasterised: traditional characters and given-name characters.
    for (const ch of '臺灣體驗廣東堃喆玥') {
      assert.ok(font.has(ch.codePointAt(0)) && inRanges(ch.codePointAt(0)), `${ch} (${hex(ch.codePointAt(0))}) renders`);
    }
    // Past U+FFFF (𠮷) ImGui's 16-bit characters read U+FFFD, which the font lacks: the fallback
    // glyph is drawn instead. It is a visible square that the font holds and the page rasterises.
    assert.equal(fallback, 0x25a1, 'theme.cpp sets FallbackChar to U+25A1');
    assert.ok(font.has(fallback) && inRanges(fallback), 'the fallback square is in the font and rasterised');
    assert.ok(!font.has(0x20bb7), '𠮷 is not in the font (it takes the fallback)');
  });
});
