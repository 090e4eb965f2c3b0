// A small shop made to break things, for the differential oracle: ties of equal times, events
// exactly at window edges (whole days before the latest event, and one second inside), nulls
// in every column, empty and odd text (quotes, commas, Chinese, spaces around ids), integers,
// doubles, dates and booleans, purchases whose order ids also sit in the orders file (one
// purchase per order, the revenue owner rule), users with no events and events of users with no
// row in the users file. Deterministic: the same seed gives the same bytes.
import { rng } from './random.mjs';

const EVENTS = ['visit', 'view', 'cart', 'checkout', 'purchase'];
const PLANS = ['free', 'plus', 'pro', '', null, 'Pro', 'free trial', 'O\'Brien "plan"', '高级'];
const CITIES = ['上海', 'Köln', 'São Paulo', 'Washington, D.C.', null, 'new york', 'NEW YORK'];
const DEVICES = ['mobile', 'desktop', null, 'tablet', 'Mobile'];

const csvField = (v) => {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
const csv = (header, rows) => [header.join(','), ...rows.map((r) => r.map(csvField).join(','))].join('\n') + '\n';
const pad = (n) => String(n).padStart(2, '0');
const stamp = (ms) => {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
};

// {users.csv, events.csv, orders.csv} as strings, and the as-of time they imply (ms).
export function edgeShop(seed = 7, users = 80) {
  const r = rng(seed);
  const pick = (list) => list[Math.floor(r() * list.length)];
  const day = 86_400_000;
  const asOf = Date.UTC(2026, 5, 30, 12, 0, 0);  // the latest event, written last
  const ids = Array.from({ length: users }, (_, i) => (i % 17 === 5 ? `用户${i}` : `e${String(i).padStart(3, '0')}`));
  const userRows = ids.filter((_, i) => i % 11 !== 3).map((id, i) => [
    i % 13 === 0 ? ` ${id} ` : id,  // spaces around an id: trimmed, the same user
    pick(PLANS),
    r() < 0.15 ? null : Math.floor(r() * 100) - 20,
    r() < 0.15 ? null : Math.round(r() * 1000) / 100,
    r() < 0.1 ? null : new Date(asOf - Math.floor(r() * 400) * day).toISOString().slice(0, 10),
    r() < 0.2 ? null : r() < 0.5,
    pick(CITIES),
  ]);
  const events = [];
  const orders = [];
  let order = 0;
  // Times on a coarse grid so that ties are common; some exactly at window edges.
  const edges = [1, 7, 30, 90].flatMap((k) => [asOf - k * day, asOf - k * day + 1000]);
  const time = () => (r() < 0.15 ? pick(edges) : asOf - Math.floor(r() * 120) * day - Math.floor(r() * 4) * 3_600_000);
  for (const id of ids) {
    if (r() < 0.08) continue;  // no events at all
    const n = Math.floor(r() * 30);
    for (let k = 0; k < n; ++k) {
      const t = time();
      const e = r() < 0.5 ? EVENTS[Math.min(EVENTS.length - 1, Math.floor(r() * 5))] : pick(EVENTS);
      let oid = null;
      let price = r() < 0.2 ? null : Math.round(r() * 5000) / 100;
      if (e === 'purchase') {
        oid = r() < 0.8 ? `o${++order}` : null;
        // Most orders also appear in the orders file, some at the same instant, some with
        // another amount (the file loaded first that gives an amount owns the revenue).
        if (oid && r() < 0.7) orders.push([oid, id, stamp(r() < 0.7 ? t : t + 60_000), r() < 0.5 && price !== null ? price : Math.round(r() * 9000) / 100]);
        if (oid && r() < 0.15) events.push([id, 'purchase', stamp(t), pick(DEVICES), price, 1, oid]);  // a duplicate row
      }
      events.push([id, e, stamp(t), pick(DEVICES), price, r() < 0.1 ? null : Math.floor(r() * 5), oid]);
    }
  }
  // Orders of users who never had an event, and the latest event last.
  for (let k = 0; k < 5; ++k) orders.push([`x${k}`, `ghost${k}`, stamp(time()), Math.round(r() * 10000) / 100]);
  events.push([ids[1], 'visit', stamp(asOf), 'desktop', null, null, null]);
  return {
    asOf,
    files: {
      'users.csv': csv(['user_id', 'plan', 'score', 'ratio', 'signup', 'vip', 'city'], userRows),
      'events.csv': csv(['user_id', 'event', 'timestamp', 'device', 'price', 'qty', 'order_id'], events),
      'orders.csv': csv(['order_id', 'user_id', 'order_time', 'amount'], orders),
    },
  };
}
