#!/usr/bin/env node
// segx demo-data generator: a deterministic, seeded simulation of an online shop.
//
//   node data/generate.mjs [--seed 42] [--users N] [--events N] [--out DIR] [--shop en|zh]
//
// `--shop zh` makes a Chinese shop instead (data/demo_zh/): provinces and cities, channels
// 天猫 / 抖音 / 小红书 / 微信 / 京东, Chinese categories, CNY prices, Beijing time and the
// column names of Chinese exports, the orders file in GBK (see data/README.md).
//
// Writes users.csv, events.csv and orders.csv (UTF-8, no BOM, header row, RFC 4180 quoting
// only where needed, "\n" line ends). Defaults produce the bundled demo in data/demo/.
// Same seed + arguments => byte-identical files. No dependencies, no Math.random, no clock:
// the simulated year is fixed (2025-11-01 00:00:00 .. 2026-10-31 23:59:59 UTC).
//
// Output is streamed day by day in time order (bounded memory: the users plus one day of
// events), so `--events 10000000` works for benchmarks. See data/README.md.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';

// ---------------------------------------------------------------------------------------------
// PRNG: splitmix32 seeding + sfc32 (32-bit, fast, good quality). Never Math.random.

function splitmix32(a) {
  return function () {
    a = (a + 0x9e3779b9) | 0;
    let z = a;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

class Rng {
  constructor(seed, stream = 0) {
    const sm = splitmix32((seed ^ Math.imul(stream + 1, 0x27d4eb2f)) | 0);
    this.a = sm() | 0; this.b = sm() | 0; this.c = sm() | 0; this.d = sm() | 0;
    for (let i = 0; i < 16; i++) this.u32();
    this.spare = NaN;
  }
  u32() { // sfc32
    let { a, b, c, d } = this;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    this.a = a; this.b = b; this.c = c; this.d = d;
    return t >>> 0;
  }
  next() { return this.u32() / 4294967296; }          // [0, 1)
  int(n) { return Math.floor(this.next() * n); }       // 0 .. n-1
  range(lo, hi) { return lo + (hi - lo) * this.next(); }
  chance(p) { return this.next() < p; }
  exp(mean) { return -Math.log(1 - this.next()) * mean; }
  normal() { // Box–Muller with a cached spare
    if (this.spare === this.spare) { const s = this.spare; this.spare = NaN; return s; }
    let u = this.next(); if (u < 1e-12) u = 1e-12;
    const v = this.next(), r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
  lognormal(median, sigma) { return median * Math.exp(sigma * this.normal()); }
  geometric(p, max) { let k = 0; while (k < max && this.next() > p) k++; return k; } // failures before success
  pick(cum) { // cum: cumulative weights (last = total)
    const x = this.next() * cum[cum.length - 1];
    let lo = 0, hi = cum.length - 1;
    while (lo < hi) { const m = (lo + hi) >> 1; if (cum[m] > x) hi = m; else lo = m + 1; }
    return lo;
  }
}

const cumulative = (ws) => { const c = []; let s = 0; for (const w of ws) c.push(s += w); return c; };

// ---------------------------------------------------------------------------------------------
// The world: time span, calendar, geography, channels, catalogue.

// The shop ('en': the bundled demo; 'zh': a Chinese shop). Read here, before the world tables
// that depend on it; parseArgs checks the value.
const SHOP = (() => { const i = process.argv.indexOf('--shop'); return i > 0 ? process.argv[i + 1] : 'en'; })();
const ZH = SHOP === 'zh';

const SPAN_START = Date.UTC(2025, 10, 1) / 1000;            // 2025-11-01 00:00:00 UTC
const SPAN_END = Date.UTC(2026, 9, 31, 23, 59, 59) / 1000;  // 2026-10-31 23:59:59 UTC
const DAY = 86400;
const NDAYS = Math.round((SPAN_END + 1 - SPAN_START) / DAY); // 365

// The Chinese shop's channels play the same parts: 天猫 the marketplace's own traffic, 抖音 paid
// short-video ads, 小红书 social content, 微信 the shop's own CRM (best converting), 京东 a referrer.
const CHANNELS = ZH ? ['天猫', '抖音', '小红书', '微信', '京东'] : ['organic', 'paid_search', 'social', 'email', 'referral'];
const CHANNEL_W = [0.34, 0.23, 0.20, 0.10, 0.13];
const DEVICES = ['desktop', 'mobile', 'tablet'];
const DEVICES_ZH = ['电脑', '手机', '平板'];
const AGE_BANDS = ['18-24', '25-34', '35-44', '45-54', '55-64', '65+'];
const AGE_W = [0.14, 0.33, 0.25, 0.15, 0.09, 0.04];

// country, weight, share of mobile-first users, cities [name, weight, UTC offset in hours]
const GEO_EN = [
  ['United States', 0.29, 0.50, [['New York', 5, -5], ['Los Angeles', 4, -8], ['Chicago', 3, -6],
    ['Houston', 2, -6], ['San Francisco', 2, -8], ['Seattle', 2, -8], ['Washington, D.C.', 1.5, -5]]],
  ['China', 0.18, 0.78, [['上海', 5, 8], ['北京', 5, 8], ['深圳', 4, 8], ['杭州', 3, 8], ['广州', 3, 8], ['成都', 2.5, 8]]],
  ['United Kingdom', 0.10, 0.55, [['London', 6, 0], ['Manchester', 2, 0], ['Birmingham', 1.5, 0], ['Edinburgh', 1, 0]]],
  ['Germany', 0.09, 0.50, [['Berlin', 4, 1], ['München', 3, 1], ['Hamburg', 2.5, 1], ['Köln', 2, 1], ['Frankfurt am Main', 1.5, 1]]],
  ['Brazil', 0.07, 0.70, [['São Paulo', 5, -3], ['Rio de Janeiro', 3, -3], ['Belo Horizonte', 1, -3]]],
  ['France', 0.06, 0.55, [['Paris', 5, 1], ['Lyon', 1.5, 1], ['Marseille', 1.2, 1]]],
  ['Canada', 0.05, 0.52, [['Toronto', 4, -5], ['Montréal', 2.5, -5], ['Vancouver', 2, -8]]],
  ['Japan', 0.05, 0.66, [['Tokyo', 5, 9], ['Osaka', 2, 9]]],
  ['Australia', 0.04, 0.58, [['Sydney', 3, 10], ['Melbourne', 2.5, 10]]],
  ['India', 0.04, 0.80, [['Mumbai', 3, 5.5], ['Bengaluru', 3, 5.5], ['Delhi', 2, 5.5]]],
  ['Spain', 0.03, 0.60, [['Madrid', 3, 1], ['Barcelona', 2.5, 1], ['Sevilla', 1, 1]]],
];
// The Chinese shop: province, weight, share of mobile-first users, cities (all UTC+8).
const GEO_ZH = [
  ['广东省', 0.15, 0.84, [['深圳市', 5, 8], ['广州市', 5, 8], ['东莞市', 2, 8], ['佛山市', 2, 8]]],
  ['浙江省', 0.11, 0.82, [['杭州市', 5, 8], ['宁波市', 2.5, 8], ['温州市', 2, 8]]],
  ['江苏省', 0.10, 0.80, [['南京市', 4, 8], ['苏州市', 4, 8], ['无锡市', 2, 8]]],
  ['上海市', 0.08, 0.78, [['上海市', 1, 8]]],
  ['北京市', 0.07, 0.76, [['北京市', 1, 8]]],
  ['山东省', 0.06, 0.85, [['济南市', 3, 8], ['青岛市', 3, 8], ['烟台市', 1.5, 8]]],
  ['四川省', 0.05, 0.86, [['成都市', 6, 8], ['绵阳市', 1, 8]]],
  ['福建省', 0.05, 0.84, [['福州市', 3, 8], ['厦门市', 3, 8], ['泉州市', 2, 8]]],
  ['湖北省', 0.04, 0.85, [['武汉市', 5, 8], ['宜昌市', 1, 8]]],
  ['河南省', 0.04, 0.88, [['郑州市', 4, 8], ['洛阳市', 1.5, 8]]],
  ['湖南省', 0.035, 0.87, [['长沙市', 4, 8], ['株洲市', 1, 8]]],
  ['重庆市', 0.035, 0.86, [['重庆市', 1, 8]]],
  ['陕西省', 0.03, 0.85, [['西安市', 1, 8]]],
  ['天津市', 0.025, 0.80, [['天津市', 1, 8]]],
  ['安徽省', 0.03, 0.87, [['合肥市', 3, 8], ['芜湖市', 1, 8]]],
  ['辽宁省', 0.025, 0.84, [['沈阳市', 2, 8], ['大连市', 2, 8]]],
  ['云南省', 0.02, 0.88, [['昆明市', 1, 8]]],
  ['黑龙江省', 0.015, 0.86, [['哈尔滨市', 1, 8]]],
  ['广西壮族自治区', 0.02, 0.89, [['南宁市', 2, 8], ['桂林市', 1, 8]]],
  ['新疆维吾尔自治区', 0.01, 0.88, [['乌鲁木齐市', 1, 8]]],
];
const GEO = ZH ? GEO_ZH : GEO_EN;
const GEO_CUM = cumulative(GEO.map((g) => g[1]));
const CITY_CUM = GEO.map((g) => cumulative(g[3].map((c) => c[1])));
const CHINA = 1;
const isCn = (g) => ZH || g === CHINA; // Chinese season, promotions and channel mix

// The Chinese shop's categories take the English ones' places (women's wear for Fashion,
// mother & baby for Books), its SKU prefixes are pinyin.
const CATS = ZH ? ['数码', '家居', '女装', '美妆', '母婴', '运动'] : ['Electronics', 'Home', 'Fashion', 'Beauty', 'Books', 'Sports'];
const CAT_SLUG = ZH ? ['shuma', 'jiaju', 'nvzhuang', 'meizhuang', 'muying', 'yundong'] : CATS.map((c) => c.toLowerCase());
const CAT_PREFIX = ZH ? ['SM', 'JJ', 'NZ', 'MZ', 'MY', 'YD'] : ['EL', 'HO', 'FA', 'BE', 'BO', 'SP'];
const CAT_W = [0.20, 0.18, 0.24, 0.14, 0.12, 0.12];
const CAT_CUM = cumulative(CAT_W);
const CAT_ITEMS = [180, 160, 240, 140, 220, 130];
const CAT_PRICE = ZH ? [[499, 0.95], [119, 0.75], [169, 0.6], [139, 0.5], [99, 0.45], [219, 0.7]] // median ¥, sigma
  : [[89, 0.95], [38, 0.75], [34, 0.6], [19, 0.5], [13, 0.35], [42, 0.75]]; // median $, sigma
const CAT_CONV = [0.78, 0.95, 1.0, 1.2, 1.25, 1.0];    // add-to-cart propensity by category
const CAT_LINES = [0.80, 0.60, 0.55, 0.45, 0.45, 0.65]; // P(stop adding lines)
const QUERIES = ZH ? [
  ['耳机', '充电宝', '手机壳', '蓝牙音箱', '智能手表', '数据线', '平板'],
  ['收纳盒', '四件套', '香薰', '台灯', '地毯', '咖啡机'],
  ['连衣裙', '卫衣', '牛仔裤', '羽绒服', '衬衫', '半身裙'],
  ['面霜', '口红', '防晒', '精华', '洗面奶', '面膜'],
  ['纸尿裤', '奶粉', '婴儿车', '辅食', '儿童绘本', '奶瓶'],
  ['瑜伽垫', '跑鞋', '哑铃', '骑行头盔', '帐篷', '运动内衣'],
] : [
  ['headphones', 'usb+c+cable', 'laptop', 'phone+case', 'smartwatch', '耳机', 'monitor', 'charger'],
  ['lamp', 'bedding', 'coffee+maker', 'storage+box', 'rug', '收纳', 'candle'],
  ['sneakers', 'jeans', 'dress', 'jacket', '连衣裙', 'hoodie', 'sunglasses'],
  ['serum', 'lipstick', 'sunscreen', '面霜', 'shampoo', 'perfume'],
  ['novel', 'cookbook', '三体', 'kids+books', 'biography', 'manga'],
  ['yoga+mat', 'running+shoes', 'dumbbells', 'bike+helmet', '瑜伽垫', 'tent'],
];

// Behaviour archetypes.
const ONEOFF = 0, CHURNER = 1, REGULAR = 2, HEAVY = 3;
// P(archetype | channel): one-session, churner, regular, heavy
const ARCH_BY_CH = [
  [0.42, 0.28, 0.27, 0.030],
  [0.50, 0.28, 0.20, 0.020],
  [0.57, 0.26, 0.155, 0.015],
  [0.26, 0.24, 0.44, 0.060],
  [0.37, 0.27, 0.32, 0.040],
].map(cumulative);
const ARCH_PROP = [0.85, 0.9, 1.1, 1.7];

// Funnel step rates per session, and channel multipliers (organic, paid_search, social, email, referral).
const P_VIEW = 0.62, P_CART = 0.27, P_CHECKOUT = 0.56, P_PURCHASE = 0.64;
const CH_VIEW = [1.0, 0.97, 0.80, 1.12, 1.08];
const CH_CART = [1.0, 0.74, 0.55, 1.60, 1.22];
const CH_CHECKOUT = [1.0, 0.88, 0.80, 1.18, 1.08];
const CH_PURCHASE = [1.0, 0.84, 0.78, 1.15, 1.08];
const DEV_PURCHASE = [1.12, 0.86, 1.0];

// Calendar: season weight per local day (global and China), weekday weights per device,
// hour-of-day weights (weekday / weekend). All normalised to mean ~1.
const DOW = new Uint8Array(NDAYS + 2);        // 0 = Sunday; index = day + 1 (day -1 .. NDAYS)
const SEASON = new Float64Array(NDAYS + 2);
const SEASON_CN = new Float64Array(NDAYS + 2);
const PROMO = new Float64Array(NDAYS + 2);    // purchase boost on promotion days
const DAY_STR = [];                           // 'YYYY-MM-DD ' per UTC day index 0..NDAYS
{
  const md = (m, d) => Math.round((Date.UTC(m >= 11 ? 2025 : 2026, m - 1, d) / 1000 - SPAN_START) / DAY);
  for (let i = 0; i < NDAYS + 2; i++) {
    const day = i - 1, dt = new Date((SPAN_START + day * DAY) * 1000);
    DOW[i] = dt.getUTCDay();
    const m = dt.getUTCMonth() + 1, d = dt.getUTCDate();
    let w = 1;
    if (m === 1) w = 0.85; else if (m === 2) w = 0.9; else if (m === 7 || m === 8) w = 0.9;
    else if (m === 12 && d >= 2 && d <= 20) w = 1.3; else if (m === 12 && d >= 24 && d <= 26) w = 0.8;
    else if (m === 10) w = 1.05;
    if (day >= md(11, 21) && day <= md(11, 27)) w = 1.25;
    let promo = 1;
    if (day === md(11, 28)) { w = 2.2; promo = 1.45; }              // Black Friday
    if (day === md(11, 29) || day === md(11, 30)) { w = 1.6; promo = 1.25; }
    if (day === md(12, 1)) { w = 1.9; promo = 1.35; }               // Cyber Monday
    if (day >= md(3, 16) && day <= md(3, 22)) { w *= 1.35; promo = 1.2; } // spring sale
    SEASON[i] = w; SEASON_CN[i] = w; PROMO[i] = promo;
    if (day === md(11, 11)) { SEASON_CN[i] = 3.0; }                  // Singles' Day (China)
    if (day === md(6, 18)) { SEASON_CN[i] = 2.2; }                   // 618 (China)
  }
  let s = 0; for (let i = 1; i <= NDAYS; i++) s += SEASON[i];
  for (let i = 0; i < NDAYS + 2; i++) { SEASON[i] /= s / NDAYS; SEASON_CN[i] /= s / NDAYS; }
  for (let i = 0; i <= NDAYS; i++) {
    DAY_STR.push(new Date((SPAN_START + i * DAY) * 1000).toISOString().slice(0, 10) + ' ');
  }
}
const PROMO_CN = Float64Array.from(PROMO);
{ // Singles' Day and 618 are promotion days for Chinese users
  const d1 = Math.round((Date.UTC(2025, 10, 11) / 1000 - SPAN_START) / DAY) + 1;
  const d2 = Math.round((Date.UTC(2026, 5, 18) / 1000 - SPAN_START) / DAY) + 1;
  PROMO_CN[d1] = 1.5; PROMO_CN[d2] = 1.35;
}
// Sunday .. Saturday, per device (desktop, mobile, tablet)
const DOW_W = [
  [0.78, 1.16, 1.12, 1.08, 1.02, 0.88, 0.66],
  [1.32, 1.02, 0.95, 0.93, 0.90, 0.86, 1.06],
  [1.36, 1.0, 0.93, 0.92, 0.9, 0.86, 1.1],
].map((r) => { const m = r.reduce((a, b) => a + b) / 7; return r.map((x) => x / m); });
const HOUR_W = [
  [1.8, 0.8, 0.4, 0.25, 0.25, 0.45, 1.3, 3, 4, 4.5, 4.5, 4.8, 5.5, 5.2, 4.6, 4.5, 4.8, 5.2, 6, 7.5, 8.5, 8.5, 6.5, 4],
  [2.6, 1.4, 0.7, 0.35, 0.25, 0.3, 0.6, 1.4, 2.6, 4, 5.2, 5.8, 6, 6, 6, 6, 6, 6, 6.2, 7, 7.6, 7.4, 6, 4.2],
].map((r) => { const m = r.reduce((a, b) => a + b) / 24; return r.map((x) => x / m); });
const HOUR_CUM = HOUR_W.map(cumulative);
const MAX_INTENSITY = Math.max(...SEASON_CN, ...SEASON) * Math.max(...DOW_W.flat()) * Math.max(...HOUR_W.flat());

// Signup weight per UTC day: growth over the year x season x a weekday dip.
const SIGNUP_CUM = (() => {
  const ws = [];
  for (let day = 0; day < NDAYS; day++) {
    const dow = DOW[day + 1];
    ws.push((1 + 0.9 * day / NDAYS) * SEASON[day + 1] * (dow === 0 || dow === 6 ? 1.1 : 1));
  }
  return cumulative(ws);
})();

// ---------------------------------------------------------------------------------------------
// Catalogue (fixed per seed): item ids, prices in cents, Zipf popularity lookup tables.

function makeCatalogue(rng) {
  const cats = [], allIds = [];
  for (let c = 0; c < CATS.length; c++) {
    const n = CAT_ITEMS[c], ids = [], price = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      ids.push(CAT_PREFIX[c] + String(k + 1).padStart(3, '0'));
      let dollars = CAT_PRICE[c][0] * Math.exp(CAT_PRICE[c][1] * rng.normal());
      dollars = Math.min(Math.max(dollars, 3), (c === 0 ? 2500 : 600) * (ZH ? 7 : 1));
      // Yuan prices end in 9 (¥199, ¥89.90); dollar prices in .99, .49, .95 or .00.
      const whole = ZH ? Math.floor(dollars / 10) * 10 + 9 : Math.max(1, Math.floor(dollars));
      const cents = (ZH ? [0, 0, 0, 90, 0, 0] : [99, 99, 99, 49, 0, 95])[rng.int(6)];
      price[k] = whole * 100 + cents;
    }
    const TABLE = 8192, table = new Uint16Array(TABLE), cum = [];
    let s = 0; for (let k = 0; k < n; k++) cum.push(s += 1 / Math.pow(k + 1, 0.95));
    for (let j = 0, k = 0; j < TABLE; j++) {
      const x = (j + 0.5) / TABLE * s;
      while (cum[k] < x) k++;
      table[j] = k;
    }
    cats.push({ ids, price, table, base: allIds.length });
    allIds.push(...ids);
  }
  return { cats, ids: allIds };
}

// ---------------------------------------------------------------------------------------------
// Users.

function makeUsers(rng, n) {
  const signup = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const day = rng.pick(SIGNUP_CUM);
    signup[i] = day; // refined below, per user, with the local hour
  }
  const U = {
    n, signup: new Float64Array(n), geo: new Int8Array(n), city: new Int8Array(n), off: new Int32Array(n),
    ch: new Uint8Array(n), dev: new Uint8Array(n), age: new Int8Array(n), plus: new Uint8Array(n),
    optin: new Uint8Array(n), arch: new Uint8Array(n), prop: new Float64Array(n), fav: new Uint8Array(n),
    gap: new Float64Array(n), lifeEnd: new Float64Array(n), back: new Float64Array(n), bought: new Uint16Array(n), id: [],
  };
  for (let i = 0; i < n; i++) {
    const g = rng.chance(0.006) ? -1 : rng.pick(GEO_CUM);
    let city = -1, off = ZH ? 8 * 3600 : 0;
    if (g >= 0) {
      const c = rng.pick(CITY_CUM[g]);
      off = Math.round(GEO[g][3][c][2] * 3600);
      city = rng.chance(isCn(g) ? 0.03 : 0.045) ? -1 : c; // a few users never gave a city
    }
    const ch = rng.pick(CHANNEL_CUM_FOR(g));
    const mob = g >= 0 ? GEO[g][2] : 0.55;
    const x = rng.next();
    const dev = x < mob ? 1 : x < mob + (1 - mob) * 0.86 ? 0 : 2;
    const arch = rng.pick(ARCH_BY_CH[ch]);
    const plus = rng.chance([0.06, 0.12, 0.22, 0.55][arch]) ? 1 : 0;
    const optin = rng.chance(ch === 3 ? 0.97 : 0.45 + 0.1 * plus) ? 1 : 0;
    const age = rng.chance(0.07) ? -1 : rng.pick(AGE_CUM);
    const fav = rng.pick(FAV_CUM[age < 0 ? 1 : age]);
    // Signup moment: the chosen UTC day at a local hour drawn from the daily rhythm.
    const day = signup[i], dow = DOW[day + 1], wk = dow === 0 || dow === 6 ? 1 : 0;
    let t = SPAN_START + day * DAY + rng.pick(HOUR_CUM[wk]) * 3600 + rng.int(3600) - off;
    if (t < SPAN_START) t += DAY;
    if (t > SPAN_END) t -= DAY;
    U.signup[i] = t; U.geo[i] = g; U.city[i] = city; U.off[i] = off; U.ch[i] = ch; U.dev[i] = dev;
    U.arch[i] = arch; U.plus[i] = plus; U.optin[i] = optin; U.age[i] = age; U.fav[i] = fav;
    U.prop[i] = rng.lognormal(1, 0.45) * ARCH_PROP[arch] * (plus ? 1.25 : 1);
    // Mean days between sessions (before thinning) and the end of the active life.
    switch (arch) {
      case ONEOFF: U.gap[i] = rng.range(3, 9); U.lifeEnd[i] = t; break; // gap: used only after a comeback
      case CHURNER: U.gap[i] = rng.range(3, 9); U.lifeEnd[i] = t + rng.range(7, 45) * DAY; break;
      case REGULAR: U.gap[i] = rng.lognormal(20, 0.45); U.lifeEnd[i] = t + rng.exp(280) * DAY; break;
      default: U.gap[i] = rng.range(2.5, 5.5); U.lifeEnd[i] = t + (60 + rng.exp(450)) * DAY; break;
    }
    // Win-back: some lapsed users come back once (a campaign, a season), 45-240 days later.
    const pBack = [0.03, 0.07, 0.14, 0.2][arch] * (optin ? 2 : 1);
    U.back[i] = rng.chance(pBack) ? U.lifeEnd[i] + rng.range(45, 240) * DAY : 0;
  }
  // Ids in signup order.
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => U.signup[a] - U.signup[b] || a - b);
  const perm = (arr) => { const out = new arr.constructor(n); for (let k = 0; k < n; k++) out[k] = arr[order[k]]; return out; };
  for (const key of ['signup', 'geo', 'city', 'off', 'ch', 'dev', 'age', 'plus', 'optin', 'arch', 'prop', 'fav', 'gap', 'lifeEnd', 'back']) U[key] = perm(U[key]);
  const width = Math.max(ZH ? 6 : 5, String(n).length);
  for (let k = 0; k < n; k++) U.id.push((ZH ? 'M' : 'u') + String(k + 1).padStart(width, '0'));
  return U;
}
const AGE_CUM = cumulative(AGE_W);
// Favourite category by age band.
const FAV_CUM = [
  [0.22, 0.08, 0.32, 0.18, 0.08, 0.12], [0.22, 0.15, 0.26, 0.15, 0.10, 0.12], [0.21, 0.22, 0.21, 0.12, 0.11, 0.13],
  [0.19, 0.25, 0.19, 0.12, 0.14, 0.11], [0.17, 0.27, 0.16, 0.12, 0.18, 0.10], [0.14, 0.28, 0.14, 0.10, 0.24, 0.10],
].map(cumulative);
// Chinese users come less from paid search and more from social.
const CHANNEL_CUM = cumulative(CHANNEL_W), CHANNEL_CUM_CN = cumulative([0.30, 0.12, 0.34, 0.10, 0.14]);
const CHANNEL_CUM_ZH = cumulative([0.30, 0.24, 0.18, 0.12, 0.16]);
const CHANNEL_CUM_FOR = (g) => (ZH ? CHANNEL_CUM_ZH : g === CHINA ? CHANNEL_CUM_CN : CHANNEL_CUM);

