// JS half of the data bridge: hands Arrow record batches to the WASM core, one heap copy per
// column buffer and never a loop over rows. Shared by the page and the Node tests.
//
// The heap may grow to 4 GB: a WASM pointer is an unsigned 32-bit number, but a wasm export
// returns an i32, which JS reads as signed (negative past 2 GiB). So every pointer that comes
// back from _malloc or an export goes through `>>> 0` before it indexes the heap, descriptors
// are Uint32Array, and sizes travel as unsigned or double.

// Must match segx::ColumnType (src/core/dataset/column.h).
export const ColumnType = Object.freeze({ Bool: 0, Int64: 1, Double: 2, Date: 3, Timestamp: 4, String: 5 });

export class CoreBridge {
  constructor(module) {
    this.M = module;
  }

  // Calls an exported segx_* function; string arguments are copied to the heap for the call.
  call(name, ...args) {
    const M = this.M;
    const fn = M['_segx_' + name];
    if (typeof fn !== 'function') throw new Error(`core export segx_${name} is missing`);
    const temps = [];
    try {
      const cargs = args.map((a) => {
        if (typeof a !== 'string') return a;
        const n = M.lengthBytesUTF8(a) + 1;
        const p = M._malloc(n) >>> 0;
        M.stringToUTF8(a, p, n);
        temps.push(p);
        return p;
      });
      return fn(...cargs);
    } finally {
      for (const p of temps) M._free(p);
    }
  }

  // Calls an export that returns a pointer: unsigned, so that it indexes the heap past 2 GiB.
  callPtr(name, ...args) {
    return this.call(name, ...args) >>> 0;
  }

  // Calls an export that returns a C string and reads it.
  callText(name, ...args) {
    return this.M.UTF8ToString(this.callPtr(name, ...args));
  }

  check(rc) {
    if (rc < 0) throw new Error(this.M.UTF8ToString(this.M._segx_last_error() >>> 0));
    return rc;
  }

  // Copies a typed array into the WASM heap; the caller frees the pointer.
  copyIn(view) {
    const M = this.M;
    const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
    const p = M._malloc(Math.max(1, bytes.byteLength)) >>> 0;
    M.HEAPU8.set(bytes, p);  // HEAPU8 is re-read after malloc: memory growth replaces it
    return p;
  }

  // Runs fn(heap) where heap(view) copies a typed array into the WASM heap; every copy is freed
  // when fn returns or throws.
  withHeap(fn) {
    const ptrs = [];
    try {
      return fn((view) => {
        const p = this.copyIn(view);
        ptrs.push(p);
        return p;
      });
    } finally {
      for (const p of ptrs) this.M._free(p);
    }
  }

  beginSource(name, bytes, demo) {
    return this.check(this.call('source_begin', name, bytes, demo ? 1 : 0));
  }

  // A loaded file shown as loading again at `stage` (its rows streamed again: fillModel).
  busy(name, stage) {
    this.check(this.call('source_busy', name, stage));
  }

  // rowsPerSecond: the pace of a stage that streams rows, shown on the bar (0: none).
  progress(name, stage, fraction, rowsPerSecond = 0) {
    this.call('source_progress', name, stage, fraction, rowsPerSecond);
  }

  addColumn(handle, name, type) {
    return this.check(this.call('column_add', handle, name, type));
  }

  // Appends one Arrow column chunk (apache-arrow Data) to column `col` of a pending source.
  appendData(handle, col, type, data, columnName) {
    if (data.offset !== 0) throw new Error(`column ${columnName}: sliced Arrow data (offset ${data.offset}) is not supported`);
    const n = data.length;
    this.withHeap((heap) => {
      const validity = data.nullCount > 0 && data.nullBitmap && data.nullBitmap.length ? heap(data.nullBitmap) : 0;
      let rc;
      if (type === ColumnType.Double) {
        rc = this.M._segx_column_append_double(handle, col, heap(data.values), validity, 0, n);
      } else if (type === ColumnType.String) {
        // Offsets index straight into `values` (they need not start at 0), so both go as they are.
        rc = this.M._segx_column_append_utf8(handle, col, heap(data.valueOffsets), heap(data.values), validity, 0, n);
      } else {
        rc = this.M._segx_column_append_int64(handle, col, heap(data.values), validity, 0, n);
      }
      this.check(rc);
    });
  }

