// core/rfm engine on hand-worked models (DESIGN §5): R as whole days, F as distinct orders, M
// without refunds, as-of cuts, NTILE(5) with uneven buckets and ties split by id as text, the
// thresholds at their cut points, the mean method, segments and the tables. Each model is run
// through all three ways of reading purchases (aggregates, index, slices).
#include "rfm_fixture.h"

#include <cstdio>

namespace core_rfm_engine_test {

using namespace segx;
using namespace segx::test;

namespace {

const Paths kAllPaths[] = {Paths::Full, Paths::IndexOnly, Paths::Slices};

const char* kQuantile = R"({"segx": 1, "kind": "rfm"})";
const char* kThresholds = R"({"segx": 1, "kind": "rfm", "method": "thresholds"})";

} // namespace

TEST_CASE("equal keys are split by user id compared as text: \"10\" before \"9\"") {
    // Seven customers, one purchase each at the same time with the same revenue: every key
    // ties, so the order is the ids' bytes: 1 < 10 < 2 < 9 < a < b < c. NTILE(5) of 7 rows:
    // buckets of 2, 2, 1, 1, 1.
    const std::vector<std::string> ids = {"9", "b", "10", "a", "2", "c", "1"};
    std::vector<Buy> buys;
    for (const std::string& id : ids) buys.push_back({id, 0, 10.0});
    for (Paths p : kAllPaths) {
        Model m = rfm_model(ids, buys, p);
        RfmResult r = rfm_run(m, rfm_of(kQuantile), T0);
        CHECK(score_text(m, r.scores) == "9=2,2,2 b=4,4,4 10=1,1,1 a=3,3,3 2=2,2,2 c=5,5,5 1=1,1,1");
        CHECK(r.customers == 7);
    }
}

TEST_CASE("NTILE(5): the first n % 5 buckets take one more; fewer than five customers use the low scores") {
    // F = 1..n orders (u1 one order, u2 two, ...): the F order is the user order.
    auto f_scores = [](size_t n) {
        std::vector<std::string> ids;
        std::vector<Buy> buys;
        for (size_t i = 1; i <= n; i++) {
            ids.push_back("u" + std::string(1, char('a' + i))); // ub, uc, ... (text order = F order)
            for (size_t k = 0; k < i; k++) buys.push_back({ids.back(), int64_t(k), 1.0});
        }
        Model m = rfm_model(ids, buys);
        RfmResult r = rfm_run(m, rfm_of(kQuantile), T0 + DAY);
        std::string out;
        for (size_t u = 0; u < n; u++) out += char('0' + r.scores.f[u]);
        return out;
    };
    CHECK(f_scores(1) == "1");
    CHECK(f_scores(3) == "123");
    CHECK(f_scores(5) == "12345");
    CHECK(f_scores(6) == "112345");
    CHECK(f_scores(8) == "11223345");
    CHECK(f_scores(9) == "112233445");
    CHECK(f_scores(12) == "111222334455");
}

TEST_CASE("R is whole days: one microsecond short of a day is 0 days, exactly a day is 1") {
    const int64_t A = T0 + 10 * DAY;
    Model m = rfm_model({"a", "b", "c", "d"},
                        {{"a", 10 * DAY, 1.0}, {"b", 9 * DAY + 1, 1.0}, {"c", 9 * DAY, 1.0}, {"d", 0, 1.0}});
    for (const char* def : {kQuantile, kThresholds}) {
        RfmResult r = rfm_run(m, rfm_of(def), A);
        CHECK(metric_text(m, r.scores) == "a=0d/1/1 b=0d/1/1 c=1d/1/1 d=10d/1/1");
    }
    // Thresholds r = [0, 1, 2, 3]: days 0 -> 5 (within the first cut point), 1 -> 4, 10 -> 1.
    RfmResult r = rfm_run(m, rfm_of(R"({"segx": 1, "kind": "rfm", "method": "thresholds",
                                        "thresholds": {"r": [0, 1, 2, 3]}})"),
                          A);
    CHECK(score_text(m, r.scores) == "a=5,1,1 b=5,1,1 c=4,1,1 d=1,1,1");
    // Quantile, R key -R: d (10 days) lowest; a and b tie at 0 days and split by id.
    r = rfm_run(m, rfm_of(kQuantile), A);
    CHECK(score_text(m, r.scores) == "a=3,1,1 b=4,2,2 c=2,3,3 d=1,4,4");
}

