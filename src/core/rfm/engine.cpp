#include "core/rfm/engine.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <string_view>

namespace segx {

namespace {

constexpr int64_t kMicrosPerDayRfm = 86400LL * 1000000LL;

// --- the customers (cache.h level 1) --------------------------------------------------------

// Per user, the last purchase at or before as-of (INT64_MIN: none), the orders and the revenue,
// walking the purchase rows in CSR order (by user, then time), so sums add in the same order as
// the aggregates'. last_user[o]: the last user counted with order o.
void walk_purchases(const Model& model, uint32_t code, int64_t as_of, std::vector<int64_t>& last_time,
                    std::vector<uint32_t>& orders, std::vector<double>& revenue) {
    const EventStore& ev = model.events;
    const size_t users = model.users.size();
    last_time.assign(users, INT64_MIN);
    orders.assign(users, 0);
    revenue.assign(users, 0.0);
    std::vector<uint32_t> last_user(model.order_ids.size(), UINT32_MAX);
    const auto add = [&](uint32_t u, size_t row) {
        const int64_t t = ev.time[row];
        if (t > as_of) return;
        last_time[u] = t; // rows of a user come in time order
        const uint32_t o = ev.order[row];
        if (o == EventStore::kNoOrder) {
            orders[u]++;
        } else {
            if (o >= last_user.size()) last_user.resize(size_t(o) + 1, UINT32_MAX);
            if (last_user[o] != u) {
                last_user[o] = u;
                orders[u]++;
            }
        }
        if (!std::isnan(ev.revenue[row])) revenue[u] += ev.revenue[row];
    };
    if (model.event_index.fits(ev)) {
        const EventIndex& index = model.event_index;
        const uint32_t* rows = index.rows.data() + index.first(code);
        const size_t n = index.count(code);
        uint32_t u = 0;
        for (size_t k = 0; k < n; k++) {
            const uint32_t row = rows[k];
            while (ev.offsets[u + 1] <= row) u++;
            add(u, row);
        }
    } else {
        for (uint32_t u = 0; u < users; u++)
            for (size_t row = size_t(ev.offsets[u]); row < size_t(ev.offsets[u + 1]); row++)
                if (ev.event[row] == code) add(u, row);
    }
}

// The bin of every whole value below `limit` (a table), for the integer metrics R and F.
std::vector<uint8_t> bin_table(const std::vector<double>& edges, size_t limit) {
    std::vector<uint8_t> table(limit);
    for (size_t v = 0; v < limit; v++) {
        const size_t above = size_t(std::upper_bound(edges.begin(), edges.end(), double(v)) - edges.begin());
        table[v] = uint8_t(above == 0 ? 0 : above - 1);
    }
    return table;
}

// The bin of v: edges ascending, bins [e_i, e_{i+1}); with open_below, bin 0 is (-inf, e_0).
size_t bin_index(const std::vector<double>& edges, bool open_below, double v) {
    const size_t above = size_t(std::upper_bound(edges.begin(), edges.end(), v) - edges.begin());
    if (open_below) return above; // 0 when v < e_0
    return above == 0 ? 0 : above - 1;
}

// The customers' positions in user-id text order. With the model's order of every user
// (users_by_id_text): a bitmap of the customers with a count per 64-bit word turns each user
// index into its position, reading only ~n/8 + n/16 bytes at random. Without it, the customers'
// ids are sorted (string_view compares bytes as unsigned, like memcmp).
std::vector<uint32_t> positions_by_id(const Model& model, const std::vector<uint32_t>& customer_users,
                                      const std::vector<uint32_t>* users_by_id) {
    const size_t users = model.users.size(), n = customer_users.size();
    std::vector<uint32_t> by_id;
    by_id.reserve(n);
    if (users_by_id != nullptr && users_by_id->size() == users) {
        const size_t words = (users + 63) / 64;
        std::vector<uint64_t> bits(words, 0);
        std::vector<uint32_t> before(words, 0); // customers in the words before
        for (uint32_t u : customer_users) bits[u >> 6] |= uint64_t(1) << (u & 63);
        uint32_t count = 0;
        for (size_t w = 0; w < words; w++) {
            before[w] = count;
            count += uint32_t(__builtin_popcountll(bits[w]));
        }
        for (uint32_t u : *users_by_id) {
            const uint64_t word = bits[u >> 6], below = (uint64_t(1) << (u & 63)) - 1;
            if ((word >> (u & 63)) & 1)
                by_id.push_back(before[u >> 6] + uint32_t(__builtin_popcountll(word & below)));
        }
        return by_id;
    }
    std::vector<std::pair<std::string_view, uint32_t>> keyed;
    keyed.reserve(n);
    for (size_t i = 0; i < n; i++) keyed.emplace_back(model.users.id(customer_users[i]), uint32_t(i));
    std::sort(keyed.begin(), keyed.end());
    for (const auto& k : keyed) by_id.push_back(k.second);
    return by_id;
}

std::shared_ptr<const RfmCustomers> build_customers(const Model& model, int64_t as_of,
                                                    const std::vector<uint32_t>* users_by_id) {
    auto c = std::make_shared<RfmCustomers>();
    c->as_of_us = as_of;
    const size_t users = model.users.size();
    const EventStore& ev = model.events;
    const std::optional<uint32_t> code = model.event_names.find(model.purchase_event);
    const auto push = [&](uint32_t u, int64_t last, uint32_t orders, double revenue) {
        c->user.push_back(u);
        c->days.push_back(int32_t((as_of - last) / kMicrosPerDayRfm));
        c->orders.push_back(orders);
        c->revenue.push_back(revenue);
    };
    if (code && ev.user_count() == users) {
        // As-of at or after the last event: every purchase counts, and the model has the totals.
        const UserAggregates& agg = model.aggregates;
        if (as_of >= model.max_time_us && agg.size() == users && agg.last_purchase_us.size() == users &&
            agg.revenue.size() == users) {
            for (size_t u = 0; u < users; u++)
                if (agg.last_purchase_us[u] != UserAggregates::kNever)
                    push(uint32_t(u), agg.last_purchase_us[u], agg.orders[u], agg.revenue[u]);
        } else {
            std::vector<int64_t> last;
            std::vector<uint32_t> orders;
            std::vector<double> revenue;
            walk_purchases(model, *code, as_of, last, orders, revenue);
            for (size_t u = 0; u < users; u++)
                if (last[u] != INT64_MIN) push(uint32_t(u), last[u], orders[u], revenue[u]);
        }
    }
    const size_t n = c->size();
    const std::vector<double>& days_edges = rfm_days_edges();
    const std::vector<double>& orders_edges = rfm_orders_edges();
    // R and F are whole numbers: a table up to the last edge, the open bin past it.
    const size_t days_limit = size_t(days_edges.back()), orders_limit = size_t(orders_edges.back());
    const std::vector<uint8_t> days_bin = bin_table(days_edges, days_limit);
    const std::vector<uint8_t> orders_bin = bin_table(orders_edges, orders_limit);
    c->r_bins.assign(days_edges.size(), 0);
    c->f_bins.assign(orders_edges.size(), 0);
    for (size_t i = 0; i < n; i++) { // user-index order: the revenue sum is reproducible
        c->days_sum += c->days[i];
        c->orders_sum += c->orders[i];
        c->revenue_sum += c->revenue[i];
        const size_t d = size_t(c->days[i]), o = size_t(c->orders[i]);
        c->r_bins[d < days_limit ? days_bin[d] : days_edges.size() - 1]++;
        c->f_bins[o < orders_limit ? orders_bin[o] : orders_edges.size() - 1]++;
    }
    c->by_id = positions_by_id(model, c->user, users_by_id);
    return c;
}

// --- M (level 2) -----------------------------------------------------------------------------

std::shared_ptr<const RfmMonetaryValues> build_monetary(const RfmCustomers& c, RfmMonetary monetary) {
    auto v = std::make_shared<RfmMonetaryValues>();
    v->monetary = monetary;
    const size_t n = c.size();
    v->m.resize(n);
    const std::vector<double>& edges = rfm_monetary_edges();
    v->m_bins.assign(edges.size() + 1, 0);
    for (size_t i = 0; i < n; i++) { // user-index order: the M sum is reproducible
        const double m = monetary == RfmMonetary::Total ? c.revenue[i] : c.revenue[i] / double(c.orders[i]);
        v->m[i] = m;
        v->m_sum += m;
        v->m_bins[bin_index(edges, true, m)]++;
    }
    return v;
}

// --- the scores (level 3) --------------------------------------------------------------------

// An order-preserving map of doubles to unsigned integers (-0 and +0 are one value, as in SQL).
uint64_t double_key(double x) {
    if (x == 0) x = 0.0;
    uint64_t b;
    std::memcpy(&b, &x, sizeof b);
    return (b >> 63) ? ~b : b | (uint64_t(1) << 63);
}

// Stable LSD radix sort of `items` by `keys` ascending (both permuted), 11 bits a pass; a pass
// whose digit is the same for every key is skipped.
void radix_sort(std::vector<uint64_t>& keys, std::vector<uint32_t>& items) {
    constexpr int kBits = 11, kPasses = (64 + kBits - 1) / kBits;
    constexpr size_t kBuckets = size_t(1) << kBits;
    const size_t n = keys.size();
    if (n < 2) return;
    std::vector<uint32_t> counts(kPasses * kBuckets, 0);
    for (uint64_t k : keys)
        for (int d = 0; d < kPasses; d++)
            counts[size_t(d) * kBuckets + ((k >> (kBits * d)) & (kBuckets - 1))]++;
    std::vector<uint64_t> keys2(n);
    std::vector<uint32_t> items2(n);
    for (int d = 0; d < kPasses; d++) {
        uint32_t* c = counts.data() + size_t(d) * kBuckets;
        const int shift = kBits * d;
        if (c[(keys[0] >> shift) & (kBuckets - 1)] == n) continue;
        uint32_t sum = 0;
        for (size_t b = 0; b < kBuckets; b++) {
            const uint32_t here = c[b];
            c[b] = sum;
            sum += here;
        }
        for (size_t i = 0; i < n; i++) {
            const uint32_t at = c[(keys[i] >> shift) & (kBuckets - 1)]++;
            keys2[at] = keys[i];
            items2[at] = items[i];
        }
        keys.swap(keys2);
        items.swap(items2);
    }
}

// NTILE(5) over n sorted rows: the first n % 5 buckets hold n / 5 + 1 rows, the rest n / 5.
// The first rank of buckets 2..5, so that a rank's score is 1 + the starts at or below it
// (no division per row).
std::array<size_t, 4> ntile5_starts(size_t n) {
    const size_t q = n / 5, r = n % 5;
    std::array<size_t, 4> starts{};
    size_t at = 0;
    for (size_t b = 0; b < 4; b++) starts[b] = at += q + (b < r ? 1 : 0);
    return starts;
}

uint8_t ntile5_score(size_t rank, const std::array<size_t, 4>& starts) {
    return uint8_t(1 + (rank >= starts[0]) + (rank >= starts[1]) + (rank >= starts[2]) + (rank >= starts[3]));
}

// score[p] = NTILE(5) OVER (ORDER BY key[p], id) for every position p; `by_id` holds the
// positions in id order. Keys within a small range (R's days, F's orders) are ranked by
// counting: each key's first rank, then ranks dealt in id order; others (M) by a stable radix
// sort of the positions taken in id order.
void ntile_scores(const std::vector<uint32_t>& by_id, const std::vector<uint64_t>& key,
                  std::vector<uint8_t>& score) {
    const size_t n = by_id.size();
    if (n == 0) return;
    const std::array<size_t, 4> starts = ntile5_starts(n);
    const auto [lo, hi] = std::minmax_element(key.begin(), key.end());
    const uint64_t min = *lo, range = *hi - *lo;
    if (range <= 2 * uint64_t(n) + 4096) {
        std::vector<uint32_t> rank(size_t(range) + 1, 0);
        for (uint64_t k : key) rank[size_t(k - min)]++;
        uint32_t sum = 0;
        for (uint32_t& x : rank) {
            const uint32_t here = x;
            x = sum;
            sum += here;
        }
        for (uint32_t p : by_id) score[p] = ntile5_score(rank[size_t(key[p] - min)]++, starts);
        return;
    }
    std::vector<uint64_t> keys;
    keys.reserve(n);
    for (uint32_t p : by_id) keys.push_back(key[p]);
    std::vector<uint32_t> items = by_id;
    radix_sort(keys, items);
    for (size_t i = 0; i < n; i++) score[items[i]] = ntile5_score(i, starts);
}

// The bin of v: the number of cut points strictly below it (0..4).
int bin_of(double v, const std::array<double, 4>& cuts) {
    int b = 0;
    for (double t : cuts) b += t < v;
    return b;
}

// Spans start empty (min +inf, max -inf): adding is branch-free; with no customers they stay
// unused (spans_of leaves min and max null).
void add_span(RfmScored::Span& s, double v) {
    s.min = std::min(s.min, v);
    s.max = std::max(s.max, v);
    s.customers++;
}

std::shared_ptr<const RfmScored> build_scored(const RfmCustomers& c, const RfmMonetaryValues& mv,
                                              RfmMethod method, const RfmThresholds& thresholds) {
    auto sc = std::make_shared<RfmScored>();
    sc->method = method;
    if (method == RfmMethod::Thresholds) sc->thresholds = thresholds;
    const int S = rfm_max_score(method);
    sc->S = S;
    const size_t n = c.size();
    std::vector<uint8_t> r(n), f(n), m(n);
    switch (method) {
        case RfmMethod::Quantile: {
            std::vector<uint64_t> key(n);
            // -R ascending is R descending: the complement of the (non-negative) days.
            for (size_t i = 0; i < n; i++) key[i] = uint64_t(UINT32_MAX) - uint64_t(uint32_t(c.days[i]));
            ntile_scores(c.by_id, key, r);
            for (size_t i = 0; i < n; i++) key[i] = c.orders[i];
            ntile_scores(c.by_id, key, f);
            for (size_t i = 0; i < n; i++) key[i] = double_key(mv.m[i]);
            ntile_scores(c.by_id, key, m);
            break;
        }
        case RfmMethod::Thresholds: {
            // R and F are whole numbers: their scores from a table up to the largest value
            // (when that is not much more than the customers), M's by comparisons.
            const auto table = [n](const auto& values, const std::array<double, 4>& cuts, int base,
                                   int sign) {
                uint64_t top = 0;
                for (auto v : values) top = std::max<uint64_t>(top, uint64_t(v));
                std::vector<uint8_t> t;
                if (top > 2 * uint64_t(n) + 4096) return t;
                t.resize(size_t(top) + 1);
                for (size_t v = 0; v <= top; v++) t[v] = uint8_t(base + sign * bin_of(double(v), cuts));
                return t;
            };
            const std::vector<uint8_t> r_of = table(c.days, thresholds.r, 5, -1);
            const std::vector<uint8_t> f_of = table(c.orders, thresholds.f, 1, 1);
            for (size_t i = 0; i < n; i++) {
                r[i] = r_of.empty() ? uint8_t(5 - bin_of(double(c.days[i]), thresholds.r))
                                    : r_of[size_t(c.days[i])];
                f[i] = f_of.empty() ? uint8_t(1 + bin_of(double(c.orders[i]), thresholds.f))
                                    : f_of[size_t(c.orders[i])];
                m[i] = uint8_t(1 + bin_of(mv.m[i], thresholds.m));
            }
            break;
        }
        case RfmMethod::Mean: {
            // R and F against their means exactly: days <= sum / n  <=>  days * n <= sum.
            const double mean_m = n > 0 ? mv.m_sum / double(n) : 0.0;
            for (size_t i = 0; i < n; i++) {
                r[i] = int64_t(c.days[i]) * int64_t(n) <= c.days_sum ? 2 : 1;
                f[i] = uint64_t(c.orders[i]) * uint64_t(n) >= c.orders_sum ? 2 : 1;
                m[i] = mv.m[i] >= mean_m ? 2 : 1;
            }
            break;
        }
    }
    const size_t cells = size_t(S * S * S), rf_cells = size_t(S * S);
    sc->cell.resize(n);
    sc->cell_customers.assign(cells, 0);
    sc->cell_days.assign(cells, 0);
    sc->cell_orders.assign(cells, 0);
    sc->rf_customers.assign(rf_cells, 0);
    sc->rf_revenue.assign(rf_cells, 0.0);
    sc->rf_m.assign(rf_cells, 0.0);
    const RfmScored::Span empty{0, HUGE_VAL, -HUGE_VAL};
    sc->r_spans.assign(size_t(S), empty);
    sc->f_spans.assign(size_t(S), empty);
    sc->m_spans.assign(size_t(S), empty);
    for (size_t i = 0; i < n; i++) { // user-index order: sums are reproducible
        const size_t rf = size_t((r[i] - 1) * S + (f[i] - 1)), cell = rf * size_t(S) + size_t(m[i] - 1);
        sc->cell[i] = uint8_t(cell);
        sc->cell_customers[cell]++;
        sc->cell_days[cell] += c.days[i];
        sc->cell_orders[cell] += c.orders[i];
        sc->rf_customers[rf]++;
        sc->rf_revenue[rf] += c.revenue[i];
        sc->rf_m[rf] += mv.m[i];
        add_span(sc->r_spans[size_t(r[i] - 1)], double(c.days[i]));
        add_span(sc->f_spans[size_t(f[i] - 1)], double(c.orders[i]));
        add_span(sc->m_spans[size_t(m[i] - 1)], mv.m[i]);
    }
    return sc;
}

// --- the cache -------------------------------------------------------------------------------

struct Levels {
    std::shared_ptr<const RfmCustomers> customers;
    std::shared_ptr<const RfmMonetaryValues> monetary;
    std::shared_ptr<const RfmScored> scored;
};

bool same_scoring(const RfmScored& s, const Rfm& rfm) {
    return s.method == rfm.method && (rfm.method != RfmMethod::Thresholds || s.thresholds == rfm.thresholds);
}

// The three levels for these settings: from the cache when it holds them, else built (and kept).
Levels rfm_levels(const Rfm& rfm, const RfmContext& ctx) {
    RfmCache local;
    RfmCache& cache = ctx.cache != nullptr ? *ctx.cache : local;
    const size_t users = ctx.model.users.size();
    if (cache.model != &ctx.model || cache.generation != ctx.generation || cache.users != users) {
        cache.clear();
        cache.model = &ctx.model;
        cache.generation = ctx.generation;
        cache.users = users;
    }
    if (!cache.customers || cache.customers->as_of_us != ctx.as_of_us) {
        cache.clear();
        cache.customers = build_customers(ctx.model, ctx.as_of_us, ctx.users_by_id);
        cache.customers_built++;
    }
    Levels l;
    l.customers = cache.customers;
    std::shared_ptr<const RfmMonetaryValues>& mv = cache.monetary[size_t(rfm.monetary)];
    if (!mv) {
        mv = build_monetary(*l.customers, rfm.monetary);
        cache.monetary_built++;
    }
    l.monetary = mv;
    std::vector<RfmCache::ScoredEntry>& kept = cache.scored;
    for (size_t i = 0; i < kept.size(); i++)
        if (kept[i].monetary == rfm.monetary && same_scoring(*kept[i].scored, rfm)) {
            std::rotate(kept.begin(), kept.begin() + std::ptrdiff_t(i), kept.begin() + std::ptrdiff_t(i) + 1);
            l.scored = kept[0].scored;
            return l;
        }
    l.scored = build_scored(*l.customers, *l.monetary, rfm.method, rfm.thresholds);
    cache.scored_built++;
    kept.insert(kept.begin(), RfmCache::ScoredEntry{rfm.monetary, l.scored});
    if (kept.size() > RfmCache::kScoredKept) kept.pop_back();
    return l;
}

// --- answers ---------------------------------------------------------------------------------

std::vector<DefinitionError> check_settings(const Rfm& rfm) {
    // Settings built in code skip the reader: the checks the engine relies on, again.
    std::vector<DefinitionError> errors = check_rfm_thresholds(rfm.thresholds);
    for (DefinitionError& e : check_rfm_segments(rfm.segments, rfm.method)) errors.push_back(std::move(e));
    return errors;
}

void fill_means(const Levels& l, RfmScores& s) {
    const size_t n = l.customers->size();
    s.customers = n;
    if (n == 0) return;
    s.mean_days = double(l.customers->days_sum) / double(n);
    s.mean_orders = double(l.customers->orders_sum) / double(n);
    s.mean_monetary = l.monetary->m_sum / double(n);
}

void fill_user_scores(const Model& model, const Levels& l, const std::vector<uint8_t>& owner, RfmScores& s) {
    const size_t users = model.users.size();
    s.days.assign(users, -1);
    s.orders.assign(users, 0);
    s.revenue.assign(users, 0.0);
    s.monetary.assign(users, 0.0);
    s.r.assign(users, 0);
    s.f.assign(users, 0);
    s.m.assign(users, 0);
    s.segment.assign(users, kNoRfmSegment);
    const RfmCustomers& c = *l.customers;
    const int S = l.scored->S;
    for (size_t i = 0; i < c.size(); i++) {
        const uint32_t u = c.user[i];
        const int cell = l.scored->cell[i];
        s.days[u] = c.days[i];
        s.orders[u] = c.orders[i];
        s.revenue[u] = c.revenue[i];
        s.monetary[u] = l.monetary->m[i];
        s.r[u] = uint8_t(cell / (S * S) + 1);
        s.f[u] = uint8_t(cell / S % S + 1);
        s.m[u] = uint8_t(cell % S + 1);
        s.segment[u] = owner[size_t(cell)];
    }
}

std::vector<RfmBin> make_bins(const std::vector<double>& edges, bool open_below,
                              const std::vector<uint64_t>& counts) {
    std::vector<RfmBin> bins;
    if (open_below) bins.push_back(RfmBin{std::nullopt, edges.front(), 0});
    for (size_t i = 0; i < edges.size(); i++)
        bins.push_back(
            RfmBin{edges[i], i + 1 < edges.size() ? std::optional<double>(edges[i + 1]) : std::nullopt, 0});
    for (size_t i = 0; i < bins.size() && i < counts.size(); i++) bins[i].customers = counts[i];
    return bins;
}

std::vector<RfmScoreSpan> spans_of(const std::vector<RfmScored::Span>& acc) {
    std::vector<RfmScoreSpan> spans(acc.size());
    for (size_t k = 0; k < acc.size(); k++) {
        spans[k].score = int(k) + 1;
        spans[k].customers = acc[k].customers;
        if (acc[k].customers > 0) spans[k].min = acc[k].min, spans[k].max = acc[k].max;
    }
    return spans;
}

// The tables from the levels: cells and spans as scored; segments from the 125 cells (counts,
// days, orders) and one pass over the customers' cells for the money sums, which must add in
// user-index order as from scratch.
void fill_tables(const Rfm& rfm, const Levels& l, const std::vector<uint8_t>& owner, RfmResult& out) {
    const RfmCustomers& c = *l.customers;
    const RfmMonetaryValues& mv = *l.monetary;
    const RfmScored& sc = *l.scored;
    const int S = sc.S;
    out.customers = c.size();
    out.revenue = c.revenue_sum;
    out.cells.resize(size_t(S * S));
    for (int r = 1; r <= S; r++)
        for (int f = 1; f <= S; f++) {
            const size_t k = size_t((r - 1) * S + (f - 1));
            RfmCell& cell = out.cells[k];
            cell.r = r, cell.f = f;
            cell.customers = sc.rf_customers[k];
            cell.revenue = sc.rf_revenue[k];
            if (cell.customers > 0) cell.mean_m = sc.rf_m[k] / double(cell.customers);
        }
    const size_t segments = rfm.segments.size();
    out.segments.assign(segments, {});
    std::vector<int64_t> days(segments, 0);
    std::vector<uint64_t> orders(segments, 0);
    for (size_t k = 0; k < sc.cell_customers.size(); k++) {
        const size_t i = owner[k];
        out.segments[i].customers += sc.cell_customers[k];
        days[i] += sc.cell_days[k];
        orders[i] += sc.cell_orders[k];
    }
    std::vector<double> m_sum(segments, 0.0);
    for (size_t i = 0; i < c.size(); i++) {
        const size_t seg = owner[sc.cell[i]];
        out.segments[seg].revenue += c.revenue[i];
        m_sum[seg] += mv.m[i];
    }
    for (size_t i = 0; i < segments; i++) {
        RfmSegmentResult& seg = out.segments[i];
        if (seg.customers == 0) continue;
        const double k = double(seg.customers);
        seg.share = k / double(out.customers);
        seg.revenue_share = out.revenue != 0 ? seg.revenue / out.revenue : 0.0;
        seg.mean_r = double(days[i]) / k;
        seg.mean_f = double(orders[i]) / k;
        seg.mean_m = m_sum[i] / k;
    }
    out.r_spans = spans_of(sc.r_spans);
    out.f_spans = spans_of(sc.f_spans);
    out.m_spans = spans_of(sc.m_spans);
    out.r_histogram = make_bins(rfm_days_edges(), false, c.r_bins);
    out.f_histogram = make_bins(rfm_orders_edges(), false, c.f_bins);
    // M's bins span every currency: keep those from the first to the last non-empty one.
    std::vector<RfmBin> mh = make_bins(rfm_monetary_edges(), true, mv.m_bins);
    size_t first = 0, last = mh.size();
    while (first < mh.size() && mh[first].customers == 0) first++;
    while (last > first && mh[last - 1].customers == 0) last--;
    if (first == last) // no customers: the [0, 1) bin, empty
        first = 1, last = 2;
    out.m_histogram =
        std::vector<RfmBin>(mh.begin() + std::ptrdiff_t(first), mh.begin() + std::ptrdiff_t(last));
}

} // namespace

const std::vector<double>& rfm_days_edges() {
    static const std::vector<double> edges{0, 7, 14, 30, 60, 90, 180, 365, 730};
    return edges;
}

const std::vector<double>& rfm_orders_edges() {
    static const std::vector<double> edges{1, 2, 3, 4, 5, 6, 10, 20};
    return edges;
}

const std::vector<double>& rfm_monetary_edges() {
    static const std::vector<double> edges = [] {
        std::vector<double> e{0};
        for (double p = 1; p < 1e9 + 1; p *= 10)
            for (double k : {1.0, 2.0, 5.0})
                if (k * p <= 1e9) e.push_back(k * p);
        return e;
    }();
    return edges;
}

std::vector<uint32_t> users_by_id_text(const Model& model) {
    std::vector<std::pair<std::string_view, uint32_t>> keyed;
    keyed.reserve(model.users.size());
    for (size_t u = 0; u < model.users.size(); u++)
        keyed.emplace_back(model.users.id(uint32_t(u)), uint32_t(u));
    std::sort(keyed.begin(), keyed.end());
    std::vector<uint32_t> all;
    all.reserve(keyed.size());
    for (const auto& k : keyed) all.push_back(k.second);
    return all;
}

RfmScores rfm_scores(const Rfm& rfm, const RfmContext& ctx) {
    RfmScores s;
    s.errors = check_settings(rfm);
    if (!s.ok()) return s;
    const Levels l = rfm_levels(rfm, ctx);
    fill_means(l, s);
    fill_user_scores(ctx.model, l, rfm_cell_segments(rfm.segments, rfm.method), s);
    return s;
}

RfmResult run_rfm_engine(const Rfm& rfm, const RfmContext& ctx) {
    RfmResult out;
    out.errors = check_settings(rfm);
    if (!out.ok()) {
        out.scores.errors = out.errors;
        return out;
    }
    const Levels l = rfm_levels(rfm, ctx);
    const std::vector<uint8_t> owner = rfm_cell_segments(rfm.segments, rfm.method);
    fill_means(l, out.scores);
    fill_user_scores(ctx.model, l, owner, out.scores);
    fill_tables(rfm, l, owner, out);
    return out;
}

RfmResult rfm_tables(const Rfm& rfm, const RfmContext& ctx) {
    RfmResult out;
    out.errors = check_settings(rfm);
    if (!out.ok()) {
        out.scores.errors = out.errors;
        return out;
    }
    const Levels l = rfm_levels(rfm, ctx);
    fill_means(l, out.scores);
    fill_tables(rfm, l, rfm_cell_segments(rfm.segments, rfm.method), out);
    return out;
}

} // namespace segx
