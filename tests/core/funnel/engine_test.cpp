// core/funnel engine: DESIGN §4 worked by hand, one small model per behaviour (funnel_fixture.h:
// events as name@seconds, W in seconds).
#include "funnel_fixture.h"

namespace core_funnel_engine_test {

using namespace segx;
using namespace segx::test;

namespace {

std::string ordered(const std::vector<std::string>& steps, const std::string& rest = "") {
    return funnel_json(steps, R"("window": {"seconds": 10})" + (rest.empty() ? "" : ", " + rest));
}
std::string strict(const std::vector<std::string>& steps, const std::string& rest = "") {
    return ordered(steps, R"("order": "strict")" + (rest.empty() ? "" : ", " + rest));
}
std::string unordered(const std::vector<std::string>& steps, const std::string& rest = "") {
    return ordered(steps, R"("order": "unordered")" + (rest.empty() ? "" : ", " + rest));
}

} // namespace

TEST_CASE("ordered: repeated step events, steps out of order, users without events") {
    Model m = model_of({{"rep", "a@0 a@1 b@2 b@3 c@4"},
                        {"rev", "c@0 b@1 a@2"},
                        {"mid", "b@0 a@1 c@2"},
                        {"skip", "a@0 c@1 b@2"},
                        {"none", ""}});
    CHECK(levels(m, ordered({"a", "b", "c"})) == "rep=3 rev=1 mid=1 skip=2 none=0");
    FunnelResult r = run_on(m, funnel_of(ordered({"a", "b", "c"})));
    CHECK(r.population == 5);
    // rep's counted attempt starts at a@0: b@2 (the earliest b), c@4.
    CHECK(r.steps[1].from_prev.users == 2); // rep 2 s, skip 2 s
    CHECK(*r.steps[1].from_prev.median == 2.0);
    CHECK(*r.time_to_convert.median == 4.0);
}

TEST_CASE("ordered: a restart that reaches further than the first attempt is the counted one") {
    Model m = model_of({{"u", "a@0 b@5 a@20 b@21 c@22"}, {"v", "a@0 b@5 a@6 b@7"}});
    FunnelResult r = run_on(m, funnel_of(ordered({"a", "b", "c"})));
    CHECK(r.levels == std::vector<uint8_t>{3, 2});
    // u: the first attempt stops at b (c@22 is past 0 + 10 s); the one from a@20 reaches c.
    CHECK(*r.time_to_convert.median == 2.0);
    CHECK(r.time_to_convert.users == 1);
    // v: both attempts reach b; the earliest-starting one (a@0 → b@5) is counted.
    REQUIRE(r.steps[1].from_prev.users == 2);
    CHECK(*r.steps[1].from_prev.p25 == 1.0); // u: 21 - 20
    CHECK(*r.steps[1].from_prev.p75 == 5.0); // v: 5 - 0
}

TEST_CASE("window edges: t1 + W exactly counts, 1 µs later does not, in every mode") {
    Model m = model_of({{"at", "a@0 b@10"}, {"past", "a@0 b@10.000001"}});
    CHECK(levels(m, ordered({"a", "b"})) == "at=2 past=1");
    CHECK(levels(m, strict({"a", "b"})) == "at=2 past=1");
    CHECK(levels(m, unordered({"a", "b"})) == "at=2 past=1");
    // The window in other units.
    Model h = model_of({{"u", "a@0 b@3600"}, {"v", "a@0 b@3600.000001"}});
    CHECK(levels(h, funnel_json({"a", "b"}, R"("window": {"hours": 1})")) == "u=2 v=1");
    CHECK(levels(h, funnel_json({"a", "b"}, R"("window": {"minutes": 60})")) == "u=2 v=1");
}

TEST_CASE("strict: any other event in between breaks the attempt; a later attempt may succeed") {
    Model m = model_of({{"gap", "a@0 x@1 b@2"},
                        {"late", "a@0 b@1 x@2 c@3"},
                        {"again", "a@0 x@1 a@2 b@3 c@4"},
                        {"clean", "a@0 b@1 c@2"}});
    CHECK(levels(m, strict({"a", "b", "c"})) == "gap=1 late=2 again=3 clean=3");
    CHECK(levels(m, ordered({"a", "b", "c"})) == "gap=2 late=3 again=3 clean=3");
}

TEST_CASE("exclusions void the attempt they fall in, not a later one") {
    const std::string x13 = R"("exclusions": [{"event": "x", "between": [1, 3]}])";
    const std::string x23 = R"("exclusions": [{"event": "x", "between": [2, 3]}])";
    Model m = model_of({{"later", "a@0 b@1 x@2 c@3 a@10 b@11 c@12"},
                        {"only", "a@0 b@1 x@2 c@3"},
                        {"short", "a@0 b@1 x@2"},
                        {"before", "x@0 a@1 b@2 c@3"},
                        {"after", "a@0 b@1 c@2 x@3"}});
    // later: the attempt from a@0 is void; the one from a@10 reaches c.
    // only: its one attempt is void, so it counts for nothing (not even step 1).
    // short: never reached step 3, so it is not void.
    CHECK(levels(m, ordered({"a", "b", "c"}, x13)) == "later=3 only=0 short=2 before=3 after=3");
    FunnelResult r = run_on(m, funnel_of(ordered({"a", "b", "c"}, x13)));
    CHECK(*r.time_to_convert.median == 2.0); // later's counted attempt: a@10 → c@12
    // x between steps 1 and 2 does not void an exclusion between 2 and 3.
    Model n = model_of({{"u", "a@0 x@1 b@2 c@3"}, {"v", "a@0 b@1 x@2 c@3"}});
    CHECK(levels(n, ordered({"a", "b", "c"}, x23)) == "u=3 v=0");
    // Strict: an exclusion event is never strictly between consecutive events, but may be a
    // step event itself: b is the exclusion here.
    CHECK(levels(n, strict({"a", "b", "c"}, x23)) == "u=1 v=2");
    const std::string xb = R"("exclusions": [{"event": "b", "between": [1, 3]}])";
    Model s = model_of({{"w", "a@0 b@1 c@2"}});
    CHECK(levels(s, strict({"a", "b", "c"}, xb)) == "w=0");
}

TEST_CASE("exclusion filters: only matching exclusion events void") {
    const std::string x = R"("exclusions": [{"event": "x", "where": [{"property": "device", "op": "eq",
                          "value": "m"}], "between": [1, 2]}])";
    Model m = model_of({{"m", "a@0 x@1:m b@2"}, {"d", "a@0 x@1:d b@2"}, {"null", "a@0 x@1 b@2"}});
    CHECK(levels(m, ordered({"a", "b"}, x)) == "m=0 d=2 null=2");
}