TEST_CASE(
    "F counts distinct order ids (line items once), purchases without one each; refunds are not subtracted") {
    // u: order A in two line items (30 + 20), order B, a purchase without an order id, and a
    // refund of -40: F = 3, M = 30 + 20 + 25 + 5 = 80. v: a purchase without revenue (M 0).
    // w: only a refund and a view: not a customer. The same order id at another user counts
    // for that user too.
    std::vector<Buy> buys = {{"u", 0, 30.0, "A"},
                             {"u", DAY, 20.0, "A"},
                             {"u", 2 * DAY, 25.0, "B"},
                             {"u", 3 * DAY, 5.0},
                             {"u", 4 * DAY, -40.0, std::nullopt, "refund"},
                             {"v", DAY, std::nullopt, "A"},
                             {"w", DAY, -5.0, std::nullopt, "refund"},
                             {"w", DAY, std::nullopt, std::nullopt, "view"}};
    for (Paths p : kAllPaths) {
        Model m = rfm_model({"u", "v", "w"}, buys, p);
        RfmResult total = rfm_run(m, rfm_of(kQuantile), T0 + 5 * DAY);
        CHECK(metric_text(m, total.scores) == "u=2d/3/80 v=4d/1/0 w=-");
        CHECK(total.customers == 2);
        CHECK(total.revenue == 80);
        RfmResult mean =
            rfm_run(m, rfm_of(R"({"segx": 1, "kind": "rfm", "monetary": "mean_order"})"), T0 + 5 * DAY);
        CHECK(metric_text(m, mean.scores) == "u=2d/3/26.6667 v=4d/1/0 w=-");
        CHECK(mean.scores.revenue[0] == 80); // revenue stays the total
    }
}

TEST_CASE("purchases after as-of do not exist: not a customer, and later orders do not count") {
    std::vector<Buy> buys = {{"a", 0, 10.0, "X"}, {"a", 5 * DAY, 20.0, "Y"}, {"a", 9 * DAY, 40.0, "X"},
                             {"b", 8 * DAY, 5.0}, {"c", 2 * DAY, 7.0},       {"c", 8 * DAY + 1, 1.0}};
    for (Paths p : kAllPaths) {
        Model m = rfm_model({"a", "b", "c"}, buys, p);
        // As-of T0 + 8 days: a keeps X (t 0) and Y; X again at day 9 is later. b's purchase is at
        // as-of exactly (counts, 0 days); c's second purchase is 1 µs after as-of.
        RfmResult r = rfm_run(m, rfm_of(kQuantile), T0 + 8 * DAY);
        CHECK(metric_text(m, r.scores) == "a=3d/2/30 b=0d/1/5 c=6d/1/7");
        r = rfm_run(m, rfm_of(kQuantile), T0 + 3 * DAY);
        CHECK(metric_text(m, r.scores) == "a=3d/1/10 b=- c=1d/1/7");
        CHECK(r.customers == 2);
        r = rfm_run(m, rfm_of(kQuantile), T0 - 1);
        CHECK(r.customers == 0);
    }
}

