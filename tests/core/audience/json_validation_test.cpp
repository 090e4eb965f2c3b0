// Malformed and hostile definitions: each gives the expected problems at the expected JSON paths,
// and none crashes, throws or recurses deeply.

#include "core/audience/json.h"
#include "core/lang/json_text.h"

#include <nlohmann/json.hpp>

#include <doctest/doctest.h>

#include <limits>
#include <string>
#include <vector>

namespace core_audience_json_validation_test {

using namespace segx;
using json = nlohmann::json;

namespace {

// A definition with the given rules in an `all` root.
std::string with_rules(const std::string& rules) {
    return R"({"segx": 1, "id": "a", "name": "n", "root": {"kind": "group", "match": "all", "rules": [)" +
           rules + "]}}";
}

struct Case {
    const char* what;
    std::string text;
    std::vector<std::string> errors; // "path: message", every one, in order
};

std::vector<Case> corpus() {
    return {
        {"not JSON",
         "hello",
         {"$: parse error at line 1, column 1: syntax error while parsing value - invalid literal; last "
          "read: 'h'"}},
        {"empty text",
         "",
         {"$: parse error at line 1, column 1: syntax error while parsing value - unexpected end of input; "
          "expected '[', '{', or a literal"}},
        {"truncated",
         R"({"segx": 1, "root": {"match": )",
         {"root.match: parse error at line 1, column 31: syntax error while parsing value - unexpected end "
          "of input; expected '[', '{', or a literal"}},
        {"trailing garbage",
         R"({"segx": 1, "root": {"match": "all", "rules": []}} x)",
         {"$: parse error at line 1, column 52: syntax error while parsing value - invalid literal; last "
          "read: "
          "'\"rules\": []}} x'; expected end of input"}},
        {"a top-level array", "[]", {"$: expected an object, got an array"}},
        {"a top-level string", "\"segx\"", {"$: expected an object, got a string"}},
        {"no version",
         R"({"root": {"match": "all", "rules": []}})",
         {"segx: missing: a segx audience definition starts with \"segx\": 1"}},
        {"another version",
         R"({"segx": 2, "root": 5, "junk": true})",
         {"segx: unsupported version 2: this build reads version 1"}},
        {"a version as text", R"({"segx": "1"})", {"segx: expected the version number 1, got a string"}},
        {"no root", R"({"segx": 1})", {"root: missing"}},
        {"a root that is not a group",
         R"({"segx": 1, "root": {"kind": "property", "match": "all", "rules": []}})",
         {"root.kind: the root must be a group, got \"property\""}},
        {"wrong types at the top",
         R"({"segx": 1, "id": 5, "name": null, "root": []})",
         {"id: expected a string, got a number", "name: expected a string, got null",
          "root: expected an object, got an array"}},
        {"unknown and duplicate keys",
         R"({"segx": 1, "segx": 1, "colour": "red", "root": {"match": "all", "rules": [], "rulez": []}})",
         {"segx: duplicate key (the last value is used)",
          "colour: unknown key (expected segx, id, name or root)",
          "root.rulez: unknown key (expected kind, match, negate or rules)"}},
        {"a group without match or rules",
         R"({"segx": 1, "root": {"negate": "yes"}})",
         {"root.match: missing (expected all or any)", "root.negate: expected true or false, got a string",
          "root.rules: missing (an empty list is fine)"}},
        {"an unknown operator",
         with_rules(R"({"kind": "property", "attribute": "a", "op": "equals", "value": 1})"),
         {"root.rules[0].op: unknown operator \"equals\" (expected eq, neq, in, not_in, contains, "
          "not_contains, "
          "starts_with, gt, gte, lt, lte, between, is_set or is_not_set)"}},
        {"an unknown kind and kinds of the wrong type",
         with_rules(R"({"kind": "segment"}, {"kind": 3}, {}, "rule", null, 7)"),
         {"root.rules[0].kind: unknown kind \"segment\" (expected group, property, behavior, rfm, lifecycle, "
          "funnel, audience or retention)",
          "root.rules[1].kind: expected a string, got a number",
          "root.rules[2].kind: missing (expected group, property, behavior, rfm, lifecycle, funnel, "
          "audience or retention)",
          "root.rules[3]: expected an object, got a string", "root.rules[4]: expected an object, got null",
          "root.rules[5]: expected an object, got a number"}},
        {"every problem of every rule",
         with_rules(R"({"kind": "property", "attribute": "", "op": "eq"},
                       {"kind": "property", "attribute": "a", "op": "in", "value": "x"},
                       {"kind": "behavior", "event": "buy", "count": {"op": "gte", "value": "two"}},
                       {"kind": "property", "attribute": "a", "op": "between", "values": [5, 2]},
                       {"kind": "property", "attribute": "a", "op": "is_set", "value": 1, "vaule": 2})"),
         {"root.rules[0].attribute: must not be empty", "root.rules[0].value: missing",
          "root.rules[1].value: \"in\" takes a \"values\" list, not one \"value\"",
          "root.rules[1].values: missing",
          "root.rules[2].count.value: expected a whole number from 0 to 4294967295, got a string",
          "root.rules[3].values: low 5 is above high 2",
          "root.rules[4].vaule: unknown key (expected kind, attribute, op, value, values or ci)",
          "root.rules[4].value: \"is_set\" takes no value"}},
        {"values of the wrong kind for the operator",
         with_rules(R"({"kind": "property", "attribute": "a", "op": "contains", "value": 5},
                       {"kind": "property", "attribute": "a", "op": "gt", "value": true},
                       {"kind": "property", "attribute": "a", "op": "between", "values": [1, "2024-01-01"]},
                       {"kind": "property", "attribute": "a", "op": "in", "values": []},
                       {"kind": "property", "attribute": "a", "op": "in", "values": [null, [1], {"a": 1}]},
                       {"kind": "property", "attribute": "a", "op": "between", "values": [1, 2, 3]},
                       {"kind": "property", "attribute": "a", "op": "eq", "value": "x", "ci": "yes"})"),
         {"root.rules[0].value: \"contains\" compares text: expected a string",
          "root.rules[1].value: \"gt\" compares numbers or dates: expected a number or a date string, got a "
          "boolean",
          "root.rules[2].values: low and high must both be numbers or both be strings",
          "root.rules[3].values: expected at least one value",
          "root.rules[4].values[0]: expected a string, number or boolean, got null",
          "root.rules[4].values[1]: expected a string, number or boolean, got an array",
          "root.rules[4].values[2]: expected a string, number or boolean, got an object",
          "root.rules[5].values: \"between\" takes exactly two values [low, high], got 3",
          "root.rules[6].ci: expected true or false, got a string"}},
        {"huge numbers",
         with_rules(R"({"kind": "property", "attribute": "a", "op": "eq", "value": 18446744073709551615},
                       {"kind": "property", "attribute": "a", "op": "eq", "value": -9007199254740993},
                       {"kind": "property", "attribute": "a", "op": "eq", "value": 123456789012345678901234567890},
                       {"kind": "property", "attribute": "a", "op": "eq", "value": 9007199254740992},
                       {"kind": "property", "attribute": "a", "op": "eq", "value": 1e300})"),
         {"root.rules[2].value: integer 123456789012345678901234567890 is beyond ±2^53 and cannot be "
          "compared exactly",
          "root.rules[0].value: integer 18446744073709551615 is beyond ±2^53 and cannot be compared exactly",
          "root.rules[1].value: integer -9007199254740993 is beyond ±2^53 and cannot be compared exactly"}},
        {"a number past the double range",
         with_rules(R"({"kind": "property", "attribute": "a", "op": "eq", "value": 1e400})"),
         {"root.rules[0].value: number out of range (1e400)"}},
        {"behavior fields",
         with_rules(R"({"kind": "behavior", "did": 1, "event": 5, "where": {}, "window": {"last_days": 0}},
                       {"kind": "behavior", "event": "e", "window": {"last_days": 1.5}},
                       {"kind": "behavior", "event": "e", "window": {"last_days": 10, "from": "2024-01-01"}},
                       {"kind": "behavior", "event": "e", "window": {"from": "yesterday", "to": "2024-13-01"}},
                       {"kind": "behavior", "event": "e", "window": {"from": "2024-02-01", "to": "2024-01-01"}},
                       {"kind": "behavior", "event": "e", "window": {}},
                       {"kind": "behavior", "event": "e", "count": {"op": "gt", "value": 1}, "occurrence": "first"},
                       {"kind": "behavior", "event": "e", "count": {"op": "gt", "value": 1}},
                       {"kind": "behavior", "event": "e", "count": {"op": "gte", "value": -1}},
                       {"kind": "behavior", "event": "e", "count": {"op": "between", "values": [3, 1]}},
                       {"kind": "behavior", "event": "e", "aggregate": {"fn": "median", "of": "price", "op": "gt", "value": "1"}},
                       {"kind": "behavior", "event": "e", "aggregate": {"fn": "sum", "of": "property", "op": "contains", "value": 1}},
                       {"kind": "behavior", "event": "e", "aggregate": {"fn": "sum", "of": "revenue", "property": "p", "op": "gt", "value": 1}},
                       {"kind": "behavior", "event": "e", "occurrence": "middle"},
                       {"kind": "behavior", "event": "e", "where": [{"property": "p", "op": "eq", "value": 1, "x": 1}, 5]},
                       {"kind": "behavior", "event": "e", "count": {"op": "between", "values": ["a", 1e10]}})"),
         {"root.rules[0].did: expected true or false, got a number",
          "root.rules[0].event: expected a string, got a number",
          "root.rules[0].where: expected an array, got an object",
          "root.rules[0].window.last_days: expected a whole number of days from 1 to 100000, got 0",
          "root.rules[1].window.last_days: expected a whole number of days from 1 to 100000, got 1.5",
          "root.rules[2].window: use either last_days or from/to, not both",
          "root.rules[3].window.from: \"yesterday\" is not an ISO 8601 date or time (2024-01-31, "
          "2024-01-31T10:00:00Z)",
          "root.rules[3].window.to: \"2024-13-01\" is not an ISO 8601 date or time (2024-01-31, "
          "2024-01-31T10:00:00Z)",
          "root.rules[4].window.to: must be after from (the window is (from, to])",
          "root.rules[5].window: expected last_days, or from and/or to",
          "root.rules[6]: use only one of count, aggregate and occurrence",
          "root.rules[7].count.op: operator \"gt\" is not allowed for a count (expected gte, lte, eq or "
          "between)",
          "root.rules[8].count.value: expected a whole number from 0 to 4294967295, got -1",
          "root.rules[9].count.values: low 3 is above high 1",
          "root.rules[10].aggregate.fn: unknown function \"median\" (expected sum, avg, min or max)",
          "root.rules[10].aggregate.of: unknown source \"price\" (expected revenue or property)",
          "root.rules[10].aggregate.value: expected a number, got a string",
          "root.rules[11].aggregate.property: missing",
          "root.rules[11].aggregate.op: operator \"contains\" is not allowed for an aggregate (expected eq, "
          "neq, gt, gte, lt, lte or between)",
          "root.rules[12].aggregate.property: only with \"of\": \"property\"",
          "root.rules[13].occurrence: unknown occurrence \"middle\" (expected first or last)",
          "root.rules[14].where[0].x: unknown key (expected property, op, value, values or ci)",
          "root.rules[14].where[1]: expected an object, got a number",
          "root.rules[15].count.values[0]: expected a whole number from 0 to 4294967295, got a string",
          "root.rules[15].count.values[1]: expected a whole number from 0 to 4294967295, got 10000000000"}},
        {"rfm, lifecycle, funnel and audience fields",
         with_rules(R"({"kind": "rfm"}, {"kind": "rfm", "segments": ["Champions"], "r": [1, 5]},
                       {"kind": "rfm", "segments": []}, {"kind": "rfm", "r": [0, 6], "f": [5, 1], "m": 3},
                       {"kind": "lifecycle", "stage": "asleep"}, {"kind": "lifecycle"},
                       {"kind": "funnel", "funnel": "f", "reached": 1, "dropped_after": 2},
                       {"kind": "funnel", "funnel": "", "reached": 0},
                       {"kind": "audience", "op": "in"}, {"kind": "audience", "op": "maybe", "id": "x"})"),
         {"root.rules[0]: expected segments or r/f/m score ranges",
          "root.rules[1]: use either segments or r/f/m score ranges, not both",
          "root.rules[2].segments: expected at least one segment",
          "root.rules[3].r[0]: expected a whole number from 1 to 5, got 0",
          "root.rules[3].r[1]: expected a whole number from 1 to 5, got 6",
          "root.rules[3].f: low 5 is above high 1",
          "root.rules[3].m: expected [low, high] with scores from 1 to 5",
          "root.rules[4].stage: unknown stage \"asleep\" (expected new, returning, resurrecting or dormant)",
          "root.rules[5].stage: missing (expected new, returning, resurrecting or dormant)",
          "root.rules[6]: expected exactly one of reached and dropped_after",
          "root.rules[7].funnel: must not be empty",
          "root.rules[7].reached: expected a whole number (a step) from 1 to 100, got 0",
          "root.rules[8].id: missing",
          "root.rules[9].op: unknown operator \"maybe\" (expected in or not_in)"}},
        {"keys that are not identifiers are quoted in paths",
         R"({"segx": 1, "root": {"match": "all", "rules": []}, "a.b[0]\"": 1})",
         {"[\"a.b[0]\\\"\"]: unknown key (expected segx, id, name or root)"}},
        {"invalid UTF-8 in the text",
         std::string("{\"segx\": 1, \"name\": \"\xff\"}"),
         {"name: parse error at line 1, column 22: syntax error while parsing value - invalid string: "
          "ill-formed "
          "UTF-8 byte; last read: '\"\xEF\xBF\xBD'"}},
    };
}