  endSource(handle, rows) {
    this.check(this.call('source_end', handle, rows));
  }

  // Marks a source loaded (after its mapping ran) and posts `message` to the status bar.
  ready(name, message) {
    this.check(this.call('source_ready', name, message));
  }

  // Facts about a loaded file: format, encoding, total rows, column stats, mapping, problems.
  info(name, info) {
    this.check(this.call('source_info', name, JSON.stringify(info)));
  }

  mappedPreviewBegin(name) {
    return this.check(this.call('mapped_preview_begin', name));
  }

  modelBegin(spec) {
    return this.check(this.call('model_begin', JSON.stringify(spec)));
  }

  // Appends one record batch to a mapped source. `columns` lists, in the order the core reads
  // them, either null (an unmapped role) or {index, layout: 'int64'|'double'|'text', intType}.
  modelAppend(handle, batch, columns) {
    this.withHeap((heap) => {
      const desc = new Uint32Array(5 * columns.length);  // pointers past 2 GiB stay unsigned
      columns.forEach((c, i) => {
        if (!c) return;
        const data = batch.getChildAt(c.index).data[0];
        if (data.offset !== 0) throw new Error(`column ${c.index}: sliced Arrow data is not supported`);
        const validity = data.nullCount > 0 && data.nullBitmap && data.nullBitmap.length ? heap(data.nullBitmap) : 0;
        if (c.layout === 'text') desc.set([3, heap(data.values), heap(data.valueOffsets), validity, ColumnType.String], 5 * i);
        else if (c.layout === 'double') desc.set([2, heap(data.values), 0, validity, ColumnType.Double], 5 * i);
        else desc.set([1, heap(data.values), 0, validity, c.intType ?? ColumnType.Int64], 5 * i);
      });
      this.check(this.M._segx_model_append(handle, batch.numRows, heap(desc), columns.length));
    });
  }

  modelFinish(handle) {
    this.check(this.M._segx_model_finish(handle));
  }

  modelAbort(handle) {
    this.M._segx_model_abort(handle);
  }

  // No rebuild of the model until the matching release (a load job: web/loads.js); `held`
  // says whether one is in force, so that fillModel leaves the streaming to the holder.
  holdModel() {
    this.holds = (this.holds || 0) + 1;
    this.M._segx_model_hold(1);
  }

  releaseModel() {
    this.holds = Math.max(0, (this.holds || 0) - 1);
    this.check(this.M._segx_model_hold(0));
  }

  // Frees the model before the sources a rebuild needs stream again (fillModel), so that the
  // heap never holds the old model beside them; the tabs keep their last answers meanwhile.
  dropModel() {
    return this.M._segx_model_drop() === 1;
  }

  get held() {
    return (this.holds || 0) > 0;
  }

  // The mapped sources a rebuild needs again from DuckDB (their rows were dropped once the model
  // was built: src/app/session.h): [{name, mapping, columns}], empty when the model is current.
  missingSources() {
    return this.state('model_missing');
  }

  modelRemove(name) {
    this.check(this.call('model_remove', name));
  }

  setAsOf(us) {
    this.check(this.M._segx_set_as_of(us === null || us === undefined ? NaN : Number(us)));
  }

