// core/run: retention, lifecycle and the board through run_definition (DESIGN §9): the answers'
// shapes, the audience filter resolved by the audience engine, errors with their paths, a model
// without events, and saved definitions. The model is the audience fixture's (audience_fixture.h,
// as-of A = 2024-03-31 00:00).
#include "../audience/audience_fixture.h"
#include "core/run/run.h"

#include <doctest/doctest.h>

namespace core_run_retention_run_test {

using namespace segx;
using namespace segx::test;
using nlohmann::json;

namespace {

json run(const std::string& text, const SavedDefinitions* saved = nullptr) {
    return run_definition(RunContext{fixture_model(), A, 1, saved, nullptr}, std::string_view(text),
                          RunOptions{});
}

} // namespace

TEST_CASE("a retention answer: cohorts with counts and completeness, and the mean") {
    // Monthly cohorts of the first purchase: e8 (2023-12), u2 (2024-02), u0, u1, u5 (2024-03).
    json a = run(R"({"segx": 1, "kind": "retention", "period": "month", "start": {"event": "purchase"},
                     "return": {"any": true}, "periods": 2})");
    INFO(a.dump());
    REQUIRE(a["ok"] == true);
    CHECK(a["kind"] == "retention");
    CHECK(a["as_of"] == "2024-03-31 00:00:00");
    CHECK(a["period"] == "month");
    CHECK(a["mode"] == "exact");
    CHECK(a["population"] == 10);
    CHECK(a["cohorts"] == json::parse(R"([
        {"start": "2024-01-01", "size": 0, "counts": [0, 0, 0], "complete": [true, true, false]},
        {"start": "2024-02-01", "size": 1, "counts": [1, 0], "complete": [true, false]},
        {"start": "2024-03-01", "size": 3, "counts": [3], "complete": [false]}])"));
    // k = 1 is complete only for January, an empty cohort: no mean.
    CHECK(a["mean"] == json::parse("[1, null, null]"));
}

TEST_CASE("a lifecycle answer: periods with their four counts") {
    json a = run(R"({"segx": 1, "kind": "lifecycle", "period": "month", "event": "purchase", "periods": 2})");
    INFO(a.dump());
    REQUIRE(a["ok"] == true);
    CHECK(a["kind"] == "lifecycle");
    CHECK(a["period"] == "month");
    // February: u2 new, e8 (December) neither; March: u0 u1 u5 new, e8 resurrecting, u2 dormant.
    CHECK(a["periods"] == json::parse(R"([
        {"start": "2024-02-01", "complete": true, "new": 1, "returning": 0, "resurrecting": 0, "dormant": 0},
        {"start": "2024-03-01", "complete": false, "new": 3, "returning": 0, "resurrecting": 1, "dormant": 1}])"));
}

TEST_CASE("a board answer: groups with the nine numbers, and the previous period") {
    json a = run(R"({"segx": 1, "kind": "board"})");
    INFO(a.dump());
    REQUIRE(a["ok"] == true);
    CHECK(a["kind"] == "board");
    CHECK(a["dormant_days"] == 90);
    CHECK(a["period"] == json::parse(R"({"from": "2024-03-01 00:00:00", "to": "2024-03-31 00:00:00"})"));
    // New: u1 u3 u5 u7 e9; returning: u0 (first at exactly s), u2, e8.
    CHECK(a["groups"]["new"] ==
          json::parse(R"({"pool": 5, "active": 5, "buyers": 2, "orders": 4, "revenue": 100,
        "traffic": 5, "conversion": 0.4, "aov": 25})"));
    CHECK(a["groups"]["returning"] == json::parse(R"({"pool": 3, "active": 2, "buyers": 2, "orders": 2,
        "revenue": 50, "traffic": 2, "conversion": 1, "aov": 25})"));
    CHECK(a["groups"]["dormant"] == json::parse(R"({"pool": 0, "active": 0, "buyers": 0, "orders": 0,
        "revenue": 0, "traffic": 0, "conversion": null, "aov": null})"));
    CHECK(a["previous"]["period"] ==
          json::parse(R"({"from": "2024-01-31 00:00:00", "to": "2024-03-01 00:00:00"})"));
    // Previous: u0 new (first at A-30D, its closed end); u2 (first at A-60D, exactly its open
    // start) and e8 (A-100D) returning.
    CHECK(a["previous"]["groups"]["new"] == json::parse(R"({"pool": 1, "active": 1, "buyers": 1, "orders": 1,
        "revenue": 100, "traffic": 1, "conversion": 1, "aov": 100})"));
    CHECK(a["previous"]["groups"]["returning"]["pool"] == 2);
    CHECK(a["previous"]["groups"]["returning"]["revenue"] == 200);
}

