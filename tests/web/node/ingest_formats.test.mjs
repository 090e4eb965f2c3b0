// Every input format and every time format, end to end: bytes -> readers -> DuckDB-wasm ->
// mapping -> the real WASM core's model, checked through bridge.state().
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, beforeEach, describe, test } from 'node:test';


import { dropSource, loadSource } from '../../../web/source_loader.js';
import { gbk, parquetFromSql, utf16 } from '../support/fixtures.mjs';
import { startCore, startDuckDB, utf8 } from '../support/node_env.mjs';

// DuckDB-wasm as node_env.mjs makes it, except that Arrow tables (JSON, Parquet) go in as an IPC
// stream: the blocking build's insertArrowTable does not recognise the ES-module apache-arrow
// Tables the readers build and creates no table (see startArrowDuckDB in fixtures.mjs).

let bridge, db;
before(async () => {
  bridge = await startCore();
  db = await startDuckDB();
});

// Every load starts from an empty model, so the overview holds that one file.
async function clear() {
  for (const s of bridge.state('sources')) {
    bridge.call('source_remove', s.name);
    await dropSource(db, s.name);
  }
  bridge.setAsOf(null);
  assert.equal(bridge.state('overview').events, 0);
}
beforeEach(clear);

const source = (name) => bridge.state('sources').find((s) => s.name === name);
const overview = () => {
  const o = bridge.state('overview');
  return { users: o.users, customers: o.customers, events: o.events, orders: o.orders, revenue: o.revenue, first: o.first, last: o.last };
};
const roles = (m) => ({
  kind: m.kind, user_id: m.user_id, time: m.time, event: m.event, event_constant: m.event_constant,
  revenue: m.revenue, revenue_expr: m.revenue_expr, order_id: m.order_id, columns: m.columns,
});

// One small orders export, spelled in every format: two customers, three orders.
const ORDERS = [
  ['1001', '2024-03-01 10:00:00', '12.5', 'A1'],
  ['1002', '2024-03-02 11:30:00', '30', 'A2'],
  ['1001', '2024-03-05 09:00:00', '7.25', 'A3'],
];
const ORDERS_FIGURES = { users: 2, customers: 2, events: 3, orders: 3, revenue: 49.75, first: '2024-03-01 10:00:00', last: '2024-03-05 09:00:00' };
const delimited = (header, sep) => [header, ...ORDERS].map((r) => r.join(sep)).join('\n') + '\n';
const EN = ['customer_id', 'order_time', 'amount', 'order_id'];
const ZH = ['会员ID', '下单时间', '金额', '订单号'];
const ordersMapping = ([user, time, amount, order]) => ({
  kind: 'orders', user_id: user, time, event: null, event_constant: 'purchase', revenue: amount, revenue_expr: '', order_id: order, columns: [],
});

async function expectOrdersLoad(name, bytes, { format, encoding, header = EN }) {
  const r = await loadSource({ db, bridge, name, bytes });
  assert.equal(r.format, format);
  assert.equal(r.encoding, encoding);
  assert.equal(r.rows, 3);
  assert.deepEqual(r.columns.map((c) => c.name), header);
  assert.equal(r.mapped.ok, true);
  assert.deepEqual(roles(r.mapping), ordersMapping(header));
  const s = source(name);
  assert.equal(s.state, 'ready');
  assert.deepEqual(s.rejects, { read: 3, kept: 3, total: 0, reasons: [] });
  assert.deepEqual(overview(), ORDERS_FIGURES);
  assert.equal(bridge.state('as_of'), '2024-03-05 09:00:00');
  return r;
}

