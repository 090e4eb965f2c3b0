// The tables "Copy SQL" names (src/core/sql/audience_sql.h: `users` and `events`), as views in
// the page's own DuckDB, so a copied statement runs there as is. Their rows are written by the
// core from the model (src/core/sql/contract_tables.h: exactly the data the core evaluates) and
// refreshed only when asked and the model changed since.
// The rows live in an in-memory database of their own that DuckDB compresses (ATTACH ...
// (COMPRESS)): at 10M events a plain in-memory table held 1.1 GiB. They arrive in slices of
// users, each slice's CSV text made by the core, read by DuckDB and freed before the next: the
// whole table's text (~70 B an event) would not fit beside a large model in either heap.
import { internalFile } from './duckdb_lock.js';
import { quoteIdent, quoteLiteral } from './load_support.js';

// The database holding the rows (its name has a slash, which no file's table name has).
const kDatabase = quoteIdent('segx/contract');
// About this many events (or users) per slice: ~15 MB of CSV text.
export const kSliceRows = 200_000;

export class SqlTables {
  // sliceRows: kSliceRows, or fewer (tests: many slices of a small shop).
  constructor({ db, bridge, sliceRows = kSliceRows }) {
    Object.assign(this, { db, bridge, sliceRows });
    this.generation = null;  // the model generation (and DuckDB's) the tables hold
  }

  async refresh() {
    // A restarted DuckDB (web/duckdb_browser.js: db.generation) has none of the tables yet.
    const generation = `${this.bridge.modelGeneration()}/${this.db.generation ?? 0}`;
    if (generation === this.generation) return false;
    await this.db.query(`ATTACH IF NOT EXISTS ':memory:' AS ${kDatabase} (COMPRESS)`);
    const users = this.bridge.modelUsers();
    const events = Math.max(1, this.bridge.state('overview').events || 0);
    for (const which of ['users', 'events']) {
      // Users per slice: a slice of the events table holds their events.
      const step = which === 'users' ? this.sliceRows : Math.max(1, Math.floor(this.sliceRows * users / events));
      const table = `${kDatabase}.${quoteIdent(which)}`;
      let created = false;
      for (let first = 0; first < users || !created; first += step) {
        const { columns, csv } = this.bridge.contractTable(which, first, first + step);
        const types = '{' + columns.map(([n, t]) => `${quoteLiteral(n)}: ${quoteLiteral(t)}`).join(', ') + '}';
        const file = internalFile(`contract_${which}.csv`);
        await this.db.registerBuffer(file, csv);
        try {
          const rows = `SELECT * FROM read_csv(${quoteLiteral(file)}, header = true, auto_detect = false, columns = ${types},
            delim = ',', quote = '"', escape = '"', nullstr = '', allow_quoted_nulls = false)`;
          await this.db.query(created ? `INSERT INTO ${table} ${rows}` : `CREATE OR REPLACE TABLE ${table} AS ${rows}`);
          created = true;
        } finally {
          await this.db.dropFile(file);
        }
      }
      await this.db.query(`CREATE OR REPLACE VIEW ${quoteIdent(which)} AS SELECT * FROM ${table}`);
    }
    this.generation = generation;
    return true;
  }
}