// ---------------------------------------------------------------------------------------------
// Simulation. Events of one session; the next session time by thinning an inhomogeneous
// Poisson process whose intensity follows the season, weekday and local hour.

const E_PAGE = 0, E_SEARCH = 1, E_VIEW = 2, E_CART = 3, E_CHECKOUT = 4, E_PURCHASE = 5;
const EVENT_NAMES = ['page_view', 'search', 'view_item', 'add_to_cart', 'begin_checkout', 'purchase'];

function intensity(U, u, t) {
  const lt = t + U.off[u] - SPAN_START;
  let ld = Math.floor(lt / DAY);
  if (ld < -1) ld = -1; else if (ld > NDAYS) ld = NDAYS;
  const sod = lt - ld * DAY, i = ld + 1, dow = DOW[i];
  let h = Math.floor(sod / 3600); if (h < 0) h = 0; else if (h > 23) h = 23;
  const season = isCn(U.geo[u]) ? SEASON_CN[i] : SEASON[i];
  return season * DOW_W[U.dev[u]][dow] * HOUR_W[dow === 0 || dow === 6 ? 1 : 0][h];
}

function nextSessionTime(rng, U, u, after, rate) {
  let t = after;
  const end = Math.min(S.lifeEnd[u], SPAN_END);
  const meanSec = (U.gap[u] / rate) * DAY / MAX_INTENSITY;
  if (U.arch[u] === REGULAR && rng.chance(0.05)) t += rng.range(30, 150) * DAY; // a long break
  for (;;) {
    t += rng.exp(meanSec);
    if (t > end) return -1;
    if (rng.next() * MAX_INTENSITY < intensity(U, u, t)) return Math.floor(t);
  }
}