TEST_CASE("thresholds: a value equal to a cut point takes the lower score (R: the higher)") {
    // f = [1, 2, 4, 8]: 1 -> 1, 2 -> 2, 3 and 4 -> 3, 8 -> 4, 9 -> 5.
    // m = [50, 100, 250, 1000]: 50 -> 1, 50.5 -> 2, 1000 -> 4, 1000.5 -> 5.
    // r = [7, 30, 90, 180] days: 7 -> 5, 8 -> 4, 180 -> 2, 181 -> 1.
    const int64_t A = T0 + 400 * DAY;
    // n purchases ending at `last`, the revenue all on the last one (sums stay exact).
    auto orders = [](const std::string& u, int n, double total, int64_t last) {
        std::vector<Buy> b;
        for (int k = 0; k < n; k++) b.push_back({u, last - k, k == 0 ? total : 0.0});
        return b;
    };
    std::vector<Buy> buys;
    for (auto part :
         {orders("a", 1, 50, 400 * DAY - 7 * DAY), orders("b", 2, 50.5, 400 * DAY - 8 * DAY),
          orders("c", 4, 1000, 400 * DAY - 180 * DAY), orders("d", 8, 1000, 400 * DAY - 181 * DAY),
          orders("e", 9, 1000.5, 400 * DAY - 30 * DAY), orders("f", 3, 100, 0)})
        buys.insert(buys.end(), part.begin(), part.end());
    Model m = rfm_model({"a", "b", "c", "d", "e", "f"}, buys);
    RfmResult r = rfm_run(m, rfm_of(kThresholds), A);
    CHECK(metric_text(m, r.scores) ==
          "a=7d/1/50 b=8d/2/50.5 c=180d/4/1000 d=181d/8/1000 e=30d/9/1000.5 f=400d/3/100");
    CHECK(score_text(m, r.scores) == "a=5,1,1 b=4,2,2 c=2,3,4 d=1,4,4 e=4,5,5 f=1,3,2");
}

TEST_CASE("the mean method: 2 when at least as good as the customers' mean, with the 8-class template") {
    // days 0, 10, 20 (mean 10): R 2, 2, 1. orders 1, 1, 4 (mean 2): F 1, 1, 2.
    // M 10, 20, 30 (mean 20): 1, 2, 2.
    std::vector<Buy> buys = {{"x", 20 * DAY, 10.0}, {"y", 10 * DAY, 20.0}};
    for (int k = 0; k < 4; k++) buys.push_back({"z", -k, 7.5}); // the last at T0: 20 days
    Model m = rfm_model({"x", "y", "z"}, buys);
    RfmResult r = rfm_run(m, rfm_of(R"({"segx": 1, "kind": "rfm", "method": "mean"})"), T0 + 20 * DAY);
    CHECK(score_text(m, r.scores) == "x=2,1,1 y=2,1,2 z=1,2,2");
    REQUIRE(r.scores.mean_days.has_value());
    CHECK(*r.scores.mean_days == 10);
    CHECK(*r.scores.mean_orders == 2);
    CHECK(*r.scores.mean_monetary == 20);
    const Rfm def = rfm_of(R"({"segx": 1, "kind": "rfm", "method": "mean"})");
    auto segment_of = [&](size_t u) { return def.segments[r.scores.segment[u]].name; };
    CHECK(segment_of(0) == "一般发展客户"); // (2, 1, 1)
    CHECK(segment_of(1) == "重要发展客户"); // (2, 1, 2)
    CHECK(segment_of(2) == "重要保持客户"); // (1, 2, 2)
    REQUIRE(r.cells.size() == 4);           // 2 × 2
    CHECK(r.cells[2].r == 2);
    CHECK(r.cells[2].f == 1);
    CHECK(r.cells[2].customers == 2);
    CHECK(r.cells[2].revenue == 30);
    CHECK(*r.cells[2].mean_m == 15);
}

