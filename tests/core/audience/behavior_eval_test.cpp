#include "audience_fixture.h"

#include <doctest/doctest.h>

namespace core_audience_behavior_eval_test {

using namespace segx;
using namespace segx::test;

namespace {

// {"kind": "behavior", "event": ..., <rest>}
std::string did(const std::string& event, const std::string& rest = "") {
    return "{\"kind\": \"behavior\", \"event\": \"" + event + "\"" + (rest.empty() ? "" : ", " + rest) + "}";
}

} // namespace

TEST_CASE("did an event in the last N days: as_of - N days is out, as_of itself is in") {
    CHECK(who(did("purchase", R"("window": {"last_days": 30})")) == "u0 u1 u5 e8");
    // u1 bought at exactly A - 1 day (out), u5 at exactly A (in).
    CHECK(who(did("purchase", R"("window": {"last_days": 1})")) == "u5");
    CHECK(who(did("purchase", R"("window": {"last_days": 2})")) == "u1 u5");
}

TEST_CASE("did not is the complement over all users, users without events included") {
    CHECK(who(did("purchase", R"("did": false, "window": {"last_days": 30})")) == "u2 u3 u4 u6 u7 e9");
}

TEST_CASE("all time means up to as-of: later events never count") {
    CHECK(who(did("purchase")) == "u0 u1 u2 u5 e8"); // not u4, whose only purchase is after A
    CHECK(who(did("view")) == "u0 u2 u3 u7 e9");     // not u1 (A + 1 day)
    // An earlier as-of sees the data as it was then: u5 (A) and u1's later purchases vanish.
    CHECK(who(did("purchase"), A - 10 * D) == "u0 u1 u2 e8");
    CHECK(who(did("purchase", R"("count": {"op": "eq", "value": 1})"), A - 10 * D) == "u1 u2");
}

TEST_CASE("count comparisons gte, lte, eq, between; a zero count is a count") {
    CHECK(who(did("purchase", R"("window": {"last_days": 30}, "count": {"op": "gte", "value": 2})")) == "u1");
    CHECK(who(did("purchase", R"("window": {"last_days": 30}, "count": {"op": "eq", "value": 1})")) ==
          "u0 u5 e8");
    CHECK(who(did("purchase", R"("window": {"last_days": 30}, "count": {"op": "lte", "value": 1})")) ==
          "u0 u2 u3 u4 u5 u6 u7 e8 e9");
    CHECK(who(did("purchase", R"("count": {"op": "between", "values": [2, 3]})")) == "u0 u1 e8");
    CHECK(who(did("purchase", R"("count": {"op": "eq", "value": 0})")) == "u3 u4 u6 u7 e9");
    CHECK(who(did("purchase", R"("did": false, "count": {"op": "gte", "value": 2})")) ==
          "u2 u3 u4 u5 u6 u7 e9");
}

TEST_CASE("absolute windows are (from, to] and stop at as-of") {
    CHECK(who(did("purchase", R"("window": {"from": "2024-03-01", "to": "2024-03-21"})")) == "u0 u1 e8");
    CHECK(who(did("purchase", R"("window": {"from": "2024-03-29", "to": "2024-04-10"})")) == "u1 u5");
    CHECK(who(did("purchase", R"("window": {"to": "2024-02-15"})")) == "u2 e8"); // u2 at exactly 02-15
    CHECK(who(did("purchase", R"("window": {"from": "2024-03-30"})")) == "u5");  // u1 at exactly 03-30
    CHECK(who(did("purchase", R"("window": {"from": "2024-03-30T07:59:59+08:00"})")) == "u1 u5");
    CHECK(who(did("purchase", R"("window": {"from": "2024-03-30T08:00:00+08:00"})")) == "u5");
}

TEST_CASE("aggregates of revenue skip missing revenue; no value at all compares false") {
    const char* all = R"("aggregate": {"fn": "sum", "of": "revenue", "op": "gte", "value": 100})";
    CHECK(who(did("purchase", all)) == "u0 u2");
    CHECK(who(did("purchase", R"("aggregate": {"fn": "sum", "of": "revenue", "op": "lt", "value": 50})")) ==
          "u5 e8"); // users without purchases have no sum: not "less than 50"
    CHECK(who(did("purchase", R"("aggregate": {"fn": "avg", "of": "revenue", "op": "eq", "value": 30})")) ==
          "u1");
    CHECK(who(did("purchase", R"("aggregate": {"fn": "avg", "of": "revenue", "op": "eq", "value": 5})")) ==
          "e8");
    CHECK(who(did("purchase", R"("aggregate": {"fn": "min", "of": "revenue", "op": "lte", "value": 20})")) ==
          "u1 u5 e8");
    CHECK(who(did("purchase", R"("aggregate": {"fn": "max", "of": "revenue", "op": "gt", "value": 100})")) ==
          "u2");
    CHECK(who(did("purchase", R"("aggregate": {"fn": "max", "of": "revenue", "op": "neq", "value": 200})")) ==
          "u0 u1 u5 e8");
    CHECK(who(did("purchase", std::string(R"("did": false, )") + all)) == "u1 u3 u4 u5 u6 u7 e8 e9");
    CHECK(who(did("purchase", R"("window": {"last_days": 30},
                                 "aggregate": {"fn": "sum", "of": "revenue", "op": "between", "values": [50, 100]})")) ==
          "u0 u1");
}

TEST_CASE("aggregates of numeric event properties, double and integer") {
    CHECK(
        who(did(
            "view",
            R"("aggregate": {"fn": "sum", "of": "property", "property": "price", "op": "gte", "value": 10})")) ==
        "u0 u3");
    CHECK(
        who(did(
            "view",
            R"("aggregate": {"fn": "sum", "of": "property", "property": "price", "op": "eq", "value": 29.5})")) ==
        "u3");
    CHECK(
        who(did(
            "purchase",
            R"("aggregate": {"fn": "max", "of": "property", "property": "qty", "op": "gte", "value": 3})")) ==
        "u1 u2");
    CHECK(
        who(did(
            "purchase",
            R"("aggregate": {"fn": "sum", "of": "property", "property": "qty", "op": "gte", "value": 3})")) ==
        "u0 u1 u2");
}

TEST_CASE("event-property filters narrow the counted events") {
    CHECK(
        who(did(
            "view",
            R"("where": [{"property": "platform", "op": "eq", "value": "ios"}], "window": {"last_days": 7})")) ==
        "u0 u3");
    CHECK(who(did("view", R"("where": [{"property": "platform", "op": "in", "values": ["ios", "android"]}],
                             "count": {"op": "gte", "value": 2})")) == "u3");
    CHECK(who(did("view", R"("where": [{"property": "price", "op": "gt", "value": 5}])")) == "u0 u3 u7");
    CHECK(who(did("view", R"("where": [{"property": "platform", "op": "is_not_set"}])")) == "e9");
    CHECK(who(did("view", R"("where": [{"property": "platform", "op": "eq", "value": "平板"}])")) == "u7");
    CHECK(who(did("view", R"("where": [{"property": "platform", "op": "neq", "value": "ios"}])")) ==
          "u2 u3 u7");
    CHECK(who(did("purchase", R"("where": [{"property": "qty", "op": "gte", "value": 2},
                                          {"property": "platform", "op": "eq", "value": "IOS", "ci": true}])")) ==
          "u0 u1");
}

TEST_CASE("first and last occurrence: the user's first (last) matching event lies in the window") {
    // u0's first purchase is at exactly A - 30 days: out.
    CHECK(who(did("purchase", R"("occurrence": "first", "window": {"last_days": 30})")) == "u1 u5");
    CHECK(who(did("purchase", R"("occurrence": "last", "window": {"last_days": 30})")) == "u0 u1 u5 e8");
    CHECK(who(did("purchase", R"("occurrence": "last", "window": {"last_days": 5})")) == "u1 u5");
    // u4's purchase after as-of is not its last one "as of A": it has none.
    CHECK(who(did("purchase", R"("occurrence": "last")")) == "u0 u1 u2 u5 e8");
    CHECK(who(did("purchase", R"("did": false, "occurrence": "first", "window": {"last_days": 30})")) ==
          "u0 u2 u3 u4 u6 u7 e8 e9");
    CHECK(who(did("purchase",
                  R"("occurrence": "first", "window": {"from": "2023-12-01", "to": "2024-02-01"})")) == "e8");
}

TEST_CASE("unknown events and properties are errors naming them") {
    CHECK(eval_errors(did("purchased")) ==
          R"(root.rules[0].event: unknown event "purchased" (known: "purchase", "view"))");
    CHECK(
        eval_errors(did("view", R"("where": [{"property": "os", "op": "eq", "value": "ios"}])")) ==
        R"(root.rules[0].where[0].property: unknown event property "os" (known: "platform", "price", "qty"))");
    CHECK(eval_errors(did("view", R"("where": [{"property": "platform", "op": "eq", "value": 5}])")) ==
          R"(root.rules[0].where[0].value: expected a string: event property "platform" is VARCHAR)");
    CHECK(
        eval_errors(did(
            "view",
            R"("aggregate": {"fn": "sum", "of": "property", "property": "platform", "op": "gt", "value": 1})")) ==
        R"(root.rules[0].aggregate.property: needs a numeric event property: event property "platform" is VARCHAR)");
    // Every problem of the rule at once.
    CHECK(eval_errors(did("nope", R"("where": [{"property": "nope2", "op": "is_set"}])")) ==
          "root.rules[0].event: unknown event \"nope\" (known: \"purchase\", \"view\")\n"
          "root.rules[0].where[0].property: unknown event property \"nope2\" (known: \"platform\", "
          "\"price\", \"qty\")");
}

TEST_CASE("a behavior rule built in code with broken fields reports them instead of crashing") {
    Audience a;
    BehaviorRule r;
    r.event = "purchase";
    r.window = WindowRange{"", ""};
    r.measure = CountMeasure{Op::Gt, {1}};
    a.root.rules.push_back(r);
    CHECK(join_errors(eval(a).errors) ==
          "root.rules[0].window: expected last_days, or from and/or to\n"
          "root.rules[0].count: expected gte, lte or eq with one value, or between with two");
}

} // namespace core_audience_behavior_eval_test