// Interned strings: pages and item ids are small integers in the event buffers.
const PAGES = ['/', '/deals', '/account', '/cart'];
const PG_HOME = 0, PG_DEALS = 1, PG_ACCOUNT = 2, PG_CART = 3, PG_CAT = 4, PG_BLOG = 4 + CATS.length;
for (const slug of CAT_SLUG) PAGES.push('/c/' + slug);
for (const slug of CAT_SLUG) PAGES.push('/blog/' + slug + '-guide');
const PG_SEARCH = QUERIES.map((qs) => qs.map((q) => PAGES.push('/search?q=' + q) - 1));

// A growable struct-of-arrays buffer of events (no per-event objects: little GC work).
// t: seconds since SPAN_START; s: session (day-local index until resolved to the session id);
// page/item: interned (-1 = blank); cents/qty: the order carried by a purchase (cents -1 = none).
class EvBuf {
  constructor(cap = 4096) { this.n = 0; this.alloc(cap); }
  alloc(cap) {
    const F = ['t', 'u', 's', 'e', 'dev', 'page', 'item', 'cat', 'cents', 'qty'];
    const old = this.t ? F.map((k) => this[k]) : null;
    this.cap = cap;
    this.t = new Int32Array(cap); this.u = new Int32Array(cap); this.s = new Int32Array(cap);
    this.e = new Uint8Array(cap); this.dev = new Uint8Array(cap); this.page = new Int16Array(cap);
    this.item = new Int16Array(cap); this.cat = new Int8Array(cap); this.cents = new Int32Array(cap);
    this.qty = new Int16Array(cap);
    if (old) F.forEach((k, j) => this[k].set(old[j].subarray(0, this.n)));
  }
  push(t, u, s, e, dev, page, item, cat, cents, qty) {
    if (this.n === this.cap) this.alloc(this.cap * 2);
    const i = this.n++;
    this.t[i] = t; this.u[i] = u; this.s[i] = s; this.e[i] = e; this.dev[i] = dev;
    this.page[i] = page; this.item[i] = item; this.cat[i] = cat; this.cents[i] = cents; this.qty[i] = qty;
  }
  take(o, i) { this.push(o.t[i], o.u[i], o.s[i], o.e[i], o.dev[i], o.page[i], o.item[i], o.cat[i], o.cents[i], o.qty[i]); }
}

