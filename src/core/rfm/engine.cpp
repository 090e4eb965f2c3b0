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
        const uint32_t o = ev.values.order(row);
        if (o == EventStore::kNoOrder) {
            orders[u]++;
        } else {
            if (o >= last_user.size()) last_user.resize(size_t(o) + 1, UINT32_MAX);
            if (last_user[o] != u) {
                last_user[o] = u;
                orders[u]++;
            }
        }
        const double r = ev.values.revenue(row);
        if (!std::isnan(r)) revenue[u] += r;
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

// An order-preserving map of doubles to unsigned integers (-0 and +0 are one value, as in SQL).
uint64_t double_key(double x) {
    if (x == 0) x = 0.0;
    uint64_t b;
    std::memcpy(&b, &x, sizeof b);
    return (b >> 63) ? ~b : b | (uint64_t(1) << 63);
}

// The positions (given in id order) sorted by key, stably: an LSD radix sort (11 bits a pass,
// passes with one digit skipped) of the keys' high 32 bits packed with the positions, then each
// run of equal high halves ordered by the whole key, stably (runs are short unless values are
// equal, and then already in order). Half the passes and a third of the
// bytes of sorting 64-bit keys beside 32-bit items.
std::vector<uint32_t> sorted_by_key(const std::vector<uint32_t>& by_id, const std::vector<uint64_t>& key) {
    constexpr int kBits = 11, kPasses = 3;
    constexpr size_t kBuckets = size_t(1) << kBits;
    const size_t n = by_id.size();
    std::vector<uint64_t> a(n), b(n);
    for (size_t i = 0; i < n; i++) a[i] = (key[by_id[i]] & ~uint64_t(UINT32_MAX)) | by_id[i];
    std::vector<uint32_t> counts(kPasses * kBuckets, 0);
    for (uint64_t x : a)
        for (int d = 0; d < kPasses; d++)
            counts[size_t(d) * kBuckets + ((x >> (32 + kBits * d)) & (kBuckets - 1))]++;
    for (int d = 0; d < kPasses && n > 1; d++) {
        uint32_t* c = counts.data() + size_t(d) * kBuckets;
        const int shift = 32 + kBits * d;
        if (c[(a[0] >> shift) & (kBuckets - 1)] == n) continue;
        uint32_t sum = 0;
        for (size_t k = 0; k < kBuckets; k++) {
            const uint32_t here = c[k];
            c[k] = sum;
            sum += here;
        }
        for (uint64_t x : a) b[c[(x >> shift) & (kBuckets - 1)]++] = x;
        a.swap(b);
    }
    std::vector<uint32_t> out(n);
    for (size_t i = 0; i < n; i++) out[i] = uint32_t(a[i]);
    const auto by_key = [&](uint32_t p, uint32_t q) { return key[p] < key[q]; };
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && (a[j] >> 32) == (a[i] >> 32)) j++;
        if (j - i > 32) {
            if (!std::is_sorted(out.begin() + std::ptrdiff_t(i), out.begin() + std::ptrdiff_t(j), by_key))
                std::stable_sort(out.begin() + std::ptrdiff_t(i), out.begin() + std::ptrdiff_t(j), by_key);
        } else {
            for (size_t k = i + 1; k < j; k++) {
                const uint32_t p = out[k];
                size_t m = k;
                for (; m > i && by_key(p, out[m - 1]); m--) out[m] = out[m - 1];
                out[m] = p;
            }
        }
        i = j;
    }
    return out;
}

// NTILE(5) over n sorted rows: the first n % 5 buckets hold n / 5 + 1 rows, the rest n / 5.
// The first rank of buckets 2..5, so that a rank's score is 1 + the starts at or below it.
std::array<size_t, 4> ntile5_starts(size_t n) {
    const size_t q = n / 5, r = n % 5;
    std::array<size_t, 4> starts{};
    size_t at = 0;
    for (size_t b = 0; b < 4; b++) starts[b] = at += q + (b < r ? 1 : 0);
    return starts;
}