TEST_CASE("entry range: inclusive at both ends, bounding the step-1 event only") {
    // T0 is 2024-01-01T00:00:00Z.
    const std::string entry = R"("entry": {"from": "2024-01-01T00:00:05Z", "to": "2024-01-01T00:00:10Z"})";
    Model m = model_of({{"early", "a@4.999999 b@6"},
                        {"from", "a@5 b@6"},
                        {"to", "a@10 b@16"},
                        {"late", "a@10.000001 b@11"},
                        {"second", "a@1 a@7 b@8"}});
    CHECK(levels(m, ordered({"a", "b"}, entry)) == "early=0 from=2 to=2 late=0 second=2");
    CHECK(levels(m, strict({"a", "b"}, entry)) == "early=0 from=2 to=2 late=0 second=2");
    // Unordered: the anchor is in the range (early's b@6 anchors a window holding b only).
    CHECK(levels(m, unordered({"a", "b"}, entry)) == "early=1 from=2 to=2 late=0 second=2");
    // Open ends.
    CHECK(levels(m, ordered({"a", "b"}, R"("entry": {"to": "2024-01-01T00:00:05Z"})")) ==
          "early=2 from=2 to=0 late=0 second=2");
}

TEST_CASE("ties: equal times keep stored order, and 'after' means later in it") {
    Model m = model_of({{"ab", "a@0 b@0"}, {"ba", "b@0 a@0"}, {"aab", "a@0 a@0 b@0"}});
    CHECK(levels(m, ordered({"a", "b"})) == "ab=2 ba=1 aab=2");
    CHECK(levels(m, strict({"a", "b"})) == "ab=2 ba=1 aab=2");
    CHECK(levels(m, unordered({"a", "b"})) == "ab=2 ba=2 aab=2");
    // One event is never two steps of one ordered attempt.
    Model one = model_of({{"u", "a@0"}, {"v", "a@0 a@0"}});
    CHECK(levels(one, ordered({"a", "a"})) == "u=1 v=2");
    CHECK(levels(one, strict({"a", "a"})) == "u=1 v=2");
}

