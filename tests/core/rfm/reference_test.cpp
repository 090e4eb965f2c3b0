// core/rfm engine against a literal reference of DESIGN §5 on thousands of random small models:
// per customer R/F/M from the raw purchase list, quantile scores by sorting (key, id as text)
// with std::sort and dealing NTILE(5)'s buckets out one by one, thresholds and the mean by
// comparisons written out, and each customer's segment by scanning the list. Small id, time,
// revenue and order alphabets make ties, repeated orders and day edges common; every method,
// monetary setting, random segment grids (with and without M bounds), as-of cuts and all three
// ways of reading purchases (aggregates, index, slices).
#include "rfm_fixture.h"

#include <algorithm>
#include <array>
#include <map>
#include <random>
#include <set>

namespace core_rfm_reference_test {

using namespace segx;
using namespace segx::test;

namespace {

struct RefCustomer {
    int64_t days = -1;
    uint64_t orders = 0;
    double revenue = 0, m = 0;
    int r = 0, f = 0, ms = 0;
    int segment = -1;
};

std::vector<RefCustomer> reference(const std::vector<std::string>& ids, const std::vector<Buy>& buys,
                                   const Rfm& rfm, int64_t as_of) {
    const size_t n_users = ids.size();
    std::vector<RefCustomer> out(n_users);
    std::vector<size_t> customers;
    for (size_t u = 0; u < n_users; u++) {
        std::vector<Buy> mine;
        for (const Buy& b : buys)
            if (b.user == ids[u] && b.event == "purchase" && T0 + b.t <= as_of) mine.push_back(b);
        if (mine.empty()) continue;
        std::stable_sort(mine.begin(), mine.end(), [](const Buy& a, const Buy& b) { return a.t < b.t; });
        RefCustomer& c = out[u];
        int64_t last = INT64_MIN;
        std::set<std::string> order_ids;
        for (const Buy& b : mine) {
            last = std::max(last, T0 + b.t);
            if (b.order)
                order_ids.insert(*b.order);
            else
                c.orders++;
            if (b.revenue) c.revenue += *b.revenue;
        }
        c.orders += order_ids.size();
        c.days = (as_of - last) / DAY; // as_of >= last: truncation is floor
        c.m = rfm.monetary == RfmMonetary::Total ? c.revenue : c.revenue / double(c.orders);
        customers.push_back(u);
    }
    const size_t n = customers.size();
    if (n == 0) return out;

    switch (rfm.method) {
        case RfmMethod::Quantile: {
            // ORDER BY key, user_id; NTILE(5): bucket b (1-based) takes n / 5 rows, plus one when
            // b <= n % 5, dealt out in order.
            auto ntile = [&](auto key, auto set) {
                std::vector<size_t> sorted = customers;
                std::sort(sorted.begin(), sorted.end(), [&](size_t a, size_t b) {
                    if (key(a) != key(b)) return key(a) < key(b);
                    return ids[a] < ids[b];
                });
                size_t at = 0;
                for (int bucket = 1; bucket <= 5; bucket++) {
                    const size_t size = n / 5 + (size_t(bucket) <= n % 5 ? 1 : 0);
                    for (size_t k = 0; k < size; k++) set(sorted[at++], bucket);
                }
                REQUIRE(at == n);
            };
            ntile([&](size_t u) { return -double(out[u].days); }, [&](size_t u, int s) { out[u].r = s; });
            ntile([&](size_t u) { return double(out[u].orders); }, [&](size_t u, int s) { out[u].f = s; });
            ntile([&](size_t u) { return out[u].m; }, [&](size_t u, int s) { out[u].ms = s; });
            break;
        }
        case RfmMethod::Thresholds: {
            auto up = [](double v, const std::array<double, 4>& t) { // higher is better
                if (v <= t[0]) return 1;
                if (v <= t[1]) return 2;
                if (v <= t[2]) return 3;
                if (v <= t[3]) return 4;
                return 5;
            };
            for (size_t u : customers) {
                out[u].r = 6 - up(double(out[u].days), rfm.thresholds.r);
                out[u].f = up(double(out[u].orders), rfm.thresholds.f);
                out[u].ms = up(out[u].m, rfm.thresholds.m);
            }
            break;
        }
        case RfmMethod::Mean: {
            long double days = 0, orders = 0;
            double m = 0;
            for (size_t u : customers) days += out[u].days, orders += out[u].orders, m += out[u].m;
            const long double mean_days = days / n, mean_orders = orders / n;
            const double mean_m = m / double(n);
            for (size_t u : customers) {
                out[u].r = out[u].days <= mean_days ? 2 : 1;
                out[u].f = out[u].orders >= mean_orders ? 2 : 1;
                out[u].ms = out[u].m >= mean_m ? 2 : 1;
            }
            break;
        }
    }
    for (size_t u : customers) {
        RefCustomer& c = out[u];
        for (size_t i = 0; i < rfm.segments.size() && c.segment < 0; i++) {
            const RfmSegment& s = rfm.segments[i];
            if (s.r.contains(c.r) && s.f.contains(c.f) && (!s.m || s.m->contains(c.ms))) c.segment = int(i);
        }
        REQUIRE(c.segment >= 0);
    }
    return out;
}

// A random partition of the cells: R cut into runs, each run's F cut into runs, and (sometimes)
// each of those cut along M.
std::vector<RfmSegment> random_segments(std::mt19937& rng, int S) {
    auto runs = [&](void) {
        std::vector<RfmScoreRange> out;
        int lo = 1;
        for (int x = 1; x <= S; x++)
            if (x == S || rng() % 2 == 0) {
                out.push_back({lo, x});
                lo = x + 1;
            }
        return out;
    };
    const bool use_m = rng() % 3 == 0;
    std::vector<RfmSegment> out;
    for (RfmScoreRange r : runs())
        for (RfmScoreRange f : runs()) {
            if (use_m && rng() % 2 == 0) {
                for (RfmScoreRange m : runs()) out.push_back({"s" + std::to_string(out.size()), r, f, m, ""});
            } else {
                out.push_back({"s" + std::to_string(out.size()), r, f, std::nullopt, ""});
            }
        }
    std::shuffle(out.begin(), out.end(), rng);
    return out;
}

} // namespace

TEST_CASE("the engine equals a literal reference of §5 on random models") {
    std::mt19937 rng(20240611);
    const char* id_pool[] = {"1",   "10", "2",   "9",  "a", "B", "b", "ab",
                             "a b", "é",  "100", "09", "z", "Z", "_"};
    const double revenue_pool[] = {0, 5, 10, 10, 25.5, 0.1, 0.2, 0.3, -3, 1e6};
    const char* order_pool[] = {"o1", "o2", "o3", "o4"};
    size_t customers_seen = 0, rounds = 4000;
    for (size_t round = 0; round < rounds; round++) {
        std::vector<std::string> ids;
        for (const char* id : id_pool)
            if (rng() % 2) ids.push_back(id);
        std::shuffle(ids.begin(), ids.end(), rng);
        std::vector<Buy> buys;
        for (const std::string& id : ids) {
            const int events = int(rng() % 6);
            for (int k = 0; k < events; k++) {
                Buy b;
                b.user = id;
                // Whole days, half days, and a microsecond either side of a day.
                b.t = int64_t(rng() % 8) * DAY + int64_t(rng() % 3) * (DAY / 2) + (int64_t(rng() % 3) - 1);
                b.event = rng() % 5 == 0 ? "refund" : rng() % 6 == 0 ? "view" : "purchase";
                if (rng() % 5 != 0) b.revenue = revenue_pool[rng() % 10];
                if (rng() % 2) b.order = order_pool[rng() % 4];
                buys.push_back(std::move(b));
            }
        }
        const Paths paths = Paths(rng() % 3);
        Model m = rfm_model(ids, buys, paths);
        int64_t as_of = m.max_time_us == INT64_MIN ? T0 : m.max_time_us;
        switch (rng() % 4) {
            case 0:
                break; // the latest event: the aggregates path when the model has them
            case 1:
                as_of = T0 + int64_t(rng() % 9) * DAY; // a day edge
                break;
            case 2:
                as_of = T0 + int64_t(rng() % (9 * 4)) * (DAY / 4) - 1;
                break;
            default:
                as_of += int64_t(rng() % 3) * DAY;
        }
        Rfm rfm;
        rfm.method = RfmMethod(rng() % 3);
        rfm.monetary = RfmMonetary(rng() % 2);
        if (rng() % 2) {
            double x = double(rng() % 3) - 1;
            for (auto* t : {&rfm.thresholds.r, &rfm.thresholds.f, &rfm.thresholds.m})
                for (double& v : *t) v = x += double(rng() % 3) + (rng() % 2 ? 0.5 : 1);
        }
        rfm.segments = rng() % 3 == 0 ? default_rfm_segments(rfm.method)
                                      : random_segments(rng, rfm_max_score(rfm.method));
        INFO("round " << round << ": " << nlohmann::json(rfm).dump());
        REQUIRE(check_rfm_segments(rfm.segments, rfm.method).empty());

        const std::vector<RefCustomer> want = reference(ids, buys, rfm, as_of);
        const std::vector<uint32_t> order = users_by_id_text(m);
        RfmResult got = run_rfm_engine(rfm, RfmContext{m, as_of, rng() % 2 ? &order : nullptr});
        REQUIRE(got.ok());
        const int S = rfm_max_score(rfm.method);
        // Money adds in a fixed order (README.md "Engine"): per (R, F, M) cell in user order, then
        // (R, F) cells and segments over those cells in index order.
        std::vector<uint64_t> cell_customers(size_t(S * S), 0), seg_customers(rfm.segments.size(), 0);
        std::vector<double> cell_revenue(size_t(S * S), 0.0), seg_revenue(rfm.segments.size(), 0.0);
        std::vector<double> rfm_cell_revenue(size_t(S * S * S), 0.0);
        std::vector<int> rfm_cell_segment(size_t(S * S * S), -1);
        uint64_t customers = 0;
        for (size_t u = 0; u < ids.size(); u++) {
            const RefCustomer& c = want[u];
            INFO("user " << ids[u]);
            CHECK(got.scores.days[u] == c.days);
            if (c.days < 0) {
                CHECK(got.scores.segment[u] == kNoRfmSegment);
                continue;
            }
            customers++;
            CHECK(got.scores.orders[u] == c.orders);
            CHECK(got.scores.revenue[u] == c.revenue);
            CHECK(got.scores.monetary[u] == c.m);
            CHECK(int(got.scores.r[u]) == c.r);
            CHECK(int(got.scores.f[u]) == c.f);
            CHECK(int(got.scores.m[u]) == c.ms);
            CHECK(int(got.scores.segment[u]) == c.segment);
            const size_t cell = size_t((c.r - 1) * S + (c.f - 1));
            cell_customers[cell]++;
            rfm_cell_revenue[cell * size_t(S) + size_t(c.ms - 1)] += c.revenue;
            rfm_cell_segment[cell * size_t(S) + size_t(c.ms - 1)] = c.segment;
            seg_customers[size_t(c.segment)]++;
        }
        for (size_t k = 0; k < rfm_cell_revenue.size(); k++) {
            cell_revenue[k / size_t(S)] += rfm_cell_revenue[k];
            if (rfm_cell_segment[k] >= 0) seg_revenue[size_t(rfm_cell_segment[k])] += rfm_cell_revenue[k];
        }
        customers_seen += customers;
        CHECK(got.customers == customers);
        for (size_t k = 0; k < cell_customers.size(); k++) {
            CHECK(got.cells[k].customers == cell_customers[k]);
            CHECK(got.cells[k].revenue == cell_revenue[k]);
        }
        uint64_t in_histograms[3] = {0, 0, 0};
        for (const RfmBin& b : got.r_histogram) in_histograms[0] += b.customers;
        for (const RfmBin& b : got.f_histogram) in_histograms[1] += b.customers;
        for (const RfmBin& b : got.m_histogram) in_histograms[2] += b.customers;
        for (uint64_t h : in_histograms) CHECK(h == customers);
        for (size_t i = 0; i < rfm.segments.size(); i++) {
            CHECK(got.segments[i].customers == seg_customers[i]);
            CHECK(got.segments[i].revenue == seg_revenue[i]);
        }
    }
    CHECK(customers_seen > rounds); // the models are not all empty
}

namespace {

// Every figure of two answers, exactly (doubles compared with ==: the same sums in the same
// order).
void check_same(const RfmResult& a, const RfmResult& b, bool per_user) {
    REQUIRE(a.ok() == b.ok());
    CHECK(a.customers == b.customers);
    CHECK(a.revenue == b.revenue);
    CHECK(a.scores.customers == b.scores.customers);
    CHECK(a.scores.mean_days == b.scores.mean_days);
    CHECK(a.scores.mean_orders == b.scores.mean_orders);
    CHECK(a.scores.mean_monetary == b.scores.mean_monetary);
    REQUIRE(a.cells.size() == b.cells.size());
    for (size_t k = 0; k < a.cells.size(); k++) {
        CHECK(a.cells[k].customers == b.cells[k].customers);
        CHECK(a.cells[k].revenue == b.cells[k].revenue);
        CHECK(a.cells[k].mean_m == b.cells[k].mean_m);
    }
    REQUIRE(a.segments.size() == b.segments.size());
    for (size_t i = 0; i < a.segments.size(); i++) {
        const RfmSegmentResult &x = a.segments[i], &y = b.segments[i];
        CHECK(x.customers == y.customers);
        CHECK(x.share == y.share);
        CHECK(x.revenue == y.revenue);
        CHECK(x.revenue_share == y.revenue_share);
        CHECK(x.mean_r == y.mean_r);
        CHECK(x.mean_f == y.mean_f);
        CHECK(x.mean_m == y.mean_m);
    }
    for (auto [p, q] : {std::pair{&a.r_histogram, &b.r_histogram}, std::pair{&a.f_histogram, &b.f_histogram},
                        std::pair{&a.m_histogram, &b.m_histogram}}) {
        REQUIRE(p->size() == q->size());
        for (size_t i = 0; i < p->size(); i++) {
            CHECK((*p)[i].from == (*q)[i].from);
            CHECK((*p)[i].to == (*q)[i].to);
            CHECK((*p)[i].customers == (*q)[i].customers);
        }
    }
    for (auto [p, q] : {std::pair{&a.r_spans, &b.r_spans}, std::pair{&a.f_spans, &b.f_spans},
                        std::pair{&a.m_spans, &b.m_spans}}) {
        REQUIRE(p->size() == q->size());
        for (size_t i = 0; i < p->size(); i++) {
            CHECK((*p)[i].customers == (*q)[i].customers);
            CHECK((*p)[i].min == (*q)[i].min);
            CHECK((*p)[i].max == (*q)[i].max);
        }
    }
    if (!per_user) return;
    CHECK(a.scores.days == b.scores.days);
    CHECK(a.scores.orders == b.scores.orders);
    CHECK(a.scores.revenue == b.scores.revenue);
    CHECK(a.scores.monetary == b.scores.monetary);
    CHECK(a.scores.r == b.scores.r);
    CHECK(a.scores.f == b.scores.f);
    CHECK(a.scores.m == b.scores.m);
    CHECK(a.scores.segment == b.scores.segment);
}

} // namespace

TEST_CASE("with the cache, every edit answers exactly as from scratch, and redoes only its level") {
    // Random models and a walk of edits through one cache: a grid edit (new segments), a
    // threshold edit, a method or monetary switch, an as-of move. Each answer (tables and
    // per-user scores, and rfm_tables) equals a run without a cache; the cache's counters show
    // which levels were built again (a grid edit builds none).
    std::mt19937 rng(777);
    const char* id_pool[] = {"1", "10", "2", "9", "a", "B", "b", "ab", "é", "100", "z", "_"};
    const double revenue_pool[] = {0, 5, 10, 25.5, 0.1, 0.2, 0.3, -3, 1e6};
    for (size_t round = 0; round < 400; round++) {
        std::vector<std::string> ids;
        for (const char* id : id_pool)
            if (rng() % 3) ids.push_back(id);
        std::vector<Buy> buys;
        for (const std::string& id : ids)
            for (int k = int(rng() % 5); k > 0; k--) {
                Buy b{id, int64_t(rng() % 8) * DAY + int64_t(rng() % 3) * (DAY / 2)};
                if (rng() % 5 != 0) b.revenue = revenue_pool[rng() % 9];
                if (rng() % 2) b.order = "o" + std::to_string(rng() % 4);
                buys.push_back(std::move(b));
            }
        Model m = rfm_model(ids, buys, Paths(rng() % 3));
        const std::vector<uint32_t> order = users_by_id_text(m);
        RfmCache cache;
        int64_t as_of = m.max_time_us == INT64_MIN ? T0 : m.max_time_us;
        Rfm rfm;
        for (int step = 0; step < 8; step++) {
            const uint64_t before[3] = {cache.customers_built, cache.monetary_built, cache.scored_built};
            const int edit = step == 0 ? -1 : int(rng() % 5);
            switch (edit) {
                case 0: // the grid
                    rfm.segments = random_segments(rng, rfm_max_score(rfm.method));
                    break;
                case 1: { // a cut point
                    std::array<double, 4>& t = rng() % 2 ? rfm.thresholds.r : rfm.thresholds.m;
                    t[rng() % 4] += 0.5;
                    std::sort(t.begin(), t.end());
                    if (std::adjacent_find(t.begin(), t.end()) != t.end()) t = RfmThresholds{}.r;
                    break;
                }
                case 2: // the method (the grid follows)
                    rfm.method = RfmMethod(rng() % 3);
                    rfm.segments = default_rfm_segments(rfm.method);
                    break;
                case 3:
                    rfm.monetary =
                        rfm.monetary == RfmMonetary::Total ? RfmMonetary::MeanOrder : RfmMonetary::Total;
                    break;
                case 4:
                    as_of = T0 + int64_t(rng() % 9) * DAY;
                    break;
            }
            INFO("round " << round << " step " << step << " edit " << edit << ": "
                          << nlohmann::json(rfm).dump());
            REQUIRE(check_rfm_segments(rfm.segments, rfm.method).empty());
            REQUIRE(check_rfm_thresholds(rfm.thresholds).empty());
            const RfmContext cached{m, as_of, rng() % 2 ? &order : nullptr, &cache, 1};
            const RfmResult fresh = run_rfm_engine(rfm, RfmContext{m, as_of, nullptr});
            check_same(run_rfm_engine(rfm, cached), fresh, true);
            check_same(rfm_tables(rfm, cached), fresh, false);
            const RfmScores scores = rfm_scores(rfm, cached);
            CHECK(scores.segment == fresh.scores.segment);
            CHECK(scores.r == fresh.scores.r);
            if (edit == 0) { // a grid edit reuses every level
                CHECK(cache.customers_built == before[0]);
                CHECK(cache.monetary_built == before[1]);
                CHECK(cache.scored_built == before[2]);
            }
            if (edit == 1 || edit == 3) CHECK(cache.customers_built == before[0]); // events not read again
        }
    }
}

TEST_CASE("the cache belongs to one model: another model or generation empties it") {
    Model a = rfm_model({"x", "y"}, {{"x", 0, 10.0}, {"y", DAY, 20.0}});
    Model b = rfm_model({"x", "y"}, {{"x", 0, 30.0}, {"y", DAY, 5.0}});
    RfmCache cache;
    const Rfm rfm;
    const RfmResult ra = run_rfm_engine(rfm, RfmContext{a, T0 + DAY, nullptr, &cache, 1});
    const RfmResult rb = run_rfm_engine(rfm, RfmContext{b, T0 + DAY, nullptr, &cache, 1});
    CHECK(ra.revenue == 30);
    CHECK(rb.revenue == 35);
    CHECK(cache.customers_built == 2);
    run_rfm_engine(rfm, RfmContext{b, T0 + DAY, nullptr, &cache, 2}); // b rebuilt: generation 2
    CHECK(cache.customers_built == 3);
    run_rfm_engine(rfm, RfmContext{b, T0 + DAY, nullptr, &cache, 2});
    CHECK(cache.customers_built == 3);
    CHECK(cache.scored_built == 3);
}

} // namespace core_rfm_reference_test
