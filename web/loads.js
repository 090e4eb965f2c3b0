// Runs loads one at a time (DuckDB-wasm has one thread, and order keeps results predictable),
// remembers each file for reloads with another encoding, applies mapping edits from the
// interface, and keeps the workspace's mappings up to date (in the core, which owns the
// workspace; `store` writes it to the browser's storage). Each job holds the model and ends by
// streaming again the files a rebuild needs (fillModel), so a job rebuilds the model once.
import { csvHead } from './csv_head.js';
import { RetryWhole, applyMapping, columnStats, dropSource, fillModel, loadSource, previewMapping, restoreTable } from './source_loader.js';

// Lets the page draw a frame between chunks of a long load, so it never looks frozen; at most
// every 100 ms, so that waiting for frames does not dominate the load itself.
let lastYield = 0;
async function yieldToPage() {
  if (performance.now() - lastYield < 100) return;
  await new Promise((r) => requestAnimationFrame(() => r()));
  lastYield = performance.now();
}

// Files arrive as File objects or {name, bytes}; both are kept as Blobs (cheap, re-readable).
function toBlob(file) {
  if (typeof File !== 'undefined' && file instanceof File) return checkName(file);
  if (!file || typeof file !== 'object') throw new Error(`expected a File or {name, bytes}, found ${file === null ? 'null' : typeof file}`);
  if (typeof file.name !== 'string' || !file.name) throw new Error('each file needs a name (text)');
  checkName(file);
  const b = file.bytes;
  let bytes;
  if (typeof b === 'string') bytes = new TextEncoder().encode(b);
  else if (b instanceof Uint8Array || b instanceof ArrayBuffer) bytes = b;
  else if (Array.isArray(b)) bytes = Uint8Array.from(b);
  else throw new Error(`${file.name}: bytes must be a Uint8Array, ArrayBuffer, array or string`);
  return new File([bytes], file.name);
}

// A file's table is named after the file; the page's own tables and files have a slash in
// their names (web/duckdb_lock.js), which no file name from a disk has: refuse one that does.
function checkName(file) {
  if (/[/\\\0]/.test(file.name)) throw new Error(`${file.name.replace(/\0/g, '\\0')}: a file name cannot contain "/", "\\" or a zero byte`);
  if (file.name.length > 1000) throw new Error(`${file.name.slice(0, 60)}…: the file name is longer than 1,000 characters`);
  return file;
}

// The page's own views ("Copy SQL" runs over them: web/sql_tables.js). DuckDB compares table
// names without case, so a file named like one of them, or like a loaded file but for case,
// would replace that table: it is loaded under a name of its own instead (tableSafeName).
const kReservedNames = ['users', 'events'];

// `name`, or the first of "stem (2).ext", "stem (3).ext", ... that no loaded file (other than
// `name` itself, which a reload replaces) or page view has, ignoring case. `why` says which.
export function tableSafeName(name, loaded) {
  const lower = (n) => n.toLowerCase();
  const clash = (n) => kReservedNames.includes(lower(n)) ? n : loaded.find((l) => l !== n && lower(l) === lower(n));
  const first = clash(name);
  if (first === undefined) return { name };
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  for (let k = 2; ; ++k) {
    const candidate = `${stem} (${k})${ext}`;
    if (!loaded.includes(candidate) && clash(candidate) === undefined) return { name: candidate, clashesWith: first };
  }
}

const nameOf = (f) => (f && typeof f === 'object' && typeof f.name === 'string' && f.name ? f.name : '');

// 173 -> "173 bytes", 2900000 -> "2.8 MB", 0.5 -> "0.5 bytes": exact enough at every scale.
export function sizeText(n) {
  const units = ['KB', 'MB', 'GB', 'TB'];
  if (n < 1024) return `${Number(n.toPrecision(3))} ${n === 1 ? 'byte' : 'bytes'}`;
  let u = -1;
  while (n >= 1024 && u < units.length - 1) (n /= 1024), u++;
  return `${n >= 100 ? n.toFixed(0) : Number(n.toPrecision(3))} ${units[u]}`;
}

// What loading a file would take of this tab's memory, estimated before the file is read, so
// that a file too large for the tab is refused with the figure instead of crashing the page.
// Rows: the line breaks of the file's first bytes (`sample`) scaled to its size (a Parquet file,
// compressed, is not estimated). Each row costs about kPeakBytesPerRow of the app's heap at the
// model build's peak (the new file's mapped rows, the model and the build's temporaries at
// once), and the model is built again with every loaded file's rows, so those count too:
// measured 114 B (the demo generator's 1M users, 232,549 orders and 9,833,842 events loaded in
// the Node build: heap top 1.27 GB for 11.07M rows, 2026-12-05), rounded up to 120. Since the
// event store takes the sources' columns as it builds (2026-12-06), a first load peaks at ~62 B
// (657 MiB for the same rows); adding or removing a file streams the others again beside the
// model shown meanwhile, ~96 B (tests/bench/reload_cycles.mjs): 120 still bounds both. WebAssembly
// caps the heap at 4 GiB (-sMAXIMUM_MEMORY=4GB, src/web/CMakeLists.txt): about 35M rows.
export const kTabHeapBytes = 4 * 2 ** 30;
export const kPeakBytesPerRow = 120;
export function estimateTabNeed({ size, sample, loadedRows = 0, limit = kTabHeapBytes }) {
  let breaks = 0;
  for (let i = 0; i < sample.length; i++) if (sample[i] === 0x0a) breaks++;
  const rows = sample.length ? Math.round((size * Math.max(breaks, 1)) / sample.length) : 0;
  const need = (rows + loadedRows) * kPeakBytesPerRow;
  return { rows, loadedRows, need, limit, fits: need <= limit };
}