TEST_CASE("unordered: distinct steps in [t, t + W] from any anchor; the earliest anchor is counted") {
    Model m = model_of(
        {{"all", "c@0 a@5 b@10"}, {"two", "c@0 a@5 b@10.000001"}, {"dup", "a@0 a@1 a@2"}, {"none", "x@0"}});
    CHECK(levels(m, unordered({"a", "b", "c"})) == "all=3 two=2 dup=1 none=0");
    FunnelResult r = run_on(m, funnel_of(unordered({"a", "b", "c"})));
    // two: anchors c@0 ({c, a}) and a@5 ({a, b}) both reach 2; c@0 is counted: 5 s to a.
    // all: completed at 0, 5, 10.
    REQUIRE(r.steps[1].from_prev.users == 2);
    CHECK(*r.steps[1].from_prev.median == 5.0);
    CHECK(*r.steps[2].from_prev.median == 5.0);
    CHECK(*r.time_to_convert.median == 10.0);
    // An event matching two steps counts for both.
    Model f = model_of({{"u", "a@0:m"}});
    const std::string mobile_a =
        R"({"event": "a", "where": [{"property": "device", "op": "eq", "value": "m"}]})";
    CHECK(levels(f, unordered({"a", mobile_a})) == "u=2");
}

TEST_CASE("step filters: only matching events are steps") {
    const std::string mobile_b =
        R"({"event": "b", "where": [{"property": "device", "op": "eq", "value": "m"}]})";
    Model m = model_of({{"u", "a@0 b@1:d b@2:m"}, {"v", "a@0 b@1:d"}, {"w", "a@0 b@1"}});
    CHECK(levels(m, ordered({"a", mobile_b})) == "u=2 v=1 w=1");
    CHECK(levels(m, strict({"a", mobile_b})) == "u=1 v=1 w=1");
}

TEST_CASE("events past as-of do not exist") {
    Model m = model_of({{"u", "a@0 b@5"}, {"v", "a@5"}});
    CHECK(levels(m, ordered({"a", "b"}), T0 + 4 * S) == "u=1 v=0");
    CHECK(levels(m, ordered({"a", "b"}), T0 + 5 * S) == "u=2 v=1");
}