TEST_CASE("segments, cells, histograms and score spans add up, by hand") {
    // Five customers with F 1..5 and R 0, 10, 20, 30, 40 days, M = 10 × F: quantile gives
    // a (40 d, 1 order) (1,1,1) ... e (0 d, 5 orders) (5,5,5).
    std::vector<Buy> buys;
    const char* ids[] = {"a", "b", "c", "d", "e"};
    for (int i = 0; i < 5; i++)
        for (int k = 0; k <= i; k++) buys.push_back({ids[i], (i * 10) * DAY - k, 10.0});
    Model m = rfm_model({"a", "b", "c", "d", "e"}, buys);
    RfmResult r = rfm_run(m, rfm_of(kQuantile), T0 + 40 * DAY);
    CHECK(score_text(m, r.scores) == "a=1,1,1 b=2,2,2 c=3,3,3 d=4,4,4 e=5,5,5");
    CHECK(r.revenue == 150);
    // Default grid: a, b -> Hibernating; c -> Need Attention; d -> Loyal Customers (R 4, F 4);
    // e -> Champions.
    const Rfm def = rfm_of(kQuantile);
    std::vector<std::string> names;
    for (size_t u = 0; u < 5; u++) names.push_back(def.segments[r.scores.segment[u]].name);
    CHECK(names == std::vector<std::string>{"Hibernating", "Hibernating", "Need Attention", "Loyal Customers",
                                            "Champions"});
    const RfmSegmentResult& hib = r.segments[9];
    CHECK(hib.customers == 2);
    CHECK(hib.share == doctest::Approx(0.4));
    CHECK(hib.revenue == 30);
    CHECK(hib.revenue_share == doctest::Approx(0.2));
    CHECK(*hib.mean_r == 35); // (40 + 30) / 2 days
    CHECK(*hib.mean_f == 1.5);
    CHECK(*hib.mean_m == 15);
    CHECK(r.segments[1].customers == 1);           // Loyal Customers
    CHECK_FALSE(r.segments[2].mean_r.has_value()); // Potential Loyalists: empty
    CHECK(r.segments[2].share == 0);
    REQUIRE(r.cells.size() == 25);
    CHECK(r.cells[0].r == 1);
    CHECK(r.cells[0].f == 1);
    CHECK(r.cells[0].customers == 1);
    CHECK(r.cells[1].customers == 0);
    CHECK_FALSE(r.cells[1].mean_m.has_value());
    CHECK(r.cells[24].customers == 1);
    CHECK(*r.cells[24].mean_m == 50);
    // R bins [0,7) [7,14) [14,30) [30,60) ...: 0 | 10 | 20 | 30, 40.
    CHECK(r.r_histogram.size() == 9);
    CHECK(r.r_histogram[0].customers == 1);
    CHECK(r.r_histogram[1].customers == 1);
    CHECK(r.r_histogram[2].customers == 1);
    CHECK(r.r_histogram[3].customers == 2);
    CHECK_FALSE(r.r_histogram.back().to.has_value());
    // F bins 1, 2, 3, 4, 5, [6, 10), [10, 20), 20+.
    CHECK(r.f_histogram.size() == 8);
    for (int k = 0; k < 5; k++) CHECK(r.f_histogram[size_t(k)].customers == 1);
    // M 10..50, trimmed to the ladder bins [10, 20), [20, 50), [50, 100).
    REQUIRE(r.m_histogram.size() == 3);
    CHECK(*r.m_histogram[0].from == 10);
    CHECK(r.m_histogram[0].customers == 1);
    CHECK(r.m_histogram[1].customers == 3);
    CHECK(*r.m_histogram[2].to == 100);
    CHECK(r.r_spans[4].customers == 1);
    CHECK(*r.r_spans[4].min == 0);
    CHECK(*r.m_spans[0].max == 10);
}

TEST_CASE("a grid edit moves customers between segments; segments with M split a cell") {
    std::vector<Buy> buys;
    const char* ids[] = {"a", "b", "c", "d", "e"};
    for (int i = 0; i < 5; i++)
        for (int k = 0; k <= i; k++) buys.push_back({ids[i], (i * 10) * DAY - k, i == 4 ? 1.0 : 10.0});
    Model m = rfm_model({"a", "b", "c", "d", "e"}, buys);
    // e is (R 5, F 5) but has the lowest M (5 purchases of 1): M score 1. Champions keeps M 2-5,
    // a new segment takes its M 1 cells; the other segments still span every M.
    Rfm edited = rfm_of(kQuantile);
    edited.segments[0].m = RfmScoreRange{2, 5}; // Champions: M 2-5
    edited.segments.push_back(RfmSegment{"Cheap Champions", {5, 5}, {4, 5}, RfmScoreRange{1, 1}, "#ff0000"});
    REQUIRE(check_rfm_segments(edited.segments, edited.method).empty());
    RfmResult r = rfm_run(m, edited, T0 + 40 * DAY);
    CHECK(edited.segments[r.scores.segment[4]].name == "Cheap Champions");
    CHECK(r.segments[0].customers == 0);
    CHECK(r.segments[10].customers == 1);
    // An uncovered cell is refused by the engine as by the reader.
    edited.segments.pop_back();
    RfmResult bad = run_rfm_engine(edited, RfmContext{m, T0, nullptr});
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.errors[0].path == "segments");
}

