// The as-of time given to segx.setAsOf: an ISO date or date-time (UTC unless it has an offset), read strictly. Date.parse
// rolls "2026-02-30" over to March 2 and reads "0000-01-01" as some other year without a word;
// here a date that does not exist, or a year outside 1–9999, is refused naming the text.
const kIso = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

const daysIn = (y, m) => [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];

// Microseconds since the Unix epoch, or throws an Error saying what is wrong with `text`.
export function parseAsOf(text) {
  const shown = JSON.stringify(String(text).length > 60 ? String(text).slice(0, 60) + '…' : String(text));
  if (typeof text !== 'string') throw new Error(`setAsOf: expected an ISO date such as "2026-06-30" (UTC), or null; found ${typeof text}`);
  const m = kIso.exec(text.trim());
  if (!m) throw new Error(`setAsOf: ${shown} is not an ISO date such as "2026-06-30" or "2026-06-30T12:00:00" (UTC)`);
  const [y, mo, d, h = 0, mi = 0, s = 0] = m.slice(1, 7).map((x) => (x === undefined ? undefined : Number(x)));
  const frac = m[7] ? Number(m[7].padEnd(6, '0')) : 0;
  if (y < 1) throw new Error(`setAsOf: ${shown}: the year must be from 1 to 9999`);
  if (mo < 1 || mo > 12) throw new Error(`setAsOf: ${shown}: there is no month ${mo}`);
  if (d < 1 || d > daysIn(y, mo)) throw new Error(`setAsOf: ${shown}: ${y}-${String(mo).padStart(2, '0')} has no day ${d}`);
  if (h > 23 || mi > 59 || s > 59) throw new Error(`setAsOf: ${shown}: the time of day is out of range`);
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, 0);
  const zone = /^([+-])(\d{2}):?(\d{2})$/.exec(m[8] || '');
  const offset = zone ? (zone[1] === '-' ? -1 : 1) * (Number(zone[2]) * 60 + Number(zone[3])) : 0;
  if (zone && (Number(zone[2]) > 14 || Number(zone[3]) > 59)) throw new Error(`setAsOf: ${shown}: the time zone offset is out of range`);
  return (date.getTime() - offset * 60000) * 1000 + frac;
}