  // segx.setAsOf and `segx run --as-of`: null (or undefined) goes back to the default, a text is
  // read by the core's time parser (the one reader of as-of times, with its reasons for a
  // refusal: "2026-02 has no day 30"); anything else, or a blank text, is refused.
  setAsOfInput(value) {
    if (value === null || value === undefined) return this.setAsOf(null);
    if (typeof value !== 'string') throw new Error(`as-of: expected a date such as "2026-06-30" (UTC), or null; found ${typeof value}`);
    if (!value.trim()) throw new Error('as-of: cannot read "": not a date or time such as 2026-06-30 or 2026-06-30 12:00:00');
    return this.setAsOfText(value);
  }

  // The as-of as typed text, read by the core's time parser ('' goes back to the default).
  setAsOfText(text) {
    this.check(this.call('set_as_of_text', String(text ?? '')));
  }

  failSource(name, message) {
    this.call('source_fail', name, message);
  }

  // A load that starts again: its pending tables go, nothing is said (Session::abandon_load).
  abandonSource(name) {
    this.call('source_abandon', name);
  }

  // What this browser keeps of the loaded files: {kept, restored, bytes, files}.
  setKept({ kept, restored, bytes, files }) {
    this.check(this.call('set_kept', kept ? 1 : 0, restored ? 1 : 0, bytes, files));
  }

  removeDemo() {
    this.check(this.call('remove_demo'));
  }

  // A message in the interface language, from the core's string tables (src/app/i18n): the
  // page names a key and gives the values for {0} {1} …; there is no second table in JS.
  tr(key, ...args) {
    return this.callText('tr', String(key), JSON.stringify(args.map(String)));
  }

  // A message composed in English (the page's checks, the core's errors) in the interface
  // language, read by the core against its tables (app/i18n shown()); other text comes back as is.
  shown(text) {
    return this.callText('shown', String(text));
  }

  // The browser's language (navigator.language): the interface's until the workspace names one.
  setBrowserLanguage(tag) {
    this.call('set_browser_language', String(tag || ''));
  }

  status(level, text) {
    this.call('status', { info: 0, warning: 1, error: 2 }[level] ?? 2, text);
  }

  // The state as the core reports it, or only one section of it ('audience', 'overview', ...).
  state(section = '') {
    return JSON.parse(this.callText('state_json', String(section)));
  }

  // The workspace (saved definitions, mappings, settings) lives in the core, its one owner;
  // web/workspace.js stores its text. loadWorkspace hands back what was stored, at start:
  // {ok} or {ok: false, problem} (the core then starts with an empty workspace).
  loadWorkspace(text) {
    return JSON.parse(this.callText('workspace_load', String(text)));
  }

  // The workspace's JSON text: for storage (every definition, read or not), or for a file.
  workspaceText({ forExport = false } = {}) {
    return this.callText('workspace_json', forExport ? 1 : 0);
  }

  workspace(options) {
    return JSON.parse(this.workspaceText(options));
  }

  // Bumped by every change to the workspace, in the interface or through mergeWorkspace.
  workspaceRevision() {
    return this.M._segx_workspace_revision();
  }

  // Merges {mappings, audiences, settings} into the workspace (an import, a save, a mapping,
  // a setting): {ok, ids} or {ok: false, errors}; a refused one changes nothing.
  mergeWorkspace(parts) {
    return JSON.parse(this.callText('workspace_merge', JSON.stringify(parts)));
  }

  // Imports a workspace file: like mergeWorkspace, but nothing saved is replaced (an imported
  // definition of a saved id with other content is kept beside it, renamed): {ok, ids, renamed:
  // [{kind, from, to, name}], unchanged, replaced_mappings, replaced_settings} or {ok: false, errors}.
  importWorkspace(parts) {
    return JSON.parse(this.callText('workspace_import', JSON.stringify(parts)));
  }

  // Evaluates a definition (an object or JSON text) over the model: {ok, size, share, ...}.
  run(definition, { members = false } = {}) {
    const text = typeof definition === 'string' ? definition : JSON.stringify(definition);
    return JSON.parse(this.callText('run', text, members ? 1 : 0));
  }