std::vector<std::string> strings(const std::vector<DefinitionError>& errors) {
    std::vector<std::string> out;
    for (const DefinitionError& e : errors) out.push_back(e.to_string());
    return out;
}

std::string nested_groups(int levels) {
    std::string text = R"({"segx": 1, "root": )";
    for (int i = 0; i < levels; i++) text += R"({"kind": "group", "match": "all", "rules": [)";
    for (int i = 0; i < levels; i++) text += "]}";
    return text + "}";
}

std::string repeat(const std::string& s, size_t n) {
    std::string out;
    for (size_t i = 0; i < n; i++) out += s;
    return out;
}

} // namespace

TEST_CASE("a corpus of malformed definitions gives every expected error at its path") {
    for (const Case& c : corpus()) {
        INFO(c.what);
        ValidationResult r = parse_audience(c.text);
        std::string expected, actual;
        for (const std::string& e : c.errors) expected += e + "\n";
        for (const std::string& e : strings(r.errors)) actual += e + "\n";
        CHECK(actual == expected);
        CHECK_FALSE(r.ok());
        CHECK(r.audience == Audience());
    }
}

TEST_CASE("10 000 nested groups stop at the JSON depth limit without recursing") {
    ValidationResult r = parse_audience(nested_groups(10000));
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].message == "nested deeper than 144 levels");
    CHECK(r.errors[0].path.rfind("root.rules[0].rules[0].", 0) == 0);

    // Plain brackets too.
    ValidationResult brackets = parse_audience(std::string(10000, '[') + std::string(10000, ']'));
    REQUIRE(brackets.errors.size() == 1);
    CHECK(brackets.errors[0].path == "$" + repeat("[0]", 144));
}

