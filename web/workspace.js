// The workspace: every definition, mapping and setting, no data. The core owns it (src/app/
// workspace.h): the interface and the page's calls change it there, and this file only stores its
// JSON text in the browser when its revision moves, and hands the text back at start. Nothing
// flows the other way, so the two can never disagree. A saved definition that no longer reads
// stays in storage (the core keeps it, with its errors); it is never dropped behind the user's back.
import { validateMapping } from './mapping.js';

const kKey = 'segx.workspace';
const kUnreadableKey = 'segx.workspace.unreadable';

export class WorkspaceStore {
  constructor(bridge, storage = globalThis.localStorage) {
    this.bridge = bridge;
    this.storage = storage;
    this.stored = null;  // the revision storage holds
  }

  // Hands the stored workspace to the core, once at start. A text that is not a workspace at
  // all is set aside under another key (never overwritten) and the page says so.
  load() {
    let text = null;
    try {
      text = this.storage?.getItem(kKey) ?? null;
    } catch {
      // Storage disabled (private mode): start empty.
    }
    let result = { ok: true };
    if (text !== null) {
      result = this.bridge.loadWorkspace(text);
      if (!result.ok) {
        try {
          this.storage.setItem(kUnreadableKey, text);
        } catch {
          // Nowhere to set it aside: it stays under its key until the workspace is next saved.
        }
        this.bridge.status('warning', this.bridge.shown(`The saved workspace could not be read (${result.problem}); it was set aside as "${kUnreadableKey}" in this browser's storage`));
      }
    }
    this.stored = this.bridge.workspaceRevision();
    return result;
  }

  // Stores the workspace if it changed since it was last stored: one revision, one write.
  // False when the browser refused to store it.
  persist() {
    const revision = this.bridge.workspaceRevision();
    if (revision === this.stored) return true;
    try {
      this.storage?.setItem(kKey, this.bridge.workspaceText());
      this.stored = revision;
      return true;
    } catch {
      return false;  // storage full or disabled: the page keeps working without autosave
    }
  }
}

// --- Export and import ------------------------------------------------------------------------
// A workspace file carries mappings, audiences and settings, never data. Imports come from
// anyone, so parseImport checks every part it keeps and reports each problem with its path; it
// never throws and never changes anything. Audience rule trees are the core's to check.

export const kMaxImportChars = 20 * 2 ** 20;
const kMaxErrors = 100;
const kMaxNameChars = 10000;  // the core's limit for any one string (ids, names)
const kMappingKeys = new Set(['source', 'kind', 'user_id', 'time', 'time_format', 'tz_offset_minutes', 'event', 'event_constant',
  'revenue', 'revenue_expr', 'order_id', 'filter', 'columns']);
const kAudienceKeys = new Set(['segx', 'id', 'name', 'root']);
// Sections of analyses' definitions that the tabs keep (retention, lifecycle, board): written
// and read only when the workspace has them. Section -> the definitions' kind.
const kAnalysisSections = { retentions: 'retention', lifecycles: 'lifecycle', boards: 'board' };
const kWorkspaceKeys = new Set(['segx', 'kind', 'mappings', 'audiences', 'funnels', 'rfms', ...Object.keys(kAnalysisSections), 'settings']);
// Ids and names are plain data: "__proto__", "constructor" or "toString" are ids like any other.
// Every object keyed by them here is made without a prototype (dict()), so no key reaches one.
const dict = () => Object.create(null);
const kSettingKeys = new Set(['memory_budget_mb', 'keep_data_mb', 'language']);

export function exportWorkspace(w) {
  const doc = { segx: 1, kind: 'workspace', mappings: w.mappings || {}, audiences: w.audiences || {}, funnels: w.funnels || {}, rfms: w.rfms || {} };
  for (const key of Object.keys(kAnalysisSections)) if (w[key] && Object.keys(w[key]).length) doc[key] = w[key];
  doc.settings = w.settings || {};
  return JSON.stringify(doc, null, 2) + '\n';
}

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const typeName = (v) => (v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'an object' : `a ${typeof v}`);
// A name as it appears in a path or message: quoted, and cut short if it is huge.
const quoted = (name) => JSON.stringify(name.length > 80 ? name.slice(0, 80) + '…' : name);

// Reads an exported workspace or a single audience definition. options.columnsOf(fileName)
// may return the columns ({name, type}) of a loaded file, so that its mapping is also checked
// against them; otherwise a mapping's column names are taken as they are.
// Resolves to {ok: true, kind: 'workspace', workspace} or {ok: true, kind: 'audience', audience},
// else {ok: false, errors: [{path, message}]}.
export function parseImport(text, options = {}) {
  try {
    return parseChecked(text, options);
  } catch (e) {
    // Not expected; an import must still never take the page down.
    return { ok: false, errors: [{ path: '', message: `could not read the file (${e && e.message ? e.message : e})` }] };
  }
}

