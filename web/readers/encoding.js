// Text encodings of dropped files: detects what a file is written in and turns it into UTF-8
// bytes, which DuckDB's CSV reader and the JSON reader expect. Everything runs through the
// browser's own TextDecoder/TextEncoder (native and fast), in chunks so that a file of a
// gigabyte never becomes one JS string (V8 caps strings at ~512 M characters).
import { ReadError } from './errors.js';
import { isValidUtf8 } from './utf8.js';

// For an override picker. `id` is what detectEncoding returns and decodeToUtf8 accepts.
export const ENCODINGS = Object.freeze([
  { id: 'utf-8', label: 'UTF-8' },
  { id: 'utf-16le', label: 'UTF-16 LE' },
  { id: 'utf-16be', label: 'UTF-16 BE' },
  { id: 'gb18030', label: 'GBK / GB18030 (Chinese)' },
  { id: 'windows-1252', label: 'Windows-1252 (Latin)' },
]);
const kIds = new Set(ENCODINGS.map((e) => e.id));
const kLabels = new Map(ENCODINGS.map((e) => [e.id, e.label]));

const kChunk = 16 << 20;      // bytes decoded per TextDecoder call
const kSample = 1 << 20;      // bytes looked at by the statistical checks
const kUtf16Sample = 1 << 16;

const hasUtf8Bom = (b) => b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;

// Decides the encoding of `bytes`. Returns { encoding, bom, reason }; `reason` is a short
// sentence for the page ("how did it decide?").
export function detectEncoding(bytes) {
  if (hasUtf8Bom(bytes)) return { encoding: 'utf-8', bom: true, reason: 'UTF-8 byte order mark' };
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe)
    return { encoding: 'utf-16le', bom: true, reason: 'UTF-16 LE byte order mark' };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff)
    return { encoding: 'utf-16be', bom: true, reason: 'UTF-16 BE byte order mark' };
  const u16 = guessBomlessUtf16(bytes);
  if (u16) return { encoding: u16, bom: false, reason: `no byte order mark, but every other byte is zero (${kLabels.get(u16)})` };
  const utf8Error = isValidUtf8(bytes) ? null : findDecodeError(bytes, 'utf-8');
  if (utf8Error === null) return { encoding: 'utf-8', bom: false, reason: 'valid UTF-8' };
  // UTF-8 text with a stray byte or two (a cut and pasted cell, a damaged copy) is still UTF-8:
  // read as Windows-1252 or GBK, every Chinese character of it would be garbled. It is decoded
  // as UTF-8 with the bad bytes replaced by U+FFFD, and the load says so (`replaced`).
  const mostly = mostlyUtf8(bytes);
  if (mostly) {
    const line = lineOf(bytes, utf8Error.offset, 'utf-8');
    return {
      encoding: 'utf-8', bom: false, replaced: mostly.bad,
      reason: `UTF-8 with ${mostly.bad} ${mostly.bad === 1 ? 'byte sequence' : 'byte sequences'} that ${mostly.bad === 1 ? 'is' : 'are'} not valid UTF-8, ` +
        `replaced by \uFFFD (the first at offset ${utf8Error.offset}, line ${line})`,
    };
  }
  // Excel in mainland China saves CSV as GBK (a subset of GB18030). Latin text is often valid
  // GB18030 too ("Mü" is a GBK pair), so it must also look Chinese: nearly all pairs in the
  // GB2312 area (both bytes >= 0xA1, where common Chinese characters sit; Latin text mostly
  // puts an ASCII letter after an accent) and somewhere two such characters in a row (Latin
  // text rarely has four accented letters running).
  let gb = gb18030Pairs(bytes.subarray(0, kSample));
  // Chinese text may only start after a long ASCII head: then look at everything.
  if (gb.multibyte < 16 && bytes.length > kSample) gb = gb18030Pairs(bytes);
  if (gb.run >= 2 && gb.cjk >= 0.9 * gb.multibyte && findDecodeError(bytes, 'gb18030') === null) {
    return { encoding: 'gb18030', bom: false, reason: `not UTF-8; valid GBK / GB18030 with ${gb.cjk} Chinese characters${gb.sampled < bytes.length ? ' in the first megabyte' : ''}` };
  }
  return { encoding: 'windows-1252', bom: false, reason: 'not UTF-8; read as Windows-1252 (Latin)' };
}

