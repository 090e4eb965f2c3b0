// Bad files and bad mappings: each gives a clear message or a clear partial load (rejected rows
// counted per reason, with examples), never a crash or a hang, and never loses what was loaded
// before.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, before, describe, test } from 'node:test';


import { applyMapping, dropSource, fillModel, loadSource } from '../../../web/source_loader.js';
import { repo, startCore, startDuckDB, utf8 } from '../support/node_env.mjs';

// DuckDB-wasm as node_env.mjs makes it, with Arrow tables inserted as an IPC stream (the
// blocking build's insertArrowTable creates nothing for the ES-module Tables of the readers).

let bridge, db;
const GOOD_EVENTS = 'user_id,event,time\nu1,view,2024-03-01 10:00:00\nu2,view,2024-03-01 11:00:00\nu1,buy,2024-03-02 09:30:00\n';
const GOOD_USERS = 'user_id,country\nu1,CN\nu2,US\nu3,JP\n';
let baseline;  // the overview and the good files' state after the good loads

const state = (section) => bridge.state(section);
const source = (name) => state('sources').find((s) => s.name === name);
const figures = () => {
  const o = state('overview');
  return { users: o.users, customers: o.customers, events: o.events, orders: o.orders, revenue: o.revenue, first: o.first, last: o.last, top: o.top_events };
};
const goodState = () => ['events.csv', 'users.csv'].map((n) => {
  const s = source(n);
  return { name: n, state: s.state, rows: s.rows, rejects: s.rejects, mapping: s.mapping };
});
const tableRows = (name) => Number(db.query(`SELECT count(*)::INT AS n FROM "${name}"`).toArray()[0].n);

// What was loaded before is untouched: the good files (state, rows, mapping, DuckDB tables,
// cells) and every figure of the model.
function assertIntact() {
  assert.deepEqual(goodState(), baseline.good);
  assert.deepEqual(figures(), baseline.figures);
  assert.equal(tableRows('events.csv'), 3);
  assert.equal(tableRows('users.csv'), 3);
  assert.equal(bridge.cellText('events.csv', 1, 2), 'buy');
  assert.equal(bridge.cellText('users.csv', 1, 2), 'JP');
}

// A file that loads with a partial or empty result: removed again after its checks (the good
// files' rows are streamed again from DuckDB for the rebuild: fillModel).
async function removeFile(name) {
  bridge.call('source_remove', name);
  await dropSource(db, name);
  await fillModel({ db, bridge });
  assertIntact();
}

async function expectFailure(name, bytes, pattern, options = {}) {
  let error = null;
  try {
    await loadSource({ db, bridge, name, bytes, ...options });
  } catch (e) {
    error = e;
  }
  assert.ok(error, `${name}: expected the load to fail`);
  assert.ok(error.message.startsWith(`${name}: `), error.message);
  // `pattern` is matched against the message without the "<file>: " prefix.
  assert.match(error.message.slice(name.length + 2), pattern);
  const s = source(name);
  assert.equal(s.state, 'failed');
  assert.match(s.error, pattern);
  const last = state('messages').at(-1);
  assert.equal(last.level, 'error');
  assert.equal(last.text, `${name}: ${s.error}`);
  assertIntact();
  bridge.call('source_remove', name);
  return error;
}

// Whatever a test loaded goes again, even when the test failed half-way, so one failure does not
// spill into the next test's figures.
afterEach(async () => {
  for (const s of state('sources')) {
    if (s.name === 'events.csv' || s.name === 'users.csv') continue;
    bridge.call('source_remove', s.name);
    await dropSource(db, s.name);
  }
  await fillModel({ db, bridge });
});

before(async () => {
  bridge = await startCore();
  db = await startDuckDB();
  await loadSource({ db, bridge, name: 'events.csv', bytes: utf8(GOOD_EVENTS) });
  await loadSource({ db, bridge, name: 'users.csv', bytes: utf8(GOOD_USERS) });
  baseline = { good: goodState(), figures: figures() };
  assert.deepEqual(
    { ...baseline.figures, top: undefined },
    { users: 3, customers: 0, events: 3, orders: 0, revenue: 0, first: '2024-03-01 10:00:00', last: '2024-03-02 09:30:00', top: undefined },
  );
});

