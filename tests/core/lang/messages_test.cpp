// core/lang/messages: every message pattern has Chinese with the same placeholders and no English
// words but names; real messages (from bad definitions run over the fixture model) are read by a
// pattern and come out in Chinese, while the JSON answer keeps its English.
#include "core/lang/messages.h"
#include "../audience/audience_fixture.h"
#include "core/model/reject_log.h"
#include "core/run/run.h"

#include <doctest/doctest.h>

#include <cctype>
#include <set>
#include <string>

namespace core_lang_messages_test {

using namespace segx;
using namespace segx::test;
using nlohmann::json;

namespace {

std::multiset<std::string> placeholders(const std::string& s) {
    std::multiset<std::string> out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '{' || i + 1 >= s.size() || !std::isdigit((unsigned char)s[i + 1])) continue;
        size_t close = s.find('}', i);
        if (close != std::string::npos) out.insert(s.substr(i, close - i + 1));
    }
    return out;
}

// Latin words a Chinese message may hold: names of formats and products, the definition
// format's own keys and keywords (what a person types in a file), column types, units.
const std::set<std::string> kNames = {"RFM",
                                      "ID",
                                      "SQL",
                                      "DuckDB",
                                      "UTF",
                                      "ISO",
                                      "NUL",
                                      "JSON",
                                      "segx",
                                      "true",
                                      "false",
                                      "eq",
                                      "neq",
                                      "in",
                                      "not_in",
                                      "is_set",
                                      "is_not_set",
                                      "last_days",
                                      "from",
                                      "to",
                                      "value",
                                      "values",
                                      "between",
                                      "revenue",
                                      "property",
                                      "count",
                                      "aggregate",
                                      "occurrence",
                                      "stage",
                                      "group",
                                      "reached",
                                      "dropped_after",
                                      "event",
                                      "attribute",
                                      "any",
                                      "kind",
                                      "segments",
                                      "YYYY",
                                      "MM",
                                      "DD",
                                      "rrggbb",
                                      "lo",
                                      "hi",
                                      "i",
                                      "j",
                                      "N",
                                      "T",
                                      "Z",
                                      "R",
                                      "F",
                                      "M",
                                      "BOOLEAN",
                                      "BIGINT",
                                      "DOUBLE",
                                      "DATE",
                                      "TIMESTAMP",
                                      "VARCHAR",
                                      "all",
                                      "gte",
                                      "lte",
                                      "gt",
                                      "lt",
                                      "contains",
                                      "not_contains",
                                      "starts_with",
                                      "op",
                                      "ci",
                                      "r",
                                      "f",
                                      "m",
                                      "id",
                                      "name",
                                      "rules",
                                      "match",
                                      "behavior",
                                      "rfm",
                                      "lifecycle",
                                      "funnel",
                                      "audience",
                                      "retention",
                                      "board",
                                      "seconds",
                                      "minutes",
                                      "hours",
                                      "days",
                                      "day",
                                      "week",
                                      "month",
                                      "steps",
                                      "order",
                                      "window",
                                      "entry",
                                      "exclusions",
                                      "breakdown",
                                      "amount",
                                      "unit",
                                      "period",
                                      "periods",
                                      "cohorts",
                                      "start",
                                      "return",
                                      "mode",
                                      "exact",
                                      "dormant_days",
                                      "new",
                                      "returning",
                                      "resurrecting",
                                      "dormant",
                                      "ordered",
                                      "strict",
                                      "unordered",
                                      "first",
                                      "last",
                                      "sum",
                                      "avg",
                                      "min",
                                      "max",
                                      "did",
                                      "where",
                                      "events",
                                      "orders",
                                      "fn",
                                      "of",
                                      "method",
                                      "monetary",
                                      "thresholds",
                                      "quantile",
                                      "mean",
                                      "total",
                                      "mean_order",
                                      "color",
                                      "top",
                                      "cohort",
                                      "workspace"};