// Valid UTF-8 but for a few bad sequences: {bad} (how many U+FFFD a lenient decoder makes that
// the file did not hold itself) or null. At least 8 valid multi-byte characters, and at most one
// bad sequence per 20 of them: text in GBK or Windows-1252 read as UTF-8 is mostly bad sequences.
function mostlyUtf8(bytes) {
  const text = new TextDecoder('utf-8').decode(bytes);
  let bad = 0, multibyte = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0xfffd) bad++;
    else if (c >= 0x80 && !(c >= 0xdc00 && c <= 0xdfff)) multibyte++;
  }
  // A U+FFFD written in the file as EF BF BD is not a bad byte.
  for (let i = bytes.indexOf(0xef); i >= 0; i = bytes.indexOf(0xef, i + 1)) if (bytes[i + 1] === 0xbf && bytes[i + 2] === 0xbd) bad--;
  return bad > 0 && multibyte >= 8 && bad * 20 <= multibyte ? { bad } : null;
}

// UTF-8 with its bad sequences replaced by U+FFFD (see mostlyUtf8), without a BOM.
export function decodeUtf8Lenient(bytes) {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder('utf-8', { ignoreBOM: false });
  const parts = [];
  let total = 0;
  for (let start = 0; start < bytes.length || parts.length === 0; ) {
    const end = chunkEnd(bytes, start, 'utf-8');
    const part = encoder.encode(decoder.decode(bytes.subarray(start, end), { stream: end < bytes.length }));
    parts.push(part);
    total += part.length;
    start = end;
    if (end >= bytes.length) break;
  }
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) (out.set(p, at), (at += p.length));
  return out;
}

// Text without a BOM that is mostly ASCII shows up as NUL bytes on one side of each pair.
function guessBomlessUtf16(bytes) {
  const n = Math.min(bytes.length, kUtf16Sample) & ~1;
  if (n < 4) return null;
  let zeroEven = 0, zeroOdd = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) zeroEven++;
    if (bytes[i + 1] === 0) zeroOdd++;
  }
  const pairs = n / 2;
  if (zeroOdd > 0.3 * pairs && zeroEven < 0.05 * pairs) return 'utf-16le';
  if (zeroEven > 0.3 * pairs && zeroOdd < 0.05 * pairs) return 'utf-16be';
  // Chinese text in UTF-16 has few zero bytes (only its ASCII: separators, digits, line
  // breaks), but they all sit on one side of the pairs, which no 8-bit text does.
  if (zeroOdd >= Math.max(16, 0.05 * pairs) && zeroEven === 0) return 'utf-16le';
  if (zeroEven >= Math.max(16, 0.05 * pairs) && zeroOdd === 0) return 'utf-16be';
  return null;
}

// Counts GB18030 multi-byte sequences in `b`: `cjk` are those in the GB2312 area, `run` the
// longest run of them back to back.
function gb18030Pairs(b) {
  let cjk = 0, multibyte = 0, run = 0, current = 0;
  for (let i = 0; i < b.length; ) {
    const c = b[i];
    if (c < 0x80) {
      current = 0;
      i++;
      continue;
    }
    multibyte++;
    const d = b[i + 1];
    if (c >= 0x81 && c <= 0xfe && d >= 0x30 && d <= 0x39) {  // 4-byte form
      current = 0;
      i += 4;
      continue;
    }
    if (c >= 0xa1 && d >= 0xa1 && d <= 0xfe) {
      cjk++;
      if (++current > run) run = current;
    } else current = 0;
    i += c >= 0x81 && c <= 0xfe && d >= 0x40 && d !== 0x7f && d <= 0xfe ? 2 : 1;
  }
  return { cjk, multibyte, run, sampled: b.length };
}

// Returns `bytes` as UTF-8 without a BOM. BOM-less valid UTF-8 comes back as the same array
// (no copy); a UTF-8 BOM is cut off with a view. Throws a ReadError naming the byte offset
// and line when the bytes are not valid in `encoding` (a wrong override must not turn into
// silent mojibake). `name` is only used in messages.
export function decodeToUtf8(bytes, encoding, name = 'the file') {
  if (!kIds.has(encoding)) {
    throw new ReadError(name, `unknown text encoding "${encoding}" (expected one of ${[...kIds].join(', ')})`);
  }
  if (encoding === 'utf-8') {
    const bad = isValidUtf8(bytes) ? null : findDecodeError(bytes, 'utf-8');
    if (bad !== null) throw decodeError(bytes, encoding, bad, name);
    return hasUtf8Bom(bytes) ? bytes.subarray(3) : bytes;
  }
  const encoder = new TextEncoder();
  const parts = [];
  let total = 0;
  const bad = findDecodeError(bytes, encoding, (text) => {
    const part = encoder.encode(text);
    parts.push(part);
    total += part.length;
  });
  if (bad !== null) throw decodeError(bytes, encoding, bad, name);
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) (out.set(p, at), (at += p.length));
  return out;
}

