// A big CSV starts loading from its head while the rest of its bytes are checked beside the load.
// A whole-file load first reads every byte into memory (1 s and 650 MB for a 650 MB export) and
// checks it (valid UTF-8, no zero byte, no line past the limit) before DuckDB reads the file. A
// file whose first lines are plain UTF-8 almost always is throughout, so its load starts from
// those lines (DuckDB reads the registered File itself) while checkRest reads the rest in
// slices and checks it, in the main thread's waits for DuckDB's worker. The load commits only
// if the rest is clean; else it is abandoned and the file loaded whole, which finds the real
// encoding (GBK with an ASCII head) or says what is wrong, exactly as before.
import { findLongLine, kMaxLineBytes } from './load_support.js';
import { detectEncoding } from './readers/encoding.js';
import { sniffFormat } from './readers/index.js';
import { isValidUtf8 } from './readers/utf8.js';

export const kHeadBytes = 16 << 20;
const kSliceBytes = 16 << 20;

// The first whole lines of `blob` (at most kHeadBytes), when it may load from them: a file over
// kHeadBytes that reads as CSV, not asked in another encoding, whose head is valid UTF-8 without
// a byte order mark and has no zero byte. Else null (the file loads whole).
export async function csvHead(blob, name, encoding) {
  if (blob.size <= kHeadBytes || (encoding && encoding !== 'utf-8')) return null;
  const bytes = new Uint8Array(await blob.slice(0, kHeadBytes).arrayBuffer());
  const end = bytes.lastIndexOf(0x0a) + 1;
  if (end === 0) return null;
  const head = bytes.subarray(0, end);
  if (sniffFormat(name, head) !== 'csv' || head.indexOf(0) >= 0) return null;
  const detected = detectEncoding(head);
  if (detected.encoding !== 'utf-8' || detected.bom || detected.replaced) return null;
  // Only white space: the whole file decides what it is.
  if (!/[^\s]/.test(new TextDecoder().decode(head.subarray(0, 1 << 16)))) return null;
  return head;
}

// Checks `blob` from byte `from` (a line start) to its end, slice by slice, as a whole load
// checks a file: valid UTF-8, no zero byte, no line longer than kMaxLineBytes. Resolves to true
// when clean, false at the first problem or when the file cannot be read (never rejects: the
// load may have ended meanwhile).
export async function checkRest(blob, from) {
  try {
    let at = from;
    while (at < blob.size) {
      const last = at + kSliceBytes >= blob.size;
      const slice = new Uint8Array(await blob.slice(at, Math.min(blob.size, at + kSliceBytes)).arrayBuffer());
      // Whole lines only (a line break is a character boundary), but for the file's last bytes.
      const end = last ? slice.length : slice.lastIndexOf(0x0a) + 1;
      if (end === 0) return false;  // a line longer than a slice
      const lines = slice.subarray(0, end);
      if (lines.indexOf(0) >= 0 || !isValidUtf8(lines) || findLongLine(lines, kMaxLineBytes)) return false;
      at += end;
    }
    return true;
  } catch {
    return false;
  }
}
