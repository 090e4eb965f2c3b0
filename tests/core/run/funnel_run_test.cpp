// core/run: a funnel through run_definition (DESIGN §9): the answer's shape, the audience filter
// (a group or a saved audience) resolved by the audience engine, errors with their paths, and
// saved funnels. The model is the audience fixture's (audience_fixture.h).
#include "../audience/audience_fixture.h"
#include "core/run/run.h"

#include <doctest/doctest.h>

namespace core_run_funnel_run_test {

using namespace segx;
using namespace segx::test;
using nlohmann::json;

namespace {

json run(const std::string& text, const SavedDefinitions* saved = nullptr) {
    return run_definition(RunContext{fixture_model(), A, 1, saved, nullptr}, std::string_view(text),
                          RunOptions{});
}

std::string view_purchase(const std::string& rest) {
    return R"({"segx": 1, "kind": "funnel", "steps": [{"event": "view"}, {"event": "purchase"}], )" + rest +
           "}";
}

} // namespace

TEST_CASE("a funnel answers per step users, conversion, drop-off and times, at as-of") {
    // Views at or before A then a purchase within 30 days: u2 (view A-60D, purchase A-45D).
    // Step 1 only: u0 (view at A), u3, u7, e9; u1's view is after as-of.
    json a = run(view_purchase(R"("window": {"days": 30})"));
    INFO(a.dump());
    REQUIRE(a["ok"] == true);
    CHECK(a["kind"] == "funnel");
    CHECK(a["as_of"] == "2024-03-31 00:00:00");
    CHECK(a["order"] == "ordered");
    CHECK(a["window_seconds"] == 30 * 86400);
    CHECK(a["population"] == 10);
    REQUIRE(a["steps"].size() == 2);
    const json& s1 = a["steps"][0];
    const json& s2 = a["steps"][1];
    CHECK(s1["event"] == "view");
    CHECK(s1["users"] == 5);
    CHECK(s1["conversion"] == 1.0);
    CHECK(s1["drop_off"] == 0);
    CHECK(s1["median_seconds"].is_null());
    CHECK(s2["event"] == "purchase");
    CHECK(s2["users"] == 1);
    CHECK(s2["conversion"] == doctest::Approx(0.2));
    CHECK(s2["from_previous"] == doctest::Approx(0.2));
    CHECK(s2["drop_off"] == 4);
    CHECK(s2["median_seconds"] == 15 * 86400);
    for (const char* k : {"mean_seconds", "p25_seconds", "p75_seconds", "p90_seconds"})
        CHECK(s2[k] == 15 * 86400);
    const json& ttc = a["time_to_convert"];
    CHECK(ttc["users"] == 1);
    CHECK(ttc["median_seconds"] == 15 * 86400);
    REQUIRE(ttc["histogram"].is_array());
    CHECK(ttc["histogram"].back()["to_seconds"] == 30 * 86400);
    uint64_t in_histogram = 0;
    for (const json& b : ttc["histogram"]) in_histogram += b["users"].get<uint64_t>();
    CHECK(in_histogram == 1);
    CHECK_FALSE(a.contains("breakdown"));

    // A 10-day window loses u2's purchase; unordered counts purchase-then-view too.
    CHECK(run(view_purchase(R"("window": {"days": 10})"))["steps"][1]["users"] == 0);
    json u = run(view_purchase(R"("order": "unordered", "window": {"days": 30})"));
    CHECK(u["steps"][0]["users"] == 8);
    CHECK(u["steps"][1]["users"] == 2); // u0: purchase A-30D, view at A (the window's closed end)
}

TEST_CASE("breakdown rows in the answer: values, then not set") {
    json a = run(view_purchase(R"("window": {"days": 30}, "breakdown": {"attribute": "country"})"));
    INFO(a.dump());
    REQUIRE(a["ok"] == true);
    const json& rows = a["breakdown"];
    REQUIRE(rows.size() == 4);
    CHECK(rows[0] ==
          json::parse(R"({"row": "value", "value": "CN", "steps": [{"users": 1}, {"users": 0}]})"));
    CHECK(rows[1]["value"] == "Cn");
    CHECK(rows[2] ==
          json::parse(R"({"row": "value", "value": "cn", "steps": [{"users": 1}, {"users": 1}]})"));
    CHECK(rows[3] ==
          json::parse(R"({"row": "not_set", "value": null, "steps": [{"users": 2}, {"users": 0}]})"));
}

TEST_CASE("the audience filter: a group, or a saved audience by id, through the audience engine") {
    json g = run(view_purchase(R"("audience": {"match": "all", "rules": [
        {"kind": "property", "attribute": "country", "op": "eq", "value": "CN"}]})"));
    INFO(g.dump());
    REQUIRE(g["ok"] == true);
    CHECK(g["population"] == 2); // u0, u6
    CHECK(g["steps"][0]["users"] == 1);

