// Boots the page: the WASM app (Dear ImGui on a WebGL2 canvas), DuckDB-wasm in a worker, the
// drop zone and file picker, the bundled demo, and window.segx, the automation hook.
import { CoreBridge } from './core_bridge.js';
import { LoadError, loadCsv, quoteIdent } from './csv_loader.js';
import { startDuckDB } from './duckdb_browser.js';
import { attachInput } from './input.js';

const base = document.baseURI;
const params = new URLSearchParams(location.search);
const kDemoFiles = ['users.csv', 'orders.csv', 'events.csv'];

const canvas = document.getElementById('canvas');
const picker = document.getElementById('file-picker');
const bootMessage = document.getElementById('boot');

function fatal(text) {
  bootMessage.textContent = text;
  bootMessage.classList.add('error');
  bootMessage.hidden = false;
}

// Lets the page draw a frame between chunks of a long load, so it never looks frozen; at most
// every 50 ms, so that waiting for frames does not dominate the load itself.
let lastYield = 0;
async function yieldToPage() {
  if (performance.now() - lastYield < 50) return;
  await new Promise((r) => requestAnimationFrame(() => r()));
  lastYield = performance.now();
}

async function fetchBytes(path) {
  const res = await fetch(new URL(path, base));
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

async function toNamedBytes(file) {
  if (typeof File !== 'undefined' && file instanceof File) return { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) };
  if (!file || typeof file.name !== 'string' || !file.name) throw new LoadError('each file needs a name');
  const b = file.bytes;
  if (typeof b === 'string') return { name: file.name, bytes: new TextEncoder().encode(b) };
  if (b instanceof Uint8Array) return { name: file.name, bytes: b.slice() };
  if (b instanceof ArrayBuffer) return { name: file.name, bytes: new Uint8Array(b.slice(0)) };
  if (Array.isArray(b)) return { name: file.name, bytes: Uint8Array.from(b) };
  throw new LoadError(`${file.name}: bytes must be a Uint8Array, ArrayBuffer, array or string`);
}

async function boot() {
  if (typeof createSegxApp !== 'function') throw new Error('app.js did not load');
  const fontBytes = fetchBytes('fonts/segx-ui.ttf').catch(() => null);
  const M = await createSegxApp({
    canvas,
    locateFile: (p) => new URL(p, base).href,
    print: (t) => console.log(t),
    printErr: (t) => console.warn(t),
  });
  const bridge = new CoreBridge(M);
  attachInput(M, canvas);

  const font = await fontBytes;
  if (font) {
    const p = bridge.copyIn(font);
    M._segx_set_font(p, font.length);
    M._free(p);
  } else {
    bridge.status('warning', 'The UI font did not load; Chinese text will not render.');
  }

  const db = await startDuckDB(base);

  // Loads run one at a time: DuckDB-wasm has one thread, and order keeps results predictable.
  let queue = Promise.resolve();
  let queued = 0;  // loads asked for and not finished: state().loading is true meanwhile
  const demoNames = new Set();
  function load(files, { demo = false } = {}) {
    queued++;
    const run = queue.then(() => loadNow(files, demo)).finally(() => queued--);
    queue = run.catch(() => {});
    return run;
  }
  async function loadNow(files, demo) {
    const named = [];
    for (const f of files) {
      try {
        named.push(await toNamedBytes(f));
      } catch (e) {
        bridge.status('error', String(e.message || e));
      }
    }
    if (!demo && named.length && demoNames.size) {
      // The demo steps aside as soon as the user brings own files.
      bridge.removeDemo();
      for (const n of demoNames) await db.query(`DROP TABLE IF EXISTS ${quoteIdent(n)}`).catch(() => {});
      demoNames.clear();
    }
    const results = [];
    for (const f of named) {
      try {
        const r = await loadCsv({ db, bridge, name: f.name, bytes: f.bytes, demo, onStep: yieldToPage });
        if (demo) demoNames.add(f.name);
        results.push({ ok: true, ...r });
      } catch (e) {
        results.push({ ok: false, name: f.name, error: String(e.message || e) });
      }
    }
    return results;
  }

  picker.addEventListener('change', () => {
    const files = [...picker.files];
    picker.value = '';
    if (files.length) load(files);
  });
  M.segxOpenFiles = () => picker.click();

  // The whole page is the drop target.
  let dragDepth = 0;
  const hasFiles = (e) => e.dataTransfer && [...e.dataTransfer.types].includes('Files');
  window.addEventListener('dragenter', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    if (dragDepth++ === 0) M._segx_set_drag_hover(1);
  });
  window.addEventListener('dragover', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  });
  window.addEventListener('dragleave', () => {
    if (dragDepth > 0 && --dragDepth === 0) M._segx_set_drag_hover(0);
  });
  window.addEventListener('drop', (e) => {
    e.preventDefault();
    dragDepth = 0;
    M._segx_set_drag_hover(0);
    const files = e.dataTransfer ? [...e.dataTransfer.files] : [];
    if (files.length) load(files);
  });

  bootMessage.hidden = true;
  if (params.get('demo') !== '0') {
    try {
      const demo = await Promise.all(kDemoFiles.map(async (n) => ({ name: n, bytes: await fetchBytes('demo/' + n) })));
      await load(demo, { demo: true });
    } catch (e) {
      bridge.status('warning', `The demo data did not load: ${e.message || e}`);
    }
  }
  const state = () => {
    const s = bridge.state();
    s.loading = s.loading || queued > 0;
    return s;
  };
  return { M, bridge, db, load, state };
}

const booted = boot();
booted.catch((e) => fatal(`segx could not start: ${e.message || e}`));

// The automation hook for tests and scripts. Documented in README.md.
window.segx = {
  version: 1,
  ready: () => booted.then(() => true),
  loadFiles: async (files, options = {}) => {
    const { load } = await booted;
    if (options.mapping !== undefined) {
      // Column-role mappings arrive with the ingestion work; refuse instead of ignoring them.
      throw new Error('loadFiles: options.mapping is not supported yet');
    }
    return load(Array.from(files));
  },
  state: async () => (await booted).state(),
  widgetRect: async (label) => {
    const { M, bridge } = await booted;
    return JSON.parse(M.UTF8ToString(bridge.call('widget_rect', String(label))));
  },
  cell: async (table, col, row) => (await booted).bridge.cellText(table, col, row),
  sql: async (query) => {
    const { db } = await booted;
    return (await db.query(query)).toArray().map((r) => r.toJSON());
  },
};
