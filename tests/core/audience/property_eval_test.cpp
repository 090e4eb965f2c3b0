#include "audience_fixture.h"

#include <doctest/doctest.h>

namespace core_audience_property_eval_test {

using namespace segx;
using namespace segx::test;

namespace {

std::string prop(const std::string& attribute, const std::string& op, const std::string& operand,
                 bool ci = false) {
    return "{\"kind\": \"property\", \"attribute\": \"" + attribute + "\", \"op\": \"" + op + "\"" +
           (operand.empty() ? "" : ", " + operand) + (ci ? ", \"ci\": true" : "") + "}";
}

} // namespace

TEST_CASE("string eq, neq, in, not_in compare exact bytes; nulls match none of them") {
    CHECK(who(prop("country", "eq", R"("value": "CN")")) == "u0 u6");
    CHECK(who(prop("country", "neq", R"("value": "CN")")) == "u1 u2 u4 u5 u7"); // not u3, e8, e9 (null)
    CHECK(who(prop("country", "in", R"("values": ["CN", "US"])")) == "u0 u1 u6");
    CHECK(who(prop("country", "not_in", R"("values": ["CN", "US"])")) == "u2 u4 u5 u7");
    CHECK(who(prop("country", "eq", R"("value": "中国")")) == "u4");
    // A value that is not in the data is not an error: it matches nobody (or everybody non-null).
    CHECK(who(prop("country", "eq", R"("value": "XX")")) == "");
    CHECK(who(prop("country", "not_in", R"("values": ["XX"])")) == "u0 u1 u2 u4 u5 u6 u7");
}

TEST_CASE("ci folds ASCII letters only: Chinese text still compares byte for byte") {
    CHECK(who(prop("country", "eq", R"("value": "CN")", true)) == "u0 u2 u6 u7");
    CHECK(who(prop("country", "neq", R"("value": "cn")", true)) == "u1 u4 u5");
    CHECK(who(prop("country", "in", R"("values": ["cn", "us"])", true)) == "u0 u1 u2 u6 u7");
    CHECK(who(prop("country", "eq", R"("value": "中国")", true)) == "u4");
    CHECK(who(prop("city", "contains", R"("value": "york")", true)) == "u1");
    CHECK(who(prop("city", "contains", R"("value": "york")")) == "");
    CHECK(who(prop("tag", "contains", R"("value": "gold")")) == "u1 u7");
    CHECK(who(prop("tag", "contains", R"("value": "gold")", true)) == "u0 u1 u5 u7");
    CHECK(who(prop("tag", "starts_with", R"("value": "GOLD")", true)) == "u0 u1 u5 u7");
    CHECK(who(prop("tag", "not_contains", R"("value": "GOLD")", true)) == "u2 u4 u6");
    CHECK(who(prop("country", "lt", R"("value": "d")", true)) == "u0 u2 u6 u7");
}

TEST_CASE("contains, not_contains and starts_with over Chinese text") {
    CHECK(who(prop("city", "contains", R"("value": "北京")")) == "u0 u3 u6");
    CHECK(who(prop("city", "starts_with", R"("value": "北京市")")) == "u3");
    CHECK(who(prop("city", "starts_with", R"("value": "北")")) == "u0 u3 u6");
    CHECK(who(prop("city", "not_contains", R"("value": "北京")")) == "u1 u2 u4 u5"); // u7 null
    CHECK(who(prop("tag", "starts_with", R"("value": "Gold")")) == "u0 u5");
    // The empty string is contained in every non-null string.
    CHECK(who(prop("tag", "contains", R"("value": "")")) == "u0 u1 u2 u4 u5 u6 u7");
}

TEST_CASE("strings order as bytes (UTF-8 order, as DuckDB compares VARCHAR)") {
    CHECK(who(prop("country", "gt", R"("value": "CN")")) == "u1 u2 u4 u5 u7");
    CHECK(who(prop("country", "lt", R"("value": "D")")) == "u0 u6 u7");
    CHECK(who(prop("country", "between", R"("values": ["C", "K"])")) == "u0 u5 u6 u7");
    CHECK(who(prop("country", "gte", R"("value": "中国")")) == "u4");
    CHECK(who(prop("country", "lte", R"("value": "CN")")) == "u0 u6");
}

TEST_CASE("is_set is false for nulls only: the empty string is a value") {
    CHECK(who(prop("tag", "eq", R"("value": "")")) == "u4");
    CHECK(who(prop("tag", "is_set", "")) == "u0 u1 u2 u4 u5 u6 u7");
    CHECK(who(prop("tag", "is_not_set", "")) == "u3 e8 e9");
    CHECK(who(prop("age", "is_not_set", "")) == "u3 e8 e9");
    CHECK(who(prop("vip", "is_not_set", "")) == "u3 u5 e8 e9");
    CHECK(who(prop("signup", "is_set", "")) == "u0 u1 u2 u4 u5 u6 u7");
}

TEST_CASE("integer attributes compare exactly, fractional bounds rounding the right way") {
    CHECK(who(prop("age", "gt", R"("value": 30)")) == "u1 u5 u6 u7");
    CHECK(who(prop("age", "gte", R"("value": 30)")) == "u0 u1 u5 u6 u7");
    CHECK(who(prop("age", "lt", R"("value": 25)")) == "u4");
    CHECK(who(prop("age", "lte", R"("value": 25)")) == "u2 u4");
    CHECK(who(prop("age", "between", R"("values": [25, 40])")) == "u0 u2 u6 u7"); // inclusive
    CHECK(who(prop("age", "between", R"("values": [24.5, 30.5])")) == "u0 u2");
    CHECK(who(prop("age", "gt", R"("value": 29.5)")) == "u0 u1 u5 u6 u7");
    CHECK(who(prop("age", "lt", R"("value": 25.5)")) == "u2 u4");
    CHECK(who(prop("age", "eq", R"("value": 30)")) == "u0");
    CHECK(who(prop("age", "eq", R"("value": 30.5)")) == "");
    CHECK(who(prop("age", "neq", R"("value": 30)")) == "u1 u2 u4 u5 u6 u7");
    CHECK(who(prop("age", "neq", R"("value": 30.5)")) == "u0 u1 u2 u4 u5 u6 u7");
    CHECK(who(prop("age", "in", R"("values": [18, 60, 61, 18.5])")) == "u4 u5");
    CHECK(who(prop("age", "not_in", R"("values": [18, 60])")) == "u0 u1 u2 u6 u7");
    CHECK(who(prop("age", "gt", R"("value": 1e300)")) == "");
    CHECK(who(prop("age", "lt", R"("value": 1e300)")) == "u0 u1 u2 u4 u5 u6 u7");
    CHECK(who(prop("age", "gte", R"("value": -1e300)")) == "u0 u1 u2 u4 u5 u6 u7");
}

TEST_CASE("double attributes compare as doubles") {
    CHECK(who(prop("score", "gte", R"("value": 4.5)")) == "u0 u3 u7");
    CHECK(who(prop("score", "gt", R"("value": 4.5)")) == "u3");
    CHECK(who(prop("score", "lt", R"("value": 2.5)")) == "u6");
    CHECK(who(prop("score", "in", R"("values": [4.5, 1])")) == "u0 u6 u7");
    CHECK(who(prop("score", "between", R"("values": [2.5, 4])")) == "u1 u4 u5");
    CHECK(who(prop("score", "neq", R"("value": 4.5)")) == "u1 u3 u4 u5 u6"); // u2 null
}

TEST_CASE("date and timestamp attributes compare as times, values as ISO text") {
    CHECK(who(prop("signup", "eq", R"("value": "2023-01-15")")) == "u0 u6");
    CHECK(who(prop("signup", "gt", R"("value": "2023-01-15")")) == "u1 u2 u5 u7");
    CHECK(who(prop("signup", "gte", R"("value": "2023-01-15T00:00:01")")) == "u1 u2 u5 u7");
    CHECK(who(prop("signup", "lt", R"("value": "2023-01-01")")) == "u4");
    CHECK(who(prop("signup", "between", R"("values": ["2023-01-01", "2023-06-01"])")) == "u0 u1 u5 u6");
    CHECK(who(prop("last_login", "eq", R"("value": "2024-03-30 10:00")")) == "u0");
    CHECK(who(prop("last_login", "eq", R"("value": "2024-03-30T18:00:00+08:00")")) == "u0"); // same instant
    CHECK(who(prop("last_login", "gt", R"("value": "2024-03-30T10:00:00Z")")) == "u1");
    CHECK(who(prop("last_login", "lt", R"("value": "2024-03-30T10:00:00")")) == "u2");
    CHECK(who(prop("last_login", "in", R"("values": ["2024-03-30T10:00:00.000001", "2024-01-01"])")) == "u1");
}

TEST_CASE("boolean attributes take true and false; nulls are neither") {
    CHECK(who(prop("vip", "eq", R"("value": true)")) == "u0 u2 u6");
    CHECK(who(prop("vip", "neq", R"("value": true)")) == "u1 u4 u7");
    CHECK(who(prop("vip", "in", R"("values": [false])")) == "u1 u4 u7");
    CHECK(who(prop("vip", "not_in", R"("values": [false])")) == "u0 u2 u6");
}

TEST_CASE("a value of the wrong type for the column is an error naming the column and its type") {
    CHECK(eval_errors(prop("age", "eq", R"("value": "thirty")")) ==
          R"(root.rules[0].value: expected a number: attribute "age" is BIGINT)");
    CHECK(eval_errors(prop("country", "gt", R"("value": 5)")) ==
          R"(root.rules[0].value: expected a string: attribute "country" is VARCHAR)");
    CHECK(eval_errors(prop("country", "in", R"("values": ["CN", 5, true])")) ==
          "root.rules[0].values[1]: expected a string: attribute \"country\" is VARCHAR\n"
          "root.rules[0].values[2]: expected a string: attribute \"country\" is VARCHAR");
    CHECK(eval_errors(prop("age", "contains", R"("value": "3")")) ==
          R"(root.rules[0].op: "contains" needs a text column: attribute "age" is BIGINT)");
    CHECK(eval_errors(prop("signup", "eq", R"("value": "yesterday")")) ==
          R"(root.rules[0].value: "yesterday" is not an ISO 8601 date or time: attribute "signup" is DATE)");
    CHECK(eval_errors(prop("signup", "eq", R"("value": 20230115)")) ==
          R"(root.rules[0].value: expected an ISO date string: attribute "signup" is DATE)");
    CHECK(eval_errors(prop("vip", "eq", R"("value": 1)")) ==
          R"(root.rules[0].value: expected true or false: attribute "vip" is BOOLEAN)");
    CHECK(eval_errors(prop("vip", "gt", R"("value": 0)")) ==
          "root.rules[0].op: \"gt\" cannot order booleans: attribute \"vip\" is BOOLEAN; use eq, neq, in, "
          "not_in, is_set or is_not_set");
    CHECK(eval_errors(prop("score", "eq", R"("value": "4.5")")) ==
          R"(root.rules[0].value: expected a number: attribute "score" is DOUBLE)");
}

TEST_CASE("an unknown attribute is an error naming it and the known ones, not an empty audience") {
    CHECK(eval_errors(prop("contry", "eq", R"("value": "CN")")) ==
          "root.rules[0].attribute: unknown attribute \"contry\" (known: \"country\", \"city\", \"age\", "
          "\"score\", \"signup\", \"vip\", \"tag\", \"last_login\")");
}

TEST_CASE("a property rule built in code with the wrong number of values is an error, not a crash") {
    Audience a;
    PropertyRule r;
    r.attribute = "age";
    r.op = Op::Between;
    r.values = {Scalar::of(1)};
    a.root.rules.push_back(r);
    EvalResult result = eval(a);
    CHECK(join_errors(result.errors) == "root.rules[0].values: \"between\" cannot take 1 values");
    CHECK(result.users.size == 0);
}

} // namespace core_audience_property_eval_test