// The simulation's working state lives in module variables so that the per-event code
// allocates nothing: the current simulation (S), rng, users, catalogue and session.
let S = null, R = null, UU = null, CAT = null;
let curU = 0, curS = 0, curDev = 0, curT = 0, lastT = 0, curFocus = 0, curCn = false;
const LINES = new Int32Array(3 * 16);

function emit(e, page, item, cat, cents, qty) {
  const t = curT - SPAN_START;
  lastT = curT;
  if (curT < S.dayEnd) S.today.push(t, curU, curS, e, curDev, page, item, cat, cents, qty);
  else if (curT <= SPAN_END) S.tomorrow.push(t, curU, curS, e, curDev, page, item, cat, cents, qty);
  // else: past the end of the export, dropped
}
function step() { curT += STEP_TABLE[R.u32() >>> 20]; }
function browse() { // a page_view or search somewhere in the shop
  const x = R.next();
  if (x < 0.35) {
    const c = R.chance(0.8) ? curFocus : R.pick(CAT_CUM), q = PG_SEARCH[c];
    emit(E_SEARCH, q[R.int(curCn ? q.length : q.length - 1)], -1, -1, -1, 0); // the last query is Chinese
  } else if (x < 0.8) { const c = R.chance(0.75) ? curFocus : R.pick(CAT_CUM); emit(E_PAGE, PG_CAT + c, -1, c, -1, 0); }
  else if (x < 0.9) emit(E_PAGE, PG_DEALS, -1, -1, -1, 0);
  else emit(E_PAGE, R.chance(0.5) ? PG_HOME : PG_ACCOUNT, -1, -1, -1, 0);
  step();
}
const clamp95 = (p) => (p > 0.95 ? 0.95 : p);