TEST_CASE("audience filters by group and by saved id; errors with their paths") {
    SavedDefinitions saved;
    read_saved_definitions(json::parse(R"([{"segx": 1, "id": "cn", "root": {"match": "all", "rules": [
        {"kind": "property", "attribute": "country", "op": "eq", "value": "CN"}]}}])"),
                           &saved);
    // CN: u0 u6.
    json a = run(R"({"segx": 1, "kind": "board", "audience": {"audience": "cn"}})", &saved);
    REQUIRE(a["ok"] == true);
    CHECK(a["population"] == 2);
    CHECK(a["groups"]["returning"]["pool"] == 1);
    CHECK(a["groups"]["new"]["pool"] == 0);
    json g = run(R"({"segx": 1, "kind": "lifecycle", "audience": {"match": "all", "rules": [
        {"kind": "property", "attribute": "country", "op": "eq", "value": "CN"}]}})");
    REQUIRE(g["ok"] == true);
    CHECK(g["population"] == 2);

    json bad =
        run(R"({"segx": 1, "kind": "retention", "start": {"event": "signup"}, "audience": {"match": "all",
        "rules": [{"kind": "property", "attribute": "country", "op": "equals", "value": "CN"}]}})");
    CHECK(bad["ok"] == false);
    CHECK(bad["errors"][0]["path"] == "audience.rules[0].op");
    json unknown = run(R"({"segx": 1, "kind": "retention", "start": {"event": "signup"}})");
    CHECK(unknown["errors"][0]["path"] == "start.event");
    json missing = run(R"({"segx": 1, "kind": "board", "audience": {"audience": "nope"}})", &saved);
    CHECK(missing["errors"] ==
          json::parse(R"([{"path": "audience.audience", "message": "unknown saved audience \"nope\""}])"));
    CHECK(run(R"({"segx": 1, "kind": "lifecycle", "periods": 0})")["errors"][0]["path"] == "periods");
}

TEST_CASE("a model without events answers empty lists and a null as-of") {
    Model empty;
    RunContext ctx{empty, std::nullopt, 1, nullptr, nullptr};
    json r = run_definition(ctx, json::parse(R"({"segx": 1, "kind": "retention", "start": {"event": "a"}})"),
                            RunOptions{});
    CHECK(r["ok"] == true);
    CHECK(r["as_of"].is_null());
    CHECK(r["cohorts"] == json::array());
    json l = run_definition(ctx, json::parse(R"({"segx": 1, "kind": "lifecycle"})"), RunOptions{});
    CHECK(l["periods"] == json::array());
    json b = run_definition(ctx, json::parse(R"({"segx": 1, "kind": "board"})"), RunOptions{});
    CHECK(b["period"].is_null());
    CHECK(b["groups"]["new"]["pool"] == 0);
}

TEST_CASE("retention, lifecycle and board definitions are saved in the workspace") {
    SavedDefinitions saved;
    std::vector<SavedProblem> problems = read_saved_definitions(json::parse(R"([
        {"segx": 1, "kind": "retention", "id": "r", "start": {"event": "purchase"}},
        {"segx": 1, "kind": "lifecycle", "id": "l"},
        {"segx": 1, "kind": "board", "id": "b", "dormant_days": 30},
        {"segx": 1, "kind": "board", "id": "bad", "dormant_days": 0}])"),
                                                                &saved);
    REQUIRE(saved.retentions.size() == 1);
    REQUIRE(saved.lifecycles.size() == 1);
    REQUIRE(saved.boards.size() == 1);
    CHECK(saved.boards[0].dormant_days == 30);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].id == "bad");
    CHECK(problems[0].errors[0].path == "dormant_days");
}

} // namespace core_run_retention_run_test