// `bad` is { offset, end, truncated } from findDecodeError: the bytes [offset, end] form the
// first sequence that cannot be decoded, or an unfinished character at the very end.
function decodeError(bytes, encoding, { offset, end, truncated }, name) {
  const label = kLabels.get(encoding);
  // A truncated end may report where the unfinished character would begin as the file's end:
  // show the bytes that are there.
  if (offset >= bytes.length || offset > end) offset = Math.max(0, Math.min(end, bytes.length - 1));
  const line = lineOf(bytes, offset, encoding);
  const seq = Array.from(bytes.subarray(offset, Math.max(offset + 1, Math.min(end + 1, offset + 4))), (x) => '0x' + x.toString(16).toUpperCase().padStart(2, '0'));
  const shown = `byte${seq.length > 1 ? 's' : ''} ${seq.join(' ')}`;
  const what = truncated
    ? `the file ends in the middle of a character (${shown} at offset ${offset}, line ${line})`
    : `${shown} at offset ${offset} (line ${line}) ${seq.length > 1 ? 'are' : 'is'} not valid`;
  return new ReadError(name, `not valid ${label}: ${what}; choose another encoding`);
}

// Streams `bytes` through a fatal TextDecoder in chunks, handing each decoded piece of text to
// `onText` (if given). Returns null when everything decoded, else { offset, end, truncated }.
// Every chunk goes in with { stream: true } and an empty call flushes at the end: Node 20's
// one-shot windows-1252 decode is really ISO-8859-1 (0x80 gives U+0080, not "€"); its
// streaming path and the browsers' are right.
function findDecodeError(bytes, encoding, onText) {
  const decoder = new TextDecoder(encoding, { fatal: true });
  let start = 0;
  while (start < bytes.length) {
    const end = chunkEnd(bytes, start, encoding);
    let text;
    try {
      text = decoder.decode(bytes.subarray(start, end), { stream: true });
    } catch (e) {
      if (!(e instanceof TypeError)) throw e;
      return locateError(bytes.subarray(start, end), encoding, start);
    }
    if (onText) onText(text);
    start = end;
  }
  try {
    const tail = decoder.decode();
    if (tail && onText) onText(tail);
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    const last = bytes.subarray(Math.max(0, bytes.length - 8));
    const from = pendingStart(last, last.length, encoding);
    return { offset: bytes.length - last.length + from, end: bytes.length - 1, truncated: true };
  }
  return null;
}

// Chunks end after a newline when one is near, so each chunk starts in a clean decoder state
// (no encoding here uses byte 0x0A inside a multi-byte character) and an error can be located
// by re-decoding that chunk alone. Streaming keeps the decoding right at any other boundary.
function chunkEnd(bytes, start, encoding) {
  const target = start + kChunk;
  if (target >= bytes.length) return bytes.length;
  if (encoding.startsWith('utf-16')) return target;  // kChunk is even
  const nl = bytes.indexOf(0x0a, target);
  return nl >= 0 && nl - target < kChunk ? nl + 1 : target;
}

const decodes = (bytes, encoding, stream) => {
  try {
    new TextDecoder(encoding, { fatal: true }).decode(bytes, { stream });
    return true;
  } catch {
    return false;
  }
};

// Finds the first bad sequence in `chunk` (which failed to decode). A streaming decoder throws
// only once a byte makes the text invalid whatever follows, so "the prefix of length L fails" is
// monotonic in L: bisection finds that byte. The sequence it broke may have begun a few bytes
// earlier (a lead byte without its continuation): that start is what people look for.
function locateError(chunk, encoding, base) {
  let lo = 1, hi = chunk.length;  // the smallest failing prefix length is in [lo, hi]
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (decodes(chunk.subarray(0, mid), encoding, true)) lo = mid + 1;
    else hi = mid;
  }
  const bad = lo - 1;
  return { offset: base + pendingStart(chunk, bad, encoding), end: base + bad, truncated: false };
}

// Where the character unfinished at `end` of `bytes[0..end)` begins: the longest prefix that
// decodes completely (characters are at most 4 bytes).
function pendingStart(bytes, end, encoding) {
  for (let m = 0; m < 4 && m <= end; m++) if (decodes(bytes.subarray(0, end - m), encoding, false)) return end - m;
  return end;
}

// 1-based line number of byte `offset` (counts LF characters before it).
function lineOf(bytes, offset, encoding) {
  let line = 1;
  if (encoding.startsWith('utf-16')) {
    const le = encoding === 'utf-16le';
    for (let i = bytes.indexOf(0x0a); i >= 0 && i < offset; i = bytes.indexOf(0x0a, i + 1)) {
      if (le ? i % 2 === 0 && bytes[i + 1] === 0 : i % 2 === 1 && bytes[i - 1] === 0) line++;
    }
    return line;
  }
  for (let i = bytes.indexOf(0x0a); i >= 0 && i < offset; i = bytes.indexOf(0x0a, i + 1)) line++;
  return line;
}
