// core/retention JSON: defaults, exact round trip, and strict reading with every problem at its
// JSON path.
#include "core/retention/json.h"

#include <doctest/doctest.h>

namespace core_retention_json_test {

using namespace segx;
using nlohmann::json;

namespace {

std::string problems(const std::string& text) { return join_errors(parse_retention(text).errors); }

} // namespace

TEST_CASE("a minimal retention definition takes the documented defaults") {
    RetentionValidation v =
        parse_retention(R"({"segx": 1, "kind": "retention", "start": {"event": "signup"}})");
    REQUIRE(v.ok());
    const Retention& r = v.retention;
    CHECK(r.period == PeriodUnit::Week);
    CHECK(r.mode == RetentionMode::Exact);
    CHECK(r.returns.any);
    CHECK(r.periods == 12);
    CHECK_FALSE(r.cohorts.has_value());
    CHECK(r.cohort_rows() == 13);
    CHECK(r.audience.is_null());
    json out = r;
    CHECK(out == json::parse(R"({"segx": 1, "kind": "retention", "id": "", "name": "", "period": "week",
        "start": {"event": "signup"}, "return": {"any": true}, "mode": "exact", "periods": 12})"));
}

TEST_CASE("every field round-trips exactly") {
    for (const char* text : {
             R"({"segx": 1, "kind": "retention", "id": "r1", "name": "月度复购", "period": "month",
                 "start": {"attribute": "signup_date"}, "return": {"event": "purchase"},
                 "mode": "on_or_after", "periods": 52, "cohorts": 1000,
                 "audience": {"match": "all", "rules": []}})",
             R"({"segx": 1, "kind": "retention", "id": "", "name": "", "period": "day",
                 "start": {"event": "signup"}, "return": {"any": true}, "mode": "exact", "periods": 1,
                 "audience": {"audience": "vip"}})",
         }) {
        CAPTURE(text);
        RetentionValidation v = parse_retention(text);
        INFO(join_errors(v.errors));
        REQUIRE(v.ok());
        json out = v.retention;
        CHECK(out == json::parse(text));
        Retention back;
        from_json(out, back);
        CHECK(back == v.retention);
    }
}

TEST_CASE("strict reading: paths and messages") {
    CHECK(problems(R"({"kind": "retention"})") ==
          "segx: missing: a segx retention definition starts with \"segx\": 1");
    CHECK(problems(R"({"segx": 2, "kind": "retention"})") ==
          "segx: unsupported version 2: this build reads version 1");
    CHECK(problems(R"([])") == "$: expected an object, got an array");
    CHECK(problems(R"({"segx": 1, "kind": "funnel", "start": {"event": "a"}})") ==
          "kind: expected \"retention\", got \"funnel\"");
    CHECK(problems(R"({"segx": 1, "kind": "retention"})") ==
          "start: missing (expected {\"event\": name} or {\"attribute\": name})");
    CHECK(problems(R"({"segx": 1, "kind": "retention", "start": {"event": "a", "attribute": "b"}})") ==
          "start: expected exactly one of event and attribute");
    CHECK(problems(R"({"segx": 1, "kind": "retention", "start": {"event": ""}})") ==
          "start.event: must not be empty");
    CHECK(
        problems(R"({"segx": 1, "kind": "retention", "start": {"event": "a"}, "return": {"any": false}})") ==
        "return.any: expected true (or name the return event instead)");
    CHECK(problems(R"({"segx": 1, "kind": "retention", "start": {"event": "a"}, "return": {}})") ==
          "return: expected exactly one of event and any");
    CHECK(problems(R"({"segx": 1, "kind": "retention", "start": {"event": "a"}, "period": "year"})") ==
          "period: unknown period \"year\" (expected day, week or month)");
    CHECK(problems(R"({"segx": 1, "kind": "retention", "start": {"event": "a"}, "mode": "after"})") ==
          "mode: unknown mode \"after\" (expected exact or on_or_after)");
    CHECK(problems(R"({"segx": 1, "kind": "retention", "start": {"event": "a"}, "periods": 53})")
              .rfind("periods: expected a whole number from 1 to 52", 0) == 0);
    CHECK(problems(R"({"segx": 1, "kind": "retention", "start": {"event": "a"}, "cohorts": 0})")
              .rfind("cohorts: expected a whole number from 1 to 1000", 0) == 0);
    CHECK(problems(
              R"({"segx": 1, "kind": "retention", "start": {"event": "a"}, "audience": {"audience": 3}})") ==
          "audience.audience: expected a string, got a number");
    // Every problem at once, typos included.
    std::string all = problems(R"({"segx": 1, "kind": "retention", "strat": {"event": "a"}, "periods": 1.5,
        "return": {"event": "b", "where": []}})");
    CHECK(all.find("strat: unknown key") != std::string::npos);
    CHECK(all.find("start: missing") != std::string::npos);
    CHECK(all.find("periods: ") != std::string::npos);
    CHECK(all.find("return.where: unknown key") != std::string::npos);
    // Parse problems come first and refuse the document.
    CHECK(problems(R"({"segx": 1, "kind": "retention", "start": {"event": "a"}, "periods": 2, "periods": 3})")
              .rfind("periods: duplicate key", 0) == 0);
    CHECK_THROWS_AS(
        [] {
            Retention r;
            from_json(json::parse(R"({"segx": 1})"), r);
        }(),
        std::invalid_argument);
}

} // namespace core_retention_json_test