function parseChecked(text, { columnsOf } = {}) {
  const fail = (message, path = '') => ({ ok: false, errors: [{ path, message }] });
  if (typeof text !== 'string') return fail('expected the text of a JSON file');
  if (text.length > kMaxImportChars) return fail(`the file is larger than ${kMaxImportChars / 2 ** 20} MB; a workspace holds definitions, not data`);
  let doc;
  try {
    doc = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    return fail(`not valid JSON: ${e.message}`);
  }
  if (!isObject(doc)) return fail(`expected an audience or a workspace (a JSON object), found ${typeName(doc)}`);
  // The version comes first: a document of another version is not checked any further.
  if (doc.segx !== 1) return fail(`expected 1, the version this page reads${'segx' in doc ? '' : ' (the key is missing)'}`, 'segx');

  const errors = [];
  const add = (path, message) => errors.push({ path, message });
  let result;
  if ('root' in doc && !('kind' in doc)) {
    const audience = checkAudience(doc, '', add);
    result = { ok: true, kind: 'audience', audience };
  } else if (doc.kind === 'workspace' || (!('kind' in doc) && ['mappings', 'audiences', 'settings'].some((k) => k in doc))) {
    result = { ok: true, kind: 'workspace', workspace: checkWorkspace(doc, add, columnsOf) };
  } else if (doc.kind === 'funnel') {
    // A funnel definition: the core reads it (strictly, with paths) when it is opened.
    result = { ok: true, kind: 'funnel', funnel: doc };
  } else if ('kind' in doc) {
    add('kind', `expected "workspace" or "funnel" (an audience definition has no "kind")`);
  } else {
    add('', 'expected an audience definition (with "root") or a workspace (with "kind": "workspace")');
  }
  if (errors.length === 0) return result;
  const shown = errors.slice(0, kMaxErrors);
  if (errors.length > kMaxErrors) shown.push({ path: '', message: `and ${errors.length - kMaxErrors} more problems` });
  return { ok: false, errors: shown };
}

function checkName(name, path, add, what) {
  if (name.length === 0) add(path, `${what} cannot be empty`);
  else if (name.length > kMaxNameChars) add(path, `${what} is longer than ${kMaxNameChars} characters`);
  else return true;
  return false;
}

function checkUnknownKeys(obj, known, path, add) {
  for (const key of Object.keys(obj)) if (!known.has(key)) add(`${path}${path ? '.' : ''}${key.length > 80 ? quoted(key) : key}`, 'unknown key');
}

// The document level of an audience definition; `root` and below are the core's.
function checkAudience(a, path, add, key) {
  const at = (k) => (path ? `${path}.${k}` : k);
  if (!isObject(a)) {
    add(path, `expected an audience definition (an object), found ${typeName(a)}`);
    return a;
  }
  checkUnknownKeys(a, kAudienceKeys, path, add);
  if (a.segx !== 1) add(at('segx'), 'expected 1');
  // A single definition may have no id (the core allows it: it is not saved under one yet);
  // a workspace's audiences are saved under theirs.
  if (key === undefined && (a.id === undefined || a.id === '')) {
    // nothing to check
  } else if (typeof a.id !== 'string') add(at('id'), a.id === undefined ? 'the audience needs an id (text)' : `expected text, found ${typeName(a.id)}`);
  else if (checkName(a.id, at('id'), add, 'an audience id') && key !== undefined && a.id !== key)
    add(at('id'), `expected ${quoted(key)}, the key it is saved under`);
  if (a.name !== undefined && typeof a.name !== 'string') add(at('name'), `expected text, found ${typeName(a.name)}`);
  if (!isObject(a.root)) add(at('root'), a.root === undefined ? 'the audience needs a rule tree' : `expected a group (an object), found ${typeName(a.root)}`);
  return a;
}