TEST_CASE("groups nested past 64 levels are refused with the path of the 65th") {
    CHECK(parse_audience(nested_groups(64)).ok());
    ValidationResult r = parse_audience(nested_groups(65));
    CHECK(strings(r.errors) == std::vector<std::string>{"root" + repeat(".rules[0]", 64) +
                                                        ": groups nested deeper than 64 levels"});
}

TEST_CASE("a DOM nested 10 000 deep built in code is validated without deep recursion") {
    json j = json::object();
    for (int i = 0; i < 10000; i++) {
        json g = json::object();
        g["kind"] = "group";
        g["match"] = "any";
        g["rules"] = json::array();
        g["rules"].push_back(std::move(j));
        j = std::move(g);
    }
    json doc = json::object();
    doc["segx"] = 1;
    doc["root"] = std::move(j);
    ValidationResult r = validate_audience(doc);
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].message == "groups nested deeper than 64 levels");
}

TEST_CASE("megabyte strings are refused with their size, and messages stay short") {
    std::string big(1 << 20, 'x');
    ValidationResult r =
        parse_audience(R"({"segx": 1, "name": ")" + big + R"(", "root": {"match": "all", "rules": [
        {"kind": "property", "attribute": "a", "op": "eq", "value": ")" +
                       big + R"("},
        {"kind": "property", "attribute": ")" +
                       big + R"(", "op": ")" + big + R"("}]}})");
    CHECK(strings(r.errors) ==
          std::vector<std::string>{"name: longer than 10000 bytes (1048576 bytes)",
                                   "root.rules[0].value: longer than 10000 bytes (1048576 bytes)",
                                   "root.rules[1].attribute: longer than 10000 bytes (1048576 bytes)",
                                   "root.rules[1].op: longer than 10000 bytes (1048576 bytes)"});
    // An unknown name of 10 000 bytes is quoted, cut and measured.
    std::string long_op(10000, 'z');
    ValidationResult op =
        parse_audience(with_rules(R"({"kind": "property", "attribute": "a", "op": ")" + long_op + R"("})"));
    REQUIRE(op.errors.size() == 1);
    CHECK(op.errors[0].message.size() < 400);
    CHECK(op.errors[0].message.find("(10000 bytes)") != std::string::npos);
    // A huge number token is cut too.
    ValidationResult num = parse_audience(with_rules(
        R"({"kind": "property", "attribute": "a", "op": "eq", "value": )" + std::string(100000, '9') + "}"));
    REQUIRE(num.errors.size() == 1);
    CHECK(num.errors[0].message.size() < 200);
}

