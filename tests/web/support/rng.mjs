// A small seeded generator (mulberry32), so that every run of a generated-definitions test
// checks the same definitions.
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// The rows of one statement (prepare refuses more) as plain objects, BIGINTs as numbers.
export function sqlRows(db, sql) {
  const stmt = db.conn.prepare(sql);
  try {
    return stmt.query().toArray().map((r) => {
      const o = r.toJSON();
      for (const k of Object.keys(o)) if (typeof o[k] === 'bigint') o[k] = Number(o[k]);
      return o;
    });
  } finally {
    stmt.close();
  }
}

export const day = (ms) => new Date(Number(ms)).toISOString().slice(0, 10);
