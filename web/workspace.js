// The workspace: every definition and mapping, no data. Autosaved to the browser's storage;
// a broken or foreign entry is set aside, never trusted and never fatal.
const kKey = 'segx.workspace';

export function emptyWorkspace() {
  return { segx: 1, mappings: {}, audiences: {}, settings: { memory_budget_mb: 2048 } };
}

export function loadWorkspace(storage = globalThis.localStorage) {
  const w = emptyWorkspace();
  try {
    const saved = JSON.parse(storage?.getItem(kKey) || 'null');
    if (saved && saved.segx === 1 && typeof saved === 'object') {
      if (saved.mappings && typeof saved.mappings === 'object') {
        for (const [name, m] of Object.entries(saved.mappings)) if (m && typeof m === 'object' && !Array.isArray(m)) w.mappings[name] = m;
      }
      if (saved.audiences && typeof saved.audiences === 'object') {
        for (const [id, a] of Object.entries(saved.audiences)) if (a && typeof a === 'object' && a.id === id) w.audiences[id] = a;
      }
      const mb = Number(saved.settings?.memory_budget_mb);
      if (Number.isFinite(mb) && mb > 0) w.settings.memory_budget_mb = mb;
    }
  } catch {
    // Unreadable storage (private mode, corrupt JSON): start empty, keep the old entry as it is.
  }
  return w;
}

export function saveWorkspace(w, storage = globalThis.localStorage) {
  try {
    storage?.setItem(kKey, JSON.stringify(w));
    return true;
  } catch {
    return false;  // storage full or disabled: the page keeps working without autosave
  }
}