// Seconds between two events of a session: lognormal (median 24 s, sigma 0.95) clamped to
// [2, 1500], drawn from a table of 4096 quantiles (one rng draw, no transcendental functions).
function normalQuantile(p) { // Acklam's rational approximation (|error| < 1.2e-9)
  const a = [-39.6968302866538, 220.946098424521, -275.928510446969, 138.357751867269, -30.6647980661472, 2.50662827745924];
  const b = [-54.4760987982241, 161.585836858041, -155.698979859887, 66.8013118877197, -13.2806815528857];
  const c = [-0.00778489400243029, -0.322396458041136, -2.40075827716184, -2.54973253934373, 4.37466414146497, 2.93816398269878];
  const d = [0.00778469570904146, 0.32246712907004, 2.445134137143, 3.75440866190742];
  if (p < 0.02425) { const q = Math.sqrt(-2 * Math.log(p)); return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1); }
  if (p > 1 - 0.02425) return -normalQuantile(1 - p);
  const q = p - 0.5, r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}
const STEP_TABLE = Int32Array.from({ length: 4096 }, (_, j) => {
  const d = 24 * Math.exp(0.95 * normalQuantile((j + 0.5) / 4096));
  return Math.round(d < 2 ? 2 : d > 1500 ? 1500 : d);
});

function genSession(u, t0, first) {
  const U = UU, rng = R, cat = CAT;
  const ud = U.dev[u];
  curU = u; curT = t0; lastT = t0;
  curDev = rng.chance(0.82) ? ud : (ud + 1 + rng.int(2)) % 3;
  const ch = U.ch[u], arch = U.arch[u];
  curCn = isCn(U.geo[u]);
  const focus = curFocus = rng.chance(0.65) ? U.fav[u] : rng.pick(CAT_CUM);
  const localDay = Math.min(NDAYS, Math.max(-1, Math.floor((t0 + U.off[u] - SPAN_START) / DAY))) + 1;
  const promo = curCn ? PROMO_CN[localDay] : PROMO[localDay];
  const repeat = 1 + 0.22 * Math.min(U.bought[u], 4);
  const pv = clamp95(P_VIEW * CH_VIEW[ch] * (arch === HEAVY ? 1.1 : 1));
  const pc = clamp95(P_CART * CH_CART[ch] * CAT_CONV[focus] * U.prop[u] * repeat * promo);
  const pk = clamp95(P_CHECKOUT * CH_CHECKOUT[ch] * Math.sqrt(U.prop[u]));
  const pp = clamp95(P_PURCHASE * CH_PURCHASE[ch] * DEV_PURCHASE[curDev] * (promo > 1 ? 1.1 : 1));
  const view = rng.chance(pv), cart = view && rng.chance(pc);
  const checkout = cart && rng.chance(pk), purchase = checkout && rng.chance(pp);

  // Landing page.
  const x = rng.next();
  if (first && (ch === 1 || ch === 2) && x < 0.4) emit(E_PAGE, PG_DEALS, -1, -1, -1, 0);
  else if (x < 0.45) emit(E_PAGE, PG_HOME, -1, -1, -1, 0);
  else if (x < 0.8) emit(E_PAGE, PG_CAT + focus, -1, focus, -1, 0);
  else if (x < 0.9) emit(E_PAGE, PG_DEALS, -1, -1, -1, 0);
  else emit(E_PAGE, PG_BLOG + focus, -1, focus, -1, 0);
  step();

  if (!view) {
    for (let k = rng.geometric(0.55, 4); k > 0; k--) browse();
    return;
  }
  for (let k = rng.geometric(0.55, 3); k > 0; k--) browse();
  const nViews = 1 + rng.geometric(arch === HEAVY ? 0.3 : 0.42, 9);
  let nLines = cart ? 1 + rng.geometric(CAT_LINES[focus], 3) : 0, nl = 0;
  for (let k = 0; k < nViews; k++) {
    const c = rng.chance(0.85) ? focus : rng.pick(CAT_CUM);
    const item = cat.cats[c].table[rng.int(8192)], gi = cat.cats[c].base + item;
    emit(E_VIEW, -1, gi, c, -1, 0);
    step();
    if (nLines > 0 && (rng.chance(0.5) || nViews - k <= nLines)) {
      const qty = rng.chance(0.85) ? 1 : rng.chance(0.72) ? 2 : 3 + rng.int(3);
      LINES[nl++] = c; LINES[nl++] = item; LINES[nl++] = qty;
      emit(E_CART, -1, gi, c, -1, 0);
      step();
      nLines--;
    } else if (rng.chance(0.2)) browse();
  }
  if (!cart) { if (rng.chance(0.4)) browse(); return; }
  if (rng.chance(0.5)) { emit(E_PAGE, PG_CART, -1, -1, -1, 0); step(); }
  if (!checkout) { if (rng.chance(0.3)) browse(); return; }
  emit(E_CHECKOUT, -1, -1, -1, -1, 0);
  curT += 30 + Math.round(rng.lognormal(90, 0.7));
  if (!purchase) { if (rng.chance(0.25)) emit(E_PAGE, PG_CART, -1, -1, -1, 0); return; }
  let sub = 0, qty = 0, best = -1, bestC = 0, bestItem = 0;
  for (let k = 0; k < nl; k += 3) {
    const c = LINES[k], v = cat.cats[c].price[LINES[k + 1]] * LINES[k + 2];
    sub += v; qty += LINES[k + 2];
    if (v > best) { best = v; bestC = c; bestItem = LINES[k + 1]; }
  }
  if (ch === 3 && rng.chance(0.35)) sub = Math.round(sub * 0.9);   // email coupon
  if (ZH) { if (sub < 9900) sub += 800; }                             // ¥8 shipping under ¥99
  else if (sub < 3500) sub += 499;                                     // shipping under $35
  emit(E_PURCHASE, -1, cat.cats[bestC].base + bestItem, bestC, sub, qty);
  U.bought[u]++;
}