describe('files that cannot be loaded give a clear message', () => {
  test('an empty file (0 bytes)', () => expectFailure('empty.csv', new Uint8Array(0), /the file is empty \(0 bytes\)/));

  test('a binary file renamed .csv (a WASM module: zero bytes)', () => {
    const wasm = new Uint8Array(readFileSync(join(repo, 'build/web/src/web/segx_core.wasm')));
    return expectFailure('module.csv', wasm, /this is not a text file: a zero byte at offset 0 \(line 1\); expected CSV text/);
  });

  test('an Excel workbook renamed .csv', () =>
    expectFailure('sheet.csv', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 6, 0, 8, 0]), /Excel workbook \(\.xlsx\); export the sheet as CSV/));

  test('random bytes without a zero byte renamed .csv: DuckDB finds no CSV dialect', () => {
    const bytes = new Uint8Array(4096);
    let x = 12345;
    for (let i = 0; i < bytes.length; i++) (x = (x * 1103515245 + 12345) & 0x7fffffff), (bytes[i] = 1 + ((x >> 16) % 255));
    return expectFailure('noise.csv', bytes, /^this does not read as CSV: no separator and quoting fit its lines/);
  });

  test('a 100 MB single line without a line break is refused before DuckDB reads it, and says why', async () => {
    const bytes = new Uint8Array(100_000_000).fill(0x61);
    // The line check comes first: DuckDB is never handed the bytes (its sniffer would read the
    // whole line as one field).
    const handed = [];
    const watched = { ...db, registerBuffer: (file, b) => (handed.push(file), db.registerBuffer(file, b)) };
    await expectFailure('one_line.csv', bytes,
      /^line 1 is 100\.0 MB long without a line break \(at most 2,000,000 bytes per line\); expected CSV text with one row per line$/, { db: watched });
    assert.deepEqual(handed, []);
    // And loading goes on as before.
    const r = await loadSource({ db, bridge, name: 'after_long.csv', bytes: utf8('user_id,event,time\nu7,view,2024-03-01 10:00:00\n') });
    assert.equal(r.rows, 1);
    assert.equal(source('after_long.csv').state, 'ready');
  });

  test('a 3 MB line in the middle of a file is named by its line number', () => {
    const text = GOOD_EVENTS + `u9,${'x'.repeat(3_000_000)},2024-03-03 10:00:00\nu1,view,2024-03-04 10:00:00\n`;
    return expectFailure('long_line.csv', utf8(text), /^line 5 is 3\.0 MB long without a line break/);
  });

  test('a quoted value that is never closed names the line of the opening quote', async () => {
    await expectFailure('unclosed.csv', utf8('user_id,event,time\nu1,view,2024-03-01 10:00:00\nu2,"view,2024-03-01 11:00:00\nu3,buy,2024-03-02 09:30:00\n'),
      /^a quoted value is never closed \(the quote opens on line 3\)$/);
    await expectFailure('unclosed_id.csv', utf8('user_id,event,time\n"u1,view,2024-03-01 10:00:00\n'), /the quote opens on line 2/);
  });

  test('quotes that do close, a quoted line break and a stray quote inside a value still load', async () => {
    const text = 'user_id,event,time,note\nq1,view,2024-03-01 10:00:00,"two\nlines"\nq2,view,2024-03-01 11:00:00,"say ""hi"""\nq3,view,2024-03-01 12:00:00,12" pizza\n';
    const r = await loadSource({ db, bridge, name: 'quotes.csv', bytes: utf8(text) });
    assert.equal(r.rows, 3);
    assert.deepEqual([0, 1, 2].map((i) => bridge.cellText('quotes.csv', 3, i)), ['two\nlines', 'say "hi"', '12" pizza']);
    await removeFile('quotes.csv');
  });

  test('a tab-separated file (unquoted by convention) keeps a value that starts with a quote', async () => {
    const text = 'user_id\tevent\ttime\treview\nr1\tview\t2024-03-01 10:00:00\t"Great product\nr2\tview\t2024-03-01 11:00:00\tok\n';
    const r = await loadSource({ db, bridge, name: 'reviews.tsv', bytes: utf8(text) });
    assert.equal(r.rows, 2);
    assert.deepEqual([0, 1].map((i) => bridge.cellText('reviews.tsv', 3, i)), ['"Great product', 'ok']);
    await removeFile('reviews.tsv');
  });

  test('ragged rows', () =>
    expectFailure('ragged.csv', utf8('user_id,event,time\nu1,view,2024-03-01 10:00:00\nu2,view,2024-03-01,extra,fields\n'), /line 3 has 5 fields where the header has 3/));

  test('a failed reload of a loaded file keeps the earlier version and its model data', async () => {
    for (const bytes of [new Uint8Array(0), utf8('user_id,event,time\n"u1,view,2024-03-01 10:00:00\n'), new Uint8Array(3_000_000).fill(0x62)]) {
      await assert.rejects(loadSource({ db, bridge, name: 'events.csv', bytes }), /^Error: events\.csv: /);
      assert.match(state('messages').at(-1).text, /^events\.csv: .*\(the earlier version is kept\)$/);
      assertIntact();
    }
  });
});

