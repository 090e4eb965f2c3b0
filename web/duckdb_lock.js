// DuckDB is locked down before any query of the page runs (README "No request outside the
// origin"): SQL from the SQL tab, segx.sql, a mapping expression or a shared workspace must never
// make DuckDB read a URL, attach a database, write a file or fetch an extension. DuckDB reads
// only the files the page registered itself, all under kFileDir (no dropped file's name can
// reach there: a file's table is named after the file, its registered bytes are not), and the
// configuration is locked last so that no later SET turns any of it back on.
export const kFileDir = '/segx/';
export const internalFile = (name) => kFileDir + name;

// Tables the page keeps for itself (staging copies, the contract tables behind the views
// `users` and `events`) are named with a slash, which no file name holds (loads.js refuses one),
// so a user's file (a table named after the file) never collides with one.
export const internalTable = (name) => `segx/${name}`;

export const kLockDown = [
  "SET allowed_directories=['/segx/']",
  'SET autoinstall_known_extensions=false',
  'SET autoload_known_extensions=false',
  'SET allow_community_extensions=false',
  'SET enable_external_access=false',
  'SET lock_configuration=true',
];

// Runs kLockDown through `query` (a function of one SQL text, sync or async).
export async function lockDown(query) {
  for (const sql of kLockDown) await query(sql);
}

// DuckDB's refusals of what the lock-down forbids, in words that say why.
export function explainLocked(message) {
  const text = String(message || '');
  if (/file system operations are disabled|Cannot access (file|directory)/i.test(text)) {
    const path = text.match(/Cannot access (?:file|directory) "([^"]*)"/);
    return `segx reads only the files you load: ${path ? `"${path[1]}" is not one of them` : 'this reads something else'} (no file, URL or database outside the page can be read or written)`;
  }
  // A replacement scan of a URL or a path ('http://…/a.parquet') that DuckDB did not even try.
  const scan = text.match(/Table with name (\S*(?::\/\/|^\/)\S*|\/\S*) does not exist/);
  if (scan) return `segx reads only the files you load: "${scan[1]}" is not one of them (no file, URL or database outside the page can be read or written)`;
  if (/extensions? (is|are) disabled|Loading external extensions/i.test(text)) return 'segx does not install or load DuckDB extensions (nothing is downloaded)';
  if (/configuration has been locked/i.test(text)) return 'the page\'s DuckDB settings are locked (they keep every request inside the page)';
  return null;
}
