// Loaded files kept in this browser (the Origin Private File System: local to this browser and
// this site, never sent anywhere), so that a reload brings the data back and saved audiences
// open with it. The files' own bytes are kept, not the model: a restore is an ordinary load,
// mappings and encodings included. Up to the workspace setting keep_data_mb; beyond it nothing
// is kept (and what was kept is dropped), said in a message.
//
// The manifest (which file is which) is written under a new name each time and the older ones
// removed only after it closed, so a page closed mid-write leaves the previous manifest whole:
// a reader takes the newest one that parses.
const kDir = 'segx-data';
const kManifest = /^manifest(-(\d+))?\.json$/;  // manifest-<n>.json; manifest.json from before

// The manifests in `dir`, newest first, as [name, n].
async function manifests(dir) {
  const found = [];
  for await (const name of dir.keys()) {
    const m = kManifest.exec(name);
    if (m) found.push([name, Number(m[2] || 0)]);
  }
  return found.sort((a, b) => b[1] - a[1]);
}

async function dataDir(create) {
  if (!navigator.storage || !navigator.storage.getDirectory) return null;
  const root = await navigator.storage.getDirectory();
  try {
    return await root.getDirectoryHandle(kDir, { create });
  } catch {
    return null;  // none yet
  }
}

async function writeFile(dir, name, blob) {
  const handle = await dir.getFileHandle(name, { create: true });
  const w = await handle.createWritable();
  await w.write(blob);
  await w.close();
}

export class KeptData {
  // status(level, text); tell({kept, restored, bytes, files}): what the interface shows;
  // tr(key, ...values): the message in the interface language (the core's tables), else English.
  constructor({ status, tell, tr }) {
    Object.assign(this, { status, tell });
    const english = {
      msg_kept_unreadable: 'The data kept in this browser could not be read ({0}); it was not restored',
      msg_kept_over_limit: 'The loaded files ({0} MB) are more than the {1} MB this browser keeps (a setting in the left rail): they will not come back after a reload',
      msg_kept_failed: 'The loaded files could not be kept in this browser ({0}); they will not come back after a reload',
    };
    this.tr = tr || ((key, ...a) => english[key].replace(/\{(\d)\}/g, (_, i) => a[Number(i)]));
    this.kept = new Map();  // name -> {size, lastModified, encoding, stored}: what storage holds
    this.restored = false;
    this.warnedLimit = 0;
    this.queue = Promise.resolve();  // writes one after another, off the load queue
    this.manifestText = '';  // the manifest storage holds, to skip writing it again unchanged
    this.manifestNumber = 0;
  }

  // Runs `job` after every write asked for before it.
  serial(job) {
    const p = this.queue.then(job);
    this.queue = p.catch(() => {});
    return p;
  }

  // The files kept by an earlier page, as {name, bytes, encoding} to load (empty: none).
  async read() {
    try {
      const dir = await dataDir(false);
      if (!dir) return [];
      let manifest = null;
      let unreadable = null;
      for (const [name, n] of await manifests(dir)) {
        try {
          manifest = JSON.parse(await (await (await dir.getFileHandle(name)).getFile()).text());
          this.manifestNumber = n;
          break;
        } catch (e) {
          unreadable = unreadable || e;  // a write cut short: an older manifest may be whole
        }
      }
      if (!manifest) {
        if (unreadable) throw unreadable;
        return [];
      }
      this.manifestText = JSON.stringify(manifest);
      const files = [];
      for (const f of manifest.files || []) {
        const file = await (await dir.getFileHandle(f.stored)).getFile();
        files.push({ name: f.name, bytes: new Uint8Array(await file.arrayBuffer()), encoding: f.encoding || undefined });
        // fresh: the page loads these bytes as new File objects; the first sync keeps them as they are.
        this.kept.set(f.name, { size: file.size, lastModified: f.lastModified, encoding: f.encoding, stored: f.stored, fresh: true });
      }
      this.restored = files.length > 0;
      return files;
    } catch (e) {
      if (e && e.name !== 'NotFoundError') this.status('warning', this.tr('msg_kept_unreadable', e.message || e));
      return [];
    }
  }

  // Makes storage hold the user's loaded files (`files`: name -> {blob, demo, encoding}), when
  // they fit in `limitMb`; writes only what changed.
  sync(files, limitMb) {
    // A snapshot now: the files may change while earlier writes finish.
    const snapshot = new Map(files);
    return this.serial(() => this.write(snapshot, limitMb));
  }

  async write(files, limitMb) {
    const own = [...files].filter(([, f]) => !f.demo);
    const bytes = own.reduce((n, [, f]) => n + f.blob.size, 0);
    try {
      if (!own.length || bytes > limitMb * 2 ** 20) {
        if (own.length && limitMb > 0 && this.warnedLimit !== bytes) {
          this.warnedLimit = bytes;
          this.status('info', this.tr('msg_kept_over_limit', (bytes / 2 ** 20).toFixed(1), limitMb));
        }
        await this.remove();
        return;
      }
      const dir = await dataDir(true);
      if (!dir) return;
      const next = new Map();
      let n = 0;
      for (const [name, f] of own) {
        const old = this.kept.get(name);
        const same = old && old.size === f.blob.size && (old.fresh || old.lastModified === (f.blob.lastModified || 0));
        const stored = same ? old.stored : `file-${Date.now().toString(36)}-${n++}.bin`;
        if (!same) await writeFile(dir, stored, f.blob);
        next.set(name, { size: f.blob.size, lastModified: f.blob.lastModified || 0, encoding: f.encoding, stored });
      }
      const text = JSON.stringify({ segx: 1, files: [...next].map(([name, f]) => ({ name, ...f })) });
      if (text !== this.manifestText) {
        const number = ++this.manifestNumber;
        await writeFile(dir, `manifest-${number}.json`, new Blob([text]));
        this.manifestText = text;
        for (const [name, n] of await manifests(dir)) if (n !== number) await dir.removeEntry(name).catch(() => {});
      }
      for (const [, f] of this.kept) if (![...next.values()].some((x) => x.stored === f.stored)) await dir.removeEntry(f.stored).catch(() => {});
      this.kept = next;
    } catch (e) {
      this.status('warning', this.tr('msg_kept_failed', e.message || e));
    }
    this.report(bytes);
  }

  // Removes everything kept (after the writes asked for before).
  clear() {
    return this.serial(() => this.remove());
  }

  async remove() {
    const root = navigator.storage && navigator.storage.getDirectory ? await navigator.storage.getDirectory() : null;
    if (root) await root.removeEntry(kDir, { recursive: true }).catch(() => {});
    this.kept = new Map();
    this.restored = false;
    this.manifestText = '';
    this.report(0);
  }

  report(bytes) {
    this.tell({ kept: this.kept.size > 0, restored: this.restored && this.kept.size > 0, bytes, files: this.kept.size });
  }
}
