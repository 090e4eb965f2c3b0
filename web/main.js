// Boots the page: the WASM app (Dear ImGui on a WebGL2 canvas), DuckDB-wasm in a worker, the
// drop zone and file picker, the bundled demo, and window.segx, the automation hook.
import { CoreBridge } from './core_bridge.js';
import { startDuckDB } from './duckdb_browser.js';
import { explainLocked } from './duckdb_lock.js';
import { attachIme } from './ime.js';
import { attachInput } from './input.js';
import { KeptData } from './kept_data.js';
import { Loads } from './loads.js';
import { PendingDefinitions, audienceNeeds, funnelNeeds } from './pending.js';
import { downloadText, pickFile } from './files.js';
import { readShareFragment, shareFragment } from './share.js';
import { wireSqlTab } from './sql_tab.js';
import { SqlTables } from './sql_tables.js';
import { WorkspaceStore, exportWorkspace, parseImport } from './workspace.js';

const base = document.baseURI;
const params = new URLSearchParams(location.search);
// The demo shops (data/README.md): the English one, and a Chinese one whose orders file is GBK.
const kDemos = {
  en: { dir: 'demo/', files: ['users.csv', 'orders.csv', 'events.csv'] },
  zh: { dir: 'demo_zh/', files: ['会员.csv', '订单.csv', '行为日志.csv'] },
};

const canvas = document.getElementById('canvas');
const picker = document.getElementById('file-picker');
const bootMessage = document.getElementById('boot');

function fatal(text) {
  bootMessage.textContent = text;
  bootMessage.classList.add('error');
  bootMessage.hidden = false;
}