describe('each file format loads into the model with an inferred mapping', () => {
  test('CSV (comma)', async () => {
    const r = await expectOrdersLoad('orders.csv', utf8(delimited(EN, ',')), { format: 'csv', encoding: 'utf-8' });
    assert.deepEqual(r.columns.map((c) => c.type), ['BIGINT', 'TIMESTAMP', 'DOUBLE', 'VARCHAR']);
    assert.equal(bridge.state('messages').at(-1).text, 'Loaded orders.csv: 3 rows (csv), mapped as orders');
  });

  test('TSV (tab separated, .tsv)', () => expectOrdersLoad('orders.tsv', utf8(delimited(EN, '\t')), { format: 'csv', encoding: 'utf-8' }));

  test('semicolon-separated CSV', () => expectOrdersLoad('orders_semicolon.csv', utf8(delimited(EN, ';')), { format: 'csv', encoding: 'utf-8' }));

  test('CRLF line endings (Windows)', () => expectOrdersLoad('orders_crlf.csv', utf8(delimited(EN, ',').replace(/\n/g, '\r\n')), { format: 'csv', encoding: 'utf-8' }));

  test('CR line endings (old Mac Excel), over 4 MB: every row, not taken for one long line', async () => {
    const rows = ['user_id,event,time,note'];
    for (let i = 0; i < 120_000; i++) rows.push(`u${i % 1000},view,2024-03-01 10:00:00,note number ${i}`);
    const bytes = utf8(rows.join('\r') + '\r');
    assert.ok(bytes.length > 2 * 2_000_000);
    const r = await loadSource({ db, bridge, name: 'mac.csv', bytes });
    assert.equal(r.rows, 120_000);
    assert.equal(bridge.cellText('mac.csv', 3, 999), 'note number 999');
    assert.deepEqual([overview().users, overview().events], [1000, 120_000]);
  });

  test('JSON array of objects', async () => {
    const rows = ORDERS.map(([u, t, a, o]) => ({ customer_id: Number(u), order_time: t, amount: Number(a), order_id: o }));
    const r = await expectOrdersLoad('orders.json', utf8(JSON.stringify(rows)), { format: 'json', encoding: 'utf-8' });
    // Text times are parsed by the core, which reports the format it found.
    assert.equal(source('orders.json').time_format, 'iso');
    assert.deepEqual(r.columns.map((c) => c.type), ['BIGINT', 'VARCHAR', 'DOUBLE', 'VARCHAR']);
  });

  test('JSON lines (one object per line), an events export', async () => {
    const lines = [
      { distinct_id: 'u1', event: 'signup', time: '2024-03-01T09:00:00Z', plan: 'free' },
      { distinct_id: 'u1', event: 'view', time: '2024-03-01T09:05:00Z', plan: 'free' },
      { distinct_id: 'u2', event: 'view', time: '2024-03-02T10:00:00Z', plan: 'pro' },
      { distinct_id: 'u3', event: 'view', time: '2024-03-03T11:00:00Z', plan: null },
    ];
    const r = await loadSource({ db, bridge, name: 'events.jsonl', bytes: utf8(lines.map((l) => JSON.stringify(l)).join('\n') + '\n') });
    assert.equal(r.format, 'jsonl');
    assert.equal(r.rows, 4);
    assert.deepEqual(roles(r.mapping), {
      kind: 'events', user_id: 'distinct_id', time: 'time', event: 'event', event_constant: '', revenue: null, revenue_expr: '', order_id: null, columns: ['plan'],
    });
    assert.deepEqual(overview(), { users: 3, customers: 0, events: 4, orders: 0, revenue: 0, first: '2024-03-01 09:00:00', last: '2024-03-03 11:00:00' });
    assert.deepEqual(bridge.state('overview').top_events, [{ event: 'view', events: 3, users: 3 }, { event: 'signup', events: 1, users: 1 }]);
  });

  test('Parquet written by native DuckDB (BIGINT ids, TIMESTAMP, DECIMAL amounts)', async () => {
    const values = ORDERS.map(([u, t, a, o]) => `(${u}, TIMESTAMP '${t}', ${a}::DECIMAL(10,2), '${o}')`).join(', ');
    const bytes = await parquetFromSql(`SELECT * FROM (VALUES ${values}) t(customer_id, order_time, amount, order_id)`);
    const r = await expectOrdersLoad('orders.parquet', bytes, { format: 'parquet', encoding: null });
    assert.deepEqual(r.columns.map((c) => c.type), ['BIGINT', 'TIMESTAMP', 'DOUBLE', 'VARCHAR']);
  });

  test('UTF-8 with a byte order mark: the BOM is not part of the first column name', async () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(delimited(EN, ','))]);
    await expectOrdersLoad('orders_bom.csv', bytes, { format: 'csv', encoding: 'utf-8' });
  });

  test('UTF-16 LE with a BOM', () => expectOrdersLoad('orders_le.csv', utf16(delimited(EN, ',')), { format: 'csv', encoding: 'utf-16le' }));

  test('UTF-16 BE with a BOM', () =>
    expectOrdersLoad('orders_be.csv', utf16(delimited(EN, ','), { bigEndian: true }), { format: 'csv', encoding: 'utf-16be' }));

  test('GBK with Chinese headers (会员ID, 下单时间, 金额, 订单号) maps every role', async () => {
    await expectOrdersLoad('订单.csv', gbk(delimited(ZH, ',')), { format: 'csv', encoding: 'gb18030', header: ZH });
    assert.equal(bridge.state('messages').at(-1).text, 'Loaded 订单.csv: 3 rows (csv, gb18030), mapped as orders');
  });

  test('UTF-16 with Chinese headers and Chinese text values', async () => {
    const text = '用户ID,时间,事件\n甲,2024-03-01 08:00:00,浏览\n乙,2024-03-02 08:00:00,下单\n';
    const r = await loadSource({ db, bridge, name: 'events_zh.csv', bytes: utf16(text) });
    assert.deepEqual(roles(r.mapping), {
      kind: 'events', user_id: '用户ID', time: '时间', event: '事件', event_constant: '', revenue: null, revenue_expr: '', order_id: null, columns: [],
    });
    assert.deepEqual(bridge.state('overview').top_events, [{ event: '下单', events: 1, users: 1 }, { event: '浏览', events: 1, users: 1 }]);
  });
});

