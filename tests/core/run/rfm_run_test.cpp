// core/run: RFM through run_definition (DESIGN §9): the answer's shape on the audience fixture
// (audience_fixture.h), worked out by hand, errors with their paths, and saved RFM settings.
//
// Customers at as-of A (purchases at or before A; no order ids, so F counts purchase events):
//   u0  last A-29D, 2 purchases, 150      u1  last A-1D, 3 purchases, 90
//   u2  last A-45D, 1 purchase, 200       u5  last A, 1 purchase, 10
//   e8  last A-20D, 2 purchases, 5 (one without revenue)      u4's purchase is after A.
#include "../audience/audience_fixture.h"
#include "core/rfm/engine.h"
#include "core/run/run.h"

#include <doctest/doctest.h>

namespace core_run_rfm_run_test {

using namespace segx;
using namespace segx::test;
using nlohmann::json;

namespace {

json run(const std::string& text, const RunContext* ctx = nullptr) {
    if (ctx) return run_definition(*ctx, std::string_view(text), RunOptions{});
    return run_definition(RunContext{fixture_model(), A, 1, nullptr, nullptr}, std::string_view(text),
                          RunOptions{});
}

const json* segment_named(const json& answer, const std::string& name) {
    for (const json& s : answer["segments"])
        if (s["name"] == name) return &s;
    return nullptr;
}

const json& cell(const json& answer, int r, int f) {
    for (const json& c : answer["cells"])
        if (c["r"] == r && c["f"] == f) return c;
    FAIL("no cell");
    static json none;
    return none;
}

} // namespace

TEST_CASE("rfm answers customers, segments, cells, scores and histograms at as-of") {
    // Quantile, n = 5: R by -days: u2, u0, e8, u1, u5 -> 1..5. F: u2 (1), u5 (1), e8 (2), u0 (2),
    // u1 (3), ties by id -> 1..5. M: e8, u5, u1, u0, u2 -> 1..5. Segments (R, F): u0 (2, 4) At
    // Risk, u1 (4, 5) Loyal Customers, u2 (1, 1) Hibernating, u5 (5, 2) Potential Loyalists,
    // e8 (3, 3) Need Attention.
    json a = run(R"({"segx": 1, "kind": "rfm"})");
    INFO(a.dump());
    REQUIRE(a["ok"] == true);
    CHECK(a["kind"] == "rfm");
    CHECK(a["as_of"] == "2024-03-31 00:00:00");
    CHECK(a["method"] == "quantile");
    CHECK(a["monetary"] == "total");
    CHECK(a["purchase_event"] == "purchase");
    CHECK(a["customers"] == 5);
    CHECK(a["revenue"] == 455);
    CHECK(a["means"]["r"] == doctest::Approx((29 + 1 + 45 + 0 + 20) / 5.0));
    CHECK(a["means"]["f"] == doctest::Approx(9 / 5.0));
    CHECK(a["means"]["m"] == doctest::Approx(91));
    REQUIRE(a["segments"].size() == 10);
    const json& champions = a["segments"][0];
    CHECK(champions == json::parse(R"({"name": "Champions", "customers": 0, "share": 0, "revenue": 0,
        "revenue_share": 0, "mean_r": null, "mean_f": null, "mean_m": null})"));
    const json* loyal = segment_named(a, "Loyal Customers");
    REQUIRE(loyal != nullptr);
    CHECK((*loyal)["customers"] == 1);
    CHECK((*loyal)["share"] == doctest::Approx(0.2));
    CHECK((*loyal)["revenue"] == 90);
    CHECK((*loyal)["revenue_share"] == doctest::Approx(90.0 / 455));
    CHECK((*loyal)["mean_r"] == 1);
    CHECK((*loyal)["mean_f"] == 3);
    CHECK((*loyal)["mean_m"] == 90);
    for (const char* name : {"At Risk", "Hibernating", "Potential Loyalists", "Need Attention"})
        CHECK((*segment_named(a, name))["customers"] == 1);
    REQUIRE(a["cells"].size() == 25);
    CHECK(a["cells"][0]["r"] == 1);
    CHECK(a["cells"][0]["f"] == 1);
    CHECK(cell(a, 2, 4) == json::parse(R"({"r": 2, "f": 4, "customers": 1, "revenue": 150, "mean_m": 150,
        "segment": "At Risk"})"));
    CHECK(cell(a, 5, 5)["mean_m"].is_null());
    CHECK(cell(a, 5, 5)["segment"] == "Champions");
    CHECK(a["scores"]["r"].size() == 5);
    CHECK(a["scores"]["r"][0] == json::parse(R"({"score": 1, "customers": 1, "min": 45, "max": 45})"));
    for (const char* k : {"r", "f", "m"}) {
        uint64_t sum = 0;
        for (const json& b : a["histograms"][k]) sum += b["customers"].get<uint64_t>();
        CHECK(sum == 5);
    }
    CHECK(a["histograms"]["r"][0] == json::parse(R"({"from": 0, "to": 7, "customers": 2})"));
    CHECK(a["histograms"]["r"].back()["to"].is_null());
}

TEST_CASE("rfm thresholds, mean_order and the mean template through run") {
    // r [7, 30, 90, 180]: u0 29 d -> 4, u1 1 -> 5, u2 45 -> 3, u5 0 -> 5, e8 20 -> 4.
    // f [1, 2, 4, 8]: u0 2 -> 2, u1 3 -> 3, u2 1 -> 1, u5 1 -> 1, e8 2 -> 2.
    // Potential Loyalists (R 4-5, F 2-3): u0, u1, e8; u2 (3, 1) About To Sleep; u5 New Customers.
    json a = run(R"({"segx": 1, "kind": "rfm", "method": "thresholds", "monetary": "mean_order"})");
    INFO(a.dump());
    REQUIRE(a["ok"] == true);
    const json& pl = *segment_named(a, "Potential Loyalists");
    CHECK(pl["customers"] == 3);
    CHECK(pl["revenue"] == 245);
    CHECK(pl["mean_m"] == doctest::Approx((75 + 30 + 2.5) / 3)); // mean order values
    CHECK((*segment_named(a, "About To Sleep"))["customers"] == 1);
    CHECK((*segment_named(a, "New Customers"))["customers"] == 1);
    CHECK(a["revenue"] == 455);

    json mean = run(R"({"segx": 1, "kind": "rfm", "method": "mean"})");
    REQUIRE(mean["ok"] == true);
    CHECK(mean["cells"].size() == 4);
    CHECK_FALSE(mean["cells"][0].contains("segment")); // 重要 / 一般 split each cell by M
    CHECK(mean["segments"][0]["name"] == "重要价值客户");
    uint64_t sum = 0;
    for (const json& s : mean["segments"]) sum += s["customers"].get<uint64_t>();
    CHECK(sum == 5);
}

TEST_CASE("rfm refusals carry their paths; as-of moves with the context") {
    json bad = run(R"({"segx": 1, "kind": "rfm", "method": "x", "segments": [{"name": "A", "r": [1, 5]}]})");
    REQUIRE(bad["ok"] == false);
    CHECK(bad["errors"][0]["path"] == "method");
    CHECK(bad["errors"][1]["path"] == "segments[0].f");
    json uncovered =
        run(R"({"segx": 1, "kind": "rfm", "segments": [{"name": "A", "r": [1, 5], "f": [1, 4]}]})");
    REQUIRE(uncovered["ok"] == false);
    CHECK(uncovered["errors"][0]["path"] == "segments");

    // As-of A - 30 days: only u0 (A-30D, 100), u2 (A-45D) and e8 (A-100D) have bought.
    RunContext early{fixture_model(), A - 30 * D, 1, nullptr, nullptr};
    json a = run(R"({"segx": 1, "kind": "rfm"})", &early);
    REQUIRE(a["ok"] == true);
    CHECK(a["customers"] == 3);
    CHECK(a["revenue"] == 305);
    CHECK(a["as_of"] == "2024-03-01 00:00:00");

    // A supplied id order changes nothing.
    const std::vector<uint32_t> order = users_by_id_text(fixture_model());
    RunContext with_order{fixture_model(), A, 1, nullptr, nullptr, &order};
    CHECK(run(R"({"segx": 1, "kind": "rfm"})", &with_order) == run(R"({"segx": 1, "kind": "rfm"})"));
}

TEST_CASE("saved RFM settings are read with the workspace; refused ones are named") {
    SavedDefinitions saved;
    json items = json::parse(R"([
        {"segx": 1, "kind": "rfm", "id": "rfm1", "method": "mean"},
        {"segx": 1, "kind": "rfm", "id": "bad", "monetary": "sum"}])");
    std::vector<SavedProblem> problems = read_saved_definitions(items, &saved);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].id == "bad");
    CHECK(problems[0].errors[0].path == "monetary");
    REQUIRE(saved.rfm("rfm1") != nullptr);
    CHECK(saved.rfm("rfm1")->segments.size() == 8);
    CHECK(saved.rfm("bad") == nullptr);
}

} // namespace core_run_rfm_run_test