    SavedDefinitions saved;
    read_saved_definitions(json::parse(R"([{"segx": 1, "id": "buyers", "root": {"match": "all", "rules": [
        {"kind": "behavior", "event": "purchase", "window": {"last_days": 30}}]}}])"),
                           &saved);
    json r = run(view_purchase(R"("audience": {"audience": "buyers"})"), &saved);
    REQUIRE(r["ok"] == true);
    CHECK(r["population"] == 4); // e8, u0, u1, u5
    CHECK(r["steps"][0]["users"] == 1);

    json missing = run(view_purchase(R"("audience": {"audience": "nobody"})"), &saved);
    REQUIRE(missing["ok"] == false);
    CHECK(missing["errors"][0]["path"] == "audience.audience");
}

TEST_CASE("funnel errors come back with their paths: reading, the audience group, the model") {
    json bad = run(R"({"segx": 1, "kind": "funnel", "steps": [{"event": "view"}], "window": {"weeks": 1}})");
    REQUIRE(bad["ok"] == false);
    CHECK(bad["errors"][0]["path"] == "steps");
    CHECK(bad["errors"][1]["path"] == "window.weeks");
    json group = run(view_purchase(R"("audience": {"match": "all", "rules": [{"kind": "property",
        "attribute": "country", "op": "equals", "value": "CN"}]})"));
    REQUIRE(group["ok"] == false);
    CHECK(group["errors"][0]["path"] == "audience.rules[0].op");
    json model = run(R"({"segx": 1, "kind": "funnel", "steps": [{"event": "view"}, {"event": "checkout"}],
        "audience": {"match": "all", "rules": [{"kind": "property", "attribute": "nation", "op": "is_set"}]}})");
    REQUIRE(model["ok"] == false);
    std::vector<std::string> paths;
    for (const json& e : model["errors"]) paths.push_back(e["path"]);
    CHECK(paths == std::vector<std::string>{"steps[1].event", "audience.rules[0].attribute"});
}

TEST_CASE("saved funnels are read beside saved audiences; refused ones are named") {
    SavedDefinitions saved;
    std::vector<SavedProblem> problems = read_saved_definitions(json::parse(R"([
        {"segx": 1, "kind": "funnel", "id": "f1", "steps": [{"event": "view"}, {"event": "purchase"}]},
        {"segx": 1, "kind": "funnel", "id": "f2", "steps": [{"event": "view"}]},
        {"segx": 1, "kind": "funnel", "id": "f3", "steps": [{"event": "a"}, {"event": "b"}],
         "audience": {"match": "all", "rules": [{"kind": "nope"}]}},
        {"segx": 1, "id": "a1", "root": {"match": "all", "rules": []}}])"),
                                                                &saved);
    REQUIRE(problems.size() == 2);
    CHECK(problems[0].id == "f2");
    CHECK(problems[0].errors[0].path == "steps");
    CHECK(problems[1].id == "f3");
    CHECK(problems[1].errors[0].path == "audience.rules[0].kind");
    REQUIRE(saved.funnels.size() == 1);
    CHECK(saved.funnel("f1") != nullptr);
    CHECK(saved.funnel("f2") == nullptr);
    CHECK(saved.audience("a1") != nullptr);
}

} // namespace core_run_funnel_run_test
