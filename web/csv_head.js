// A big CSV loads from its head. A whole-file load first reads every byte into memory (1 s and
// 650 MB for a 650 MB export) and checks it (valid UTF-8, no zero byte, no line past the limit)
// before DuckDB reads the file. A file whose first lines are plain UTF-8 almost always is
// throughout, so its load starts from those lines, and the rest is checked by the one pass
// that reads it: DuckDB's CSV reader fails on bytes that are not UTF-8 and on lines over
// 2 MiB, and the mapped values are searched for zero bytes as they stream
// (web/source_loader.js, `fromHead`). The load commits only if the pass ends clean; else it is
// abandoned without a word and the file loaded whole, which finds the real encoding (GBK after
// an ASCII head) or says what is wrong, exactly as before. Two differences remain past the
// head, both lenient: a line of 2,000,001 to 2,097,152 bytes (DuckDB's limit, over ours) and a
// zero byte in a column the mapping leaves out load.
import { detectEncoding } from './readers/encoding.js';
import { sniffFormat } from './readers/index.js';

const kHeadBytes = 16 << 20;

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
