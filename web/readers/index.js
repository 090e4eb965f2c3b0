// Entry point for dropped files: decides the format, fixes the text encoding, and returns
// either UTF-8 CSV bytes for DuckDB's read_csv or an apache-arrow Table (JSON, Parquet) for
// DuckDB's Arrow insertion.
import { ENCODINGS, decodeToUtf8, decodeUtf8Lenient, detectEncoding } from './encoding.js';
import { ReadError } from './errors.js';
import { readJson } from './json.js';
import { readParquet } from './parquet.js';

const kExtensions = new Map([
  ['csv', 'csv'], ['tsv', 'csv'], ['txt', 'csv'],
  ['parquet', 'parquet'], ['pq', 'parquet'],
  ['json', 'json'], ['jsonl', 'jsonl'], ['ndjson', 'jsonl'],
]);

const startsWith = (b, sig, at = 0) => sig.every((x, i) => b[at + i] === x);
const PAR1 = [0x50, 0x41, 0x52, 0x31];

// 'csv' | 'parquet' | 'json' | 'jsonl': magic bytes first, then the extension, then content.
export function sniffFormat(name, bytes) {
  if (bytes.length >= 4 && startsWith(bytes, PAR1)) return 'parquet';  // a bad end is reported by readParquet
  const ext = (/\.([^./\\]+)$/.exec(String(name)) || [])[1];
  const byExt = ext && kExtensions.get(ext.toLowerCase());
  if (byExt) return byExt;
  // Content: skip a BOM, white space, and the zero bytes of UTF-16.
  const head = bytes.subarray(0, 1 << 16);
  let i = startsWith(head, [0xef, 0xbb, 0xbf]) ? 3 : startsWith(head, [0xff, 0xfe]) || startsWith(head, [0xfe, 0xff]) ? 2 : 0;
  const skip = (c) => c === 0 || c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
  while (i < head.length && skip(head[i])) i++;
  if (head[i] === 0x5b) return 'json';
  if (head[i] === 0x7b) {
    // One object per line when a second line also starts with "{".
    let nl = head.indexOf(0x0a, i);
    while (nl >= 0 && nl + 1 < head.length && skip(head[nl + 1])) nl++;
    return nl >= 0 && head[nl + 1] === 0x7b ? 'jsonl' : 'json';
  }
  return 'csv';
}

// Files people drop by mistake: say what they are instead of parsing them as text.
function binaryProblem(bytes) {
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return 'this is a zip archive or an Excel workbook (.xlsx); export the sheet as CSV';
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0])) return 'this is an old Excel workbook (.xls); export the sheet as CSV';
  if (startsWith(bytes, [0x1f, 0x8b])) return 'this file is gzip-compressed; unpack it first';
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46])) return 'this is a PDF document, not a data file';
  return null;
}

// True when UTF-8 `bytes` hold only a byte order mark, white space, line breaks and NUL bytes.
function isBlank(bytes) {
  let i = startsWith(bytes, [0xef, 0xbb, 0xbf]) ? 3 : 0;
  for (; i < bytes.length; i++) {
    const c = bytes[i];
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0 && c !== 0x0b && c !== 0x0c) return false;
  }
  return true;
}

// Reads one dropped file. Resolves to
//   { format, encoding, detected: { encoding, reason }, csvBytes?, table? }
// `csvBytes` (CSV: UTF-8 without BOM, for DuckDB's read_csv; the same memory as `bytes` when the
// file already is UTF-8) or `table` (JSON, Parquet: an apache-arrow Table). For Parquet,
// `encoding` and `detected` are null. `options.encoding` overrides the detected encoding (one
// of ENCODINGS' ids). Rejects with a ReadError naming the file and the problem.
export async function readSource(name, bytes, { encoding } = {}) {
  if (bytes.length === 0) throw new ReadError(name, 'the file is empty (0 bytes)');
  const format = sniffFormat(name, bytes);
  if (format === 'parquet') return { format, encoding: null, detected: null, table: await readParquet(bytes, name) };
  const problem = binaryProblem(bytes);
  if (problem) throw new ReadError(name, problem);
  const detected = detectEncoding(bytes);
  const chosen = encoding || detected.encoding;
  // Detection already validated UTF-8: only the BOM needs to go.
  const lenient = chosen === 'utf-8' && detected.encoding === 'utf-8' && detected.replaced;
  const text = lenient ? decodeUtf8Lenient(bytes)
    : chosen === 'utf-8' && detected.encoding === 'utf-8' ? (detected.bom ? bytes.subarray(3) : bytes)
    : decodeToUtf8(bytes, chosen, name);
  // Only a byte order mark, white space and line breaks: nothing to read.
  if (isBlank(text)) throw new ReadError(name, `the file is empty (${bytes.length} ${bytes.length === 1 ? 'byte' : 'bytes'} of ${detected.bom ? 'a byte order mark and ' : ''}white space, no data)`);
  const result = { format, encoding: chosen, detected: { encoding: detected.encoding, reason: detected.reason } };
  if (lenient) result.warning = `read as ${detected.reason}`;
  if (format === 'csv') result.csvBytes = text;
  else result.table = readJson(text, name);
  return result;
}