// The English refusal (read back in the interface's language by the pm_too_large_for_tab pattern).
export function tooLargeText(e) {
  const n = (x) => Math.round(x).toLocaleString('en-US');
  return `about ${n(e.rows)} rows: with the ${n(e.loadedRows)} rows already loaded, building the model would need about ` +
    `${sizeText(e.need)} of memory, more than a browser tab can hold (${sizeText(e.limit)}); it was not loaded. ` +
    'Run definitions over files this large on the command line: node tools/segx.mjs run (README, "Data beyond the tab")';
}

export class Loads {
  // tabHeapBytes: the heap a load may plan for (WebAssembly's 4 GiB; smaller in tests).
  constructor({ db, bridge, store = null, tabHeapBytes = kTabHeapBytes }) {
    Object.assign(this, { db, bridge, store, tabHeapBytes });
    this.queue = Promise.resolve();
    this.queued = 0;             // jobs asked for and not finished: state().loading meanwhile
    this.files = new Map();      // name -> {blob, demo, encoding, columns}
    this.generation = 0;         // cancel() ends every job asked for before it
    this.onChange = null;        // after a load, reload or removal, in the queue (web/kept_data.js)
  }

  // Not awaited: keeping files in the browser must not slow a load down (web/kept_data.js
  // queues its writes and reads the files map as it is now).
  changed() {
    if (this.onChange) this.onChange(this.files);
  }

  get busy() {
    return this.queued > 0;
  }

  // Every job goes through the queue, so edits never race a load. The model is held during a
  // job and rebuilt once at its end, after the files it needs again are streamed from DuckDB
  // (the core keeps no copy of a file's mapped rows once the model is built: fillModel).
  run(job) {
    this.queued++;
    const held = async () => {
      this.bridge.holdModel();
      try {
        return await job();
      } finally {
        this.bridge.releaseModel();
        await fillModel({ db: this.db, bridge: this.bridge, onStep: yieldToPage }).catch((e) => this.bridge.status('error', String(e.message || e)));
      }
    };
    const p = this.queue.then(held).finally(() => this.queued--);
    this.queue = p.catch(() => {});
    return p;
  }

  cancel() {
    this.generation++;
  }

  load(files, { demo = false, encoding, mapping } = {}) {
    const generation = this.generation;
    const isCancelled = () => generation !== this.generation;
    return this.run(async () => {
      // One entry per file given, in order: a blob to load or the reason it cannot be.
      const blobs = [];
      for (const f of files) {
        try {
          // A file may carry its own encoding ({name, bytes, encoding}: data restored from this browser).
          blobs.push({ blob: toBlob(f), encoding: (f && typeof f.encoding === 'string' && f.encoding) || encoding });
        } catch (e) {
          const error = String(e.message || e);
          this.bridge.status('error', error);
          blobs.push({ error, name: nameOf(f) });
        }
      }
      if (!demo && blobs.some((b) => b.blob)) await this.removeDemo();
      const results = [];
      for (const b of blobs) {
        results.push(b.blob ? await this.loadOne(b.blob, { demo, encoding: b.encoding, mapping, isCancelled }) : { ok: false, name: b.name, error: b.error });
      }
      this.changed();
      return results;
    });
  }