// Events files of two rows whose times are spelled one way; checks the exact instants.
const eventsMapping = (name, over = {}) => ({
  source: name, kind: 'events', user_id: 'user_id', time: 'time', time_format: 'auto', tz_offset_minutes: 0,
  event: 'event', event_constant: '', revenue: null, revenue_expr: '', order_id: null, filter: '', columns: [], ...over,
});
const csvTimes = (times) => utf8(['user_id,event,time', ...times.map((t, i) => `u${i + 1},e${i + 1},${t}`)].join('\n') + '\n');
const jsonTimes = (times) => utf8(JSON.stringify(times.map((t, i) => ({ user_id: `u${i + 1}`, event: `e${i + 1}`, time: t }))));

async function expectTimes(name, bytes, { first, last, detected, type, mapping }) {
  await clear();
  const r = await loadSource({ db, bridge, name, bytes, mapping: mapping && eventsMapping(name, mapping) });
  assert.equal(r.mapped.ok, true, JSON.stringify(r.mapped.problems));
  if (type) assert.equal(r.columns.find((c) => c.name === 'time').type, type);
  const s = source(name);
  assert.deepEqual(s.rejects.reasons, []);
  assert.equal(s.rejects.kept, s.rejects.read);
  if (detected) assert.equal(s.time_format, detected);
  const o = bridge.state('overview');
  assert.deepEqual([o.first, o.last], [first, last]);
  assert.equal(bridge.state('as_of'), last);
  return s;
}

