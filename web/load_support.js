// Helpers of the loader: SQL quoting, the typed projection of raw columns, readable DuckDB
// errors, and the ragged-row check DuckDB's sniffer does not make.
import { ColumnType } from './core_bridge.js';

export class LoadError extends Error {}

export const quoteIdent = (s) => '"' + String(s).replace(/"/g, '""') + '"';
export const quoteLiteral = (s) => "'" + String(s).replace(/'/g, "''") + "'";


// The separator a header line uses most (null when it has none of them).
function guessDelimiter(header) {
  let delim = null;
  let best = 0;
  for (const d of [',', ';', '\t', '|']) {
    const n = header.split(d).length - 1;
    if (n > best) (best = n), (delim = d);
  }
  return delim;
}

// DuckDB's sniffer does not fail on ragged rows: it picks another dialect (one column holding
// whole lines, or a later line as the header) and reads the file wrong without a word. So the
// loader compares DuckDB's column count with the header's own, and when they differ, finds the
// first line whose field count differs from the header's (quotes respected) to name it.
// Scans at most `maxLines` lines.
export function findRaggedLine(text, maxLines = 100000) {
  const nl = text.indexOf('\n');
  const delim = guessDelimiter(nl < 0 ? text : text.slice(0, nl));
  if (!delim) return null;
  let line = 1, fields = 1, inQuotes = false, expected = -1;
  for (let i = 0; i <= text.length; i++) {
    const ch = i < text.length ? text[i] : '\n';
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && ch === delim) fields++;
    else if (!inQuotes && ch === '\n') {
      const blank = i === 0 || text[i - 1] === '\n' || (text[i - 1] === '\r' && text[i - 2] === '\n') || i === text.length;
      if (!blank || expected < 0) {
        if (expected < 0) expected = fields;
        else if (fields !== expected) return { line, fields, expected, delimiter: delim };
      }
      if (++line > maxLines) return null;
      fields = 1;
    }
  }
  return null;
}

// DuckDB's read_csv refuses a line longer than its max_line_size (2,000,000 bytes), but only
// after sniffing it, which takes minutes for 100 MB without a line break: checked up front on the
// bytes. Returns the first line longer than `max` bytes ({line, bytes}) or null. Lines end at
// \n, \r\n or a lone \r (old Mac exports). Jumps a window at a time, so a file of short lines
// costs about one lastIndexOf per `max` bytes.
export const kMaxLineBytes = 2_000_000;
export function findLongLine(bytes, max = kMaxLineBytes) {
  let start = 0;
  while (bytes.length - start > max) {
    let nl = bytes.lastIndexOf(0x0a, start + max);
    if (nl < start) nl = bytes.lastIndexOf(0x0d, start + max);
    if (nl < start) {
      let end = start;
      while (end < bytes.length && bytes[end] !== 0x0a && bytes[end] !== 0x0d) end++;
      let line = 1;
      for (let i = 0; i < start; i++) if (bytes[i] === 0x0a || (bytes[i] === 0x0d && bytes[i + 1] !== 0x0a)) line++;
      return { line, bytes: end - start };
    }
    start = nl + 1;
  }
  return null;
}

// A field that opens with a double quote and is never closed: DuckDB's sniffer then picks a
// dialect without quotes and loads the quote into the value ("u1 becomes a user of its own)
// without a word. Returns {line} of the opening quote, or null. `text` must be the whole file.
// Tab-separated text is left alone: TSV exports commonly do not quote at all, so a value may
// well start with a quote ("Great product) and mean it.
export function findUnclosedQuote(text) {
  const delim = guessDelimiter(text.slice(0, 1 << 16).split(/\r?\n|\r/, 1)[0]) || ',';
  if (delim === '\t') return null;
  let line = 1, open = 0, fieldStart = true, inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    const lineEnd = ch === '\n' || (ch === '\r' && text[i + 1] !== '\n');
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') i++;
        else inQuotes = false;
      } else if (lineEnd) line++;
    } else if (ch === '"' && fieldStart) {
      inQuotes = true;
      open = line;
      fieldStart = false;
    } else if (ch === delim) fieldStart = true;
    else if (lineEnd) line++, (fieldStart = true);
    else if (ch !== '\r') fieldStart = false;
  }
  return inQuotes ? { line: open } : null;
}

// DuckDB type -> [projection SQL for column c, core column type]. Everything is cast to one of
// three Arrow layouts (BIGINT, DOUBLE, VARCHAR) so the bridge stays small.
export function projectionFor(column, duckType) {
  const c = quoteIdent(column);
  const t = duckType.toUpperCase();
  if (t === 'BOOLEAN') return [`CAST(${c} AS BIGINT)`, ColumnType.Bool];
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|UTINYINT|USMALLINT|UINTEGER)$/.test(t)) return [`CAST(${c} AS BIGINT)`, ColumnType.Int64];
  if (/^(UBIGINT|HUGEINT|UHUGEINT|FLOAT|DOUBLE|REAL)$/.test(t) || t.startsWith('DECIMAL')) return [`CAST(${c} AS DOUBLE)`, ColumnType.Double];
  if (t === 'DATE') return [`epoch_us(CAST(${c} AS TIMESTAMP))`, ColumnType.Date];
  if (t.startsWith('TIMESTAMP')) return [`epoch_us(${c})`, ColumnType.Timestamp];
  return [`CAST(${c} AS VARCHAR)`, ColumnType.String];
}

// Turns a DuckDB error into one readable sentence about the file.
export function explainDuckDBError(err) {
  const text = String(err && err.message ? err.message : err);
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  const columns = text.match(/Expected Number of Columns:\s*(\d+)\s*Found:\s*(\d+)/i);
  const line = text.match(/(?:line|Line)\s*:?\s*(\d+)/);
  if (columns) {
    return `row ${line ? 'on line ' + line[1] + ' ' : ''}has ${columns[2]} fields where the header has ${columns[1]} (ragged rows)`;
  }
  if (/unterminated quote|quote.*not terminated/i.test(text)) return `a quoted value is never closed${line ? ' (line ' + line[1] + ')' : ''}`;
  const tooLong = text.match(/Maximum line size of (\d+) bytes exceeded/);
  if (tooLong) return `line ${line ? line[1] + ' ' : ''}is longer than ${Number(tooLong[1]).toLocaleString('en-US')} bytes; expected CSV text with one row per line`;
  // The page's DuckDB reads a CSV from the dropped File itself (web/source_loader.js): the
  // browser refuses once the file on disk was changed, moved or deleted after it was chosen.
  if (/NotReadableError|NotFoundError|requested file could not be read/i.test(text))
    return 'the file could not be read again: it was changed, moved or deleted on disk since it was loaded (load it again)';
  if (/not possible to automatically detect the CSV parsing dialect/i.test(text))
    return 'this does not read as CSV: no separator and quoting fit its lines (is it a text export?)';
  let first = lines[0] || 'unknown error';
  // "CSV Error on Line: N" says where; the reason is on a later line, after the line's own text.
  const csvLine = first.match(/CSV Error on Line: (\d+)/i);
  const reason = csvLine && lines.slice(1).find((l) => !/^Original Line:/i.test(l));
  if (reason) first = `line ${csvLine[1]}: ${reason}`;
  first = first.replace(/^(Invalid Input Error|Conversion Error|IO Error|Binder Error|Parser Error):\s*/i, '');
  return first.length > 300 ? first.slice(0, 300) + '…' : first;
}
