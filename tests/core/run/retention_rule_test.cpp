// The audience `retention` rule through run_definition: one cell of a retention triangle, worked
// out by hand on the retention engine's weekly fixture (ISO weeks across a year boundary, as-of
// mid-week); any cohort at or before as-of whatever the retention's own `cohorts`; a cohort after
// as-of is empty; errors at the rule's paths; the cache follows the retention's JSON; and each
// cell's members are exactly the triangle's count.
#include "../retention/cohort_fixture.h"
#include "core/audience/audience_cache.h"
#include "core/run/run.h"

#include "answer_text.h"

#include <doctest/doctest.h>

namespace core_run_retention_rule_test {

using namespace segx;
using namespace segx::test;
using nlohmann::json;

namespace {

// Weeks 2024-12-16 … 2025-01-13; as-of Wednesday 2025-01-15 12:00.
//   a: cohort 2024-12-23, purchases in k = 1 and k = 3;   b: cohort 2024-12-23, k = 2
//   c: cohort 2024-12-30, k = 1 and k = 2 (exactly at as-of)   d: cohort 2025-01-13
//   f: cohort 2024-12-16, k = 2   e: no start event
Model weekly() {
    return cohort_model({"a", "b", "c", "d", "e", "f"},
                        {
                            {"a", "2024-12-23", "signup"},
                            {"a", "2024-12-30", "purchase"},
                            {"a", "2025-01-14", "purchase"},
                            {"b", "2024-12-29T23:59:59Z", "signup"},
                            {"b", "2025-01-07", "purchase"},
                            {"c", "2024-12-30", "signup"},
                            {"c", "2025-01-06", "purchase"},
                            {"c", "2025-01-15T12:00:00Z", "purchase"},
                            {"d", "2025-01-13", "signup"},
                            {"e", "2025-01-07", "purchase"},
                            {"f", "2024-12-16", "signup"},
                            {"f", "2024-12-30", "purchase"},
                        },
                        {}, true);
}

const char* kExact = R"({"segx": 1, "kind": "retention", "name": "Weekly", "period": "week",
    "start": {"event": "signup"}, "return": {"event": "purchase"}, "periods": 3, "cohorts": 2})";

json rule_audience(const std::string& retention, const std::string& cohort, int k) {
    json rule = {
        {"kind", "retention"}, {"retention", json::parse(retention)}, {"cohort", cohort}, {"period", k}};
    return {{"segx", 1}, {"root", {{"match", "all"}, {"rules", json::array({rule})}}}};
}

json run(const Model& m, const json& doc, AudienceCache* cache = nullptr) {
    RunOptions options;
    options.members = options.sorted_members = true;
    SavedDefinitions saved;
    return run_definition(RunContext{m, at("2025-01-15 12:00"), 1, &saved, cache}, doc, options);
}

} // namespace

TEST_CASE("a retention cell's users: the cohort, then those returning in period k") {
    Model m = weekly();
    CHECK(members(run(m, rule_audience(kExact, "2024-12-23", 0))) == "a b");
    CHECK(members(run(m, rule_audience(kExact, "2024-12-23", 1))) == "a");
    CHECK(members(run(m, rule_audience(kExact, "2024-12-23", 2))) == "b");
    CHECK(members(run(m, rule_audience(kExact, "2024-12-23", 3))) == "a");
    CHECK(members(run(m, rule_audience(kExact, "2024-12-30", 1))) == "c");
    CHECK(members(run(m, rule_audience(kExact, "2024-12-30", 2))) == "c"); // a return exactly at as-of
    CHECK(members(run(m, rule_audience(kExact, "2025-01-13", 0))) == "d");
    CHECK(members(run(m, rule_audience(kExact, "2025-01-13", 1))) == ""); // a period not begun
}

TEST_CASE("on_or_after counts a return in period k or any later one") {
    Model m = weekly();
    std::string later = json::parse(kExact).dump();
    later.insert(later.size() - 1, R"(,"mode":"on_or_after")");
    CHECK(members(run(m, rule_audience(later, "2024-12-23", 2))) == "a b");
    CHECK(members(run(m, rule_audience(later, "2024-12-23", 3))) == "a");
}

TEST_CASE("any cohort at or before as-of, whatever the retention's cohort rows; none after it") {
    Model m = weekly();
    // "cohorts": 2 shows 2025-01-06 and 2025-01-13 only; the rule still names 2024-12-16.
    CHECK(members(run(m, rule_audience(kExact, "2024-12-16", 0))) == "f");
    CHECK(members(run(m, rule_audience(kExact, "2024-12-16", 2))) == "f");
    CHECK(members(run(m, rule_audience(kExact, "2025-01-20", 0))) == "");
}

TEST_CASE("each cell's members are the triangle's count") {
    Model m = weekly();
    std::string full = json::parse(kExact).dump();
    full.replace(full.find(R"("cohorts":2)"), 11, R"("cohorts":5)");
    json triangle = run(m, json::parse(full));
    REQUIRE(triangle.value("ok", false));
    int checked = 0;
    for (const json& c : triangle["cohorts"]) {
        for (size_t k = 0; k < c["counts"].size(); k++) {
            json a = run(m, rule_audience(full, c["start"].get<std::string>(), int(k)));
            CAPTURE(c["start"]);
            CAPTURE(k);
            CHECK(a["size"] == c["counts"][k]);
            checked++;
        }
    }
    CHECK(checked >= 10);
}

TEST_CASE("a retention rule's errors name the rule's field") {
    Model m = weekly();
    CHECK(errors(run(m, rule_audience(kExact, "2024-12-24", 0))) ==
          "root.rules[0].cohort: 2024-12-24 is not the first day of a week (ISO weeks start on Monday); its "
          "week starts on 2024-12-23");
    CHECK(errors(run(m, rule_audience(kExact, "2024-12-23", 4))) ==
          "root.rules[0].period: the retention counts periods 0 to 3, not 4");
    CHECK(errors(run(m, rule_audience(R"({"segx": 1, "kind": "retention", "start": {"event": "nope"}})",
                                      "2024-12-23", 0)))
              .rfind("root.rules[0].retention.start.event: unknown event \"nope\"", 0) == 0);
    CHECK(errors(run(m, rule_audience(R"({"segx": 1, "kind": "retention", "start": {}})", "2024-12-23", 0)))
              .rfind("root.rules[0].retention.start", 0) == 0);
    json bad = rule_audience(kExact, "2024-02-30", 0);
    CHECK(errors(run(m, bad)).rfind("root.rules[0].cohort: expected a date as YYYY-MM-DD", 0) == 0);
    bad["root"]["rules"][0]["period"] = 53;
    CHECK(errors(run(m, bad)).find("root.rules[0].period") != std::string::npos);
}

TEST_CASE("the cache keeps a cell under its retention's JSON: another retention is another cell") {
    Model m = weekly();
    AudienceCache cache;
    CHECK(members(run(m, rule_audience(kExact, "2024-12-23", 2), &cache)) == "b");
    std::string later = json::parse(kExact).dump();
    later.insert(later.size() - 1, R"(,"mode":"on_or_after")");
    CHECK(members(run(m, rule_audience(later, "2024-12-23", 2), &cache)) == "a b");
    CHECK(members(run(m, rule_audience(kExact, "2024-12-23", 2), &cache)) == "b");
}

} // namespace core_run_retention_rule_test