TEST_CASE("texts past 8 MiB are refused before parsing") {
    ValidationResult r = parse_audience(std::string(kMaxJsonTextBytes + 1, ' '));
    CHECK(strings(r.errors) ==
          std::vector<std::string>{"$: definition is 8388609 bytes, more than the 8388608 allowed"});
}

TEST_CASE("thousands of problems are capped at 1000 plus a count of the rest") {
    ValidationResult r =
        parse_audience(with_rules(repeat(R"({"kind": "property", "attribute": "a", "op": "bad"},)", 4999) +
                                  R"({"kind": "property", "attribute": "a", "op": "bad"})"));
    REQUIRE(r.errors.size() == 1001);
    CHECK(r.errors[999].path == "root.rules[999].op");
    CHECK(r.errors[1000].to_string() == "$: 4000 more problems not shown");
}

TEST_CASE("more than 10 000 rules are refused") {
    const std::string rule = R"({"kind": "lifecycle", "stage": "new"})";
    ValidationResult r = parse_audience(with_rules(repeat(rule + ",", 10000) + rule));
    CHECK(strings(r.errors) ==
          std::vector<std::string>{"root.rules[10000]: more than 10000 rules in one definition"});
    CHECK(parse_audience(with_rules(repeat(rule + ",", 9999) + rule)).ok());
}

TEST_CASE("a DOM with non-UTF-8 or non-finite values built in code is refused, not thrown on") {
    json doc = json::parse(with_rules(R"({"kind": "property", "attribute": "a", "op": "eq", "value": 1})"));
    doc["name"] = std::string("bad \xff byte");
    doc["root"]["rules"][0]["value"] = std::numeric_limits<double>::infinity();
    ValidationResult r = validate_audience(doc);
    CHECK(strings(r.errors) == std::vector<std::string>{"name: not valid UTF-8: \"bad \\xFF byte\"",
                                                        "root.rules[0].value: number out of range"});
}

} // namespace core_audience_json_validation_test
