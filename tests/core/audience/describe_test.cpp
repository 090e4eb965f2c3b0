// Definitions in words (core/audience/describe.h): the messages a person reads name the rule,
// not only its JSON path.
#include "core/audience/describe.h"
#include "audience_fixture.h"

namespace segx::test::audience_describe_test {

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

TEST_CASE("in Chinese a rule reads in Chinese order, not word by word") {
    auto zh = [](const char* rule) { return rule_summary(audience_of(rule).root.rules[0], Language::Zh); };
    CHECK(zh(R"({"kind": "property", "attribute": "城市", "op": "eq", "value": "上海"})") ==
          "城市 等于 上海");
    CHECK(zh(R"({"kind": "property", "attribute": "country", "op": "neq", "value": "China"})") ==
          "country 不等于 China");
    CHECK(zh(R"({"kind": "property", "attribute": "渠道", "op": "in", "values": ["微信", "抖音"]})") ==
          "渠道 属于 微信、抖音");
    CHECK(zh(R"({"kind": "property", "attribute": "name", "op": "contains", "value": "王"})") ==
          "name 包含 王");
    CHECK(zh(R"({"kind": "property", "attribute": "age", "op": "between", "values": [18, 30.5]})") ==
          "age 介于 18 与 30.5 之间");
    CHECK(zh(R"({"kind": "property", "attribute": "age", "op": "gt", "value": 30})") == "age 大于 30");
    CHECK(zh(R"({"kind": "property", "attribute": "email", "op": "is_set"})") == "email 有值");
    // The window leads, the count follows the event.
    CHECK(zh(R"({"kind": "behavior", "event": "purchase", "window": {"last_days": 30},
                 "count": {"op": "gte", "value": 5}})") == "最近 30 天内 做过 purchase 至少 5 次");
    CHECK(zh(R"({"kind": "behavior", "event": "purchase"})") == "做过 purchase");
    CHECK(zh(R"({"kind": "behavior", "did": false, "event": "view",
                 "where": [{"property": "platform", "op": "in", "values": ["ios", "web"]}]})") ==
          "没做过 view（其中 platform 属于 ios、web）");
    CHECK(zh(R"({"kind": "behavior", "event": "purchase", "count": {"op": "between", "values": [2, 4]}})") ==
          "做过 purchase 2 到 4 次");
    CHECK(zh(R"({"kind": "group", "match": "all", "rules": []})") == "满足全部 0 条规则");
    CHECK(zh(R"({"kind": "group", "match": "any", "rules": [{"kind": "behavior", "event": "x"}]})") ==
          "满足 1 条规则中任一条");
    CHECK(std::string(op_words(Op::Gte, Language::Zh)) == "大于等于");
    CHECK(std::string(op_words(Op::NotContains, Language::Zh)) == "不包含");
    // English stays the default, unchanged.
    CHECK(std::string(op_words(Op::Gte)) == ">=");
}

TEST_CASE("in Chinese a problem names its rule in Chinese") {
    Audience b = audience_of(R"({"kind": "behavior", "event": "checkout"})");
    EvalResult rb = eval(b);
    REQUIRE(rb.errors.size() == 1);
    CHECK(error_text(&b, rb.errors[0], Language::Zh)
              .rfind("规则“做过 checkout”引用的事件在已加载的文件中都不存在", 0) == 0);
    CHECK(error_text(nullptr, {"root.rules[2].rules[0].op", "x"}, Language::Zh) ==
          "顶层组的第 3 条规则的第 1 条规则（root.rules[2].rules[0].op）：x");
    CHECK(error_text(nullptr, {"name", "y"}, Language::Zh) == "字段“name”：y");
}

} // namespace segx::test::audience_describe_test
