// Shrinks a definition on which the core and DuckDB disagree to a smallest one that still
// disagrees: greedily tries simpler variants (a rule or group removed, a group replaced by one
// of its rules, negation and optional keys dropped, a funnel step removed) and keeps the first
// that still fails, until none does. RFM, retention, lifecycle and board definitions lose their
// optional keys one at a time (their audience filter shrinks like an audience's root).
const clone = (x) => JSON.parse(JSON.stringify(x));

// Every group in a rule tree, with the path of keys leading to it.
function groups(node, path = []) {
  if (!node || !Array.isArray(node.rules)) return [];
  return [{ node, path }, ...node.rules.flatMap((r, i) => groups(r, [...path, 'rules', i]))];
}
const at = (root, path) => path.reduce((x, k) => x[k], root);

function* audienceVariants(def) {
  for (const { path } of groups(def.root)) {
    const n = at(def.root, path).rules.length;
    for (let i = 0; i < n; ++i) {
      const d = clone(def);
      at(d.root, path).rules.splice(i, 1);
      yield d;
      const child = at(def.root, path).rules[i];
      if (path.length && child) {  // the group replaced by one of its rules
        const e = clone(def);
        const parent = at(e.root, path.slice(0, -2));
        parent.rules[path[path.length - 1]] = clone(child);
        yield e;
      }
    }
    if (at(def.root, path).negate) {
      const d = clone(def);
      delete at(d.root, path).negate;
      yield d;
    }
    for (let i = 0; i < n; ++i) {
      const rule = at(def.root, path).rules[i];
      for (const key of ['where', 'window', 'count', 'aggregate', 'occurrence', 'ci', 'did']) {
        if (rule && rule[key] !== undefined) {
          const d = clone(def);
          delete at(d.root, path).rules[i][key];
          yield d;
        }
      }
    }
  }
}

function* funnelVariants(def) {
  for (const key of ['exclusions', 'entry', 'audience', 'breakdown']) {
    if (def[key] !== undefined) {
      const d = clone(def);
      delete d[key];
      yield d;
    }
  }
  if (def.steps.length > 2) {
    for (let i = 0; i < def.steps.length; ++i) {
      const d = clone(def);
      d.steps.splice(i, 1);
      if (d.exclusions) d.exclusions = d.exclusions.filter((x) => x.between[1] <= d.steps.length);
      yield d;
    }
  }
  for (let i = 0; i < def.steps.length; ++i) {
    if (def.steps[i].where) {
      const d = clone(def);
      delete d.steps[i].where;
      yield d;
    }
  }
}

const OPTIONAL = {
  rfm: ['segments', 'thresholds', 'monetary', 'method'],
  retention: ['audience', 'cohorts', 'return', 'mode', 'periods'],
  lifecycle: ['audience', 'event', 'periods', 'period'],
  board: ['audience', 'event', 'dormant_days', 'period'],
};

function* analysisVariants(def) {
  for (const key of OPTIONAL[def.kind] || []) {
    if (def[key] !== undefined) {
      const d = clone(def);
      delete d[key];
      yield d;
    }
  }
  if (def.audience && Array.isArray(def.audience.rules)) {
    for (const v of audienceVariants({ root: def.audience })) yield { ...clone(def), audience: v.root };
  }
}

const variantsOf = (def) => (def.kind === 'funnel' ? funnelVariants(def) : OPTIONAL[def.kind] ? analysisVariants(def) : audienceVariants(def));

// `fails(def)`: true while the core and DuckDB disagree on `def` (a definition that no longer
// reads counts as not failing).
export function minimise(def, fails, maxSteps = 200) {
  let current = def;
  for (let step = 0; step < maxSteps; ++step) {
    const variants = variantsOf(current);
    let next = null;
    for (const v of variants) {
      if (fails(v)) {
        next = v;
        break;
      }
    }
    if (!next) return current;
    current = next;
  }
  return current;
}
