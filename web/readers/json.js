// JSON exports -> apache-arrow Table. Accepts a JSON array of objects, one object holding one
// array of objects ({"data": [...]}), or JSON lines (one object per line). JSON.parse makes the
// per-value objects the format forces; everything after that goes into typed arrays.
//
// Types per column: only booleans -> Bool; only integers within ±2^53 -> Int64; numbers with
// any non-integer (or a larger integer) -> Float64; only strings -> Utf8; anything else (mixed
// kinds, arrays, objects) -> Utf8 where strings stay as they are and other values are JSON text;
// null or missing -> null. A column that is null everywhere is Utf8.
import { BoolColumn, Float64Column, Int64Column, Utf8Column, tableFromColumns, uniqueNames } from './columns.js';
import { ReadError } from './errors.js';

const kMaxKeys = 10000;      // more distinct keys than this is not a table (or is hostile)
const kLineChunk = 8 << 20;  // JSON lines are decoded this many bytes at a time
const kCacheBytes = 64 << 20; // JSON lines files up to this size are parsed once, not twice
const BOOL = 1, INT = 2, FLOAT = 4, STRING = 8, OTHER = 16;

const decoder = new TextDecoder();

// `bytes`: UTF-8 (a BOM is skipped). `name` is used in error messages.
export function readJson(bytes, name) {
  const start = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const first = firstNonSpace(bytes, start);
  if (first < 0) throw new ReadError(name, bytes.length === 0 ? 'the file is empty (0 bytes)' : 'the file holds only white space; expected JSON');
  const source = bytes[first] === 0x7b && looksLikeJsonLines(bytes, first) ? jsonLines(bytes, start, name) : jsonDocument(bytes, start, name);
  return buildTable(source, name);
}

const isSpace = (c) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

function firstNonSpace(bytes, from) {
  for (let i = from; i < bytes.length; i++) if (!isSpace(bytes[i])) return i;
  return -1;
}

// JSON lines when the first line is a whole object on its own and more text follows it.
function looksLikeJsonLines(bytes, first) {
  const nl = bytes.indexOf(0x0a, first);
  if (nl < 0 || firstNonSpace(bytes, nl) < 0) return false;
  try {
    const v = JSON.parse(decoder.decode(bytes.subarray(first, nl)));
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  } catch {
    return false;
  }
}

// JSON.parse makes every number a double: 12345678901234567890 and 12345678901234567891 become
// one value, and two users one. Integers past 2^53 are read as their text instead (ids are
// text: they keep every digit); a second parse happens only when the text has such a number.
const kBigInt = /"(?:[^"\\]|\\.)*"|(?<![\d.eE+-])-?\d{16,}(?![\d.eE])/g;
function parseExact(text) {
  const value = JSON.parse(text);
  if (!/\d{16}/.test(text)) return value;
  const limit = 2n ** 53n;
  return JSON.parse(text.replace(kBigInt, (m) => (m[0] === '"' || (BigInt(m) <= limit && BigInt(m) >= -limit) ? m : `"${m}"`)));
}

const kindName = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'object' ? 'object' : typeof v);
const isRow = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

// A row source: forEach(fn(row, index, label)) visits rows in order (callable twice); `label`
// names where a row is, for messages ("item 3", "line 7").
function jsonDocument(bytes, start, name) {
  let text;
  try {
    text = decoder.decode(bytes.subarray(start));
  } catch {
    // V8 caps strings at ~512 M characters.
    throw new ReadError(name, `the file is too large (${Math.round(bytes.length / 2 ** 20)} MB) to read as one JSON document; save it as JSON lines (one object per line)`);
  }
  let value;
  try {
    value = parseExact(text);
  } catch (e) {
    if (e instanceof SyntaxError) throw new ReadError(name, documentSyntaxError(e, text));
    throw new ReadError(name, `the JSON could not be read (${e.message}); is it nested too deeply?`);
  }
  text = null;
  let rows, label;
  if (Array.isArray(value)) {
    rows = value;
    label = (i) => `item ${i + 1} of the array`;
  } else if (isRow(value)) {
    const arrays = Object.keys(value).filter((k) => Array.isArray(value[k]));
    const ofObjects = arrays.filter((k) => isRow(value[k][0]));
    const key = arrays.length === 1 && Object.keys(value).length === 1 ? arrays[0] : ofObjects.length === 1 ? ofObjects[0] : null;
    if (key === null && ofObjects.length > 1) {
      throw new ReadError(name, `the JSON object holds several arrays of objects (${ofObjects.map((k) => JSON.stringify(k)).join(', ')}); expected one`);
    }
    if (key !== null) {
      rows = value[key];
      label = (i) => `item ${i + 1} of ${JSON.stringify(key)}`;
    } else {
      rows = [value];  // a single record
      label = () => 'the object';
    }
  } else {
    throw new ReadError(name, `expected an array of objects, got ${article(value)}`);
  }
  if (rows.length === 0) throw new ReadError(name, 'the JSON array is empty: there are no rows');
  return {
    forEach(fn) {
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i];
        if (!isRow(row)) throw new ReadError(name, `${label(i)} is ${article(row)}; expected an object (one per row)`);
        fn(row, i, label);
      }
    },
  };
}

