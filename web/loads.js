// Runs loads one at a time (DuckDB-wasm has one thread, and order keeps results predictable),
// remembers each file for reloads with another encoding, applies mapping edits from the
// interface, and keeps the workspace's mappings up to date (in the core, which owns the
// workspace; `store` writes it to the browser's storage).
import { quoteIdent } from './load_support.js';
import { applyMapping, loadSource, previewMapping } from './source_loader.js';

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
  if (typeof File !== 'undefined' && file instanceof File) return file;
  if (!file || typeof file.name !== 'string' || !file.name) throw new Error('each file needs a name');
  const b = file.bytes;
  let bytes;
  if (typeof b === 'string') bytes = new TextEncoder().encode(b);
  else if (b instanceof Uint8Array || b instanceof ArrayBuffer) bytes = b;
  else if (Array.isArray(b)) bytes = Uint8Array.from(b);
  else throw new Error(`${file.name}: bytes must be a Uint8Array, ArrayBuffer, array or string`);
  return new File([bytes], file.name);
}

export class Loads {
  constructor({ db, bridge, store = null }) {
    Object.assign(this, { db, bridge, store });
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

  // Every job goes through the queue, so edits never race a load.
  run(job) {
    this.queued++;
    const p = this.queue.then(job).finally(() => this.queued--);
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
      const blobs = [];
      for (const f of files) {
        try {
          // A file may carry its own encoding ({name, bytes, encoding}: data restored from this browser).
          blobs.push({ blob: toBlob(f), encoding: (f && typeof f.encoding === 'string' && f.encoding) || encoding });
        } catch (e) {
          this.bridge.status('error', String(e.message || e));
        }
      }
      if (!demo && blobs.length) await this.removeDemo();
      const results = [];
      for (const b of blobs) results.push(await this.loadOne(b.blob, { demo, encoding: b.encoding, mapping, isCancelled }));
      this.changed();
      return results;
    });
  }

  async loadOne(blob, { demo, encoding, mapping, isCancelled = () => false }) {
    const name = blob.name;
    const workspace = this.bridge.workspace();
    const budget = workspace.settings.memory_budget_mb * 2 ** 20;
    if (blob.size > budget) {
      const gb = (n) => `${(n / 2 ** 30).toFixed(2)} GB`;
      const error = `the file is ${gb(blob.size)}, more than the memory budget of ${gb(budget)}; it was not loaded (the budget is a setting)`;
      this.bridge.beginSource(name, blob.size, demo);
      this.bridge.failSource(name, error);
      return { ok: false, name, error: `${name}: ${error}` };
    }
    try {
      const bytes = new Uint8Array(await blob.arrayBuffer());
      const r = await loadSource({
        db: this.db, bridge: this.bridge, name, bytes, demo, encoding, mapping,
        savedMapping: Object.hasOwn(workspace.mappings, name) ? workspace.mappings[name] : undefined,
        onStep: yieldToPage, isCancelled,
      });
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

  remove(name) {
    return this.run(async () => {
      this.files.delete(name);
      this.bridge.call('source_remove', name);
      await this.db.query(`DROP TABLE IF EXISTS ${quoteIdent(name)}`).catch(() => {});
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
      await this.db.query(`DROP TABLE IF EXISTS ${quoteIdent(n)}`).catch(() => {});
    }
  }

  remember(name, mapping) {
    this.bridge.mergeWorkspace({ mappings: { [name]: mapping } });
    this.store?.persist();
  }
}