// Simulation state: a bucket of users per UTC day holding each user's next session start,
// today's events (carried-over ones first, already resolved) and tomorrow's spill-over.
function simState(rng, U, cat, rate) {
  const buckets = new Array(NDAYS + 1);
  for (let d = 0; d <= NDAYS; d++) buckets[d] = [];
  const nextT = new Float64Array(U.n);
  for (let u = 0; u < U.n; u++) {
    nextT[u] = U.signup[u];
    buckets[Math.floor((U.signup[u] - SPAN_START) / DAY)].push(u);
  }
  U.bought.fill(0);
  return {
    rng, U, cat, rate, buckets, nextT, back: Float64Array.from(U.back), lifeEnd: Float64Array.from(U.lifeEnd), today: new EvBuf(), tomorrow: new EvBuf(), carried: 0, dayEnd: 0,
    sessT0: new Float64Array(1024), idOf: new Int32Array(1024), keys: new Float64Array(4096), nextSession: 1, count: 0,
  };
}

const KEY = 67108864; // 2^26: sort key = seconds * KEY + index (exact in a double, stable)

// Simulates UTC day d. Returns the day's events (an EvBuf, sessions resolved to ids) and their
// order as indices (st.keys[0..n) hold seconds * KEY + index, sorted).
function simDay(st, d) {
  S = st; R = st.rng; UU = st.U; CAT = st.cat;
  const U = st.U, rng = st.rng;
  st.dayEnd = SPAN_START + (d + 1) * DAY;
  let ns = 0;
  const bucket = st.buckets[d];
  for (let k = 0; k < bucket.length; k++) {        // the bucket may grow: same-day sessions
    const u = bucket[k], t0 = st.nextT[u];
    if (ns === st.sessT0.length) { const a = new Float64Array(ns * 2); a.set(st.sessT0); st.sessT0 = a; st.idOf = new Int32Array(ns * 2); }
    st.sessT0[ns] = t0; curS = ns++;
    genSession(u, t0, t0 === U.signup[u]);
    let tn = U.arch[u] === ONEOFF && t0 === U.signup[u] ? -1 : nextSessionTime(rng, U, u, lastT + 1200, st.rate);
    if (tn < 0 && st.back[u] > 0) { // the comeback: a short second life
      const tb = Math.max(st.back[u], lastT + 1200);
      st.back[u] = 0;
      st.lifeEnd[u] = tb + rng.range(2, 25) * DAY;
      tn = nextSessionTime(rng, U, u, tb, st.rate);
    }
    if (tn < 0) continue;
    st.nextT[u] = tn;
    st.buckets[Math.floor((tn - SPAN_START) / DAY)].push(u);
  }
  st.buckets[d] = null;
  // Session ids in start order (ties: generation order).
  const sk = new Float64Array(ns);
  for (let i = 0; i < ns; i++) sk[i] = (st.sessT0[i] - SPAN_START) * KEY + i;
  sk.sort();
  for (let i = 0; i < ns; i++) st.idOf[sk[i] % KEY] = st.nextSession++;
  const today = st.today, tom = st.tomorrow;
  for (let i = st.carried; i < today.n; i++) today.s[i] = st.idOf[today.s[i]];
  for (let i = 0; i < tom.n; i++) tom.s[i] = st.idOf[tom.s[i]];
  // Time order.
  const n = today.n;
  if (st.keys.length < n) st.keys = new Float64Array(n * 2);
  const keys = st.keys.subarray(0, n);
  for (let i = 0; i < n; i++) keys[i] = today.t[i] * KEY + i;
  keys.sort();
  st.count += n;
  return n;
}

// After the day's events are consumed: tomorrow's spill-over becomes the start of today.
function endDay(st) {
  const a = st.today, b = st.tomorrow;
  a.n = 0;
  for (let i = 0; i < b.n; i++) a.take(b, i);
  st.carried = b.n;
  b.n = 0;
}

function countEvents(rng, U, cat, rate) {
  const st = simState(rng, U, cat, rate);
  for (let d = 0; d < NDAYS; d++) { simDay(st, d); endDay(st); }
  return st.count;
}

// ---------------------------------------------------------------------------------------------
// CSV output.