  async loadOne(blob, { demo, encoding, mapping, isCancelled = () => false }) {
    const safe = tableSafeName(blob.name, [...this.files.keys()]);
    if (safe.name !== blob.name) {
      this.bridge.status('info', this.bridge.tr('msg_loaded_as', blob.name, safe.name, safe.clashesWith));
      blob = new File([blob], safe.name, { type: blob.type });
    }
    const name = blob.name;
    const workspace = this.bridge.workspace();
    const budget = workspace.settings.memory_budget_mb * 2 ** 20;
    if (blob.size > budget) {
      const error = `the file is ${sizeText(blob.size)}, more than the memory budget of ${sizeText(budget)}; it was not loaded ` +
        '(change "Memory budget" in the left rail, or segx.setMemoryBudget(mb))';
      this.bridge.beginSource(name, blob.size, demo);
      this.bridge.failSource(name, error);
      return { ok: false, name, error: `${name}: ${error}` };
    }
    if (!/\.parquet$/i.test(name)) {
      const sample = new Uint8Array(await blob.slice(0, 1 << 20).arrayBuffer());
      const loadedRows = this.bridge.state('sources')
        .filter((s) => s.name !== name && s.state === 'ready').reduce((n, s) => n + (s.rows || 0), 0);
      const estimate = estimateTabNeed({ size: blob.size, sample, loadedRows, limit: this.tabHeapBytes });
      if (!estimate.fits) {
        const error = tooLargeText(estimate);
        this.bridge.beginSource(name, blob.size, demo);
        this.bridge.failSource(name, error);
        return { ok: false, name, error: `${name}: ${error}` };
      }
    }
    try {
      const args = {
        db: this.db, bridge: this.bridge, name, blob, demo, encoding, mapping,
        savedMapping: Object.hasOwn(workspace.mappings, name) ? workspace.mappings[name] : undefined,
        lazyStats: true, onStep: yieldToPage, isCancelled,
      };
      // A big CSV loads from its head (web/csv_head.js); DuckDB must then read the File itself
      // (registerBlob: the page, not the Node tests' buffers).
      let r = null;
      const head = this.db.registerBlob ? await csvHead(blob, name, encoding) : null;
      if (head) {
        try {
          r = await loadSource({ ...args, bytes: head, fromHead: true });
        } catch (e) {
          if (!(e instanceof RetryWhole)) throw e;
        }
      }
      r ??= await loadSource({ ...args, bytes: new Uint8Array(await blob.arrayBuffer()) });
      this.files.set(name, { blob, demo, encoding: r.encoding, columns: r.columns });
      if (r.mapped.ok && !demo) this.remember(name, r.mapping);
      return { ok: true, ...r };
    } catch (e) {
      return { ok: false, name, error: String(e.message || e) };
    }
  }

  reload(name, encoding) {
    const f = this.files.get(name);
    if (!f) return Promise.resolve([{ ok: false, name, error: `${name}: no such file` }]);
    return this.run(async () => {
      const r = [await this.loadOne(f.blob, { demo: f.demo, encoding })];
      this.changed();
      return r;
    });
  }

  // A mapping edited in the interface: preview it at once, or apply it to the model.
  editMapping(name, mapping, apply) {
    const f = this.files.get(name);
    if (!f) return Promise.resolve({ ok: false, problems: [`${name}: no such file`] });
    const args = { db: this.db, bridge: this.bridge, name, mapping: { ...mapping, source: name }, columns: f.columns };
    if (!apply) return this.run(() => previewMapping(args));
    return this.run(async () => {
      const r = await applyMapping({ ...args, onStep: yieldToPage });
      if (r.ok) {
        this.bridge.status('info', this.bridge.tr('msg_mapping_applied', name, mapping.kind));
        if (!f.demo) this.remember(name, mapping);
      }
      return r;
    });
  }

  // The null and distinct counts of a loaded file's columns, for the Data panel (which asks when
  // it first shows them): one scan of its DuckDB relation (a CSV: DuckDB reads the file again),
  // kept out of the load.
  stats(name) {
    return this.run(async () => {
      const f = this.files.get(name);
      if (!f) return null;
      const stats = await columnStats(this.db, name, f.columns);
      this.bridge.info(name, { stats: stats.columns, stats_exact: stats.exact });
      return stats;
    });
  }

  remove(name) {
    return this.run(async () => {
      this.files.delete(name);
      this.bridge.call('source_remove', name);
      await dropSource(this.db, name).catch(() => {});
      this.changed();
    });
  }

  async removeDemo() {
    const demo = [...this.files].filter(([, f]) => f.demo).map(([n]) => n);
    if (!demo.length) return;
    // The demo steps aside as soon as the user brings own files.
    this.bridge.removeDemo();
    for (const n of demo) {
      this.files.delete(n);
      await dropSource(this.db, n).catch(() => {});
    }
  }

  // After DuckDB-wasm trapped and was restarted (web/duckdb_browser.js): every loaded file's table
  // is read into the new instance again. The model, in the core, never left.
  async restoreTables(reason) {
    const failed = [];
    for (const [name, f] of this.files) {
      try {
        await restoreTable({ db: this.db, name, bytes: new Uint8Array(await f.blob.arrayBuffer()), blob: f.blob, encoding: f.encoding });
      } catch (e) {
        failed.push(`${name} (${String(e.message || e).split('\n')[0]})`);
      }
    }
    const n = this.files.size;
    const t = (key, ...args) => this.bridge.tr(key, ...args);
    const what = failed.length ? t('msg_restart_files_failed', failed.length, n, failed.join(t('msg_list_sep')))
      : t(n === 1 ? 'msg_restart_file_read' : 'msg_restart_files_read', n);
    this.bridge.status(failed.length ? 'error' : 'warning', t('msg_duckdb_restarted', reason, what));
  }

  remember(name, mapping) {
    this.bridge.mergeWorkspace({ mappings: { [name]: mapping } });
    this.store?.persist();
  }
}
