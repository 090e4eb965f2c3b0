// Definitions in words (core/audience/describe.h): the messages a person reads name the rule,
// not only its JSON path.
#include "core/audience/describe.h"
#include "audience_fixture.h"

namespace segx::test {

TEST_CASE("a rule reads as the builder shows it") {
    CHECK(rule_summary(
              audience_of(
                  R"({"kind": "property", "attribute": "Country", "op": "eq", "value": "United Kingdom"})")
                  .root.rules[0]) == "Country is United Kingdom");
    CHECK(
        rule_summary(
            audience_of(R"({"kind": "property", "attribute": "age", "op": "between", "values": [18, 30.5]})")
                .root.rules[0]) == "age between 18 and 30.5");
    CHECK(rule_summary(audience_of(R"({"kind": "behavior", "event": "purchase", "window": {"last_days": 90},
                                      "count": {"op": "gte", "value": 5}})")
                           .root.rules[0]) == "did purchase >= 5 times in the last 90 days");
    CHECK(rule_summary(audience_of(R"({"kind": "behavior", "did": false, "event": "view",
                                      "where": [{"property": "platform", "op": "in", "values": ["ios", "web"]}]})")
                           .root.rules[0]) == "did not do view where platform is one of ios, web");
    CHECK(rule_summary(audience_of(R"({"kind": "group", "match": "any", "rules": []})").root.rules[0]) ==
          "any of 0 rules");
    // Long text is cut at a character boundary.
    std::string long_value(200, 'x');
    std::string s =
        rule_summary(audience_of(R"({"kind": "property", "attribute": "城市", "op": "eq", "value": ")" +
                                 long_value + "\"}")
                         .root.rules[0]);
    CHECK(s.size() <= 80);
    CHECK(s.substr(s.size() - 3) == "…");
}

TEST_CASE("problems name the rule they are about") {
    Audience a = audience_of(R"({"kind": "behavior", "event": "purchase"},
        {"kind": "group", "match": "all", "rules": [{"kind": "property", "attribute": "Country", "op": "eq", "value": "United Kingdom"}]})");
    EvalResult r = eval(a);
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].path == "root.rules[1].rules[0].attribute");
    std::string text = error_text(&a, r.errors[0]);
    CHECK(text.rfind("the rule 'Country is United Kingdom' names a column that no loaded file has (known: ",
                     0) == 0);

    Audience b = audience_of(R"({"kind": "behavior", "event": "checkout"})");
    EvalResult rb = eval(b);
    REQUIRE(rb.errors.size() == 1);
    CHECK(error_text(&b, rb.errors[0])
              .rfind("the rule 'did checkout' names an event that no loaded file has (known: ", 0) == 0);

    Audience c = audience_of(
        R"({"kind": "behavior", "event": "view", "where": [{"property": "colour", "op": "is_set"}]})");
    EvalResult rc = eval(c);
    REQUIRE(rc.errors.size() == 1);
    CHECK(
        error_text(&c, rc.errors[0])
            .rfind("the rule 'did view where colour is set' names an event property that no loaded file has",
                   0) == 0);

    // Other messages keep their words after the rule's.
    CHECK(error_text(&a, {"root.rules[0].count.value", "expected an integer"}) ==
          "the rule 'did purchase': expected an integer");
    // Without a definition that reads, the path itself is put in words.
    CHECK(error_text(nullptr, {"root.rules[2].rules[0].op", "unknown operator \"eqq\""}) ==
          "rule 1 of rule 3 of the top group (root.rules[2].rules[0].op): unknown operator \"eqq\"");
    CHECK(error_text(nullptr, {"root.rules", "expected a list"}) ==
          "the top group (root.rules): expected a list");
    CHECK(error_text(nullptr, {"name", "expected text"}) == "the field \"name\": expected text");
    CHECK(error_text(nullptr, {"$", "not valid JSON"}) == "not valid JSON");
    // A path past the rules there are falls back to words, never out of range.
    CHECK(error_text(&a, {"root.rules[7].event", "x"}) == "rule 8 of the top group (root.rules[7].event): x");
}

} // namespace segx::test