const csv = (s) => (/[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s);
const TWO = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const money = (cents) => Math.floor(cents / 100) + '.' + TWO[cents % 100];

// A write stream fed with 1 MiB byte chunks; lines are assembled from pre-encoded pieces.
// drain() honours back-pressure (called between days).
const CHUNK = 1 << 20;
class Out {
  constructor(file) { this.ws = fs.createWriteStream(file, { highWaterMark: 4 * CHUNK }); this.buf = Buffer.allocUnsafe(CHUNK); this.pos = 0; this.full = false; }
  room(n) { if (this.pos + n > CHUNK) this.flush(); }            // call before writing up to n bytes
  flush() {
    if (this.pos === 0) return;
    if (!this.ws.write(this.buf.subarray(0, this.pos))) this.full = true;
    this.buf = Buffer.allocUnsafe(CHUNK); this.pos = 0;
  }
  str(s) { this.room(s.length * 3); this.pos += this.buf.write(s, this.pos); }
  b(src) { const d = this.buf; let p = this.pos; for (let i = 0; i < src.length; i++) d[p++] = src[i]; this.pos = p; }
  part(src, off, len) { const d = this.buf; let p = this.pos; for (let i = 0; i < len; i++) d[p++] = src[off + i]; this.pos = p; }
  byte(c) { this.buf[this.pos++] = c; }
  int2(n) { this.buf[this.pos++] = 48 + ((n / 10) | 0); this.buf[this.pos++] = 48 + (n % 10); } // 00..99
  int(n) { // non-negative integer < 2^31
    const d = this.buf; let p = this.pos;
    if (n === 0) d[p++] = 48;
    else {
      const start = p;
      while (n > 0) { const q = (n / 10) | 0; d[p++] = 48 + n - q * 10; n = q; }
      for (let i = start, j = p - 1; i < j; i++, j--) { const x = d[i]; d[i] = d[j]; d[j] = x; }
    }
    this.pos = p;
  }
  async drain() { if (this.full) { this.full = false; await once(this.ws, 'drain'); } }
  async close() { this.flush(); this.ws.end(); await once(this.ws, 'finish'); }
  get bytes() { return this.ws.bytesWritten; }
}
const enc = (s) => Buffer.from(s, 'utf8');
// 'HH:MM:SS' for every second of a day, 8 bytes each.
const HMS = Buffer.from(Array.from({ length: DAY }, (_, s) => TWO[(s / 3600) | 0] + ':' + TWO[((s / 60) | 0) % 60] + ':' + TWO[s % 60]).join(''), 'latin1');

// ---------------------------------------------------------------------------------------------
// The Chinese shop's files, as Chinese shops export them: Beijing time, Chinese column names and
// values. 会员.csv is UTF-8 with a BOM (as Excel saves it), 行为日志.csv plain UTF-8 (a tracking
// export), 订单.csv GBK (a shop back-end's export for Excel). Purchases are the orders file's
// rows: the tracking export ends at 提交订单, so no purchase is in two files.

const EVENT_NAMES_ZH = ['浏览页面', '搜索', '浏览商品', '加入购物车', '提交订单'];
const BEIJING = 8 * 3600;
const PAYMENTS = ['微信支付', '支付宝', '银行卡', '花呗'], PAYMENT_CUM = cumulative([0.48, 0.38, 0.08, 0.06]);

// GBK bytes of text, from the platform's GBK decoder run backwards over every double-byte code.
function encodeGbk(text) {
  const table = new Map(), dec = new TextDecoder('gbk'), pair = new Uint8Array(2);
  for (let hi = 0x81; hi <= 0xfe; hi++) for (let lo = 0x40; lo <= 0xfe; lo++) {
    if (lo === 0x7f) continue;
    pair[0] = hi; pair[1] = lo;
    const ch = dec.decode(pair);
    if (ch.length === 1 && ch !== '\ufffd' && !table.has(ch)) table.set(ch, (hi << 8) | lo);
  }
  const out = [];
  for (const ch of text) {
    const c = ch.codePointAt(0);
    if (c < 0x80) out.push(c);
    else if (table.has(ch)) { const v = table.get(ch); out.push(v >> 8, v & 0xff); }
    else throw new Error(`encodeGbk: ${ch} has no GBK code`);
  }
  return Buffer.from(out);
}

async function writeZh(outDir, seed, U, cat, rate, t0) {
  const time = (t) => { // seconds since SPAN_START (UTC) -> Beijing 'YYYY-MM-DD HH:MM:SS'
    const lt = t + BEIJING, d = Math.floor(lt / DAY);
    return DAY_STR[d] + HMS.toString('latin1', (lt - d * DAY) * 8, (lt - d * DAY) * 8 + 8);
  };
  // Event and order times carry their zone, so that they read as the instants they are (a time
  // without one is read as UTC unless its mapping says otherwise); dates stay Beijing dates.
  const stamp = (t) => time(t) + '+08:00';
  const uo = new Out(path.join(outDir, '会员.csv'));
  uo.str('\ufeff会员ID,注册日期,省份,城市,渠道,设备,年龄段,会员等级,接收营销短信\n');
  for (let u = 0; u < U.n; u++) {
    const g = U.geo[u], c = U.city[u];
    uo.str(U.id[u] + ',' + time(U.signup[u] - SPAN_START).slice(0, 10) + ',' + (g < 0 ? '' : GEO[g][0]) + ',' +
      (c < 0 ? '' : GEO[g][3][c][0]) + ',' + CHANNELS[U.ch[u]] + ',' + DEVICES_ZH[U.dev[u]] + ',' +
      (U.age[u] < 0 ? '' : AGE_BANDS[U.age[u]]) + ',' + (U.plus[u] ? '超级会员' : '普通会员') + ',' + (U.optin[u] ? '是' : '否') + '\n');
    if (uo.full) await uo.drain();
  }
  const usersDone = uo.close();
  const eo = new Out(path.join(outDir, '行为日志.csv'));
  eo.str('会员ID,事件,时间,会话ID,页面,商品ID,品类,设备\n');
  const orders = ['订单号,会员ID,下单时间,实付金额,支付方式,品类,购买数量,订单状态'];
  const extra = new Rng(seed, 9); // payment and refunds: their own stream, the simulation is the English one's
  let nEvents = 0, revenue = 0, refunded = 0;
  const st = simState(new Rng(seed, 3), U, cat, rate);
  for (let d = 0; d < NDAYS; d++) {
    const n = simDay(st, d), keys = st.keys, ev = st.today;
    for (let k = 0; k < n; k++) {
      const i = keys[k] % KEY, u = ev.u[i], when = stamp(ev.t[i]), c = ev.cat[i];
      if (ev.cents[i] >= 0) {
        const id = 'DD' + when.slice(0, 10).replace(/-/g, '') + String(orders.length).padStart(5, '0');
        const refund = extra.chance(0.04), pay = PAYMENTS[extra.pick(PAYMENT_CUM)];
        if (refund) refunded++; else revenue += ev.cents[i];
        orders.push([id, U.id[u], when, money(ev.cents[i]), pay, CATS[c], ev.qty[i], refund ? '已退款' : '已完成'].join(','));
        continue;
      }
      eo.str(U.id[u] + ',' + EVENT_NAMES_ZH[ev.e[i]] + ',' + when + ',' + ev.s[i] + ',' + (ev.page[i] < 0 ? '' : PAGES[ev.page[i]]) +
        ',' + (ev.item[i] < 0 ? '' : cat.ids[ev.item[i]]) + ',' + (c < 0 ? '' : CATS[c]) + ',' + DEVICES_ZH[ev.dev[i]] + '\n');
      nEvents++;
    }
    endDay(st);
    await eo.drain();
  }
  const gbk = encodeGbk(orders.join('\n') + '\n');
  fs.writeFileSync(path.join(outDir, '订单.csv'), gbk);
  await Promise.all([usersDone, eo.close()]);
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  process.stderr.write(`segx demo data (Chinese shop) → ${outDir}\n` +
    `  seed ${seed}, users ${U.n}\n  会员.csv ${U.n} rows, ${uo.bytes} bytes (UTF-8 with BOM)\n` +
    `  行为日志.csv ${nEvents} rows, ${eo.bytes} bytes\n` +
    `  订单.csv ${orders.length - 1} rows (${refunded} refunded), ${gbk.length} bytes (GBK), net revenue ${money(revenue)} CNY\n` +
    `  ${secs.toFixed(2)} s\n`);
}

function parseArgs(argv) {
  const a = { seed: 42, users: null, events: null, out: null, shop: 'en' };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const val = () => { if (i + 1 >= argv.length) die(`missing value for ${k}`); return argv[++i]; };
    const num = (v) => { const n = Number(v); if (!Number.isInteger(n) || n < 0) die(`${k}: expected a non-negative integer, got ${v}`); return n; };
    if (k === '--seed') a.seed = num(val());
    else if (k === '--users') a.users = num(val());
    else if (k === '--events') a.events = num(val());
    else if (k === '--out') a.out = val();
    else if (k === '--shop') { a.shop = val(); if (a.shop !== 'en' && a.shop !== 'zh') die(`--shop: expected en or zh, got ${a.shop}`); }
    else if (k === '-h' || k === '--help') { process.stdout.write(USAGE); process.exit(0); }
    else die(`unknown argument ${k}`);
  }
  if (a.users === 0) die('--users must be at least 1');
  if (a.events === 0) die('--events must be at least 1');
  return a;
}
function die(msg) { process.stderr.write(`generate.mjs: ${msg}\n${USAGE}`); process.exit(2); }
const DEFAULT_USERS = 2000;
const CALIB_USERS = 20000;
const DEFAULT_USERS_ZH = 1200;
const USAGE = `usage: node data/generate.mjs [--seed 42] [--users N] [--events N] [--out DIR] [--shop en|zh]
  defaults: --seed 42 --users ${DEFAULT_USERS} --out data/demo (the bundled demo)
  --shop zh: the Chinese shop, defaults --users ${DEFAULT_USERS_ZH} --out data/demo_zh
  --events N alone picks the user count for about N events; with --users too, it tunes how often
  users come back. Same seed + arguments => byte-identical files.
`;

// Counting runs for --events: events per user at a session-rate multiplier. Populations up to
// CALIB_USERS are calibrated on themselves (same rng streams as the real run, so the count is
// exact); larger ones on a seeded sample of CALIB_USERS users (within ~1-2%).
function calibrator(seed, users) {
  const real = users <= CALIB_USERS, n = real ? users : CALIB_USERS;
  const cat = makeCatalogue(new Rng(seed, 1));
  const U = makeUsers(new Rng(seed, real ? 2 : 7), n);
  return (rate) => countEvents(new Rng(seed, real ? 3 : 8), U, cat, rate) / n;
}

