// The UTF-8 validity check every text load runs over all its bytes (web/readers/utf8.js), against
// the browser's decoder: the same yes/no on hand-picked edges and on random near-UTF-8 bytes.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { isValidUtf8 } from '../../../web/readers/utf8.js';

const decoderSays = (bytes) => {
  try {
    new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
};

// A deterministic generator, so a failure repeats.
function rng(seed) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

describe('isValidUtf8', () => {
  test('agrees with TextDecoder on the edges of every sequence length', () => {
    const cases = [
      [], [0x41], [0x7f], [0x80], [0xbf], [0xc0, 0x80], [0xc1, 0xbf], [0xc2, 0x80], [0xdf, 0xbf], [0xc2],
      [0xe0, 0x9f, 0x80], [0xe0, 0xa0, 0x80], [0xe1, 0x80, 0x80], [0xec, 0xbf, 0xbf], [0xed, 0x9f, 0xbf],
      [0xed, 0xa0, 0x80], [0xee, 0x80, 0x80], [0xef, 0xbf, 0xbf], [0xe0, 0xa0], [0xe1, 0x80, 0x41],
      [0xf0, 0x8f, 0x80, 0x80], [0xf0, 0x90, 0x80, 0x80], [0xf3, 0xbf, 0xbf, 0xbf], [0xf4, 0x8f, 0xbf, 0xbf],
      [0xf4, 0x90, 0x80, 0x80], [0xf5, 0x80, 0x80, 0x80], [0xff], [0xf0, 0x90, 0x80], [0xf0, 0x90, 0x80, 0x41],
    ];
    for (const c of cases) {
      const b = Uint8Array.from(c);
      assert.equal(isValidUtf8(b), decoderSays(b), `bytes ${c.map((x) => x.toString(16)).join(' ')}`);
    }
  });

  test('Chinese, emoji and ASCII text is valid; one byte cut off the end is not', () => {
    const b = new TextEncoder().encode('用户运营,客单价 😀 Zoë\n'.repeat(1000));
    assert.equal(isValidUtf8(b), true);
    assert.equal(isValidUtf8(b.subarray(0, b.length - 2)), false);  // the text ends "ë\n": a lone lead byte is left
  });

  test('agrees with TextDecoder on random near-UTF-8 bytes at every alignment', () => {
    const r = rng(20261205);
    const pieces = ['a', 'longer ascii run of text, 0123456789\n', 'é', '用', '😀', '\u0800', '\uffff', '\u{10ffff}'].map((t) => [...new TextEncoder().encode(t)]);
    let invalid = 0;
    for (let k = 0; k < 4000; k++) {
      const bytes = [];
      const parts = 1 + Math.floor(r() * 40);
      for (let p = 0; p < parts; p++) bytes.push(...pieces[Math.floor(r() * pieces.length)]);
      // Some cases get one byte changed to anything, or lose their last byte.
      if (r() < 0.5) bytes[Math.floor(r() * bytes.length)] = Math.floor(r() * 256);
      if (r() < 0.1) bytes.pop();
      const pad = Math.floor(r() * 4);  // the array starts at offsets 0–3 of its buffer
      const buffer = new Uint8Array(bytes.length + pad);
      buffer.set(bytes, pad);
      const b = buffer.subarray(pad);
      const expected = decoderSays(b);
      if (!expected) invalid++;
      assert.equal(isValidUtf8(b), expected, `case ${k}: ${bytes.map((x) => x.toString(16)).join(' ')}`);
    }
    assert.ok(invalid > 500 && invalid < 3500, `both answers are exercised (${invalid} invalid of 4000)`);
  });
});