TEST_CASE("per step: users, conversion, from previous, drop-off and nearest-rank times") {
    // Four users with 1, 2, 3, 4 s from a to b; two of them reach c.
    Model m = model_of({{"u1", "a@0 b@1 c@2"},
                        {"u2", "a@0 b@2"},
                        {"u3", "a@0 b@3 c@7"},
                        {"u4", "a@0 b@4"},
                        {"u5", "a@0"},
                        {"u6", "b@0"}});
    FunnelResult r = run_on(m, funnel_of(ordered({"a", "b", "c"})));
    REQUIRE(r.steps.size() == 3);
    CHECK(r.steps[0].users == 5);
    CHECK(r.steps[1].users == 4);
    CHECK(r.steps[2].users == 2);
    CHECK(r.steps[0].conversion == 1.0);
    CHECK(r.steps[2].conversion == doctest::Approx(0.4));
    CHECK(r.steps[1].from_previous == doctest::Approx(0.8));
    CHECK(r.steps[2].from_previous == doctest::Approx(0.5));
    CHECK(r.steps[0].drop_off == 0);
    CHECK(r.steps[1].drop_off == 1);
    CHECK(r.steps[2].drop_off == 2);
    CHECK_FALSE(r.steps[0].from_prev.median.has_value());
    const DurationStats& ab = r.steps[1].from_prev;
    CHECK(ab.users == 4);
    CHECK(*ab.p25 == 1.0);    // rank ceil(0.25·4) = 1
    CHECK(*ab.median == 2.0); // rank 2: the lower middle, an actual value
    CHECK(*ab.p75 == 3.0);
    CHECK(*ab.p90 == 4.0); // rank ceil(3.6) = 4
    CHECK(*ab.mean == 2.5);
    CHECK(*r.steps[2].from_prev.median == 1.0); // u1 1 s, u3 4 s
    CHECK(r.time_to_convert.users == 2);        // u1 2 s, u3 7 s
    CHECK(*r.time_to_convert.median == 2.0);
    CHECK(*r.time_to_convert.mean == 4.5);
    CHECK(*r.time_to_convert.p90 == 7.0);
}

TEST_CASE("percentiles are nearest-rank; the histogram ladder stops at the window") {
    std::vector<int64_t> v = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100};
    CHECK(nearest_rank(v, 50) == 50);
    CHECK(nearest_rank(v, 90) == 90);
    CHECK(nearest_rank(v, 91) == 100);
    CHECK(nearest_rank({7}, 25) == 7);
    std::vector<int64_t> e = histogram_edges(45 * S);
    CHECK(e == std::vector<int64_t>{0, 10 * S, 30 * S, 45 * S});
    CHECK(histogram_edges(7 * kMicrosPerDay).back() == 7 * kMicrosPerDay);
    CHECK(histogram_edges(7 * kMicrosPerDay).size() == 16); // 0 .. 3 d, then 7 d
    Model m =
        model_of({{"u1", "a@0 b@0"}, {"u2", "a@0 b@10"}, {"u3", "a@0 b@29.999999"}, {"u4", "a@0 b@45"}});
    FunnelResult r = run_on(m, funnel_of(funnel_json({"a", "b"}, R"("window": {"seconds": 45})")));
    REQUIRE(r.histogram.size() == 3);
    CHECK(r.histogram[0].users == 1); // [0, 10)
    CHECK(r.histogram[1].users == 2); // [10, 30)
    CHECK(r.histogram[2].users == 1); // [30, 45], closed
}