// Secant search on log(rate) so that users * eventsPerUser(rate) ~= events.
function tuneRate(epu, users, events) {
  const target = events / users;
  let x0 = 0, f0 = Math.log(epu(1) / target);
  if (Math.abs(f0) <= 0.002) return 1;
  let x1 = f0 > 0 ? -0.5 : 0.5, f1 = Math.log(epu(Math.exp(x1)) / target);
  let best = Math.abs(f0) < Math.abs(f1) ? [x0, f0] : [x1, f1];
  for (let it = 0; it < 12 && Math.abs(f1) > 0.002 && f1 !== f0; it++) {
    const x2 = Math.max(-6, Math.min(8, x1 - f1 * (x1 - x0) / (f1 - f0)));
    x0 = x1; f0 = f1; x1 = x2; f1 = Math.log(epu(Math.exp(x1)) / target);
    if (Math.abs(f1) < Math.abs(best[1])) best = [x1, f1];
  }
  if (Math.abs(best[1]) > 0.05) process.stderr.write(`note: ${events} events for ${users} users is out of reach; expect ~${Math.round(Math.exp(best[1]) * events)}\n`);
  return Math.exp(best[0]);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const here = path.dirname(fileURLToPath(import.meta.url));
  const outDir = args.out ?? path.join(here, ZH ? 'demo_zh' : 'demo');
  const seed = args.seed >>> 0;
  let users = args.users, rate = 1;
  const t0 = process.hrtime.bigint();
  if (args.events != null) {
    if (users == null) { // pick the user count at the natural session rate
      users = Math.max(1, Math.round(args.events / calibrator(seed, CALIB_USERS + 1)(1)));
      if (users <= CALIB_USERS) rate = tuneRate(calibrator(seed, users), users, args.events); // fine-tune small sets
    } else rate = tuneRate(calibrator(seed, users), users, args.events);
  }
  users ??= ZH ? DEFAULT_USERS_ZH : DEFAULT_USERS;

  fs.mkdirSync(outDir, { recursive: true });
  const cat = makeCatalogue(new Rng(seed, 1));
  const U = makeUsers(new Rng(seed, 2), users);
  if (ZH) return writeZh(outDir, seed, U, cat, rate, t0);

  // users.csv
  const uo = new Out(path.join(outDir, 'users.csv'));
  uo.str('user_id,signup_date,country,city,channel,device,age_band,plan,email_opt_in\n');
  for (let u = 0; u < U.n; u++) {
    const g = U.geo[u], c = U.city[u];
    const day = Math.floor((U.signup[u] - SPAN_START) / DAY);
    uo.str(U.id[u] + ',' + DAY_STR[day].slice(0, 10) + ',' + (g < 0 ? '' : csv(GEO[g][0])) + ',' +
      (c < 0 ? '' : csv(GEO[g][3][c][0])) + ',' + CHANNELS[U.ch[u]] + ',' + DEVICES[U.dev[u]] + ',' +
      (U.age[u] < 0 ? '' : AGE_BANDS[U.age[u]]) + ',' + (U.plus[u] ? 'plus' : 'free') + ',' + (U.optin[u] ? 'true' : 'false') + '\n');
    if (uo.full) await uo.drain();
  }
  const usersDone = uo.close();

  // events.csv + orders.csv, one day at a time, in time order
  const eo = new Out(path.join(outDir, 'events.csv'));
  const oo = new Out(path.join(outDir, 'orders.csv'));
  eo.str('user_id,event,timestamp,session_id,page,item_id,category,device,order_id\n');
  oo.str('order_id,user_id,order_time,amount,currency,category,items\n');
  let nEvents = 0, nOrders = 0, revenue = 0, firstT = Infinity, lastTs = -Infinity;
  // Pre-encoded pieces of a line. User ids have a fixed width: one flat byte table.
  const W = U.id[0].length, UIDB = Buffer.from(U.id.join(''), 'latin1');
  const EV_MID = EVENT_NAMES.map((e) => enc(',' + e + ','));
  const PAGE_C = ['', ...PAGES].map((p) => enc(',' + csv(p)));
  const ITEM_C = ['', ...cat.ids].map((i) => enc(',' + i));
  const CATDEV = []; // index (cat + 1) * 3 + dev: ",category,device,"
  for (const c of ['', ...CATS]) for (const dv of DEVICES) CATDEV.push(enc(',' + c + ',' + dv + ','));
  const CAT_USD = CATS.map((c) => enc(',USD,' + c + ','));
  const DAY_B = DAY_STR.map(enc);
  const COMMA = 44, NL = 10, DOT = 46, O = 79;
  const st = simState(new Rng(seed, 3), U, cat, rate);
  for (let d = 0; d < NDAYS; d++) {
    const n = simDay(st, d), keys = st.keys, ev = st.today;
    const date = DAY_B[d], base = d * DAY;
    if (n) { firstT = Math.min(firstT, ev.t[keys[0] % KEY]); lastTs = Math.max(lastTs, ev.t[keys[n - 1] % KEY]); }
    for (let k = 0; k < n; k++) {
      const i = keys[k] % KEY, u = ev.u[i], hms = (ev.t[i] - base) * 8, cents = ev.cents[i];
      eo.room(256);
      eo.part(UIDB, u * W, W); eo.b(EV_MID[ev.e[i]]); eo.b(date); eo.part(HMS, hms, 8);
      eo.byte(COMMA); eo.int(ev.s[i]); eo.b(PAGE_C[ev.page[i] + 1]); eo.b(ITEM_C[ev.item[i] + 1]);
      eo.b(CATDEV[(ev.cat[i] + 1) * 3 + ev.dev[i]]);
      if (cents >= 0) {
        const oid = 100001 + nOrders++;
        revenue += cents;
        eo.byte(O); eo.int(oid);
        oo.room(256);
        oo.byte(O); oo.int(oid); oo.byte(COMMA); oo.part(UIDB, u * W, W); oo.byte(COMMA); oo.b(date); oo.part(HMS, hms, 8);
        oo.byte(COMMA); oo.int(Math.floor(cents / 100)); oo.byte(DOT); oo.int2(cents % 100);
        oo.b(CAT_USD[ev.cat[i]]); oo.int(ev.qty[i]); oo.byte(NL);
      }
      eo.byte(NL);
    }
    nEvents += n;
    endDay(st);
    await eo.drain(); await oo.drain();           // back-pressure between days
  }
  await Promise.all([usersDone, eo.close(), oo.close()]);
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const fmt = (t) => new Date((SPAN_START + t) * 1000).toISOString().replace('T', ' ').slice(0, 19);
  process.stderr.write(`segx demo data → ${outDir}\n` +
    `  seed ${seed}, users ${users}${rate !== 1 ? `, session rate x${rate.toFixed(4)}` : ''}\n` +
    `  users.csv  ${U.n} rows, ${uo.bytes} bytes\n` +
    `  events.csv ${nEvents} rows, ${eo.bytes} bytes\n` +
    `  orders.csv ${nOrders} rows, ${oo.bytes} bytes, revenue ${money(revenue)} USD\n` +
    `  span ${fmt(firstT)} .. ${fmt(lastTs)} UTC; ${secs.toFixed(2)} s, ${(nEvents / secs / 1e6).toFixed(2)} M events/s\n`);
}

main().catch((e) => { process.stderr.write(String(e && e.stack || e) + '\n'); process.exit(1); });