// Latin words outside quotes and placeholders that are not names.
std::string english_left(const std::string& s, const std::set<std::string>& also = {}) {
    std::string bad, word;
    bool quoted = false, brace = false;
    auto flush = [&] {
        if (!word.empty() && !kNames.count(word) && !also.count(word)) bad += word + " ";
        word.clear();
    };
    for (size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '\\' && quoted) {
            ++i;
            continue;
        }
        if (c == '"') quoted = !quoted;
        if (c == '{' && i + 1 < s.size() && std::isdigit((unsigned char)s[i + 1])) brace = true;
        if (c == '}') brace = false;
        if (!quoted && !brace && (std::isalpha((unsigned char)c) || (c == '_' && !word.empty())))
            word += c;
        else
            flush();
    }
    flush();
    return bad;
}

json run(const std::string& text) {
    RunOptions options;
    return run_definition(RunContext{fixture_model(), A, 1, nullptr, nullptr}, std::string_view(text),
                          options);
}

std::string audience(const std::string& rule) {
    return R"({"segx": 1, "root": {"match": "all", "rules": [)" + rule + "]}}";
}

} // namespace

TEST_CASE("every message pattern has Chinese: defined once, same placeholders, no English words") {
    CHECK(message_zh_problems() == "");
    for (size_t i = 0; i < size_t(Msg::Count_); ++i) {
        Msg key = Msg(i);
        std::string name = message_key_name(key);
        CAPTURE(name);
        const char* zh = message_pattern(key, Language::Zh);
        REQUIRE(zh != nullptr);
        std::string en = message_pattern(key, Language::En);
        CHECK(placeholders(en) == placeholders(zh));
        CHECK(english_left(zh) == "");
    }
}

TEST_CASE("a message reads back into its pieces and comes out in Chinese; English stays as it is") {
    std::string m = "expected a whole number of days from 1 to 3650, got 0";
    CHECK(message_text(m, Language::En) == m);
    CHECK(message_text(m, Language::Zh) == "应为天数 1 到 3650 之间的整数，实际为 0");
    CHECK(message_text("unknown attribute \"城市\" (known: \"country\", \"city\")", Language::Zh) ==
          "未知的属性 \"城市\"（已有：\"country\"、\"city\"）");
    CHECK(message_text("unknown event \"x\" (known: \"Order Date\", \"a, b or c\")", Language::Zh) ==
          "未知的事件 \"x\"（已有：\"Order Date\"、\"a, b or c\"）");
    CHECK(message_text("unknown key (expected kind, match or rules)", Language::Zh) ==
          "未知的键（应为 kind、match 或 rules）");
    CHECK(message_text("expected a number: attribute \"city\" is VARCHAR", Language::Zh) ==
          "应为数字：属性 \"city\" 的类型是 VARCHAR");
    // A name that looks like a message stays a name.
    CHECK(message_text("unknown event \"a is b\" (the data has no events)", Language::Zh) ==
          "未知的事件 \"a is b\"（数据中没有事件）");
    CHECK(message_text("something no pattern reads", Language::Zh) == "something no pattern reads");
    CHECK(error_line({"root.rules[0].value", "missing"}, Language::Zh) == "root.rules[0].value：缺失");
    CHECK(error_line({"root.rules[0].value", "missing"}, Language::En) == "root.rules[0].value: missing");
}

TEST_CASE("the reasons rows are rejected for are messages too") {
    for (const char* reason : {kRejectNoUserId, kRejectBadTime, kRejectTimeOutOfRange, kRejectNoEventName,
                               kRejectBadAmount, kRejectHugeAmount, kRejectDuplicateUser}) {
        CAPTURE(reason);
        CHECK(message_key(reason) != Msg::Count_);
        CHECK(english_left(message_text(reason, Language::Zh)) == "");
    }
}

