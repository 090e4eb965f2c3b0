// Is a byte array valid UTF-8? The question every text file's load asks of all its bytes.
// TextDecoder answers it by building the whole text as JS strings (~4 s for a 650 MB export);
// this walks the bytes instead: four-byte words while they are ASCII, the WHATWG decoder's byte
// ranges (no overlong forms, no surrogates, nothing past U+10FFFF) at each multi-byte
// sequence. Only the yes/no is decided here: encoding.js still locates and describes an error
// with TextDecoder, so the messages stay the decoder's.

// True when `bytes` (a Uint8Array) decode as UTF-8 without a replacement, ending on a whole character.
export function isValidUtf8(bytes) {
  const n = bytes.length, base = bytes.byteOffset;
  // Word reads need 4-byte alignment: words[k] holds bytes a0 + 4k .. a0 + 4k + 3.
  const a0 = (4 - (base & 3)) & 3;
  const words = n >= a0 + 16 ? new Uint32Array(bytes.buffer, base + a0, (n - a0) >>> 2) : null;
  const lastWord = words ? words.length - 4 : -1;
  let i = 0;
  while (i < n) {
    if (words && i >= a0 && ((i - a0) & 3) === 0) {
      // An ASCII run: sixteen bytes a step while no byte has its top bit set.
      let w = (i - a0) >>> 2;
      while (w <= lastWord && ((words[w] | words[w + 1] | words[w + 2] | words[w + 3]) & 0x80808080) === 0) w += 4;
      i = a0 + (w << 2);
    }
    // Bytewise to the next aligned stop (64 bytes on), where the word steps can take over again.
    const stop = Math.min(n, a0 + ((Math.max(0, i - a0) + 64) & ~3));
    while (i < stop) {
      if (bytes[i] < 0x80) {
        i++;
        continue;
      }
      const len = sequenceLength(bytes, i, n);
      if (len === 0) return false;
      i += len;
    }
  }
  return true;
}

// The length of the valid multi-byte sequence starting at `i` (lead byte ≥ 0x80), or 0.
function sequenceLength(b, i, n) {
  const c = b[i];
  if (c >= 0xc2 && c <= 0xdf) return i + 1 < n && (b[i + 1] & 0xc0) === 0x80 ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    if (i + 1 >= n) return 0;
    const d = b[i + 1];
    // E0 needs A0–BF (no overlong forms); ED needs 80–9F (no surrogates).
    const lo = c === 0xe0 ? 0xa0 : 0x80, hi = c === 0xed ? 0x9f : 0xbf;
    return d >= lo && d <= hi && i + 2 < n && (b[i + 2] & 0xc0) === 0x80 ? 3 : 0;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    if (i + 1 >= n) return 0;
    const d = b[i + 1];
    // F0 needs 90–BF (no overlong forms); F4 needs 80–8F (nothing past U+10FFFF).
    const lo = c === 0xf0 ? 0x90 : 0x80, hi = c === 0xf4 ? 0x8f : 0xbf;
    return d >= lo && d <= hi && i + 3 < n && (b[i + 2] & 0xc0) === 0x80 && (b[i + 3] & 0xc0) === 0x80 ? 4 : 0;
  }
  return 0;  // a continuation byte without a lead, C0, C1, F5–FF
}
