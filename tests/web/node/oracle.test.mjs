// The differential oracle's CI corpus (tests/oracle/oracle.mjs): a few hundred generated
// audiences (every rule kind), funnels, RFM settings, retentions, lifecycles and boards on the demo and on a shop made to break things, each answered by the
// core and by DuckDB running the compiled SQL. A disagreement fails with the smallest
// definition that still disagrees; a generated definition the reader refuses fails too (the
// generator must only write what the format allows). `--full` runs thousands by hand.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { DATASETS, openDataset, runCorpus } from '../../oracle/oracle.mjs';

for (const name of Object.keys(DATASETS)) {
  test(`the core and DuckDB agree on generated definitions over the ${name} data`, async () => {
    const ds = await openDataset(name);
    const r = runCorpus(ds, { count: 150, seed: 20261204 });
    assert.equal(r.checked, 285);
    assert.deepEqual(r.refused.map((x) => ({ by: x.refused, errors: x.errors, def: x.def })), []);
    assert.deepEqual(r.mismatches, []);
  });
}