// rank[p] = the place (0-based) of position p in ORDER BY key[p], id; `by_id` holds the
// positions in id order. Keys within a small range (R's days, F's orders) are ranked by
// counting: each key's first rank, then ranks dealt in id order; others (M) by a stable sort of
// the positions taken in id order (sorted_by_key). Equal keys keep id order either way.
std::vector<uint32_t> ranks_of(const std::vector<uint32_t>& by_id, const std::vector<uint64_t>& key) {
    const size_t n = by_id.size();
    std::vector<uint32_t> rank(n);
    if (n == 0) return rank;
    const auto [lo, hi] = std::minmax_element(key.begin(), key.end());
    const uint64_t min = *lo, range = *hi - *lo;
    if (range <= 2 * uint64_t(n) + 4096) {
        std::vector<uint32_t> next(size_t(range) + 1, 0);
        for (uint64_t k : key) next[size_t(k - min)]++;
        uint32_t sum = 0;
        for (uint32_t& x : next) {
            const uint32_t here = x;
            x = sum;
            sum += here;
        }
        for (uint32_t p : by_id) rank[p] = next[size_t(key[p] - min)]++;
        return rank;
    }
    const std::vector<uint32_t> sorted = sorted_by_key(by_id, key);
    for (size_t i = 0; i < n; i++) rank[sorted[i]] = uint32_t(i);
    return rank;
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
    // R's and F's sorts: -R ascending is R descending, the complement of the (non-negative) days.
    std::vector<uint64_t> key(n);
    for (size_t i = 0; i < n; i++) key[i] = uint64_t(UINT32_MAX) - uint64_t(uint32_t(c->days[i]));
    c->r_rank = ranks_of(c->by_id, key);
    for (size_t i = 0; i < n; i++) key[i] = c->orders[i];
    c->f_rank = ranks_of(c->by_id, key);
    c->days_by_rank.resize(n);
    c->orders_by_rank.resize(n);
    for (size_t i = 0; i < n; i++) {
        c->days_by_rank[c->r_rank[i]] = c->days[i];
        c->orders_by_rank[c->f_rank[i]] = c->orders[i];
    }
    return c;
}

// --- M (level 2) -----------------------------------------------------------------------------

std::shared_ptr<const RfmMonetaryValues> build_monetary(const RfmCustomers& c, RfmMonetary monetary) {
    auto v = std::make_shared<RfmMonetaryValues>();
    v->monetary = monetary;
    const size_t n = c.size();
    v->m.resize(n);
    std::vector<uint64_t> key(n);
    for (size_t i = 0; i < n; i++) { // user-index order: the M sum is reproducible
        const double m = monetary == RfmMonetary::Total ? c.revenue[i] : c.revenue[i] / double(c.orders[i]);
        v->m[i] = m;
        v->m_sum += m;
        key[i] = double_key(m);
    }
    v->m_rank = ranks_of(c.by_id, key);
    v->m_by_rank.resize(n);
    for (size_t i = 0; i < n; i++) v->m_by_rank[v->m_rank[i]] = v->m[i];
    // The histogram from the sorted values: bin i of [e_(i-1), e_i) holds the values below e_i
    // but not below e_(i-1) (the open bin below first, the open bin above last).
    const std::vector<double>& edges = rfm_monetary_edges();
    v->m_bins.assign(edges.size() + 1, 0);
    size_t below = 0;
    for (size_t i = 0; i < edges.size(); i++) {
        const size_t to = size_t(std::lower_bound(v->m_by_rank.begin(), v->m_by_rank.end(), edges[i]) -
                                 v->m_by_rank.begin());
        v->m_bins[i] = to - below;
        below = to;
    }
    v->m_bins[edges.size()] = n - below;
    return v;
}

// --- the scores (level 3) --------------------------------------------------------------------

// A metric's scoring: the ranks at which scores 2..S start (ascending, at most n; unused ones
// UINT32_MAX), so that the score of rank q is 1 + the number of cuts at or below q.
using RankCuts = std::array<uint32_t, 4>;

// The number of leading values of `sorted` for which `below` holds (it holds for a prefix).
template <typename T, typename P>
uint32_t prefix(const std::vector<T>& sorted, P below) {
    return uint32_t(std::partition_point(sorted.begin(), sorted.end(), below) - sorted.begin());
}

