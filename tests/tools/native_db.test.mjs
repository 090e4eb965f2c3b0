// The runner's DuckDB (tools/cli/native_db.mjs): files become tables of their own, whatever
// their names, and after the files are read DuckDB is locked down before any expression of a
// workspace runs: it reads no other file of the machine and writes only the answer.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { loadFiles, openDatabase } from '../../tools/cli/native_db.mjs';
import { repo } from '../web/support/node_env.mjs';

const tmp = mkdtempSync(join(tmpdir(), 'segx-native-db-'));
const secret = join(tmp, 'secret.txt');
let db;
const lines = [];

before(async () => {
  writeFileSync(secret, 'do not read me\n');
  // Files named like the contract tables and like each other but for case.
  copyFileSync(join(repo, 'data/demo/users.csv'), join(tmp, 'USERS'));
  copyFileSync(join(repo, 'data/demo/events.csv'), join(tmp, 'events'));
  copyFileSync(join(repo, 'data/demo/orders.csv'), join(tmp, 'Events'));
  db = await openDatabase({ threads: 1 });
  const out = join(tmp, 'answer.csv');
  await loadFiles(db, ['USERS', 'events', 'Events'].map((f) => join(tmp, f)), {}, (l) => lines.push(l), () => db.lockDown(out, 'csv'));
});
after(() => db?.close());

test('files named users, events and Events keep their own tables beside the contract tables', async () => {
  assert.deepEqual(lines.map((l) => l.split(':')[0]), ['USERS', 'events', 'Events']);
  assert.match(lines[2], /mapped as orders/);
  const [{ n: users }] = await db.rows('SELECT count(*)::INT AS n FROM users');
  const [{ n: fileRows }] = await db.rows('SELECT count(*)::INT AS n FROM "segx/file/1"');
  assert.equal(users, fileRows);
  const [{ n: purchases }] = await db.rows("SELECT count(*)::INT AS n FROM events WHERE event = 'purchase'");
  assert.ok(purchases > 0);
});

test('after the lock-down DuckDB reads no other file and writes only the answer', async () => {
  await assert.rejects(db.rows(`SELECT * FROM read_text(${JSON.stringify(secret).replace(/"/g, "'")})`), /disabled|Permission|not allowed|Cannot access/i);
  await assert.rejects(db.rows(`SELECT * FROM read_csv('${join(repo, 'data/demo/users.csv')}')`), /disabled|Permission|not allowed|Cannot access/i);
  await assert.rejects(db.run(`COPY (SELECT 1) TO '${join(tmp, 'elsewhere.csv')}'`), /disabled|Permission|not allowed|Cannot access/i);
  assert.equal(existsSync(join(tmp, 'elsewhere.csv')), false);
  await assert.rejects(db.run('SET enable_external_access=true'), /locked/i);
  const n = await db.copyTo('SELECT user_id FROM users ORDER BY user_id LIMIT 3', join(tmp, 'answer.csv'), 'csv');
  assert.equal(n, 3);
  assert.equal(readFileSync(join(tmp, 'answer.csv'), 'utf8').trim().split('\n').length, 4);
});