async function fetchBytes(path) {
  const res = await fetch(new URL(path, base));
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
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
  // The interface follows the browser's language until the workspace names one (the switch).
  bridge.setBrowserLanguage(navigator.language);
  attachInput(M, canvas);
  attachIme(M, canvas);

  const font = await fontBytes;
  if (font) {
    const p = bridge.copyIn(font);
    M._segx_set_font(p, font.length);
    M._free(p);
  } else {
    bridge.status('warning', bridge.tr('msg_font_missing'));
  }

  const db = await startDuckDB(base);

  // The core owns the workspace; the store writes it to this browser whenever it changes (the
  // frame tells it after the interface changed something; merges below persist at once).
  const store = new WorkspaceStore(bridge);
  store.load();
  let storageWarned = false;
  const persist = () => {
    if (store.persist() || storageWarned) return;
    storageWarned = true;
    bridge.status('warning', bridge.tr('msg_storage_refused'));
  };
  // Loaded files kept in this browser (web/kept_data.js), up to the keep_data_mb setting.
  const kept = new KeptData({ status: (l, t) => bridge.status(l, t), tell: (k) => bridge.setKept(k), tr: (k, ...a) => bridge.tr(k, ...a) });
  const keepLimit = () => bridge.workspace().settings.keep_data_mb ?? 500;
  let keptLimit = keepLimit();
  M.segxWorkspaceChanged = () => {
    persist();
    if (keepLimit() !== keptLimit) syncKept();
  };
  // Merges {mappings, audiences, settings} into the workspace and stores it: {ok, ids} or {ok: false, errors}.
  const mergeWorkspace = (parts) => {
    const r = bridge.mergeWorkspace(parts);
    if (r.ok) persist();
    return r;
  };
  const loads = new Loads({ db, bridge, store });
  // DuckDB-wasm trapped and was restarted: the loaded files go into the new instance (in the
  // loads' queue, after the job that hit the trap).
  db.onRestart = (reason) => {
    loads.run(() => loads.restoreTables(reason)).catch((e) => bridge.status('error', bridge.tr('msg_restart_not_read', e.message || e)));
  };
  const syncKept = () => kept.sync(loads.files, (keptLimit = keepLimit()));
  loads.onChange = syncKept;
  // A definition from a share link waits for data (web/pending.js); every load may open it.
  const pending = new PendingDefinitions({ hasData: () => bridge.state('overview').users > 0, status: (l, t) => bridge.status(l, t), tr: (k, ...a) => bridge.tr(k, ...a) });
  const load = async (files, options) => {
    const r = await loads.load(files, options);
    pending.settle();
    return r;
  };
  // Requests from the interface (see src/web/page_main.cpp).
  M.segxMappingRequest = (name, json, apply) => loads.editMapping(name, JSON.parse(json), apply);
  M.segxReload = (name, encoding) => loads.reload(name, encoding);
  M.segxStatsRequest = (name) => loads.stats(name).catch((e) => bridge.status('error', String(e.message || e)));
  M.segxRemove = (name) => loads.remove(name);
  M.segxCancel = () => loads.cancel();
  // The demo picker: the shop asked for replaces the demo shown (never the user's own files).
  const openDemo = async (shop) => {
    const d = kDemos[shop];
    if (!d) throw new Error(`openDemo: expected "en" or "zh", got ${shop}`);
    try {
      const files = await Promise.all(d.files.map(async (n) => ({ name: n, bytes: await fetchBytes(d.dir + encodeURIComponent(n)) })));
      await loads.run(() => loads.removeDemo());
      return await load(files, { demo: true });
    } catch (e) {
      bridge.status('warning', bridge.tr('msg_demo_not_loaded', e.message || e));
      return [];
    }
  };
  M.segxOpenDemo = (shop) => openDemo(shop);
  // "Forget data": the kept copy goes, and so do the files it holds.
  const forgetData = async () => {
    const names = [...loads.files].filter(([, f]) => !f.demo).map(([n]) => n);
    await kept.clear();
    for (const n of names) await loads.remove(n);
    await kept.queue;
    bridge.status('info', names.length ? bridge.tr(names.length === 1 ? 'msg_forgot_data_one' : 'msg_forgot_data_files', names.length) : bridge.tr('msg_forgot_data'));
  };
  M.segxForgetData = forgetData;
  // "Copy SQL" names tables `users` and `events`: views of the model in this page's DuckDB.
  const sqlTables = new SqlTables({ db, bridge });
  const refreshSqlTables = () => loads.run(() => sqlTables.refresh()).catch((e) =>
    bridge.status('warning', bridge.tr('msg_sql_views_failed', '"users"', '"events"', e.message || e)));
  M.segxSqlTables = refreshSqlTables;

  const importWorkspace = (parts) => {
    const r = bridge.importWorkspace(parts);
    if (r.ok) persist();
    return r;
  };
  const audiences = wireAudiences({ M, bridge, loads, mergeWorkspace, importWorkspace });
  pending.register('audience', { what: 'what_shared_audience', needs: audienceNeeds, open: audiences.openShared });
  pending.register('funnel', { what: 'what_shared_funnel', needs: funnelNeeds, open: (d) => audiences.openFunnel(d, 'what_shared_funnel') });
  wireSqlTab({ M, bridge, db, loads, sqlTables });

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
  // Share links, by fragment: each kind reads its definition, checks it without data, and waits
  // in `pending` (web/pending.js) until data is loaded. A new kind is one entry.
  const kShareLinks = [
    { prefix: '#a=', kind: 'audience', what: 'what_shared_audience', read: readShareFragment, check: (d) => bridge.checkAudience(d) },
    // A funnel is checked where it opens (the Funnels tab's reader), once there is data.
    { prefix: '#f=', kind: 'funnel', what: 'what_shared_funnel', read: readShareFragment,
      check: (d) => (d && typeof d === 'object' && d.kind === 'funnel' ? { ok: true } : { ok: false, errors: [{ path: 'kind', message: 'expected a funnel ("kind": "funnel")' }] }) },
  ];
  // A share link is about the sender's data, not the demo's: the demo stays out unless asked for.
  const shared = kShareLinks.find((l) => location.hash.startsWith(l.prefix));
  // Data kept by an earlier visit comes back instead of the demo.
  const restored = await kept.read();
  if (restored.length) {
    await load(restored);
    const bytes = restored.reduce((n, f) => n + f.bytes.length, 0);
    bridge.status('info', bridge.tr(restored.length === 1 ? 'msg_restored_one' : 'msg_restored_files', restored.length, sizeText(bytes)));
  } else if (params.get('demo') === '1' || params.get('demo') === 'zh' || (params.get('demo') !== '0' && !shared)) {
    await openDemo(params.get('demo') === 'zh' ? 'zh' : 'en');
  }
  // Saves an audience definition in the workspace once the core accepts it over the loaded
  // data; a refused one changes nothing and comes back with every problem and its JSON path.
  async function saveAudience(definition) {
    if (typeof definition === 'string') {
      try {
        definition = JSON.parse(definition);
      } catch (e) {
        return { ok: false, errors: [{ path: '', message: bridge.tr('msg_not_json', e.message) }] };
      }
    }
    await loads.run(() => {});  // after every load asked for so far
    const r = bridge.run(definition);
    if (!r.ok) return r;
    // Saved under its id (a new one when it has none); one of the same id is replaced.
    const saved = mergeWorkspace({ audiences: { [definition.id ?? '']: definition } });
    if (!saved.ok) return saved;
    bridge.status('info', bridge.tr('msg_saved_audience_size', definition.name, r.size.toLocaleString('en-US')));
    return { ...r, id: saved.ids[0] };
  }
  audiences.restoreDraft();
  // A shared link opens the definition in the builder once there is data (at once if there is).
  if (shared) {
    try {
      const definition = await shared.read(location.hash);
      await loads.run(() => {});
      const check = shared.check(definition);
      if (!check.ok) throw new Error(describeErrors(bridge, check.errors, definition));
      pending.add(shared.kind, definition);
    } catch (e) {
      bridge.status('error', bridge.tr('msg_not_imported', bridge.tr(shared.what), e.message || e));
    }
  }

  const state = (section) => {
    if (section) return section === 'loading' ? bridge.state('loading') || loads.busy : bridge.state(section);
    const s = bridge.state();
    s.loading = s.loading || loads.busy;
    s.pending = pending.state();
    return s;
  };
  return { M, bridge, db, loads, load, openDemo, state, mergeWorkspace, saveAudience, audiences, refreshSqlTables, forgetData, syncKept };
}