TEST_CASE("a model without the purchase event has no customers") {
    Model m = rfm_model({"a"}, {{"a", 0, 5.0, std::nullopt, "view"}});
    RfmResult r = rfm_run(m, rfm_of(kQuantile), T0);
    CHECK(r.customers == 0);
    CHECK(r.segments[0].share == 0);
    CHECK(r.m_histogram.size() == 1);
}

TEST_CASE("users_by_id_text orders ids as bytes, and a supplied order gives the same scores") {
    const std::vector<std::string> ids = {"b", "é", "10", "9", "B"};
    std::vector<Buy> buys;
    for (const std::string& id : ids) buys.push_back({id, 0, 1.0});
    Model m = rfm_model(ids, buys);
    const std::vector<uint32_t> order = users_by_id_text(m);
    std::string text;
    for (uint32_t u : order) text += std::string(m.users.id(u)) + " ";
    CHECK(text == "10 9 B b é ");
    RfmResult with = run_rfm_engine(rfm_of(kQuantile), RfmContext{m, T0, &order});
    RfmResult without = rfm_run(m, rfm_of(kQuantile), T0);
    CHECK(score_text(m, with.scores) == score_text(m, without.scores));
    CHECK(score_text(m, without.scores) == "b=4,4,4 é=5,5,5 10=1,1,1 9=2,2,2 B=3,3,3");
}

TEST_CASE("M values a few units in the last place apart are ranked exactly, equal ones by id") {
    // The sort of M orders by the high half of each value's key first: values this close share
    // it, and the order among them comes from the whole value. One purchase each at the same
    // time (R and F tie): only M differs.
    const auto ulps = [](int k) {
        double x = 1.0;
        for (int i = 0; i < k; i++) x = std::nextafter(x, 2.0);
        return x;
    };
    // Five customers (a short run): M falls with the id, but d and e are equal (id order: d first).
    std::vector<std::string> ids = {"a", "b", "c", "d", "e"};
    std::vector<Buy> buys = {
        {"a", 0, ulps(4)}, {"b", 0, ulps(3)}, {"c", 0, ulps(2)}, {"d", 0, ulps(1)}, {"e", 0, ulps(1)}};
    Model m = rfm_model(ids, buys);
    RfmResult r = rfm_run(m, rfm_of(kQuantile), T0 + DAY);
    CHECK(score_text(m, r.scores) == "a=1,1,5 b=2,2,4 c=3,3,3 d=4,4,1 e=5,5,2");
    // Forty customers c00 .. c39 (a long run), M = 1 + (39 - i) units: NTILE(5) of M ascending
    // puts c39 .. c32 in bucket 1, ..., c07 .. c00 in bucket 5.
    ids.clear();
    buys.clear();
    for (int i = 0; i < 40; i++) {
        ids.push_back((i < 10 ? "c0" : "c") + std::to_string(i));
        buys.push_back({ids.back(), 0, ulps(39 - i)});
    }
    m = rfm_model(ids, buys);
    r = rfm_run(m, rfm_of(kQuantile), T0 + DAY);
    for (int i = 0; i < 40; i++) CHECK(int(r.scores.m[size_t(i)]) == 5 - i / 8);
}

} // namespace core_rfm_engine_test