const article = (v) => {
  const k = kindName(v);
  return k === 'null' ? 'null' : (/^[aeiou]/.test(k) ? 'an ' : 'a ') + k;
};

// Rows of a JSON lines file are parsed again for the second pass (bounded memory), unless
// the file is small enough to keep them: parsing is most of the time spent here.
function jsonLines(bytes, start, name) {
  const label = (_, line) => `line ${line}`;
  let cache = bytes.length <= kCacheBytes ? null : undefined;  // null: fill on the first pass
  let cacheLines = null;
  const parseAll = (fn) => {
    let index = 0;
    let line = 1;
    for (let from = start; from < bytes.length; ) {
      let end = from + kLineChunk >= bytes.length ? -1 : bytes.indexOf(0x0a, from + kLineChunk);
      end = end < 0 ? bytes.length : end + 1;
      let text;
      try {
        text = decoder.decode(bytes.subarray(from, end));
      } catch {
        throw new ReadError(name, `line ${line} and the lines after it are too long to read (over 500 MB without a line break)`);
      }
      for (let a = 0; a < text.length; line++) {
        let b = text.indexOf('\n', a);
        if (b < 0) b = text.length;
        const s = text.slice(a, b);
        a = b + 1;
        if (!/\S/.test(s)) continue;  // blank lines are fine
        let row;
        try {
          row = parseExact(s);
        } catch (e) {
          if (e instanceof SyntaxError) throw new ReadError(name, lineSyntaxError(e, s, line));
          throw new ReadError(name, `line ${line}: the JSON could not be read (${e.message}); is it nested too deeply?`);
        }
        if (!isRow(row)) throw new ReadError(name, `line ${line} is ${article(row)}; expected one JSON object per line`);
        fn(row, index++, label, line);
      }
      from = end;
    }
  };
  return {
    forEach(fn) {
      if (cache) {
        for (let i = 0; i < cache.length; i++) fn(cache[i], i, label, cacheLines[i]);
        return;
      }
      if (cache === null) {
        cache = [];
        cacheLines = [];
        parseAll((row, i, _, line) => {
          cache.push(row);
          cacheLines.push(line);
          fn(row, i, label, line);
        });
        return;
      }
      parseAll(fn);
    },
  };
}

// Where a JSON.parse SyntaxError points in `text`: { line (from 0), column (from 1, or null),
// what }. V8 says "at position N" for most errors, but for an unexpected token only quotes the
// text around it; Firefox says "at line L column C"; Safari says neither.
function syntaxInfo(e, text) {
  const msg = String(e.message);
  const what = msg
    .replace(/(\s+in JSON)?\s+at position \d+[\s\S]*$/, '')
    .replace(/, (\.\.\.)?"[\s\S]*"(\.\.\.)? is not valid JSON$/, '')  // V8 quoting the text
    .replace(/^JSON\.parse: (.*) at line \d+ column \d+ of the JSON data$/, '$1')
    .slice(0, 200);
  const lc = msg.match(/at line (\d+) column (\d+)/);
  if (lc) return { line: Number(lc[1]) - 1, column: Number(lc[2]), what };
  const pos = errorPosition(msg, text);
  if (pos === null) return { line: 0, column: null, what };
  if (pos >= text.length) {
    const early = 'the text ends before the JSON is complete';
    return { line: count(text, '\n', text.length), column: null, what: /end of JSON input/i.test(what) ? early : `${what}: ${early}` };
  }
  return { line: count(text, '\n', pos), column: pos - text.lastIndexOf('\n', pos - 1), what };
}

const kBisectChars = 4 << 20;  // locating an error by parsing prefixes costs ~log2(n) parses