// Each metric's cuts. Quantile: NTILE's bucket starts. Thresholds t1 < ... < t4 (a value equal
// to a cut point takes the lower bin): F and M rise with the value, so score 1 + b starts after
// the values <= t_b; R falls with days, sorted descending, so the ranks of days > t_k come first
// and score 5 - k starts after them. Mean: score 2 starts after the values worse than the mean
// (R: days * n > sum of days; F: orders * n < sum of orders, both exact; M: m < the mean).
void rank_cuts(const RfmCustomers& c, const RfmMonetaryValues& mv, RfmMethod method, const RfmThresholds& t,
               RankCuts& r, RankCuts& f, RankCuts& m) {
    const size_t n = c.size();
    r.fill(UINT32_MAX), f.fill(UINT32_MAX), m.fill(UINT32_MAX);
    switch (method) {
        case RfmMethod::Quantile: {
            const std::array<size_t, 4> starts = ntile5_starts(n);
            for (size_t k = 0; k < 4; k++) r[k] = f[k] = m[k] = uint32_t(starts[k]);
            break;
        }
        case RfmMethod::Thresholds:
            for (size_t k = 0; k < 4; k++) {
                r[3 - k] = prefix(c.days_by_rank, [&](int32_t d) { return t.r[k] < double(d); });
                f[k] = prefix(c.orders_by_rank, [&](uint32_t o) { return !(t.f[k] < double(o)); });
                m[k] = prefix(mv.m_by_rank, [&](double v) { return !(t.m[k] < v); });
            }
            break;
        case RfmMethod::Mean: {
            const int64_t days_sum = c.days_sum, nn = int64_t(n);
            const uint64_t orders_sum = c.orders_sum, un = uint64_t(n);
            const double mean_m = n > 0 ? mv.m_sum / double(n) : 0.0;
            r[0] = prefix(c.days_by_rank, [&](int32_t d) { return int64_t(d) * nn > days_sum; });
            f[0] = prefix(c.orders_by_rank, [&](uint32_t o) { return uint64_t(o) * un < orders_sum; });
            m[0] = prefix(mv.m_by_rank, [&](double v) { return !(v >= mean_m); });
            break;
        }
    }
}

// Score - 1 of rank q.
inline unsigned score0(uint32_t q, const RankCuts& cuts) {
    return unsigned(q >= cuts[0]) + unsigned(q >= cuts[1]) + unsigned(q >= cuts[2]) + unsigned(q >= cuts[3]);
}

// Per score, its customers (ranks [lo, hi)) and the metric's min and max: the values at the ends
// of the range in rank order (ascending, or descending for R's days).
template <typename T>
std::vector<RfmScored::Span> spans_by_rank(const RankCuts& cuts, int S, const std::vector<T>& sorted,
                                           bool descending) {
    const size_t n = sorted.size();
    std::vector<RfmScored::Span> spans(static_cast<size_t>(S));
    for (int s = 0; s < S; s++) {
        const size_t lo = s == 0 ? 0 : std::min<size_t>(cuts[size_t(s - 1)], n);
        const size_t hi = s == S - 1 ? n : std::min<size_t>(cuts[size_t(s)], n);
        if (hi <= lo) continue;
        RfmScored::Span& span = spans[size_t(s)];
        span.customers = hi - lo;
        span.min = double(sorted[descending ? hi - 1 : lo]);
        span.max = double(sorted[descending ? lo : hi - 1]);
    }
    return spans;
}

// What one scoring pass reads. R's and F's scores come from their ranks, or, when the method
// scores by value (thresholds, mean: a cut never splits equal values), from a table by value.
struct PassInput {
    const uint32_t *r_rank, *f_rank, *m_rank;
    const int32_t* days;
    const uint32_t* orders;
    const double *revenue, *m;
    RankCuts rc, fc, mc;
    const uint8_t *r_table, *f_table; // score - 1 by days / orders (with kTables)
    unsigned S;
};

// One pass in user-index order (each cell's sums are reproducible): every customer's cell, and
// the cells' sums. kSameM: M is the revenue (monetary total), summed once.
template <bool kTables, bool kSameM>
void score_pass(const PassInput& in, size_t n, uint8_t* cell_of, RfmScored::Cell* cells) {
    for (size_t i = 0; i < n; i++) {
        const unsigned r = kTables ? in.r_table[in.days[i]] : score0(in.r_rank[i], in.rc);
        const unsigned f = kTables ? in.f_table[in.orders[i]] : score0(in.f_rank[i], in.fc);
        const unsigned k = (r * in.S + f) * in.S + score0(in.m_rank[i], in.mc);
        cell_of[i] = uint8_t(k);
        RfmScored::Cell& x = cells[k];
        x.customers++;
        x.days += in.days[i];
        x.orders += in.orders[i];
        x.revenue += in.revenue[i];
        if (!kSameM) x.m += in.m[i];
    }
    if (kSameM)
        for (size_t k = 0; k < size_t(in.S * in.S * in.S); k++) cells[k].m = cells[k].revenue;
}