describe('files that load in part say what was left out', () => {
  test('a header without rows loads as an empty file with a clear status', async () => {
    const r = await loadSource({ db, bridge, name: 'header_only.csv', bytes: utf8('user_id,event,time\n') });
    assert.equal(r.rows, 0);
    assert.equal(r.mapping.kind, 'events');
    const s = source('header_only.csv');
    assert.deepEqual([s.state, s.rows, s.preview_rows], ['ready', 0, 0]);
    assert.deepEqual(s.columns.map((c) => c.name), ['user_id', 'event', 'time']);
    assert.deepEqual(s.rejects, { read: 0, kept: 0, total: 0, reasons: [] });
    assert.equal(state('messages').at(-1).text, 'Loaded header_only.csv: 0 rows (csv), mapped as events');
    assert.deepEqual(figures(), baseline.figures);
    await removeFile('header_only.csv');
  });

  test('duplicate column names are made unique and stay mappable', async () => {
    const r = await loadSource({ db, bridge, name: 'dup_cols.csv', bytes: utf8('user_id,event,time,event\nd1,view,2024-03-05 10:00:00,click\n') });
    assert.deepEqual(r.columns.map((c) => c.name), ['user_id', 'event', 'time', 'event_1']);
    assert.deepEqual([r.mapping.event, r.mapping.columns], ['event', ['event_1']]);
    assert.deepEqual([0, 1, 3].map((c) => bridge.cellText('dup_cols.csv', c, 0)), ['d1', 'view', 'click']);
    assert.equal(state('overview').users, baseline.figures.users + 1);
    await removeFile('dup_cols.csv');

    const r2 = await loadSource({ db, bridge, name: 'a_a_b.csv', bytes: utf8('a,a,b\n1,2,3\n') });
    assert.deepEqual(r2.columns.map((c) => c.name), ['a', 'a_1', 'b']);
    assert.deepEqual(r2.mapped.problems, ['user_id: choose the column that holds the user id']);
    assert.equal(state('messages').at(-1).text, 'Loaded a_a_b.csv: 1 row (csv); the mapping needs attention (see the Mapping tab)');
    assert.deepEqual(source('a_a_b.csv').mapping_problems, ['user_id: choose the column that holds the user id']);
    await removeFile('a_a_b.csv');
  });

  test('a users file with duplicate ids: the last row wins, earlier rows are reported', async () => {
    const text = 'user_id,country,plan\nd1,CN,free\nd2,US,pro\nd1,JP,pro\nd3,DE,free\nd2,FR,team\n';
    const r = await loadSource({ db, bridge, name: 'dup_users.csv', bytes: utf8(text) });
    assert.equal(r.mapping.kind, 'users');
    assert.deepEqual(source('dup_users.csv').rejects, {
      read: 5, kept: 3, total: 2,
      reasons: [{
        reason: 'duplicate user id (last row wins)', count: 2,
        examples: ['row 1: user_id="d1" (replaced by row 3)', 'row 2: user_id="d2" (replaced by row 5)'],
      }],
    });
    assert.equal(state('overview').users, baseline.figures.users + 3);
    assert.equal(state('messages').at(-1).text,
      'Loaded dup_users.csv: 5 rows (csv), mapped as users; 2 rows not loaded (2 duplicate user id (last row wins))');
    await removeFile('dup_users.csv');
  });

  test('timestamps that never parse: every row rejected with 5 examples, no events, a warning', async () => {
    const text = 'user_id,event,time\nt1,view,yesterday\nt2,view,soon\nt3,view,2024-13-45\nt4,view,nope\nt5,view,31/31/2024\nt6,view,later\n';
    const r = await loadSource({ db, bridge, name: 'bad_times.csv', bytes: utf8(text) });
    assert.equal(r.mapped.ok, true);
    assert.deepEqual(source('bad_times.csv').rejects, {
      read: 6, kept: 0, total: 6,
      reasons: [{
        reason: 'unparseable time', count: 6,
        examples: [
          'row 1: user_id="t1", time="yesterday"', 'row 2: user_id="t2", time="soon"', 'row 3: user_id="t3", time="2024-13-45"',
          'row 4: user_id="t4", time="nope"', 'row 5: user_id="t5", time="31/31/2024"',
        ],
      }],
    });
    assert.deepEqual(figures(), baseline.figures);  // no user and no event from this file
    assert.deepEqual(state('messages').at(-1), {
      level: 'warning', text: 'bad_times.csv: none of the 6 rows could be loaded (6 unparseable time); see Rejected rows',
    });
    await removeFile('bad_times.csv');
  });

  test('rows without a user id (empty, blank, null in JSON) are rejected with examples', async () => {
    const text = 'user_id,event,time\n,view,3/1/2024 10:00\n   ,view,3/1/2024 11:00\nn1,buy,3/2/2024 09:30\n';
    await loadSource({ db, bridge, name: 'no_ids.csv', bytes: utf8(text) });
    assert.deepEqual(source('no_ids.csv').rejects, {
      read: 3, kept: 1, total: 2,
      reasons: [{ reason: 'no user id', count: 2, examples: ['row 1: user_id=null, time="3/1/2024 10:00"', 'row 2: user_id="   ", time="3/1/2024 11:00"'] }],
    });
    assert.equal(state('overview').users, baseline.figures.users + 1);
    assert.equal(state('messages').at(-1).text, 'Loaded no_ids.csv: 3 rows (csv), mapped as events; 2 rows not loaded (2 no user id)');
    await removeFile('no_ids.csv');

    await loadSource({ db, bridge, name: 'no_ids_users.csv', bytes: utf8('user_id,country\n,CN\n ,US\n') });
    assert.deepEqual(source('no_ids_users.csv').rejects, {
      read: 2, kept: 0, total: 2, reasons: [{ reason: 'no user id', count: 2, examples: ['row 1: user_id=null', 'row 2: user_id=" "'] }],
    });
    assert.deepEqual(state('messages').at(-1), {
      level: 'warning', text: 'no_ids_users.csv: none of the 2 rows could be loaded (2 no user id); see Rejected rows',
    });
    await removeFile('no_ids_users.csv');

    const json = JSON.stringify([{ user_id: null, event: 'view', time: '2024-03-01 10:00:00' }, { user_id: 'n2', event: 'view', time: '2024-03-01 10:00:00' }]);
    await loadSource({ db, bridge, name: 'no_ids.json', bytes: utf8(json) });
    assert.deepEqual(source('no_ids.json').rejects.reasons, [{ reason: 'no user id', count: 1, examples: ['row 1: user_id=null, time="2024-03-01 10:00:00"'] }]);
    await removeFile('no_ids.json');
  });

  test('an orders file: non-numeric and missing amounts reject their rows with reasons, negative ones are refunds', async () => {
    const text = [
      'user_id,order_id,order_time,amount',
      'o1,X1,3/1/2024 10:00,10',
      'o2,X2,3/1/2024 11:00,-5',
      'o3,X3,3/1/2024 12:00,abc',
      'o4,X4,3/1/2024 13:00,',
      'o5,X5,3/1/2024 14:00,"¥1,234.50"',
      'o6,X6,3/1/2024 15:00,(12.50)',
    ].join('\n') + '\n';
    const r = await loadSource({ db, bridge, name: 'bad_amounts.csv', bytes: utf8(text) });
    assert.deepEqual([r.mapping.kind, r.mapping.revenue], ['orders', 'amount']);
    assert.deepEqual(source('bad_amounts.csv').rejects, {
      read: 6, kept: 4, total: 2,
      reasons: [
        { reason: 'non-numeric amount', count: 2, examples: ['row 3: user_id="o3", time="3/1/2024 12:00", amount="abc"', 'row 4: user_id="o4", time="3/1/2024 13:00", amount=null'] },
      ],
    });
    const o = figures();
    assert.deepEqual([o.users, o.customers, o.orders, o.revenue], [baseline.figures.users + 4, 2, 2, 1244.5]);
    // -5 and (12.50), an accountant's negative, are refunds of 17.50 beside the revenue.
    const ov = state('overview');
    assert.deepEqual([ov.refunds, ov.refund_amount, ov.net_revenue], [2, 17.5, 1227]);
    assert.equal(state('messages').at(-1).text,
      'Loaded bad_amounts.csv: 6 rows (csv), mapped as orders; 2 rows not loaded (2 non-numeric amount)');
    await removeFile('bad_amounts.csv');
  });
});

