// Definitions that arrived by a share link before the data they are about: a colleague's link
// opens on a fresh page with no data (or other data), so the page keeps the definition here,
// says which files it expects, and opens it once data is loaded (web/main.js calls `settle`
// after every load). One entry per kind of definition: a kind registers how to name what it
// needs and how to open it (audiences "#a=", funnels "#f=").

// The names an audience definition uses, walked from its JSON: {attributes, events, properties}.
export function audienceNeeds(definition) {
  const attributes = new Set(), events = new Set(), properties = new Set();
  const walk = (group, depth) => {
    if (!group || !Array.isArray(group.rules) || depth > 64) return;
    for (const r of group.rules) {
      if (!r || typeof r !== 'object') continue;
      if (r.kind === 'group') walk(r, depth + 1);
      else if (r.kind === 'property' && typeof r.attribute === 'string') attributes.add(r.attribute);
      else if (r.kind === 'behavior' && typeof r.event === 'string') {
        events.add(r.event);
        for (const w of Array.isArray(r.where) ? r.where : []) if (w && typeof w.property === 'string') properties.add(w.property);
        const p = r.aggregate && r.aggregate.property;
        if (typeof p === 'string' && p) properties.add(p);
      }
    }
  };
  walk(definition && definition.root, 1);
  return { attributes: [...attributes], events: [...events], properties: [...properties] };
}

// The names a funnel definition uses: its steps' and exclusions' events and filters, its
// breakdown, and its audience filter (a group: as an audience's rules).
export function funnelNeeds(definition) {
  const d = definition && typeof definition === 'object' ? definition : {};
  const fromAudience = audienceNeeds({ root: d.audience && Array.isArray(d.audience.rules) ? d.audience : null });
  const attributes = new Set(fromAudience.attributes), events = new Set(fromAudience.events), properties = new Set(fromAudience.properties);
  for (const s of [...(Array.isArray(d.steps) ? d.steps : []), ...(Array.isArray(d.exclusions) ? d.exclusions : [])]) {
    if (!s || typeof s !== 'object') continue;
    if (typeof s.event === 'string') events.add(s.event);
    for (const w of Array.isArray(s.where) ? s.where : []) if (w && typeof w.property === 'string') properties.add(w.property);
  }
  const b = d.breakdown;
  if (b && typeof b.attribute === 'string') attributes.add(b.attribute);
  if (b && typeof b.property === 'string') properties.add(b.property);
  return { attributes: [...attributes], events: [...events], properties: [...properties] };
}

// English words, for callers without the core's tables (tests of this file alone).
const kEnglish = {
  needs_list_more: ' and {0} more', needs_joiner: ', ', needs_nothing: 'no particular columns',
  needs_attribute_one: 'the user attribute {0}', needs_attribute_many: 'the user attributes {0}',
  needs_event_one: 'the event {0}', needs_event_many: 'the events {0}',
  needs_property_one: 'the event property {0}', needs_property_many: 'the event properties {0}',
};
const english = (key, ...args) => kEnglish[key].replace(/\{(\d)\}/g, (_, i) => args[Number(i)]);

// "a user attribute "country" and the event "purchase"" — what a definition expects, in words;
// `tr(key, ...values)` gives them in the interface language (the core's string tables).
export function describeNeeds({ attributes = [], events = [], properties = [] }, tr = english) {
  const list = (names) => names.slice(0, 8).map((n) => `"${n}"`).join(', ') + (names.length > 8 ? tr('needs_list_more', names.length - 8) : '');
  const parts = [];
  if (attributes.length) parts.push(tr(attributes.length === 1 ? 'needs_attribute_one' : 'needs_attribute_many', list(attributes)));
  if (events.length) parts.push(tr(events.length === 1 ? 'needs_event_one' : 'needs_event_many', list(events)));
  if (properties.length) parts.push(tr(properties.length === 1 ? 'needs_property_one' : 'needs_property_many', list(properties)));
  return parts.length ? parts.join(tr('needs_joiner')) : tr('needs_nothing');
}

export class PendingDefinitions {
  // hasData(): true once the model has users. status(level, text): a message for the user.
  // tr(key, ...values): the interface's words (the core's tables); without it, English.
  constructor({ hasData, status, tr }) {
    Object.assign(this, { hasData, status, tr });
    this.kinds = new Map();  // kind -> {what, needs(definition), open(definition)}
    this.waiting = [];       // [{kind, definition}], oldest first
  }

  // kind: 'audience'; what: how messages name it ("The shared audience"); needs: definition ->
  // {attributes, events, properties}; open: definition -> opens it (in its builder, problems shown there).
  register(kind, entry) {
    this.kinds.set(kind, entry);
  }

  // Opens at once when there is data; else keeps it and says what files it expects.
  add(kind, definition) {
    const entry = this.kinds.get(kind);
    if (!entry) throw new Error(`no share link kind "${kind}"`);
    this.waiting.push({ kind, definition });
    if (this.hasData()) return this.settle();
    const named = definition && typeof definition.name === 'string' && definition.name;
    if (this.tr) {
      const t = this.tr;
      this.status('info', t('msg_pending_opens', t(entry.what), named ? t('quoted_name', definition.name) : '', describeNeeds(entry.needs(definition), t)));
    } else {
      this.status('info', `${entry.what}${named ? ` "${definition.name}"` : ''} opens when data is loaded: it expects files with ${describeNeeds(entry.needs(definition))}`);
    }
    return null;
  }

  // After a load: opens every waiting definition once there is data.
  settle() {
    if (!this.waiting.length || !this.hasData()) return null;
    const ready = this.waiting;
    this.waiting = [];
    let last = null;
    for (const { kind, definition } of ready) last = this.kinds.get(kind).open(definition);
    return last;
  }

  // What window.segx.state() reports: [{kind, name, needs}].
  state() {
    return this.waiting.map(({ kind, definition }) => ({ kind, name: definition && definition.name, needs: this.kinds.get(kind).needs(definition) }));
  }
}