// Score - 1 by value for the values 0..top, from cuts that split no run of equal values: a rank
// is at or past cut j exactly when its value is on that side of the value at rank cut j.
template <typename T>
std::vector<uint8_t> value_table(const RankCuts& cuts, const std::vector<T>& sorted, bool descending) {
    const size_t n = sorted.size();
    const size_t top = descending ? size_t(sorted.front()) : size_t(sorted.back());
    std::vector<uint8_t> table(top + 1, 0);
    for (uint32_t cut : cuts) {
        if (cut >= n) continue; // no customer at or past it
        const size_t w = size_t(sorted[cut]);
        if (descending)
            for (size_t v = 0; v <= w; v++) table[v]++;
        else
            for (size_t v = w; v <= top; v++) table[v]++;
    }
    return table;
}

std::shared_ptr<const RfmScored> build_scored(const RfmCustomers& c, const RfmMonetaryValues& mv,
                                              RfmMethod method, const RfmThresholds& thresholds) {
    auto sc = std::make_shared<RfmScored>();
    sc->method = method;
    if (method == RfmMethod::Thresholds) sc->thresholds = thresholds;
    const int S = rfm_max_score(method);
    sc->S = S;
    const size_t n = c.size();
    PassInput in{c.r_rank.data(),
                 c.f_rank.data(),
                 mv.m_rank.data(),
                 c.days.data(),
                 c.orders.data(),
                 c.revenue.data(),
                 mv.m.data(),
                 {},
                 {},
                 {},
                 nullptr,
                 nullptr,
                 unsigned(S)};
    rank_cuts(c, mv, method, thresholds, in.rc, in.fc, in.mc);
    sc->cell.resize(n);
    sc->cells.assign(size_t(S * S * S), RfmScored::Cell{});
    // Tables when the method scores by value and the values are small (days and orders are).
    constexpr size_t kTableLimit = 1 << 16;
    std::vector<uint8_t> r_table, f_table;
    const bool tables = method != RfmMethod::Quantile && n > 0 &&
                        size_t(c.days_by_rank.front()) < kTableLimit &&
                        size_t(c.orders_by_rank.back()) < kTableLimit;
    if (tables) {
        r_table = value_table(in.rc, c.days_by_rank, true);
        f_table = value_table(in.fc, c.orders_by_rank, false);
        in.r_table = r_table.data(), in.f_table = f_table.data();
    }
    const bool same_m = mv.monetary == RfmMonetary::Total;
    uint8_t* cell_of = sc->cell.data();
    RfmScored::Cell* cells = sc->cells.data();
    if (tables)
        same_m ? score_pass<true, true>(in, n, cell_of, cells)
               : score_pass<true, false>(in, n, cell_of, cells);
    else
        same_m ? score_pass<false, true>(in, n, cell_of, cells)
               : score_pass<false, false>(in, n, cell_of, cells);
    sc->r_spans = spans_by_rank(in.rc, S, c.days_by_rank, true);
    sc->f_spans = spans_by_rank(in.fc, S, c.orders_by_rank, false);
    sc->m_spans = spans_by_rank(in.mc, S, mv.m_by_rank, false);
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

// The tables from the levels: (R, F) cells and segments add the scored (R, F, M) cells in index
// order (so a grid edit reads no customer, and every path gives the same sums); spans as scored.
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
            double m_sum = 0;
            for (int m = 0; m < S; m++) {
                const RfmScored::Cell& x = sc.cells[k * size_t(S) + size_t(m)];
                cell.customers += x.customers;
                cell.revenue += x.revenue;
                m_sum += x.m;
            }
            if (cell.customers > 0) cell.mean_m = m_sum / double(cell.customers);
        }
    const size_t segments = rfm.segments.size();
    out.segments.assign(segments, {});
    std::vector<int64_t> days(segments, 0);
    std::vector<uint64_t> orders(segments, 0);
    std::vector<double> m_sum(segments, 0.0);
    for (size_t k = 0; k < sc.cells.size(); k++) {
        const size_t i = owner[k];
        const RfmScored::Cell& x = sc.cells[k];
        out.segments[i].customers += x.customers;
        days[i] += x.days;
        orders[i] += x.orders;
        out.segments[i].revenue += x.revenue;
        m_sum[i] += x.m;
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