function errorPosition(msg, text) {
  const at = msg.match(/at position (\d+)/);
  if (at) return Number(at[1]);
  if (/end of JSON input/i.test(msg)) return text.length;
  // A prefix is "clean" when parsing it fails only for want of more text; the first error is
  // at the smallest length that is not clean, less one.
  const clean = (len) => {
    try {
      JSON.parse(text.slice(0, len));
      return true;
    } catch (err) {
      const m = String(err.message);
      const p = m.match(/at position (\d+)/);
      return /end of JSON input/i.test(m) || (p !== null && Number(p[1]) >= len);
    }
  };
  const isError = (pos) => clean(pos) && !clean(pos + 1);
  // V8: Unexpected token 'x', ..."context"... is not valid JSON. Try where the quote occurs.
  const quoted = msg.match(/^Unexpected token '([\s\S])', (?:\.\.\.)?"([\s\S]*?)"(?:\.\.\.)? is not valid JSON$/);
  if (quoted) {
    const [, token, context] = quoted;
    for (let i = text.indexOf(context), tries = 0; i >= 0 && tries < 20; i = text.indexOf(context, i + 1), tries++) {
      for (let j = context.indexOf(token); j >= 0; j = context.indexOf(token, j + 1)) if (isError(i + j)) return i + j;
    }
  }
  if (text.length > kBisectChars) return null;
  let lo = 1, hi = text.length;  // the smallest unclean length is in [lo, hi]
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (clean(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

function documentSyntaxError(e, text) {
  const { line, column, what } = syntaxInfo(e, text);
  return `invalid JSON at line ${line + 1}${column ? `, column ${column}` : ''}: ${what}`;
}

function lineSyntaxError(e, text, lineNo) {
  const { column, what } = syntaxInfo(e, text);
  return `line ${lineNo}${column ? `, column ${column}` : ''}: invalid JSON: ${what}`;
}

function count(text, ch, end) {
  let n = 0;
  for (let i = text.indexOf(ch); i >= 0 && i < end; i = text.indexOf(ch, i + 1)) n++;
  return n;
}

function kindOf(v) {
  switch (typeof v) {
    case 'boolean': return BOOL;
    case 'number': return Number.isInteger(v) && Math.abs(v) <= 2 ** 53 ? INT : FLOAT;
    case 'string': return STRING;
    default: return v === null ? 0 : OTHER;
  }
}

function buildTable(source, name) {
  // Pass 1: column names in first-seen order and the kinds of value each holds.
  const index = new Map();
  const keys = [];
  const kinds = [];
  let rows = 0;
  source.forEach((row, i, label, line) => {
    for (const k in row) {
      let c = index.get(k);
      if (c === undefined) {
        if (keys.length >= kMaxKeys) {
          throw new ReadError(name, `more than ${kMaxKeys.toLocaleString('en')} distinct keys (by ${label(i, line)}); this does not look like a table`);
        }
        c = keys.length;
        index.set(k, c);
        keys.push(k);
        kinds.push(0);
      }
      kinds[c] |= kindOf(row[k]);
    }
    rows++;
  });
  if (keys.length === 0) throw new ReadError(name, 'the objects have no keys: there are no columns');

  // Pass 2: values into typed columns.
  let columns;
  try {
    columns = kinds.map((k) => makeColumn(k, rows));
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    throw new ReadError(name, `not enough memory for ${rows} rows × ${keys.length} columns`);
  }
  // Utf8 columns that saw more than strings keep other values as JSON text.
  const asText = kinds.map((k, c) => columns[c] instanceof Utf8Column && k !== STRING);
  let key = null;
  try {
    source.forEach((row, i, label, line) => {
      for (key in row) {
        const v = row[key];
        if (v === null) continue;
        const c = index.get(key);
        if (!asText[c] || typeof v === 'string') columns[c].set(i, v);
        else columns[c].set(i, jsonText(v, name, () => `${label(i, line)}: the value of ${JSON.stringify(key)}`));
      }
    });
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    throw new ReadError(name, `column ${JSON.stringify(key)} holds more than 2 GB of text`);
  }
  const names = uniqueNames(keys);
  return tableFromColumns(columns.map((col, c) => ({ name: names[c], data: col.finish() })), rows);
}

function jsonText(v, name, where) {
  try {
    return JSON.stringify(v);
  } catch (e) {
    // JSON.stringify recurses: a value nested thousands deep overflows the stack.
    throw new ReadError(name, `${where()} is nested too deeply to keep (${e.message})`);
  }
}

function makeColumn(kind, rows) {
  if (kind === BOOL) return new BoolColumn(rows);
  if (kind === INT) return new Int64Column(rows);
  if ((kind & ~(INT | FLOAT)) === 0 && kind !== 0) return new Float64Column(rows);
  return new Utf8Column(rows);
}
