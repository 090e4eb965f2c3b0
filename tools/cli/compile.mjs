// Compiles a saved definition to DuckDB SQL with the page's own core (the WASM module of
// build/web), as "Copy SQL" does. The compiler checks names and types against a model, so the
// core is given the data's schema: a small sample of each mapped file (one row per event name
// and the first rows), never the data itself, and the as-of time of the whole data.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { Float64, Int64, Table, Utf8, vectorFromArray } from 'apache-arrow';

import { ColumnType, CoreBridge } from '../../web/core_bridge.js';

import { mappingSql } from '../../web/mapping.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '../..');
const kNotDefinitions = new Set(['segx', 'mappings', 'settings', 'history']);
const kSampleRows = 1000;

// The saved definition whose id, or else whose name, is `wanted`, from any section.
export function findDefinition(workspace, wanted) {
  const all = [];
  for (const [section, entries] of Object.entries(workspace)) {
    if (kNotDefinitions.has(section) || !entries || typeof entries !== 'object' || Array.isArray(entries)) continue;
    for (const [id, d] of Object.entries(entries)) if (d && typeof d === 'object') all.push({ section, id, d });
  }
  const byId = all.filter((x) => x.id === wanted);
  const byName = all.filter((x) => x.d.name === wanted);
  const found = byId.length ? byId : byName;
  if (found.length === 1) return found[0].d;
  const list = all.map((x) => `${x.section}: ${x.id}${x.d.name ? ` ("${x.d.name}")` : ''}`).join(', ') || 'none';
  if (found.length > 1) throw new Error(`--definition: "${wanted}" names ${found.length} definitions (${found.map((x) => `${x.section} ${x.id}`).join(', ')}); give the id`);
  throw new Error(`--definition: the workspace has no definition with the id or name "${wanted}" (saved: ${list})`);
}

async function startCore() {
  const dir = join(repo, 'build/web/src/web');
  if (!existsSync(join(dir, 'segx_core.js'))) throw new Error(`the core is not built (${dir}/segx_core.js): run .ci/build first`);
  const createSegxCore = createRequire(import.meta.url)(join(dir, 'segx_core.js'));
  const M = await createSegxCore({ wasmBinary: readFileSync(join(dir, 'segx_core.wasm')), print: () => {}, printErr: () => {} });
  return new CoreBridge(M);
}

const kArrowTypes = { int64: () => new Int64(), epoch_us: () => new Int64(), double: () => new Float64(), text: () => new Utf8() };
const kIntTypes = { bool: ColumnType.Bool, int: ColumnType.Int64, date: ColumnType.Date, timestamp: ColumnType.Timestamp };

// Hands the core a sample of one mapped file, through the same descriptors the page uses.
async function sampleSource(db, bridge, source) {
  const { mapping, columns, table } = source;
  const name = source.name || table;
  const { sql, outputs } = mappingSql(mapping, columns, table);
  const event = outputs.findIndex((o) => o.role === 'event');
  const sample = event >= 0
    ? `(SELECT DISTINCT ON (c${event}) * FROM (${sql})) UNION ALL (SELECT * FROM (${sql}) LIMIT ${kSampleRows})`
    : `SELECT * FROM (${sql}) LIMIT ${kSampleRows}`;
  const rows = await db.rows(sample);
  const vectors = {};
  outputs.forEach((o, i) => {
    const values = rows.map((r) => {
      const v = r[`c${i}`];
      if (v === null || v === undefined) return null;
      return o.layout === 'text' ? String(v) : o.layout === 'double' ? Number(v) : BigInt(v);
    });
    vectors[`c${i}`] = vectorFromArray(values, kArrowTypes[o.layout]());
  });
  const byRole = (role) => outputs.findIndex((o) => o.role === role);
  const props = outputs.map((o, i) => (o.role === 'column' ? i : -1)).filter((i) => i >= 0);
  const order = mapping.kind === 'users' ? [byRole('user_id'), ...props]
    : [byRole('user_id'), byRole('time'), byRole('event'), byRole('revenue'), byRole('order_id'), ...props];
  const timeOut = outputs[byRole('time')];
  const h = bridge.modelBegin({
    name,
    kind: mapping.kind,
    time_format: mapping.time_format || 'auto',
    time_is_epoch_us: !!timeOut && timeOut.layout === 'epoch_us',
    tz_offset_minutes: mapping.tz_offset_minutes || 0,
    constant_event: mapping.kind === 'orders' ? 'purchase' : mapping.event ? '' : mapping.event_constant || '',
    revenue_required: mapping.kind === 'orders',
    columns: mapping.columns || [],
  });
  try {
    if (rows.length) {
      const batch = new Table(vectors).batches[0];
      bridge.modelAppend(h, batch, order.map((i) => (i < 0 ? null : { index: i, layout: outputs[i].layout === 'epoch_us' ? 'int64' : outputs[i].layout, intType: kIntTypes[outputs[i].type] ?? ColumnType.Int64 })));
    }
    bridge.modelFinish(h);
  } catch (e) {
    bridge.modelAbort(h);
    throw new Error(`${name}: the core refused the mapped sample: ${e.message}`);
  }
}

// {kind, sql, asOf}: the definition compiled over the loaded files' schema.
export async function compileDefinition({ db, sources, workspace, definition, asOf }) {
  const bridge = await startCore();
  const loaded = bridge.loadWorkspace(JSON.stringify(workspace));
  if (!loaded.ok) throw new Error(`--workspace: ${loaded.problem}`);
  // Held: the core builds the model once, from every sample (it keeps no source's rows after a
  // build, and a rebuild would wait for rows only the page streams again: web/source_loader.js).
  bridge.holdModel();
  try {
    for (const s of sources) await sampleSource(db, bridge, s);
  } finally {
    bridge.releaseModel();
  }
  let us = null;
  if (asOf !== undefined) {
    try {
      bridge.setAsOfInput(asOf);
    } catch (e) {
      throw new Error(`--${String(e.message || e).replace(/^as-of: /, 'as-of: ')}`);
    }
    us = Number(bridge.state('as_of_us'));
  } else {
    const [{ t }] = await db.rows('SELECT epoch_us(max(time))::BIGINT AS t FROM events');
    if (t === null) throw new Error('the files hold no events, so there is no as-of time: give --as-of');
    us = Number(t);
  }
  bridge.setAsOf(us);
  const compiled = bridge.sql(definition);
  if (!compiled.ok) {
    const errors = compiled.errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('\n  ');
    throw new Error(`the definition "${definition.name || definition.id}" does not compile over these files:\n  ${errors}`);
  }
  return { kind: compiled.kind, sql: compiled.sql, asOf: new Date(us / 1000).toISOString() };
}

