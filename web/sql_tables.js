// The tables "Copy SQL" names (src/core/sql/audience_sql.h: `users` and `events`), as views in
// the page's own DuckDB, so a copied statement runs there as is. Their rows are written by the
// core from the model (src/core/sql/contract_tables.h: exactly the data the core evaluates) and
// refreshed only when asked and the model changed since.
import { internalFile, internalTable } from './duckdb_lock.js';
import { quoteIdent, quoteLiteral } from './load_support.js';

export class SqlTables {
  constructor({ db, bridge }) {
    Object.assign(this, { db, bridge });
    this.generation = null;  // the model generation (and DuckDB's) the tables hold
  }

  async refresh() {
    // A restarted DuckDB (web/duckdb_browser.js: db.generation) has none of the tables yet.
    const generation = `${this.bridge.modelGeneration()}/${this.db.generation ?? 0}`;
    if (generation === this.generation) return false;
    for (const which of ['users', 'events']) {
      const { columns, csv } = this.bridge.contractTable(which);
      const file = internalFile(`contract_${which}.csv`);
      const table = quoteIdent(internalTable(`contract/${which}`));
      const types = '{' + columns.map(([n, t]) => `${quoteLiteral(n)}: ${quoteLiteral(t)}`).join(', ') + '}';
      await this.db.registerBuffer(file, csv);
      try {
        await this.db.query(`CREATE OR REPLACE TABLE ${table} AS SELECT * FROM read_csv(${quoteLiteral(file)}, header = true,
          auto_detect = false, columns = ${types}, delim = ',', quote = '"', escape = '"', nullstr = '',
          allow_quoted_nulls = false)`);
      } finally {
        await this.db.dropFile(file);
      }
      await this.db.query(`CREATE OR REPLACE VIEW ${quoteIdent(which)} AS SELECT * FROM ${table}`);
    }
    this.generation = generation;
    return true;
  }
}