TEST_CASE("real messages of bad definitions are all read, and none stays English in Chinese") {
    const std::string behavior = R"("kind": "behavior", "did": true, "event": "purchase")";
    const std::vector<std::string> documents = {
        audience(R"({"kind": "property", "attribute": "nope", "op": "eq", "value": 1})"),
        audience(R"({"kind": "property", "attribute": "age", "op": "contains", "value": "x"})"),
        audience(R"({"kind": "property", "attribute": "age", "op": "eq", "value": "x"})"),
        audience(R"({"kind": "property", "attribute": "age", "op": "between", "values": [1]})"),
        audience(R"({"kind": "property", "attribute": "age", "op": "between", "values": [5, 1]})"),
        audience(R"({"kind": "property", "attribute": "age", "op": "in", "values": []})"),
        audience(R"({"kind": "property", "attribute": "age", "op": "eq"})"),
        audience(R"({"kind": "property", "attribute": "age", "op": "zz", "value": 1})"),
        audience(R"({"kind": "property", "attribute": "vip", "op": "gt", "value": true})"),
        audience(R"({"kind": "property", "attribute": "signup", "op": "gt", "value": "nope"})"),
        audience(R"({"kind": "property", "attribute": "age", "op": "eq", "value": 1, "extra": 2})"),
        audience(R"({"kind": "nope"})"),
        audience(R"({)" + behavior + R"(, "window": {"last_days": 0}})"),
        audience(R"({)" + behavior + R"(, "window": {"last_days": 5, "from": "2024-01-01"}})"),
        audience(R"({)" + behavior + R"(, "window": {"from": "2024-02-01", "to": "2024-01-01"}})"),
        audience(R"({)" + behavior + R"(, "window": {"from": "yesterday"}})"),
        audience(R"({)" + behavior + R"(, "window": {}})"),
        audience(R"({"kind": "behavior", "did": true, "event": "nope", "window": {"last_days": 5}})"),
        audience(R"({)" + behavior + R"(, "window": {"last_days": 5}, "count": {"op": "gte", "value": 1},
                    "occurrence": "first"})"),
        audience(R"({)" + behavior + R"(, "window": {"last_days": 5},
                    "aggregate": {"fn": "sum", "of": "property", "property": "platform", "op": "gt", "value": 1}})"),
        audience(R"({)" + behavior + R"(, "window": {"last_days": 5},
                    "where": [{"property": "nope", "op": "eq", "value": 1}]})"),
        audience(R"({"kind": "audience", "op": "in", "id": "nope"})"),
        audience(R"({"kind": "funnel", "funnel": "nope", "reached": 1})"),
        audience(R"({"kind": "rfm", "segments": ["nope"]})"),
        audience(R"({"kind": "lifecycle", "stage": "new", "group": "new"})"),
        R"({"segx": 2, "root": {"match": "all", "rules": []}})",
        R"({"root": {"match": "all", "rules": []}})",
        R"({"segx": 1, "root": {"match": "some", "rules": []}})",
        R"({"segx": 1, "kind": "funnel", "steps": [{"event": "purchase"}]})",
        R"({"segx": 1, "kind": "funnel", "steps": [{"event": "purchase"}, {"event": "nope"}],
            "window": {"amount": 0, "unit": "days"}})",
        R"({"segx": 1, "kind": "funnel", "order": "unordered", "steps": [{"event": "view"}, {"event": "purchase"}],
            "exclusions": [{"event": "view", "between": [2, 1]}]})",
        R"({"segx": 1, "kind": "funnel", "steps": [{"event": "view"}, {"event": "purchase"}],
            "breakdown": {"attribute": "nope"}})",
        R"({"segx": 1, "kind": "retention", "period": "week", "start": {"event": "nope"},
            "return": {"any": true}, "periods": 0})",
        R"({"segx": 1, "kind": "retention", "period": "week", "start": {"attribute": "city"},
            "return": {"any": true}})",
        R"({"segx": 1, "kind": "rfm", "method": "thresholds", "thresholds": {"r": [1, 2, 2, 3]}})",
        R"({"segx": 1, "kind": "lifecycle", "period": "year", "periods": 0})",
        R"({"segx": 1, "kind": "board", "dormant_days": 0})",
        R"({"segx": 1, "kind": "nope"})",
        R"({"segx": 1,)",
    };
    const std::set<std::string> data_names = {"nope", "year", "some"};
    size_t seen = 0;
    for (const std::string& text : documents) {
        json answer = run(text);
        CAPTURE(text);
        REQUIRE(answer["ok"] == false);
        for (const json& e : answer["errors"]) {
            std::string message = e["message"];
            CAPTURE(message);
            std::string zh = message_text(message, Language::Zh);
            CAPTURE(zh);
            // The parser's own words (nlohmann's "syntax error ...") are the one exception.
            if (message.find("[json.exception") != std::string::npos || message.find("parse error") == 0 ||
                message.find("syntax error") != std::string::npos)
                continue;
            CHECK(message_key(message) != Msg::Count_);
            CHECK(english_left(zh, data_names) == "");
            ++seen;
        }
    }
    CHECK(seen >= documents.size() - 1);
}

} // namespace core_lang_messages_test