describe('time formats read to exact instants', () => {
  test('ISO text parsed by DuckDB (CSV: TIMESTAMP), fractions kept', () =>
    expectTimes('iso.csv', csvTimes(['2024-01-31 10:20:30', '2024-02-01T08:00:00.5']), {
      type: 'TIMESTAMP', first: '2024-01-31 10:20:30', last: '2024-02-01 08:00:00.500000',
    }));

  test('ISO text parsed by the core (JSON: text), with T, fractions and a zone', () =>
    expectTimes('iso.json', jsonTimes(['2024-01-31 10:20:30', '2024-02-01T08:00:00.5', '2024-02-01T12:00:00+08:00']), {
      type: 'VARCHAR', detected: 'iso', first: '2024-01-31 10:20:30', last: '2024-02-01 08:00:00.500000',
    }));

  test('ISO with zones in a CSV (DuckDB: TIMESTAMP WITH TIME ZONE) is read as the instant', () =>
    expectTimes('iso_zone.csv', csvTimes(['2024-01-31T10:20:30+08:00', '2024-01-31T10:00:00Z']), {
      type: 'TIMESTAMP WITH TIME ZONE', first: '2024-01-31 02:20:30', last: '2024-01-31 10:00:00',
    }));

  test('YYYY/MM/DD HH:MM in a CSV (DuckDB parses it)', () =>
    expectTimes('ymd.csv', csvTimes(['2024/01/31 10:20', '2024/02/01 09:05']), {
      type: 'TIMESTAMP', first: '2024-01-31 10:20:00', last: '2024-02-01 09:05:00',
    }));

  test('YYYY/M/D H:MM as text (JSON), detected as ymd_slash', () =>
    expectTimes('ymd.json', jsonTimes(['2024/1/31 10:20', '2024/2/1 9:05']), {
      detected: 'ymd_slash', first: '2024-01-31 10:20:00', last: '2024-02-01 09:05:00',
    }));

  test('YYYY年M月D日 H:MM (Chinese dates) is ymd_slash', () =>
    expectTimes('ymd_zh.csv', csvTimes(['2024年1月31日 10:20', '2024年2月1日 09:05']), {
      type: 'VARCHAR', detected: 'ymd_slash', first: '2024-01-31 10:20:00', last: '2024-02-01 09:05:00',
    }));

  test('MM/DD/YYYY H:MM as in UCI Online Retail (12/1/2010 8:26), detected as mdy_slash', () =>
    expectTimes('uci_times.csv', csvTimes(['12/1/2010 8:26', '12/9/2011 12:50']), {
      type: 'VARCHAR', detected: 'mdy_slash', first: '2010-12-01 08:26:00', last: '2011-12-09 12:50:00',
    }));

  test('day-first times need time_format dmy_slash: auto reads the ambiguous column month-first', async () => {
    const times = ['01/02/2024 10:00', '03/04/2024 11:00'];
    await expectTimes('dmy_auto.csv', csvTimes(times), { detected: 'mdy_slash', first: '2024-01-02 10:00:00', last: '2024-03-04 11:00:00' });
    await expectTimes('dmy.csv', csvTimes(times), {
      mapping: { time_format: 'dmy_slash' }, detected: 'dmy_slash', first: '2024-02-01 10:00:00', last: '2024-04-03 11:00:00',
    });
  });

  // DuckDB's sniffer types a date-only column "01/02/2024" as DATE, day-first, before the core
  // sees it; an explicit day/month order turns the column back into its text for the core.
  test('an explicit mdy_slash is honoured for a date-only column DuckDB typed as DATE (day-first)', async () => {
    const dates = csvTimes(['01/02/2024', '03/04/2024']);
    await expectTimes('dates_auto.csv', dates, { type: 'DATE', first: '2024-02-01 00:00:00', last: '2024-04-03 00:00:00' });
    await expectTimes('mdy_dates.csv', dates, {
      type: 'DATE', mapping: { time_format: 'mdy_slash' }, detected: 'mdy_slash', first: '2024-01-02 00:00:00', last: '2024-03-04 00:00:00',
    });
    await expectTimes('dmy_dates.csv', dates, {
      type: 'DATE', mapping: { time_format: 'dmy_slash' }, first: '2024-02-01 00:00:00', last: '2024-04-03 00:00:00',
    });
  });

  test('an explicit dmy_slash is honoured for a column DuckDB typed month-first; a date that does not fit is rejected', async () => {
    await clear();
    const r = await loadSource({ db, bridge, name: 'dmy_dates.csv', bytes: csvTimes(['01/02/2024', '03/14/2024']), mapping: eventsMapping('dmy_dates.csv', { time_format: 'dmy_slash' }) });
    assert.equal(r.columns.find((c) => c.name === 'time').type, 'DATE');
    assert.equal(r.mapped.ok, true);
    const s = source('dmy_dates.csv');
    assert.deepEqual([s.rejects.read, s.rejects.kept, s.rejects.reasons.map((x) => [x.reason, x.count])], [2, 1, [['unparseable time', 1]]]);
    assert.deepEqual([bridge.state().overview.first, bridge.state().overview.last], ['2024-02-01 00:00:00', '2024-02-01 00:00:00']);
  });

  test('an explicit mdy_slash is honoured for times DuckDB typed as TIMESTAMP, with the time zone offset', () =>
    expectTimes('mdy_seconds.csv', csvTimes(['01/02/2024 10:00:00', '03/04/2024 11:30:15']), {
      type: 'TIMESTAMP', mapping: { time_format: 'mdy_slash', tz_offset_minutes: 480 }, first: '2024-01-02 02:00:00', last: '2024-03-04 03:30:15',
    }));

  test('a year-first DATE column keeps DuckDB\'s reading: a day/month order has nothing to overrule', () =>
    expectTimes('ymd_dates.csv', csvTimes(['2024-01-02', '2024-03-04']), {
      type: 'DATE', mapping: { time_format: 'dmy_slash' }, first: '2024-01-02 00:00:00', last: '2024-03-04 00:00:00',
    }));

  test('compact YYYYMMDD as a number column (CSV: BIGINT)', () =>
    expectTimes('compact_num.csv', csvTimes(['20240131', '20240201']), {
      type: 'BIGINT', detected: 'ymd_compact', first: '2024-01-31 00:00:00', last: '2024-02-01 00:00:00',
    }));

  test('compact YYYYMMDD and YYYYMMDD HHMMSS as text', async () => {
    await expectTimes('compact_text.json', jsonTimes(['20240131', '20240201']), {
      type: 'VARCHAR', detected: 'ymd_compact', first: '2024-01-31 00:00:00', last: '2024-02-01 00:00:00',
    });
    await expectTimes('compact_text.csv', csvTimes(['20240131 102030', '20240201 000000']), {
      type: 'VARCHAR', detected: 'ymd_compact', first: '2024-01-31 10:20:30', last: '2024-02-01 00:00:00',
    });
  });

  test('Unix seconds, detected', () =>
    expectTimes('unix_s.csv', csvTimes(['1706696430', '1706745600']), {
      type: 'BIGINT', detected: 'unix_s', first: '2024-01-31 10:20:30', last: '2024-02-01 00:00:00',
    }));

  test('Unix milliseconds, detected, milliseconds kept', () =>
    expectTimes('unix_ms.csv', csvTimes(['1706696430123', '1706745600000']), {
      type: 'BIGINT', detected: 'unix_ms', first: '2024-01-31 10:20:30.123000', last: '2024-02-01 00:00:00',
    }));

  test('Excel serial days, detected, the fraction is the time of day', () =>
    expectTimes('excel.csv', csvTimes(['45322.5', '45323.25']), {
      type: 'DOUBLE', detected: 'excel', first: '2024-01-31 12:00:00', last: '2024-02-01 06:00:00',
    }));

  test('numbers auto-detection cannot place are read with an explicit time_format', async () => {
    // 0 and 86400 fit no numeric range auto accepts: every row is rejected...
    const r = await loadSource({ db, bridge, name: 'epoch_auto.csv', bytes: csvTimes(['0', '86400']) });
    assert.equal(r.mapped.ok, true);
    assert.deepEqual(source('epoch_auto.csv').rejects.reasons.map((x) => [x.reason, x.count]), [['unparseable time', 2]]);
    assert.equal(bridge.state('overview').events, 0);
    // ...and read as Unix seconds, or Excel serials, when the mapping says so.
    await expectTimes('epoch_auto.csv', csvTimes(['0', '86400']), {
      mapping: { time_format: 'unix_s' }, detected: 'unix_s', first: '1970-01-01 00:00:00', last: '1970-01-02 00:00:00',
    });
    await expectTimes('serial_small.csv', csvTimes(['1.5', '61']), {
      mapping: { time_format: 'excel' }, detected: 'excel', first: '1899-12-31 12:00:00', last: '1900-03-01 00:00:00',
    });
    await expectTimes('ms_small.csv', csvTimes(['1500', '86400000']), {
      mapping: { time_format: 'unix_ms' }, detected: 'unix_ms', first: '1970-01-01 00:00:01.500000', last: '1970-01-02 00:00:00',
    });
  });
});

