// A load's progress as the page shows it (src/web/bridge.cpp segx_source_progress, the Data
// rail's bar): the stage, the fraction and, while rows stream, their pace in rows a second.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { startCore } from '../support/node_env.mjs';

test('a streaming stage shows its rows per second until the stage changes or the file is ready', async () => {
  const bridge = await startCore();
  const source = () => bridge.state('sources').find((s) => s.name === 'e.csv');
  bridge.beginSource('e.csv', 1000, false);
  bridge.progress('e.csv', 'parsing', 0.1);
  assert.equal(source().rows_per_second, undefined, 'no pace before rows stream');
  bridge.progress('e.csv', 'mapping', 0.25, 123456.7);
  assert.deepEqual([source().state, source().progress, source().rows_per_second], ['loading', 0.25, 123456.7]);
  // A call without a pace keeps the last one for the same stage; another stage starts afresh.
  bridge.progress('e.csv', 'mapping', 0.5);
  assert.equal(source().rows_per_second, 123456.7);
  bridge.progress('e.csv', 'building', 0.9);
  assert.equal(source().rows_per_second, undefined);
  bridge.progress('e.csv', 'mapping', 0.95, Infinity);
  assert.equal(source().rows_per_second, undefined, 'a pace that is not a number is not shown');
  bridge.progress('e.csv', 'mapping', 0.96, 2000);
  bridge.failSource('e.csv', 'cancelled');
  assert.equal(source().rows_per_second, undefined, 'only a file still loading has a pace');
});