describe('malformed and hostile mappings are problems with their paths, never a crash', () => {
  const goodMapping = () => ({ ...baseline.good[0].mapping });
  const cases = [
    ['an unknown column', { user_id: 'nope' }, ['user_id: no column named "nope"']],
    ['an unknown property column', { columns: ['ghost'] }, ['columns[0]: no column named "ghost"']],
    ['an unknown kind', { kind: 'sessions' }, ['kind: expected one of users, events, orders']],
    ['an unknown time format', { time_format: 'yyyy' }, ['time_format: expected one of auto, iso, ymd_slash, mdy_slash, dmy_slash, ymd_compact, unix_s, unix_ms, excel']],
    ['an offset out of range', { tz_offset_minutes: 100000 }, ['tz_offset_minutes: expected whole minutes between -1080 and 1080']],
    ['an offset that is SQL', { tz_offset_minutes: '0; DROP TABLE x' }, ['tz_offset_minutes: expected whole minutes between -1080 and 1080']],
    ['a column name that is not text', { user_id: 5 }, ['user_id: expected text']],
    ['columns that are not a list', { columns: 'user_id' }, ['columns: expected a list of column names']],
    ['an expression that is not text', { filter: 42 }, ['filter: expected text']],
    ['read_csv of a URL in revenue_expr', { revenue_expr: `read_csv('http://x')` }, ['revenue_expr: "read_csv" is not allowed in an expression']],
    ['a URL built by concatenation', { revenue_expr: `read_text('http:/' || '/x')` }, ['revenue_expr: "read_text" is not allowed in an expression']],
    ['a second statement in the filter', { filter: `1=1; DROP TABLE "events.csv"` }, ['filter: ";" is not allowed in an expression']],
    ['a comment that hides the rest of the query', { filter: `true --` }, ['filter: "--" is not allowed in an expression']],
    ['a subquery', { filter: `user_id IN (SELECT user_id FROM "users.csv")` }, ['filter: "SELECT" is not allowed in an expression']],
    ['a subquery hidden between quotes of the other kind', { filter: `'"' || (SELECT 1) || '"' = 'x'` }, ['filter: "SELECT" is not allowed in an expression']],
    ['a dollar-quoted string', { filter: `$$'$$ = 'x' OR "user_id" IN (FROM "users.csv") --'` }, ['filter: "$" is not allowed in an expression']],
    ['an escape string', { filter: `E'\\'' = 'x' OR "user_id" IN (FROM "users.csv") --'` }, [`filter: escape strings (E'...') are not allowed in an expression`]],
    ['a PIVOT subquery reading a file', { filter: `1 = (PIVOT 'users.csv' ON country USING count(*))` }, ['filter: "PIVOT" is not allowed in an expression']],
    ['a 10 000 character expression', { filter: `"user_id" = 'u1' OR ${'1 = 1 OR '.repeat(1100)}true` }, ['filter: the expression is longer than 2000 characters']],
  ];

  for (const [what, patch, problems] of cases) {
    test(`${what}: applying it changes nothing`, async () => {
      const mapping = { ...goodMapping(), ...patch };
      const r = await applyMapping({ db, bridge, name: 'events.csv', mapping, columns: [{ name: 'user_id', type: 'VARCHAR' }, { name: 'event', type: 'VARCHAR' }, { name: 'time', type: 'TIMESTAMP' }] });
      assert.deepEqual(r, { ok: false, problems, ms: {} });
      assert.deepEqual(source('events.csv').mapping_problems, problems);
      assert.equal(state('messages').at(-1).level, 'warning');
      assert.equal(state('messages').at(-1).text, `events.csv: the mapping needs attention — ${problems[0]}`);
      assertIntact();
    });
  }

  test('a mapping that is not an object', async () => {
    for (const mapping of [null, 'events', 42, []]) {
      const r = await applyMapping({ db, bridge, name: 'events.csv', mapping, columns: [] });
      assert.deepEqual(r.problems, ['mapping: expected an object']);
      assertIntact();
    }
  });

  test('expressions DuckDB refuses are reported under their key', async () => {
    const columns = [{ name: 'user_id', type: 'VARCHAR' }, { name: 'event', type: 'VARCHAR' }, { name: 'time', type: 'TIMESTAMP' }];
    const run = (patch) => applyMapping({ db, bridge, name: 'events.csv', mapping: { ...goodMapping(), ...patch }, columns });
    assert.deepEqual((await run({ filter: '"nope" > 1' })).problems, ['filter: the expression could not run: Referenced column "nope" not found in FROM clause!']);
    assert.match((await run({ filter: 'user_id = ' })).problems[0], /^filter: the expression could not run: syntax error/);
    assert.deepEqual((await run({ revenue_expr: '"nope" * 2' })).problems, ['revenue_expr: the expression could not run: Referenced column "nope" not found in FROM clause!']);
    assertIntact();
  });

  test('a hostile mapping given with a new file loads the file but maps nothing', async () => {
    const r = await loadSource({
      db, bridge, name: 'hostile.csv', bytes: utf8('user_id,event,time\nh1,view,2024-03-05 10:00:00\n'),
      mapping: { ...goodMapping(), source: 'hostile.csv', revenue_expr: `read_csv('http://x')` },
    });
    assert.equal(r.rows, 1);
    assert.deepEqual(r.mapped.problems, ['revenue_expr: "read_csv" is not allowed in an expression']);
    assert.equal(state('messages').at(-1).text, 'Loaded hostile.csv: 1 row (csv); the mapping needs attention (see the Mapping tab)');
    assert.deepEqual(figures(), baseline.figures);
    await removeFile('hostile.csv');
  });

  test('a hostile saved mapping is not applied: the inferred one is', async () => {
    const r = await loadSource({
      db, bridge, name: 'saved.csv', bytes: utf8('user_id,event,time\ns1,view,2024-03-05 10:00:00\n'),
      savedMapping: { ...goodMapping(), filter: `1=1; DROP TABLE "events.csv"` },
    });
    assert.equal(r.mapped.ok, true);
    assert.equal(r.mapping.filter, '');
    assert.equal(state('overview').users, baseline.figures.users + 1);
    await removeFile('saved.csv');
  });
});