describe('tz_offset_minutes: zone-less wall times are shifted, instants are not', () => {
  const tz = { tz_offset_minutes: 480 };

  test('ISO text in a CSV (DuckDB TIMESTAMP) moves by -8 h', () =>
    expectTimes('tz_iso.csv', csvTimes(['2024-01-31 10:20:30', '2024-02-01 00:00:00']), {
      mapping: tz, type: 'TIMESTAMP', first: '2024-01-31 02:20:30', last: '2024-01-31 16:00:00',
    }));

  test('a DATE column (DuckDB) moves by -8 h', () =>
    expectTimes('tz_date.csv', csvTimes(['2024-01-31', '2024-02-01']), {
      mapping: tz, type: 'DATE', first: '2024-01-30 16:00:00', last: '2024-01-31 16:00:00',
    }));

  test('the same ISO text in JSON (read by the core) moves by the same -8 h', () =>
    expectTimes('tz_iso.json', jsonTimes(['2024-01-31 10:20:30', '2024-02-01 00:00:00']), {
      mapping: tz, first: '2024-01-31 02:20:30', last: '2024-01-31 16:00:00',
    }));

  test('UCI month-first text moves by -8 h', () =>
    expectTimes('tz_mdy.csv', csvTimes(['12/1/2010 8:26', '12/9/2011 12:50']), {
      mapping: tz, first: '2010-12-01 00:26:00', last: '2011-12-09 04:50:00',
    }));

  test('compact numbers and Excel serials are wall time: -8 h', async () => {
    await expectTimes('tz_compact.csv', csvTimes(['20240131', '20240201']), { mapping: tz, first: '2024-01-30 16:00:00', last: '2024-01-31 16:00:00' });
    await expectTimes('tz_excel.csv', csvTimes(['45322.5', '45323.25']), { mapping: tz, first: '2024-01-31 04:00:00', last: '2024-01-31 22:00:00' });
  });

  test('Unix seconds and times with a zone are instants: unchanged', async () => {
    await expectTimes('tz_unix.csv', csvTimes(['1706696430', '1706745600']), { mapping: tz, first: '2024-01-31 10:20:30', last: '2024-02-01 00:00:00' });
    await expectTimes('tz_zoned.csv', csvTimes(['2024-01-31T10:20:30+08:00', '2024-01-31T10:00:00Z']), {
      mapping: tz, type: 'TIMESTAMP WITH TIME ZONE', first: '2024-01-31 02:20:30', last: '2024-01-31 10:00:00',
    });
    await expectTimes('tz_zoned.json', jsonTimes(['2024-01-31T10:20:30+08:00', '2024-01-31T10:00:00Z']), {
      mapping: tz, first: '2024-01-31 02:20:30', last: '2024-01-31 10:00:00',
    });
  });

  test('a negative offset (US Eastern, -300) moves wall times later', () =>
    expectTimes('tz_west.csv', csvTimes(['2024-01-31 22:00:00', '2024-02-01 00:00:00']), {
      mapping: { tz_offset_minutes: -300 }, first: '2024-02-01 03:00:00', last: '2024-02-01 05:00:00',
    }));
});
