#include "core/rfm/engine.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>

namespace segx {

namespace {

constexpr int64_t kMicrosPerDayRfm = 86400LL * 1000000LL;

// Per-user R/F/revenue at as-of, into `s` (days, orders, revenue; -1 days for non-customers).
void gather(const Model& model, int64_t as_of, RfmScores& s) {
    const size_t users = model.users.size();
    s.days.assign(users, -1);
    s.orders.assign(users, 0);
    s.revenue.assign(users, 0.0);
    const EventStore& ev = model.events;
    const std::optional<uint32_t> found = model.event_names.find(model.purchase_event);
    if (!found || ev.user_count() != users) return;
    const uint32_t code = *found;

    // As-of at or after the last event: every purchase counts, and the model has the totals.
    const UserAggregates& agg = model.aggregates;
    if (as_of >= model.max_time_us && agg.size() == users && agg.last_purchase_us.size() == users &&
        agg.revenue.size() == users) {
        for (size_t u = 0; u < users; u++) {
            if (agg.last_purchase_us[u] == UserAggregates::kNever) continue;
            s.days[u] = int32_t((as_of - agg.last_purchase_us[u]) / kMicrosPerDayRfm);
            s.orders[u] = agg.orders[u];
            s.revenue[u] = agg.revenue[u];
        }
        return;
    }

    // Otherwise one walk over the purchase rows in CSR order (by user, then time), so sums add
    // in the same order as the aggregates'. last_user[o]: the last user counted with order o.
    std::vector<uint32_t> last_user(model.order_ids.size(), UINT32_MAX);
    std::vector<int64_t> last_time(users, INT64_MIN);
    const auto add = [&](uint32_t u, size_t row) {
        const int64_t t = ev.time[row];
        if (t > as_of) return;
        last_time[u] = t; // rows of a user come in time order
        const uint32_t o = ev.order[row];
        if (o == EventStore::kNoOrder) {
            s.orders[u]++;
        } else {
            if (o >= last_user.size()) last_user.resize(size_t(o) + 1, UINT32_MAX);
            if (last_user[o] != u) {
                last_user[o] = u;
                s.orders[u]++;
            }
        }
        if (!std::isnan(ev.revenue[row])) s.revenue[u] += ev.revenue[row];
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
    for (size_t u = 0; u < users; u++)
        if (last_time[u] != INT64_MIN) s.days[u] = int32_t((as_of - last_time[u]) / kMicrosPerDayRfm);
}

// An order-preserving map of doubles to unsigned integers (-0 and +0 are one value, as in SQL).
uint64_t double_key(double x) {
    if (x == 0) x = 0.0;
    uint64_t b;
    std::memcpy(&b, &x, sizeof b);
    return (b >> 63) ? ~b : b | (uint64_t(1) << 63);
}

// Stable LSD radix sort of `items` by `keys` ascending (both permuted), 8 bits a pass; a pass
// whose byte is the same for every key is skipped.
void radix_sort(std::vector<uint64_t>& keys, std::vector<uint32_t>& items) {
    const size_t n = keys.size();
    if (n < 2) return;
    std::vector<std::array<uint32_t, 256>> counts(8);
    for (auto& c : counts) c.fill(0);
    for (uint64_t k : keys)
        for (int d = 0; d < 8; d++) counts[size_t(d)][(k >> (8 * d)) & 0xFF]++;
    std::vector<uint64_t> keys2(n);
    std::vector<uint32_t> items2(n);
    for (int d = 0; d < 8; d++) {
        std::array<uint32_t, 256>& c = counts[size_t(d)];
        if (c[(keys[0] >> (8 * d)) & 0xFF] == n) continue;
        uint32_t sum = 0;
        for (uint32_t& x : c) {
            const uint32_t here = x;
            x = sum;
            sum += here;
        }
        for (size_t i = 0; i < n; i++) {
            const uint32_t at = c[(keys[i] >> (8 * d)) & 0xFF]++;
            keys2[at] = keys[i];
            items2[at] = items[i];
        }
        keys.swap(keys2);
        items.swap(items2);
    }
}

// NTILE(5) over n sorted rows: the first n % 5 buckets hold n / 5 + 1 rows, the rest n / 5.
int ntile5(size_t position, size_t n) {
    const size_t q = n / 5, r = n % 5;
    const size_t big = r * (q + 1);
    return position < big ? int(position / (q + 1)) + 1 : int(r + (position - big) / q) + 1;
}

// The bin of v: the number of cut points strictly below it (0..4).
int bin_of(double v, const std::array<double, 4>& cuts) {
    int b = 0;
    for (double t : cuts) b += t < v;
    return b;
}

void score_quantile(const std::vector<uint32_t>& by_id, const std::vector<uint64_t>& key_of_user,
                    std::vector<uint8_t>& score) {
    std::vector<uint64_t> keys;
    keys.reserve(by_id.size());
    for (uint32_t u : by_id) keys.push_back(key_of_user[u]);
    std::vector<uint32_t> items = by_id;
    radix_sort(keys, items);
    const size_t n = items.size();
    for (size_t i = 0; i < n; i++) score[items[i]] = uint8_t(ntile5(i, n));
}

void fill_spans(std::vector<RfmScoreSpan>& spans, int S) {
    spans.resize(size_t(S));
    for (int k = 0; k < S; k++) spans[size_t(k)].score = k + 1;
}

// Per score: customers and the metric's min and max, as plain numbers while counting.
struct SpanAcc {
    uint64_t customers = 0;
    double min = 0, max = 0;

    void add(double v) {
        min = customers == 0 ? v : std::min(min, v);
        max = customers == 0 ? v : std::max(max, v);
        customers++;
    }
};

void finish_spans(const std::vector<SpanAcc>& acc, std::vector<RfmScoreSpan>& spans) {
    for (size_t k = 0; k < spans.size(); k++) {
        spans[k].customers = acc[k].customers;
        if (acc[k].customers > 0) spans[k].min = acc[k].min, spans[k].max = acc[k].max;
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

std::vector<RfmBin> make_bins(const std::vector<double>& edges, bool open_below) {
    std::vector<RfmBin> bins;
    if (open_below) bins.push_back(RfmBin{std::nullopt, edges.front(), 0});
    for (size_t i = 0; i < edges.size(); i++)
        bins.push_back(
            RfmBin{edges[i], i + 1 < edges.size() ? std::optional<double>(edges[i + 1]) : std::nullopt, 0});
    return bins;
}

// The bin of v: edges ascending, bins [e_i, e_{i+1}); with open_below, bin 0 is (-inf, e_0).
size_t bin_index(const std::vector<double>& edges, bool open_below, double v) {
    const size_t above = size_t(std::upper_bound(edges.begin(), edges.end(), v) - edges.begin());
    if (open_below) return above; // 0 when v < e_0
    return above == 0 ? 0 : above - 1;
}

// Sorts user indices by id text as bytes (string_view compares with char_traits<char>, i.e.
// as unsigned bytes, like memcmp). The views are gathered once: the sort then reads no
// dictionary.
void sort_by_id_text(const Model& model, std::vector<uint32_t>& users) {
    std::vector<std::pair<std::string_view, uint32_t>> keyed;
    keyed.reserve(users.size());
    for (uint32_t u : users) keyed.emplace_back(model.users.id(u), u);
    std::sort(keyed.begin(), keyed.end());
    for (size_t i = 0; i < users.size(); i++) users[i] = keyed[i].second;
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
    std::vector<uint32_t> all(model.users.size());
    for (size_t u = 0; u < all.size(); u++) all[u] = uint32_t(u);
    sort_by_id_text(model, all);
    return all;
}

RfmScores rfm_scores(const Rfm& rfm, const RfmContext& ctx) {
    RfmScores s;
    // Settings built in code skip the reader: the checks the engine relies on, again.
    s.errors = check_rfm_thresholds(rfm.thresholds);
    for (DefinitionError& e : check_rfm_segments(rfm.segments, rfm.method)) s.errors.push_back(std::move(e));
    if (!s.ok()) return s;

    const Model& model = ctx.model;
    const size_t users = model.users.size();
    gather(model, ctx.as_of_us, s);
    s.monetary.assign(users, 0.0);
    s.r.assign(users, 0);
    s.f.assign(users, 0);
    s.m.assign(users, 0);
    s.segment.assign(users, kNoRfmSegment);

    // The customers in id text order (NTILE's tie order).
    std::vector<uint32_t> by_id;
    if (ctx.users_by_id != nullptr && ctx.users_by_id->size() == users) {
        for (uint32_t u : *ctx.users_by_id)
            if (s.days[u] >= 0) by_id.push_back(u);
    } else {
        for (uint32_t u = 0; u < users; u++)
            if (s.days[u] >= 0) by_id.push_back(u);
        sort_by_id_text(model, by_id);
    }
    const size_t n = by_id.size();
    s.customers = n;
    int64_t days_sum = 0;
    uint64_t orders_sum = 0;
    double m_sum = 0;
    for (uint32_t u = 0; u < users; u++) { // user-index order: the M sum is reproducible
        if (s.days[u] < 0) continue;
        s.monetary[u] =
            rfm.monetary == RfmMonetary::Total ? s.revenue[u] : s.revenue[u] / double(s.orders[u]);
        days_sum += s.days[u];
        orders_sum += s.orders[u];
        m_sum += s.monetary[u];
    }
    if (n > 0) {
        s.mean_days = double(days_sum) / double(n);
        s.mean_orders = double(orders_sum) / double(n);
        s.mean_monetary = m_sum / double(n);
    }

    switch (rfm.method) {
        case RfmMethod::Quantile: {
            std::vector<uint64_t> key(users, 0);
            // -R ascending is R descending: the complement of the (non-negative) days.
            for (uint32_t u : by_id) key[u] = uint64_t(UINT32_MAX) - uint64_t(uint32_t(s.days[u]));
            score_quantile(by_id, key, s.r);
            for (uint32_t u : by_id) key[u] = s.orders[u];
            score_quantile(by_id, key, s.f);
            for (uint32_t u : by_id) key[u] = double_key(s.monetary[u]);
            score_quantile(by_id, key, s.m);
            break;
        }
        case RfmMethod::Thresholds:
            for (uint32_t u : by_id) {
                s.r[u] = uint8_t(5 - bin_of(double(s.days[u]), rfm.thresholds.r));
                s.f[u] = uint8_t(1 + bin_of(double(s.orders[u]), rfm.thresholds.f));
                s.m[u] = uint8_t(1 + bin_of(s.monetary[u], rfm.thresholds.m));
            }
            break;
        case RfmMethod::Mean:
            // R and F against their means exactly: days <= sum / n  <=>  days * n <= sum.
            for (uint32_t u : by_id) {
                s.r[u] = int64_t(s.days[u]) * int64_t(n) <= days_sum ? 2 : 1;
                s.f[u] = uint64_t(s.orders[u]) * uint64_t(n) >= orders_sum ? 2 : 1;
                s.m[u] = s.monetary[u] >= *s.mean_monetary ? 2 : 1;
            }
            break;
    }

    const int S = rfm_max_score(rfm.method);
    const std::vector<uint8_t> cells = rfm_cell_segments(rfm.segments, rfm.method);
    for (uint32_t u : by_id)
        s.segment[u] = cells[size_t(((s.r[u] - 1) * S + (s.f[u] - 1)) * S + (s.m[u] - 1))];
    return s;
}

RfmResult run_rfm_engine(const Rfm& rfm, const RfmContext& ctx) {
    RfmResult out;
    out.scores = rfm_scores(rfm, ctx);
    if (!out.scores.ok()) {
        out.errors = out.scores.errors;
        return out;
    }
    const RfmScores& s = out.scores;
    const int S = rfm_max_score(rfm.method);
    out.customers = s.customers;
    out.cells.resize(size_t(S * S));
    for (int r = 1; r <= S; r++)
        for (int f = 1; f <= S; f++) {
            out.cells[size_t((r - 1) * S + (f - 1))].r = r;
            out.cells[size_t((r - 1) * S + (f - 1))].f = f;
        }
    std::vector<double> cell_m(out.cells.size(), 0.0);
    out.segments.resize(rfm.segments.size());
    struct Sums {
        int64_t days = 0;
        uint64_t orders = 0;
        double m = 0;
    };
    std::vector<Sums> seg_sums(rfm.segments.size());
    fill_spans(out.r_spans, S);
    fill_spans(out.f_spans, S);
    fill_spans(out.m_spans, S);
    const size_t scores = size_t(S);
    std::vector<SpanAcc> r_acc(scores), f_acc(scores), m_acc(scores);
    const std::vector<double>& days_edges = rfm_days_edges();
    const std::vector<double>& orders_edges = rfm_orders_edges();
    const std::vector<double>& m_edges = rfm_monetary_edges();
    out.r_histogram = make_bins(days_edges, false);
    out.f_histogram = make_bins(orders_edges, false);
    out.m_histogram = make_bins(m_edges, true);
    // R and F are whole numbers: a table up to the last edge, the open bin past it.
    const size_t days_limit = size_t(days_edges.back()), orders_limit = size_t(orders_edges.back());
    const std::vector<uint8_t> days_bin = bin_table(days_edges, days_limit);
    const std::vector<uint8_t> orders_bin = bin_table(orders_edges, orders_limit);

    for (size_t u = 0; u < s.days.size(); u++) { // user-index order: sums are reproducible
        if (s.days[u] < 0) continue;
        const double days = double(s.days[u]), orders = double(s.orders[u]), m = s.monetary[u];
        out.revenue += s.revenue[u];
        const size_t c = size_t((s.r[u] - 1) * S + (s.f[u] - 1));
        out.cells[c].customers++;
        out.cells[c].revenue += s.revenue[u];
        cell_m[c] += m;
        RfmSegmentResult& seg = out.segments[s.segment[u]];
        seg.customers++;
        seg.revenue += s.revenue[u];
        Sums& sum = seg_sums[s.segment[u]];
        sum.days += s.days[u];
        sum.orders += s.orders[u];
        sum.m += m;
        r_acc[size_t(s.r[u] - 1)].add(days);
        f_acc[size_t(s.f[u] - 1)].add(orders);
        m_acc[size_t(s.m[u] - 1)].add(m);
        const size_t d = size_t(s.days[u]), o = size_t(s.orders[u]);
        out.r_histogram[d < days_limit ? days_bin[d] : days_edges.size() - 1].customers++;
        out.f_histogram[o < orders_limit ? orders_bin[o] : orders_edges.size() - 1].customers++;
        out.m_histogram[bin_index(m_edges, true, m)].customers++;
    }
    finish_spans(r_acc, out.r_spans);
    finish_spans(f_acc, out.f_spans);
    finish_spans(m_acc, out.m_spans);
    for (size_t c = 0; c < out.cells.size(); c++)
        if (out.cells[c].customers > 0) out.cells[c].mean_m = cell_m[c] / double(out.cells[c].customers);
    for (size_t i = 0; i < out.segments.size(); i++) {
        RfmSegmentResult& seg = out.segments[i];
        if (seg.customers == 0) continue;
        const double k = double(seg.customers);
        seg.share = k / double(out.customers);
        seg.revenue_share = out.revenue != 0 ? seg.revenue / out.revenue : 0.0;
        seg.mean_r = double(seg_sums[i].days) / k;
        seg.mean_f = double(seg_sums[i].orders) / k;
        seg.mean_m = seg_sums[i].m / k;
    }
    // M's bins span every currency: keep those from the first to the last non-empty one.
    std::vector<RfmBin>& mh = out.m_histogram;
    size_t first = 0, last = mh.size();
    while (first < mh.size() && mh[first].customers == 0) first++;
    while (last > first && mh[last - 1].customers == 0) last--;
    if (first == last) // no customers: the [0, 1) bin, empty
        first = 1, last = 2;
    mh = std::vector<RfmBin>(mh.begin() + std::ptrdiff_t(first), mh.begin() + std::ptrdiff_t(last));
    return out;
}

} // namespace segx