  // Compiles a definition (an object or JSON text) to one DuckDB statement: {ok, sql} or {ok: false, errors}.
  sql(definition) {
    const text = typeof definition === 'string' ? definition : JSON.stringify(definition);
    return JSON.parse(this.callText('audience_sql', text));
  }

  // Opens a definition in the Audiences tab's builder: {ok} or {ok: false, errors}; a refused
  // one changes nothing. openedId: the saved audience it is (a restored draft), or ''.
  openAudience(definition, openedId = '') {
    const text = typeof definition === 'string' ? definition : JSON.stringify(definition);
    return JSON.parse(this.callText('audience_open', text, openedId));
  }

  // The errors of an audience definition as sentences naming the rule (["the rule 'Country is
  // UK' names a column that no loaded file has (known: ...)", ...]), in the order given.
  audienceErrorText(definition, errors) {
    const text = typeof definition === 'string' ? definition : JSON.stringify(definition);
    return JSON.parse(this.callText('audience_error_text', text, JSON.stringify(errors)));
  }

  // Opens a funnel definition in the Funnels tab: {ok} or {ok: false, errors}; a refused one
  // changes nothing. openedId: the saved funnel it is (a restored draft), or ''.
  openFunnel(definition, openedId = '') {
    const text = typeof definition === 'string' ? definition : JSON.stringify(definition);
    return JSON.parse(this.callText('funnel_open', text, openedId));
  }

  // Checks a definition without the data (what an import checks first): {ok} or {ok: false, errors}.
  checkAudience(definition) {
    const text = typeof definition === 'string' ? definition : JSON.stringify(definition);
    return JSON.parse(this.callText('audience_check', text));
  }

  // The model as bytes (src/core/model/model_io.h): a Uint8Array copied out of the heap.
  exportModel() {
    const M = this.M;
    const sizeOut = M._malloc(8) >>> 0;
    try {
      const p = this.callPtr('model_export', sizeOut);
      if (!p) throw new Error(M.UTF8ToString(M._segx_last_error() >>> 0));
      const n = new Float64Array(M.HEAPU8.buffer, sizeOut, 1)[0];
      return M.HEAPU8.slice(p, p + n);
    } finally {
      M._free(sizeOut);
    }
  }

  // Replaces the model with serialized bytes (exportModel's), for benchmarks of the WASM core.
  importModel(bytes) {
    const M = this.M;
    const p = M._malloc(bytes.length) >>> 0;
    try {
      M.HEAPU8.set(bytes, p);
      if (M._segx_model_import(p, bytes.length) !== 0) throw new Error(M.UTF8ToString(M._segx_last_error() >>> 0));
    } finally {
      M._free(p);
    }
  }

  // The SQL contract's table "users" or "events" written from the model, for the users [firstUser,
  // endUser) (every slice with the header line): {columns: [[name,
  // type]], csv: Uint8Array} (src/core/sql/contract_tables.h).
  contractTable(which, firstUser = 0, endUser = 1e15) {
    const M = this.M;
    const sizeOut = M._malloc(8) >>> 0;
    try {
      const p = this.callPtr('contract_table', which, firstUser, endUser, sizeOut);
      if (!p) throw new Error(M.UTF8ToString(M._segx_last_error() >>> 0));
      const n = new Float64Array(M.HEAPU8.buffer, sizeOut, 1)[0];
      const csv = M.HEAPU8.slice(p, p + n);
      return { columns: JSON.parse(this.callText('contract_columns')), csv };
    } finally {
      M._free(sizeOut);
      M._segx_contract_release();
    }
  }

  // The number of users in the model (the contract tables are written in slices of them).
  modelUsers() {
    return this.M._segx_model_users();
  }

  modelGeneration() {
    return this.M._segx_model_generation();
  }

  // A cell's display text, as the Data panel shows it.
  cellText(table, col, row) {
    const text = this.callText('cell_text', table, col, row);
    const err = this.M.UTF8ToString(this.M._segx_last_error() >>> 0);
    if (err) throw new Error(err);
    return text;
  }
}