TEST_CASE("breakdowns: top values by step-1 users, other, not set; rows add up to the funnel") {
    Model m = model_of({{"u1", "a@0:m b@1 c@2"},
                        {"u2", "a@0:d b@1"},
                        {"u3", "a@0:m"},
                        {"u4", "a@0 b@1 c@2"},
                        {"u5", "a@0:t b@1 c@2"},
                        {"u6", ""}},
                       {"CN", "CN", "US", std::nullopt, "JP", "US"});
    FunnelResult r =
        run_on(m, funnel_of(ordered({"a", "b", "c"}, R"("breakdown": {"attribute": "country", "top": 1})")));
    REQUIRE(r.breakdown.size() == 3);
    CHECK(r.breakdown[0].kind == BreakdownRow::Kind::Value);
    CHECK(r.breakdown[0].value == "CN");
    CHECK(r.breakdown[0].users == std::vector<uint64_t>{2, 2, 1});
    CHECK(r.breakdown[1].kind == BreakdownRow::Kind::Other); // JP 1/1/1 and US 1/0/0 (u6 entered nothing)
    CHECK(r.breakdown[1].users == std::vector<uint64_t>{2, 1, 1});
    CHECK(r.breakdown[2].kind == BreakdownRow::Kind::NotSet);
    CHECK(r.breakdown[2].users == std::vector<uint64_t>{1, 1, 1});
    // Ties in step-1 users are ordered by value text.
    FunnelResult all =
        run_on(m, funnel_of(ordered({"a", "b", "c"}, R"("breakdown": {"attribute": "country"})")));
    REQUIRE(all.breakdown.size() == 4);
    CHECK(all.breakdown[1].value == "JP");
    CHECK(all.breakdown[2].value == "US");
    CHECK(all.breakdown[3].kind == BreakdownRow::Kind::NotSet);
    // By the counted attempt's step-1 event property.
    FunnelResult p = run_on(m, funnel_of(ordered({"a", "b", "c"}, R"("breakdown": {"property": "device"})")));
    REQUIRE(p.breakdown.size() == 4);
    CHECK(p.breakdown[0].value == "m");
    CHECK(p.breakdown[0].users == std::vector<uint64_t>{2, 1, 1});
    CHECK(p.breakdown[1].value == "d");
    CHECK(p.breakdown[2].value == "t");
    CHECK(p.breakdown[3].kind == BreakdownRow::Kind::NotSet);
    CHECK(p.breakdown[3].users == std::vector<uint64_t>{1, 1, 1});
}

TEST_CASE("the audience filter keeps its users only, resolved through the context") {
    Model m = model_of({{"u1", "a@0 b@1"}, {"u2", "a@0 b@1"}, {"u3", "a@0"}});
    Funnel f = funnel_of(ordered({"a", "b"}, R"("audience": {"audience": "odd"})"));
    FunnelContext ctx{m, m.max_time_us,
                      [](const nlohmann::json& filter, const std::string& path, Bitmap* users,
                         std::vector<DefinitionError>& errors) {
                          if (filter["audience"] != "odd") {
                              errors.push_back({path + ".audience", "unknown"});
                              return false;
                          }
                          users->size = 3;
                          users->words = {0b101};
                          return true;
                      }};
    FunnelResult r = run_funnel_engine(f, ctx);
    REQUIRE(r.ok());
    CHECK(r.population == 2);
    CHECK(r.levels == std::vector<uint8_t>{2, 0, 1});
    CHECK(r.steps[0].users == 2);
    CHECK(r.steps[1].users == 1);
    FunnelLevels lv = funnel_levels(f, ctx);
    CHECK(lv.levels == r.levels);
    // No resolver: an error, not a silent "everyone".
    FunnelResult none = run_funnel_engine(f, FunnelContext{m, m.max_time_us, nullptr});
    REQUIRE(none.errors.size() == 1);
    CHECK(none.errors[0].path == "audience");
}

TEST_CASE("unknown events, properties and attributes are errors at their paths, all at once") {
    Model m = model_of({{"u", "a@0:m b@1"}});
    Funnel f = funnel_of(funnel_json(
        {"a", R"({"event": "nope", "where": [{"property": "colour", "op": "eq", "value": "red"}]})"},
        R"("exclusions": [{"event": "gone", "between": [1, 2]}], "breakdown": {"attribute": "age"})"));
    FunnelResult r = run_funnel_engine(f, FunnelContext{m, m.max_time_us, nullptr});
    REQUIRE(r.errors.size() == 4);
    CHECK(r.errors[0].path == "steps[1].where[0].property");
    CHECK(r.errors[1].path == "steps[1].event");
    CHECK(r.errors[2].path == "exclusions[0].event");
    CHECK(r.errors[3].path == "breakdown.attribute");
    CHECK(r.errors[3].message.find("country") != std::string::npos);
}

} // namespace core_funnel_engine_test