const kDraftKey = 'segx.draft';
const kFunnelDraftKey = 'segx.funnel_draft';
// 173 -> "173 B", 2900000 -> "2.8 MB" (as the interface's format_bytes writes sizes).
const sizeText = (n) => {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let u = 0;
  while (n >= 1024 && u < 4) n /= 1024, u++;
  return u === 0 ? `${n} ${units[u]}` : `${n.toFixed(1)} ${units[u]}`;
};
// Problems in words: with the definition, each names its rule ("the rule 'Country is UK' names
// a column that no loaded file has"), not a JSON path alone.
const describeErrors = (bridge, errors, definition) => {
  const shown = errors.slice(0, 5);
  let texts = null;
  if (definition !== undefined) {
    try {
      texts = bridge.audienceErrorText(definition, shown);
    } catch {
      texts = null;  // the plain form below
    }
  }
  return shown.map((e, i) => (texts && texts[i]) || bridge.shown(e.path ? `${e.path}: ${e.message}` : e.message)).join(bridge.tr('msg_problems_sep')) +
    (errors.length > 5 ? bridge.tr('msg_and_more', errors.length - 5) : '');
};

// The Audiences tab's requests (src/web/page_main.cpp): downloads, imports (merged into the
// core's workspace), share links, and the draft the interface changed, kept in this browser.
function wireAudiences({ M, bridge, loads, importWorkspace }) {
  // Opens a definition in the builder. Checked first, against the data when there is any, so a
  // refused one changes nothing; `what` names it in messages.
  const t = (key, ...args) => bridge.tr(key, ...args);
  // `what` names the definition in messages: a key of the string tables ('what_audience_file', …).
  const notImported = (what, errors, definition) => t('msg_not_imported', t(what), describeErrors(bridge, errors, definition));
  const open = (definition, what) => {
    const check = bridge.checkAudience(definition);
    if (!check.ok) {
      bridge.status('error', notImported(what, check.errors, definition));
      return check;
    }
    const hasData = bridge.state('overview').users > 0;
    const r = bridge.run(definition);
    if (hasData && !r.ok) {
      bridge.status('error', notImported(what, r.errors, definition));
      return r;
    }
    const opened = bridge.openAudience(definition);
    if (!opened.ok) {
      bridge.status('error', notImported(what, opened.errors, definition));
      return opened;
    }
    const name = definition.name || t('word_untitled');
    bridge.status('info', r.ok ? t('msg_opened_audience_size', name, r.size.toLocaleString('en-US')) : t('msg_opened_audience', name));
    M._segx_show_audiences?.();
    return { ...r, ok: true };
  };

  // A shared definition opens in the builder even when it does not fit the data: its problems
  // show there in place, to repair; nothing saved changes (it is a draft until the user saves).
  const openShared = (definition) => {
    const opened = bridge.openAudience(definition);
    if (!opened.ok) {
      bridge.status('error', notImported('what_shared_audience', opened.errors, definition));
      return opened;
    }
    M._segx_show_audiences?.();
    const r = bridge.run(definition);
    const name = definition.name || t('word_untitled');
    if (r.ok) bridge.status('info', t('msg_opened_audience_size', name, r.size.toLocaleString('en-US')));
    else bridge.status('warning', t('msg_opened_not_fit', name, describeErrors(bridge, r.errors, definition)));
    return { ...r, opened: true };
  };

  // Opens a funnel definition in the Funnels tab (the core checks it; refused: no change).
  const openFunnel = (definition, what) => {
    const opened = bridge.openFunnel(definition);
    if (!opened.ok) {
      bridge.status('error', notImported(what, opened.errors));
      return opened;
    }
    bridge.status('info', t('msg_opened_funnel', definition.name || t('word_untitled')));
    M._segx_show_funnels?.();
    return { ok: true, kind: 'funnel' };
  };

  const importText = async (text) => {
    await loads.run(() => {});
    const parsed = parseImport(text);
    if (!parsed.ok) {
      bridge.status('error', t('msg_nothing_imported', describeErrors(bridge, parsed.errors)));
      return parsed;
    }
    if (parsed.kind === 'audience') return open(parsed.audience, 'what_audience_file');
    if (parsed.kind === 'funnel') return openFunnel(parsed.funnel, 'what_funnel_file');
    // A workspace: every audience must read before anything changes.
    const errors = [];
    for (const [id, a] of Object.entries(parsed.workspace.audiences)) {
      const r = bridge.checkAudience(a);
      if (!r.ok) for (const e of r.errors) errors.push({ path: `audiences[${JSON.stringify(id)}].${e.path}`, message: e.message });
    }
    if (errors.length) {
      bridge.status('error', t('msg_nothing_imported', describeErrors(bridge, errors)));
      return { ok: false, errors };
    }
    // Nothing saved is replaced: a definition of a saved id with other content is kept beside
    // it under a new id and "(imported)" name (src/app/workspace.h import_workspace).
    const merged = importWorkspace(parsed.workspace);
    if (!merged.ok) {
      bridge.status('error', t('msg_nothing_imported', describeErrors(bridge, merged.errors)));
      return merged;
    }
    const n = Object.keys(parsed.workspace.audiences).length, m = Object.keys(parsed.workspace.mappings).length;
    const f = Object.keys(parsed.workspace.funnels).length;
    const count = (k, key) => t(k === 1 ? `${key}_one` : `${key}_many`, k);
    // What the import did beyond adding, in the interface language.
    const notes = [];
    const list = (items) => items.join(t('msg_list_sep'));
    if (merged.renamed.length) {
      const kept = list(merged.renamed.slice(0, 5).map((r) => t('msg_import_kept_item', t(`kind_${r.kind}`), r.from, r.name)));
      notes.push(t('msg_import_kept_beside', merged.renamed.length > 5 ? t('msg_import_kept_more', kept, merged.renamed.length - 5) : kept));
    }
    if (merged.unchanged.length) notes.push(t('msg_import_unchanged', merged.unchanged.length));
    if (merged.replaced_mappings.length) notes.push(t('msg_import_replaced_mappings', list(merged.replaced_mappings.map((x) => JSON.stringify(x)))));
    if (merged.replaced_settings.length) notes.push(t(merged.replaced_settings.length === 1 ? 'msg_import_changed_setting' : 'msg_import_changed_settings', list(merged.replaced_settings)));
    const summary = t('msg_imported_workspace', count(n, 'n_audience'), count(f, 'n_funnel'), count(m, 'n_mapping'));
    bridge.status(merged.renamed.length ? 'warning' : 'info', notes.reduce((text, note) => t('msg_import_notes', text, note), summary));
    return { ok: true, kind: 'workspace', audiences: n, funnels: f, mappings: m, renamed: merged.renamed, unchanged: merged.unchanged,
      replaced_mappings: merged.replaced_mappings, replaced_settings: merged.replaced_settings };
  };

  // CSV gets a UTF-8 byte-order mark: Excel reads a CSV without one in the system's code page,
  // which garbles Chinese text. (Added here: the module's UTF8ToString drops a leading BOM.)
  M.segxDownload = (name, mime, text) => downloadText(name, mime, mime.startsWith('text/csv') ? '\uFEFF' + text : text);
  M.segxImport = async () => {
    const file = await pickFile('.json,application/json');
    if (!file) return;
    if (file.size > 20 * 2 ** 20) {
      bridge.status('error', t('msg_import_too_large', file.name, (file.size / 2 ** 20).toFixed(1)));
      return;
    }
    await importText(await file.text());
  };
  M.segxExportWorkspace = () => {
    const w = bridge.workspace({ forExport: true });
    const unread = bridge.state().saved.audiences.filter((a) => a.unread).length;
    downloadText('segx-workspace.json', 'application/json', exportWorkspace(w));
    if (unread) bridge.status('warning', t(unread === 1 ? 'msg_unread_left_out_one' : 'msg_unread_left_out', unread));
  };
  let lastLink = null;
  M.segxShare = async (json) => {
    try {
      lastLink = location.href.replace(/#.*$/, '') + (await shareFragment(JSON.parse(json)));
      await navigator.clipboard.writeText(lastLink);
      bridge.status('info', t('msg_link_copied', lastLink.length.toLocaleString('en-US')));
    } catch (e) {
      bridge.status('error', t('msg_link_failed', e.message || e));
    }
  };
  let draftTimer = 0;
  M.segxDraft = (json, openedId) => {
    clearTimeout(draftTimer);
    // Typing changes the draft on every key: write it a moment after the last one.
    draftTimer = setTimeout(() => {
      try {
        localStorage.setItem(kDraftKey, JSON.stringify({ definition: JSON.parse(json), opened_id: openedId }));
      } catch {
        // Storage full or disabled: the draft lives as long as the page.
      }
    }, 300);
  };
  let funnelTimer = 0;
  M.segxFunnelDraft = (json, openedId) => {
    clearTimeout(funnelTimer);
    funnelTimer = setTimeout(() => {
      try {
        localStorage.setItem(kFunnelDraftKey, JSON.stringify({ definition: JSON.parse(json), opened_id: openedId }));
      } catch {
        // As for the audience draft.
      }
    }, 300);
  };
  const restoreDraft = () => {
    for (const [key, openIt] of [[kDraftKey, (d, id) => bridge.openAudience(d, id)], [kFunnelDraftKey, (d, id) => bridge.openFunnel(d, id)]]) {
      try {
        const saved = JSON.parse(localStorage.getItem(key) || 'null');
        if (saved && saved.definition) openIt(saved.definition, String(saved.opened_id || ''));
      } catch {
        // A damaged entry is ignored: the builder starts empty, and the entry is overwritten later.
      }
    }
  };
  return { open, openShared, openFunnel, importText, restoreDraft, lastLink: () => lastLink };
}

const booted = boot();
booted.catch((e) => fatal(`segx could not start: ${e.message || e}`));

// The automation hook for tests and scripts. Documented in README.md.
window.segx = {
  version: 1,
  ready: () => booted.then(() => true),
  // options: {mapping} (the same JSON as the workspace's; applied to every file given),
  // {encoding} (override the detected one: 'utf-8', 'utf-16le', 'utf-16be', 'gb18030', 'windows-1252').
  loadFiles: async (files, options = {}) => {
    // One result per file (README); a call that gives no list of files at all is refused.
    if (files === null || typeof files !== 'object' || typeof files.length !== 'number') {
      throw new TypeError('segx.loadFiles: expected a list of files (File objects or {name, bytes}), e.g. segx.loadFiles([{name: "a.csv", bytes: "id\\n1"}])');
    }
    if (options === null || typeof options !== 'object') throw new TypeError('segx.loadFiles: options must be an object ({mapping, encoding})');
    return (await booted).load(Array.from(files), options);
  },
  saveAudience: async (definition) => (await booted).saveAudience(definition),
  // Opens a definition in the Audiences tab, as an import does (checked first; refused: no change).
  openAudience: async (definition) => (await booted).audiences.open(definition, 'what_audience'),
  // Opens a funnel definition in the Funnels tab (checked by the core; refused: no change).
  openFunnel: async (definition) => (await booted).audiences.openFunnel(definition, 'what_funnel'),
  // Imports definition or workspace JSON text, as "Import JSON" does with a file.
  importText: async (text) => (await booted).audiences.importText(String(text)),
  lastShareLink: async () => (await booted).audiences.lastLink(),
  shareLink: async (definition) => location.href.replace(/#.*$/, '') + (await shareFragment(definition)),
  applyMapping: async (name, mapping) => (await booted).loads.editMapping(name, mapping, true),
  reload: async (name, encoding) => (await booted).loads.reload(name, encoding),
  setAsOf: async (iso) => {
    const { bridge } = await booted;
    bridge.setAsOfInput(iso);
  },
  // The interface language, as the header's switch sets it: 'en' or 'zh-CN' (kept in the workspace).
  setLanguage: async (code) => {
    const { mergeWorkspace } = await booted;
    const r = mergeWorkspace({ settings: { language: String(code) } });
    if (!r.ok) throw new Error(`setLanguage: ${r.errors[0].message}`);
  },
  setMemoryBudget: async (mb) => {
    const { mergeWorkspace } = await booted;
    if (!(Number(mb) >= 1 && Number(mb) <= 2 ** 20)) throw new Error(`setMemoryBudget: the memory budget must be a number of megabytes from 1 to 1048576 (found ${mb})`);
    const r = mergeWorkspace({ settings: { memory_budget_mb: Number(mb) } });
    if (!r.ok) throw new Error(`setMemoryBudget: ${r.errors[0].message}`);
  },
  cancel: async () => (await booted).loads.cancel(),
  // Replaces the demo with a demo shop: 'en' (the bundled English shop) or 'zh' (中文店铺).
  openDemo: async (shop) => (await booted).openDemo(shop),
  forgetData: async () => (await booted).forgetData(),
  setKeepData: async (mb) => {
    const { mergeWorkspace, loads } = await booted;
    if (!(Number(mb) >= 0)) throw new Error('setKeepData: expected a number of megabytes, 0 or more');
    const r = mergeWorkspace({ settings: { keep_data_mb: Number(mb) } });
    if (!r.ok) throw new Error(`setKeepData: ${r.errors[0].message}`);
    await loads.run(() => {});
    await (await booted).syncKept();
  },
  // For benchmarks: DuckDB alone on the same bytes, in the page's own DuckDB (register + CTAS).
  duckdbBaseline: async (bytes) => {
    const { db } = await booted;
    const t0 = performance.now();
    await db.registerBuffer('/segx/baseline.csv', new Uint8Array(bytes));
    const t1 = performance.now();
    await db.query(`CREATE OR REPLACE TABLE "segx/baseline" AS SELECT * FROM read_csv_auto('/segx/baseline.csv')`);
    const t2 = performance.now();
    const rows = Number((await db.query('SELECT count(*)::DOUBLE FROM "segx/baseline"')).getChildAt(0).get(0));
    await db.query('DROP TABLE "segx/baseline"');
    await db.dropFile('/segx/baseline.csv');
    return { registerMs: t1 - t0, ctasMs: t2 - t1, rows };
  },
  heapBytes: async () => (await booted).M.HEAPU8.buffer.byteLength,
  // For benchmarks and tests: what DuckDB holds after every load asked for so far, without
  // building the SQL tab's `users` / `events` first (segx.sql would): duckdb_memory()'s bytes,
  // the tables (with DuckDB's row estimate) and the views.
  duckdbMemory: async () => {
    const { db, loads } = await booted;
    await loads.run(() => {});
    const rows = async (sql) => (await db.query(sql)).toArray().map((r) => r.toJSON());
    const [m] = await rows('SELECT coalesce(sum(memory_usage_bytes), 0)::DOUBLE AS bytes FROM duckdb_memory()');
    const tables = await rows('SELECT table_name AS name, estimated_size::DOUBLE AS rows FROM duckdb_tables()');
    const views = (await rows('SELECT view_name AS name FROM duckdb_views() WHERE NOT internal')).map((v) => v.name);
    return { bytes: m.bytes, tables, views };
  },
  // The state as JSON, or only one section of it: segx.state('audience').
  state: async (section) => (await booted).state(section),
  // Evaluates any definition JSON (an audience, a funnel, RFM, retention, lifecycle, the board:
  // DESIGN §9, the README's segx.run row) and resolves to its answer as JSON, or to
  // {ok: false, errors: [{path, message}]}.
  run: async (definition, options = {}) => {
    const { loads, bridge } = await booted;
    await loads.run(() => {});  // after every load asked for so far
    return bridge.run(definition, options);
  },
  widgetRect: async (label) => {
    const { bridge } = await booted;
    return JSON.parse(bridge.callText('widget_rect', String(label)));
  },
  // The text the last frame drew, read back from its glyphs (src/app/drawn_text.h): [{text, x, y}].
  drawnText: async () => JSON.parse((await booted).bridge.callText('drawn_text')),
  cell: async (table, col, row) => (await booted).bridge.cellText(table, col, row),
  // The DuckDB SQL a definition compiles to ("Copy SQL"): {ok, kind, sql} or {ok: false, errors}.
  sqlOf: async (definition) => (await booted).bridge.sql(definition),
  // Runs SQL in the page's DuckDB; the views copied SQL names (`users`, `events`) are brought
  // up to date first.
  sql: async (query) => {
    const { db, refreshSqlTables } = await booted;
    await refreshSqlTables();
    try {
      return (await db.query(query)).toArray().map((r) => r.toJSON());
    } catch (e) {
      // What the lock-down refuses (web/duckdb_lock.js) is said in words, DuckDB's own after.
      const text = String(e && e.message ? e.message : e);
      const locked = explainLocked(text);
      throw locked ? new Error(`${locked}: ${text}`) : e;
    }
  },
};