function checkWorkspace(doc, add, columnsOf) {
  checkUnknownKeys(doc, kWorkspaceKeys, '', add);
  const w = { segx: 1, mappings: dict(), audiences: dict(), funnels: dict(), rfms: dict(), settings: dict() };
  const section = (key) => {
    if (doc[key] === undefined) return {};
    if (isObject(doc[key])) return doc[key];
    add(key, `expected an object keyed by name, found ${typeName(doc[key])}`);
    return {};
  };

  for (const [name, m] of Object.entries(section('mappings'))) {
    const path = `mappings[${quoted(name)}]`;
    if (!checkName(name, path, add, 'a file name')) continue;
    if (!isObject(m)) {
      add(path, `expected a mapping (an object), found ${typeName(m)}`);
      continue;
    }
    checkUnknownKeys(m, kMappingKeys, path, add);
    if (m.source !== undefined && m.source !== name) add(`${path}.source`, `expected ${quoted(name)}, the file name it is saved under`);
    const long = Object.keys(m).filter((k) => typeof m[k] === 'string' && m[k].length > kMaxNameChars);
    for (const k of long) add(`${path}.${k}`, `longer than ${kMaxNameChars} characters`);
    if (Array.isArray(m.columns) && m.columns.some((c) => typeof c === 'string' && c.length > kMaxNameChars)) add(`${path}.columns`, `a name is longer than ${kMaxNameChars} characters`);
    if (long.length) continue;
    const known = columnsOf ? columnsOf(name) : null;
    for (const problem of validateMapping(m, Array.isArray(known) ? known : namedColumns(m))) {
      const colon = problem.indexOf(': ');
      const key = colon < 0 ? '' : problem.slice(0, colon);
      if (key === 'mapping') add(path, problem.slice(colon + 2));
      else if (/^[a-z_]+(\[\d+\])?$/.test(key)) add(`${path}.${key}`, problem.slice(colon + 2));
      else add(path, problem);
    }
    w.mappings[name] = m;
  }

  for (const [id, a] of Object.entries(section('audiences'))) {
    const path = `audiences[${quoted(id)}]`;
    if (!checkName(id, path, add, 'an audience id')) continue;
    w.audiences[id] = checkAudience(a, path, add, id);
  }

  // Funnels: the document level here (an object saved under its id); the steps and the rest are
  // the core's to check when the workspace is merged (all or nothing).
  for (const [id, f] of Object.entries(section('funnels'))) {
    const path = `funnels[${quoted(id)}]`;
    if (!checkName(id, path, add, 'a funnel id')) continue;
    if (!isObject(f)) {
      add(path, `expected a funnel definition (an object), found ${typeName(f)}`);
      continue;
    }
    if (f.segx !== 1) add(`${path}.segx`, 'expected 1');
    if (f.kind !== 'funnel') add(`${path}.kind`, 'expected "funnel"');
    if (f.id !== id) add(`${path}.id`, `expected ${quoted(id)}, the key it is saved under`);
    w.funnels[id] = f;
  }

  // RFM settings: likewise, the document level here; the core checks the rest.
  for (const [id, f] of Object.entries(section('rfms'))) {
    const path = `rfms[${quoted(id)}]`;
    if (!checkName(id, path, add, 'an RFM settings id')) continue;
    if (!isObject(f)) {
      add(path, `expected RFM settings (an object), found ${typeName(f)}`);
      continue;
    }
    if (f.segx !== 1) add(`${path}.segx`, 'expected 1');
    if (f.kind !== 'rfm') add(`${path}.kind`, 'expected "rfm"');
    if (f.id !== id) add(`${path}.id`, `expected ${quoted(id)}, the key it is saved under`);
    w.rfms[id] = f;
  }
  // Retention, lifecycle and board definitions: the document level, as for funnels.
  for (const [key, kind] of Object.entries(kAnalysisSections)) {
    if (doc[key] === undefined) continue;
    w[key] = dict();
    for (const [id, d] of Object.entries(section(key))) {
      const path = `${key}[${quoted(id)}]`;
      if (!checkName(id, path, add, `a ${kind} id`)) continue;
      if (!isObject(d)) {
        add(path, `expected a ${kind} definition (an object), found ${typeName(d)}`);
        continue;
      }
      if (d.segx !== 1) add(`${path}.segx`, 'expected 1');
      if (d.kind !== kind) add(`${path}.kind`, `expected "${kind}"`);
      if (d.id !== id) add(`${path}.id`, `expected ${quoted(id)}, the key it is saved under`);
      w[key][id] = d;
    }
  }

  const settings = section('settings');
  checkUnknownKeys(settings, kSettingKeys, 'settings', add);
  if (settings.memory_budget_mb !== undefined) {
    const mb = settings.memory_budget_mb;
    if (typeof mb !== 'number' || !Number.isFinite(mb) || mb < 1 || mb > 2 ** 20) add('settings.memory_budget_mb', `the memory budget must be a number of megabytes from 1 to 1048576 (found ${JSON.stringify(mb)})`);
    else w.settings.memory_budget_mb = mb;
  }
  if (settings.keep_data_mb !== undefined) {
    const mb = settings.keep_data_mb;
    if (typeof mb !== 'number' || !Number.isFinite(mb) || mb < 0 || mb > 2 ** 20) add('settings.keep_data_mb', `the data kept must be a number of megabytes from 0 to 1048576 (found ${JSON.stringify(mb)})`);
    else w.settings.keep_data_mb = mb;
  }
  if (settings.language !== undefined) {
    // The interface language, exactly as the switch writes it.
    if (settings.language !== 'en' && settings.language !== 'zh-CN') add('settings.language', 'expected "en" or "zh-CN"');
    else w.settings.language = settings.language;
  }
  // Plain objects for callers; fromEntries defines "__proto__" as an own key, never a prototype.
  for (const key of Object.keys(w)) if (w[key] && typeof w[key] === 'object') w[key] = Object.fromEntries(Object.entries(w[key]));
  return w;
}

// Without the file at hand, a mapping's own column names stand for its columns: its shape is
// checked, and whether the columns exist is checked when the file is loaded.
function namedColumns(m) {
  const names = ['user_id', 'time', 'event', 'revenue', 'order_id'].map((k) => m[k]).concat(Array.isArray(m.columns) ? m.columns : []);
  return names.filter((n) => typeof n === 'string').map((name) => ({ name, type: 'VARCHAR' }));
}
