// core/run: one "run a definition" for every caller: kind dispatch, as-of, saved definitions,
// the §9 answer and errors as JSON.
#include "core/run/run.h"
#include "../audience/audience_fixture.h"
#include "core/audience/audience_cache.h"

#include <doctest/doctest.h>

namespace core_run_run_test {

using namespace segx;
using namespace segx::test;
using nlohmann::json;

namespace {

const char* kBuyers = R"({"segx": 1, "root": {"match": "all", "rules": [
    {"kind": "behavior", "event": "purchase", "window": {"last_days": 30}}]}})";

json run(std::string_view text, std::optional<int64_t> as_of = A, const SavedDefinitions* saved = nullptr,
         AudienceCache* cache = nullptr, bool members = true) {
    RunOptions options;
    options.members = members;
    options.sorted_members = true;
    return run_definition(RunContext{fixture_model(), as_of, 1, saved, cache}, text, options);
}

} // namespace

TEST_CASE("an audience answers kind, size, users, share, as_of and sorted members") {
    json a = run(kBuyers);
    INFO(a.dump());
    REQUIRE(a["ok"] == true);
    CHECK(a["kind"] == "audience");
    // Purchases in (A-30D, A]: u0 (A-29D), u1, u5 (at A), e8 (A-20D, no revenue still counts).
    CHECK(a["members"] == json({"e8", "u0", "u1", "u5"}));
    CHECK(a["size"] == 4);
    CHECK(a["users"] == 10);
    CHECK(a["share"] == doctest::Approx(0.4));
    CHECK(a["as_of"] == "2024-03-31 00:00:00");
    CHECK_FALSE(a.contains("cache")); // no cache given: nothing to report
}

TEST_CASE("as-of moves every window; a model without events answers as_of null") {
    json a = run(kBuyers, A - 20 * D);
    REQUIRE(a["ok"] == true);
    // (A-50D, A-20D]: u0's two purchases, u2 (A-45D), e8 at A-20D.
    CHECK(a["members"] == json({"e8", "u0", "u2"}));
    json none =
        run(R"({"segx": 1, "root": {"match": "all", "rules": []}})", std::nullopt, nullptr, nullptr, false);
    CHECK(none["as_of"].is_null());
    CHECK_FALSE(none.contains("members"));
}

TEST_CASE("errors come back with their JSON paths, parse problems first") {
    json bad = run(
        R"({"segx": 1, "root": {"match": "all", "rules": [{"kind": "property", "attribute": "nope", "op": "eq",
                                          "value": 1}]}})");
    REQUIRE(bad["ok"] == false);
    CHECK(bad["errors"][0]["path"] == "root.rules[0].attribute");
    json syntax = run("{\"segx\": 1,");
    REQUIRE(syntax["ok"] == false);
    CHECK(syntax["errors"].size() == 1);
    json dup = run(R"({"segx": 1, "segx": 1, "root": {"match": "all", "rules": []}})");
    REQUIRE(dup["ok"] == false);
    CHECK(dup["errors"][0]["message"].get<std::string>().find("duplicate key") != std::string::npos);
}

TEST_CASE("the kind dispatches: no kind is an audience, an unknown kind is named with the known ones") {
    json unknown = run(R"({"segx": 1, "kind": "funnels"})");
    REQUIRE(unknown["ok"] == false);
    CHECK(unknown["errors"][0]["path"] == "kind");
    CHECK(unknown["errors"][0]["message"].get<std::string>().find("\"funnels\"") != std::string::npos);
    CHECK(unknown["errors"][0]["message"].get<std::string>().find("audience") != std::string::npos);
    json typed = run(R"({"segx": 1, "kind": 3})");
    CHECK(typed["errors"][0]["path"] == "kind");
    CHECK(definition_kind(json::parse(kBuyers)) == "audience");
    CHECK(definition_kind(json::parse(R"({"kind": "funnel"})")) == "funnel");
}

TEST_CASE("saved definitions resolve references; refused ones are named and the rest kept") {
    SavedDefinitions saved;
    json items = json::parse(R"([
        {"segx": 1, "id": "buyers", "name": "Buyers", "root": {"match": "all", "rules": [
            {"kind": "behavior", "event": "purchase", "window": {"last_days": 30}}]}},
        {"segx": 1, "id": "broken", "root": {"match": "all", "rules": [{"kind": "nope"}]}},
        {"segx": 1, "root": {"match": "maybe"}},
        {"segx": 1, "kind": "chart", "id": "c1"}])");
    std::vector<SavedProblem> problems = read_saved_definitions(items, &saved);
    REQUIRE(problems.size() == 3);
    CHECK(problems[0].id == "broken");
    CHECK(problems[0].errors[0].path == "root.rules[0].kind");
    CHECK(problems[1].id == "[2]");
    CHECK(problems[2].errors[0].path == "kind");
    REQUIRE(saved.audiences.size() == 1);
    CHECK(saved.audience("buyers") != nullptr);
    CHECK(saved.audience("broken") == nullptr);

    json not_buyers = run(
        R"({"segx": 1, "root": {"match": "all", "rules": [{"kind": "audience", "op": "not_in", "id": "buyers"}]}})",
        A, &saved);
    REQUIRE(not_buyers["ok"] == true);
    CHECK(not_buyers["members"] == json({"e9", "u2", "u3", "u4", "u6", "u7"}));
    json missing =
        run(R"({"segx": 1, "root": {"match": "all", "rules": [{"kind": "audience", "id": "broken"}]}})", A,
            &saved);
    CHECK(missing["ok"] == false);
}

TEST_CASE("with a cache, answers report its hits and misses, and a second run hits") {
    AudienceCache cache;
    json first = run(kBuyers, A, nullptr, &cache);
    json second = run(kBuyers, A, nullptr, &cache);
    REQUIRE(second["ok"] == true);
    CHECK(first["cache"]["misses"] == 1);
    CHECK(second["cache"]["hits"] == 1);
    CHECK(second["members"] == first["members"]);
}

} // namespace core_run_run_test
