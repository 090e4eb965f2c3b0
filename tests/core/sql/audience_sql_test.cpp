// audience_to_sql over the ten-user fixture (audience_fixture.h): the shape of the SQL for
// every rule kind and operator, quoting of hostile names and values, and errors that match
// evaluate's. tests/web/node/audience_sql.test.mjs runs the SQL in DuckDB against the core.

#include "core/sql/audience_sql.h"
#include "../audience/audience_fixture.h"
#include "core/sql/sql_text.h"

#include <doctest/doctest.h>

namespace core_sql_audience_sql_test {

using namespace segx;
using namespace segx::test;

namespace {

SqlResult compile(const Audience& a, int64_t as_of = A, const Saved* saved = nullptr) {
    EvalContext ctx{fixture_model(), as_of, 0, saved ? saved->lookup() : nullptr};
    return audience_to_sql(a, ctx);
}

// The SQL of the one-rule audience; it must compile.
std::string sql_of(const std::string& rule_json, int64_t as_of = A) {
    SqlResult r = compile(audience_of(rule_json), as_of);
    INFO(rule_json);
    INFO(join_errors(r.errors));
    REQUIRE(r.ok());
    return r.sql;
}

// The WHERE clause of the one-rule audience: the rule's expression.
std::string where_of(const std::string& rule_json, int64_t as_of = A) {
    std::string sql = sql_of(rule_json, as_of);
    size_t b = sql.rfind("\nWHERE\n  "), e = sql.rfind("\nORDER BY");
    REQUIRE(b != std::string::npos);
    REQUIRE(e != std::string::npos);
    return sql.substr(b + 9, e - b - 9);
}

std::string prop(const std::string& attribute, const std::string& rest) {
    return R"({"kind": "property", "attribute": ")" + attribute + "\", " + rest + "}";
}

std::string did(const std::string& event, const std::string& rest = "") {
    return "{\"kind\": \"behavior\", \"event\": \"" + event + "\"" + (rest.empty() ? "" : ", " + rest) + "}";
}

std::string sql_errors(const std::string& rule_json, int64_t as_of = A) {
    return join_errors(compile(audience_of(rule_json), as_of).errors);
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

} // namespace

TEST_CASE("the statement: header, universe of users, one WHERE, ordered ids") {
    Audience a = audience_of(prop("country", R"("op": "eq", "value": "CN")"));
    a.name = "China";
    SqlResult r = compile(a);
    REQUIRE(r.ok());
    CHECK(r.sql ==
          "-- segx audience \"China\" as of 2024-03-31T00:00:00Z\n"
          "WITH \"u\" AS (\n"
          "  SELECT *\n"
          "  FROM (\n"
          "    SELECT \"user_id\" FROM \"users\" WHERE \"user_id\" IS NOT NULL\n"
          "    UNION\n"
          "    SELECT \"user_id\" FROM \"events\" WHERE \"user_id\" IS NOT NULL\n"
          "  ) AS \"ids\"\n"
          "  LEFT JOIN \"users\" USING (\"user_id\")\n"
          ")\n"
          "SELECT \"user_id\"\n"
          "FROM \"u\"\n"
          "WHERE\n"
          "  COALESCE(\"u\".\"country\" = 'CN', FALSE)\n"
          "ORDER BY \"user_id\"");
}

TEST_CASE("groups: AND / OR one rule per line, NOT (...), and the identities of empty groups") {
    CHECK(where_of(R"({"kind": "group", "match": "any", "rules": []})") == "FALSE");
    CHECK(where_of(R"({"kind": "group", "match": "all", "rules": []})") == "TRUE");
    CHECK(where_of(R"({"kind": "group", "match": "any", "negate": true, "rules": []})") == "TRUE");
    CHECK(where_of(R"({"kind": "group", "match": "all", "negate": true, "rules": []})") == "FALSE");
    CHECK(where_of(R"({"kind": "group", "match": "any", "negate": true, "rules": [)" +
                   prop("country", R"("op": "eq", "value": "CN")") + ", " +
                   prop("age", R"("op": "gt", "value": 40)") + "]}") ==
          "NOT (\n"
          "    COALESCE(\"u\".\"country\" = 'CN', FALSE)\n"
          "    OR COALESCE(\"u\".\"age\" > 40, FALSE)\n"
          "  )");
    Audience root = audience_of(prop("vip", R"("op": "eq", "value": true)"));
    root.root.rules.push_back(root.root.rules[0]);
    root.root.negate = true;
    SqlResult r = compile(root);
    REQUIRE(r.ok());
    CHECK(contains(r.sql, "WHERE\n  NOT (\n    COALESCE(\"u\".\"vip\" = TRUE, FALSE)\n    AND COALESCE("));
    Audience empty;
    CHECK(contains(compile(empty).sql, "WHERE\n  TRUE\nORDER BY"));
}

TEST_CASE("string operators, exact and ci (ASCII folding only, by translate)") {
    CHECK(where_of(prop("country", R"("op": "neq", "value": "CN")")) ==
          "COALESCE(\"u\".\"country\" <> 'CN', FALSE)");
    CHECK(where_of(prop("country", R"("op": "in", "values": ["CN", "中国"])")) ==
          "COALESCE(\"u\".\"country\" IN ('CN', '中国'), FALSE)");
    CHECK(where_of(prop("country", R"("op": "not_in", "values": ["CN"])")) ==
          "COALESCE(\"u\".\"country\" NOT IN ('CN'), FALSE)");
    CHECK(where_of(prop("tag", R"("op": "contains", "value": "old")")) ==
          "COALESCE(contains(\"u\".\"tag\", 'old'), FALSE)");
    CHECK(where_of(prop("tag", R"("op": "not_contains", "value": "old")")) ==
          "COALESCE(NOT contains(\"u\".\"tag\", 'old'), FALSE)");
    CHECK(where_of(prop("city", R"("op": "starts_with", "value": "北京")")) ==
          "COALESCE(starts_with(\"u\".\"city\", '北京'), FALSE)");
    CHECK(where_of(prop("tag", R"("op": "gt", "value": "b")")) == "COALESCE(\"u\".\"tag\" > 'b', FALSE)");
    CHECK(where_of(prop("tag", R"("op": "lte", "value": "b")")) == "COALESCE(\"u\".\"tag\" <= 'b', FALSE)");
    CHECK(where_of(prop("tag", R"("op": "between", "values": ["a", "h"])")) ==
          "COALESCE(\"u\".\"tag\" BETWEEN 'a' AND 'h', FALSE)");
    CHECK(where_of(prop("city", R"("op": "is_set")")) == "COALESCE(\"u\".\"city\" IS NOT NULL, FALSE)");
    CHECK(where_of(prop("city", R"("op": "is_not_set")")) == "COALESCE(\"u\".\"city\" IS NULL, FALSE)");
    const std::string fold =
        "translate(\"u\".\"tag\", 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')";
    CHECK(where_of(prop("tag", R"("op": "eq", "value": "GOLD Ü", "ci": true)")) ==
          "COALESCE(" + fold + " = 'gold Ü', FALSE)");
    CHECK(where_of(prop("tag", R"("op": "starts_with", "value": "Gold", "ci": true)")) ==
          "COALESCE(starts_with(" + fold + ", 'gold'), FALSE)");
}

TEST_CASE("BIGINT compares with the exact integer bounds evaluation derives") {
    CHECK(where_of(prop("age", R"("op": "eq", "value": 30)")) == "COALESCE(\"u\".\"age\" = 30, FALSE)");
    CHECK(where_of(prop("age", R"("op": "eq", "value": 30.5)")) == "COALESCE(FALSE, FALSE)");
    CHECK(where_of(prop("age", R"("op": "neq", "value": 30.5)")) ==
          "COALESCE(\"u\".\"age\" IS NOT NULL, FALSE)");
    CHECK(where_of(prop("age", R"("op": "gt", "value": 29.5)")) == "COALESCE(\"u\".\"age\" > 29, FALSE)");
    CHECK(where_of(prop("age", R"("op": "gte", "value": 29.5)")) == "COALESCE(\"u\".\"age\" >= 30, FALSE)");
    CHECK(where_of(prop("age", R"("op": "lt", "value": 30)")) == "COALESCE(\"u\".\"age\" < 30, FALSE)");
    CHECK(where_of(prop("age", R"("op": "lte", "value": 30.5)")) == "COALESCE(\"u\".\"age\" <= 30, FALSE)");
    CHECK(where_of(prop("age", R"("op": "between", "values": [25, 40])")) ==
          "COALESCE(\"u\".\"age\" BETWEEN 25 AND 40, FALSE)");
    CHECK(where_of(prop("age", R"("op": "in", "values": [18, 30.5, 18, 60])")) ==
          "COALESCE(\"u\".\"age\" IN (18, 60), FALSE)");
    CHECK(where_of(prop("age", R"("op": "not_in", "values": [30.5])")) ==
          "COALESCE(\"u\".\"age\" IS NOT NULL, FALSE)");
}

TEST_CASE("DOUBLE, BOOLEAN, DATE and TIMESTAMP literals") {
    CHECK(where_of(prop("score", R"("op": "gte", "value": 4.5)")) ==
          "COALESCE(\"u\".\"score\" >= 4.5, FALSE)");
    CHECK(where_of(prop("score", R"("op": "in", "values": [4.5, 1])")) ==
          "COALESCE(\"u\".\"score\" IN (1, 4.5), FALSE)");
    CHECK(where_of(prop("score", R"("op": "neq", "value": 0.30000000000000004)")) ==
          "COALESCE(\"u\".\"score\" <> CAST('0.30000000000000004' AS DOUBLE), FALSE)");
    CHECK(where_of(prop("vip", R"("op": "in", "values": [true, false])")) ==
          "COALESCE(\"u\".\"vip\" IN (FALSE, TRUE), FALSE)");
    CHECK(where_of(prop("vip", R"("op": "neq", "value": true)")) == "COALESCE(\"u\".\"vip\" <> TRUE, FALSE)");
    CHECK(where_of(prop("signup", R"("op": "gt", "value": "2023-01-15")")) ==
          "COALESCE(\"u\".\"signup\" > DATE '2023-01-15', FALSE)");
    CHECK(where_of(
              prop("signup", R"("op": "between", "values": ["2023-01-01", "2023-06-30T12:00:00+08:00"])")) ==
          "COALESCE(\"u\".\"signup\" BETWEEN DATE '2023-01-01' AND TIMESTAMP '2023-06-30 04:00:00', FALSE)");
    CHECK(where_of(prop("last_login", R"("op": "lt", "value": "2024-03-30T10:00:00Z")")) ==
          "COALESCE(\"u\".\"last_login\" < TIMESTAMP '2024-03-30 10:00:00', FALSE)");
    CHECK(where_of(prop("last_login", R"("op": "eq", "value": "2024-03-30T10:00:00.000001")")) ==
          "COALESCE(\"u\".\"last_login\" = TIMESTAMP '2024-03-30 10:00:00.000001', FALSE)");
}

TEST_CASE("behavior: EXISTS, counts with zero, windows start-exclusive and end-inclusive, never past as-of") {
    CHECK(where_of(did("purchase")) ==
          "COALESCE(EXISTS (\n"
          "    SELECT 1\n"
          "    FROM \"events\" AS \"e\"\n"
          "    WHERE \"e\".\"user_id\" = \"u\".\"user_id\"\n"
          "      AND \"e\".\"event\" = 'purchase'\n"
          "      AND \"e\".\"time\" <= TIMESTAMP '2024-03-31 00:00:00'\n"
          "  ), FALSE)");
    CHECK(
        where_of(did("purchase",
                     R"("did": false, "window": {"last_days": 30}, "count": {"op": "lte", "value": 2})")) ==
        "NOT COALESCE((\n"
        "    SELECT count(*)\n"
        "    FROM \"events\" AS \"e\"\n"
        "    WHERE \"e\".\"user_id\" = \"u\".\"user_id\"\n"
        "      AND \"e\".\"event\" = 'purchase'\n"
        "      AND \"e\".\"time\" > TIMESTAMP '2024-03-31 00:00:00' - INTERVAL 30 DAY AND \"e\".\"time\" <= "
        "TIMESTAMP '2024-03-31 00:00:00'\n"
        "  ) <= 2, FALSE)");
    CHECK(contains(where_of(did("view", R"("count": {"op": "between", "values": [1, 3]})")),
                   "\n  ) BETWEEN 1 AND 3, FALSE)"));
    CHECK(contains(where_of(did("view", R"("count": {"op": "eq", "value": 0})")), "\n  ) = 0, FALSE)"));
    // (from, to] clipped to as-of; from alone; to alone.
    CHECK(contains(where_of(did("view", R"("window": {"from": "2024-03-01", "to": "2024-04-30"})")),
                   "\"e\".\"time\" > TIMESTAMP '2024-03-01 00:00:00' AND \"e\".\"time\" <= TIMESTAMP "
                   "'2024-03-31 00:00:00'\n"));
    CHECK(contains(where_of(did("view", R"("window": {"to": "2024-03-01T08:00:00+08:00"})")),
                   "AND \"e\".\"time\" <= TIMESTAMP '2024-03-01 00:00:00'\n"));
    CHECK(contains(where_of(did("view", R"("window": {"from": "2024-03-01"})")),
                   "\"e\".\"time\" > TIMESTAMP '2024-03-01 00:00:00' AND \"e\".\"time\" <= TIMESTAMP "
                   "'2024-03-31 00:00:00'\n"));
}

TEST_CASE("behavior: filters, aggregates of revenue and of properties, first and last occurrence") {
    std::string w =
        where_of(did("view", R"("where": [{"property": "platform", "op": "in", "values": ["ios", "web"]},
                                                      {"property": "price", "op": "gt", "value": 4}])"));
    CHECK(contains(
        w, "\n      AND \"e\".\"platform\" IN ('ios', 'web')\n      AND \"e\".\"price\" > 4\n  ), FALSE)"));
    CHECK(contains(where_of(did("purchase",
                                R"("aggregate": {"fn": "sum", "of": "revenue", "op": "gte", "value": 100})")),
                   "SELECT sum(\"e\".\"revenue\")\n    FROM \"events\" AS \"e\"\n"));
    std::string avg = where_of(did(
        "view",
        R"("aggregate": {"fn": "avg", "of": "property", "property": "price", "op": "between", "values": [1, 9.5]})"));
    CHECK(contains(avg, "SELECT avg(\"e\".\"price\")\n    FROM"));
    CHECK(contains(avg, "\n  ) BETWEEN 1 AND 9.5, FALSE)"));
    CHECK(contains(
        where_of(did(
            "purchase",
            R"("aggregate": {"fn": "max", "of": "property", "property": "qty", "op": "neq", "value": 1})")),
        "SELECT max(\"e\".\"qty\")\n    FROM"));
    CHECK(contains(
        where_of(did("purchase", R"("aggregate": {"fn": "min", "of": "revenue", "op": "lt", "value": 50})")),
        ") < 50, FALSE)"));
    // Occurrences look at every matching event up to as-of; the window applies to the first
    // (last) of them.
    std::string first = where_of(did("purchase", R"("occurrence": "first", "window": {"last_days": 30})"));
    CHECK(first ==
          "COALESCE((\n"
          "    SELECT min(\"e\".\"time\") > TIMESTAMP '2024-03-31 00:00:00' - INTERVAL 30 DAY AND "
          "min(\"e\".\"time\") <= TIMESTAMP '2024-03-31 00:00:00'\n"
          "    FROM \"events\" AS \"e\"\n"
          "    WHERE \"e\".\"user_id\" = \"u\".\"user_id\"\n"
          "      AND \"e\".\"event\" = 'purchase'\n"
          "      AND \"e\".\"time\" <= TIMESTAMP '2024-03-31 00:00:00'\n"
          "  ), FALSE)");
    CHECK(contains(where_of(did("purchase", R"("occurrence": "last")")),
                   "SELECT max(\"e\".\"time\") <= TIMESTAMP '2024-03-31 00:00:00'\n    FROM"));
}

TEST_CASE("audience references become one CTE per id, dependencies first") {
    Saved saved;
    saved.audiences["cn"] = audience_of(prop("country", R"("op": "eq", "value": "CN")"), "cn");
    saved.audiences["buyers"] =
        audience_of(R"({"kind": "audience", "op": "in", "id": "cn"}, )" + did("purchase"), "buyers");
    Audience a = audience_of(
        R"({"kind": "audience", "op": "in", "id": "buyers"}, {"kind": "audience", "op": "not_in", "id": "cn"})");
    SqlResult r = compile(a, A, &saved);
    INFO(join_errors(r.errors));
    REQUIRE(r.ok());
    CHECK(contains(r.sql,
                   ",\n\"ref_1\" AS (\n  -- audience \"cn\"\n  SELECT \"user_id\"\n  FROM \"u\"\n  WHERE\n"
                   "    COALESCE(\"u\".\"country\" = 'CN', FALSE)\n)"));
    CHECK(contains(r.sql, ",\n\"ref_2\" AS (\n  -- audience \"buyers\"\n"));
    CHECK(contains(r.sql,
                   "    COALESCE(\"u\".\"user_id\" IN (SELECT \"user_id\" FROM \"ref_1\"), FALSE)\n    AND "
                   "COALESCE(EXISTS"));
    CHECK(contains(r.sql,
                   "WHERE\n  COALESCE(\"u\".\"user_id\" IN (SELECT \"user_id\" FROM \"ref_2\"), FALSE)\n"
                   "  AND NOT COALESCE(\"u\".\"user_id\" IN (SELECT \"user_id\" FROM \"ref_1\"), FALSE)\n"));
    CHECK(r.sql.find("\"ref_3\"") == std::string::npos); // cn once, though referenced twice
}

TEST_CASE("errors are evaluate's: unknown names, wrong types, cycles; rfm rules do not compile yet") {
    const std::vector<std::string> rules = {
        prop("no_such", R"("op": "is_set")"),
        prop("age", R"("op": "eq", "value": "thirty")"),
        prop("vip", R"("op": "gt", "value": 1)"),
        prop("signup", R"("op": "gte", "value": "yesterday")"),
        prop("age", R"("op": "contains", "value": "3")"),
        did("nope"),
        did("view", R"("where": [{"property": "colour", "op": "eq", "value": "red"}])"),
        did("view", R"("where": [{"property": "price", "op": "eq", "value": "cheap"}])"),
        did("view",
            R"("aggregate": {"fn": "sum", "of": "property", "property": "platform", "op": "gt", "value": 1})"),
        did("view",
            R"("aggregate": {"fn": "sum", "of": "property", "property": "nothing", "op": "gt", "value": 1})"),
        R"({"kind": "funnel", "funnel": "f1", "reached": 2})",
        R"({"kind": "audience", "op": "in", "id": "ghost"})",
    };
    for (const std::string& rule : rules) {
        INFO(rule);
        std::string sql = sql_errors(rule);
        CHECK(!sql.empty());
        CHECK(sql == eval_errors(rule));
    }
    // Without the RFM hook (EvalContext::rfm) both say so; rfm_sql_test.cpp compiles them.
    CHECK(sql_errors(R"({"kind": "rfm", "segments": ["Champions"]})") ==
          "root.rules[0]: RFM settings are not available here");
    CHECK(sql_errors(R"({"kind": "rfm", "segments": ["Champions"]})") ==
          eval_errors(R"({"kind": "rfm", "segments": ["Champions"]})"));
    // Lifecycle rules compile (tests/web/node/lifecycle_sql.test.mjs); their names are checked.
    CHECK(sql_errors(R"({"kind": "lifecycle", "stage": "new", "event": "nope"})")
              .rfind("root.rules[0].event: unknown event \"nope\"", 0) == 0);
    // Checks that the JSON reader makes too, for definitions built in code.
    Audience built = audience_of(did("view"));
    std::get<BehaviorRule>(built.root.rules[0].node).window = WindowRange{"last week", ""};
    std::get<BehaviorRule>(built.root.rules[0].node)
        .where.push_back(EventFilter{"platform", Op::In, {}, false});
    CHECK(join_errors(compile(built).errors) ==
          "root.rules[0].where[0].values: \"in\" cannot take 0 values\n"
          "root.rules[0].window.from: \"last week\" is not an ISO 8601 date or time");
    CHECK(join_errors(compile(built).errors) == join_errors(eval(built).errors));
    CHECK(sql_errors(prop("no_such", R"("op": "is_set")")) ==
          "root.rules[0].attribute: unknown attribute \"no_such\" (known: \"country\", \"city\", \"age\", "
          "\"score\", "
          "\"signup\", \"vip\", \"tag\", \"last_login\")");

    Saved saved;
    saved.audiences["a"] = audience_of(R"({"kind": "audience", "op": "in", "id": "b"})", "a");
    saved.audiences["b"] = audience_of(R"({"kind": "audience", "op": "not_in", "id": "a"})", "b");
    saved.audiences["bad"] = audience_of(prop("nope", R"("op": "is_set")"), "bad");
    Audience top = audience_of(
        R"({"kind": "audience", "op": "in", "id": "a"}, {"kind": "audience", "op": "in", "id": "bad"})",
        "top");
    SqlResult r = compile(top, A, &saved);
    CHECK(r.sql.empty());
    CHECK(join_errors(r.errors) == join_errors(eval(top, A, &saved).errors));
    CHECK(join_errors(r.errors) ==
          "root.rules[0]: audience cycle: a \xE2\x86\x92 b \xE2\x86\x92 a\n"
          "root.rules[1]: in audience bad: root.rules[0].attribute: unknown attribute \"nope\" (known: "
          "\"country\", "
          "\"city\", \"age\", \"score\", \"signup\", \"vip\", \"tag\", \"last_login\")");
}

TEST_CASE("hostile values are quoted literals: quotes doubled, control characters as chr()") {
    CHECK(where_of(prop("city", R"("op": "eq", "value": "'); DROP TABLE users; --")")) ==
          "COALESCE(\"u\".\"city\" = '''); DROP TABLE users; --', FALSE)");
    CHECK(where_of(prop("city", R"("op": "eq", "value": "a\nDROP TABLE users;\r\u0000")")) ==
          "COALESCE(\"u\".\"city\" = ('a' || chr(10) || 'DROP TABLE users;' || chr(13) || chr(0)), FALSE)");
    CHECK(where_of(prop("city", R"("op": "in", "values": ["\u202Eevil", "\t"])")) ==
          "COALESCE(\"u\".\"city\" IN ((chr(8238) || 'evil'), chr(9)), FALSE)");
    CHECK(sql_string("") == "''");
    CHECK(sql_string(std::string("a\xFF", 2)) == "('a' || chr(65533))");
    // Every line of the SQL is code or a comment of ours: no value leaks a line break.
    std::string sql = sql_of(prop("city", R"("op": "eq", "value": "x\n'; DROP TABLE users; --\n")"));
    CHECK(sql.find("\n'") == std::string::npos);
}

TEST_CASE("the audience name cannot end the header comment") {
    Audience a = audience_of(prop("age", R"("op": "is_set")"));
    a.name = "Evil\n'; DROP TABLE users; --\r\"x\" \xE2\x80\xAE\xE2\x80\xA8 名字";
    SqlResult r = compile(a);
    REQUIRE(r.ok());
    std::string first = r.sql.substr(0, r.sql.find('\n'));
    CHECK(first ==
          "-- segx audience \"Evil\\u000A'; DROP TABLE users; --\\u000D\\\"x\\\" \\u202E\\u2028 名字\" as of "
          "2024-03-31T00:00:00Z");
    CHECK(r.sql.substr(first.size() + 1, 4) == "WITH");
    a.name = std::string(500, 'n');
    CHECK(compile(a).sql.find(std::string(121, 'n')) == std::string::npos);
}

namespace {

// A model whose names are hostile: quotes, SQL, a line break, Chinese, and names SQL cannot
// tell apart (case, the events table's own columns).
const Model& hostile_model() {
    static const Model model = [] {
        UserSourceBuilder b("crm.csv", {"we\"ird", "'); DROP TABLE users; --", "城市", "line\nbreak", "Plan",
                                        "plan", "USER_ID"});
        auto ids = texts({"a\"1", "b'2"});
        auto w = texts({"x", "y"});
        auto drop = texts({"p", std::nullopt});
        auto city = texts({"上海", "北京"});
        auto line = texts({"l", "m"});
        auto plan1 = texts({"free", "plus"});
        auto plan2 = texts({"free", "plus"});
        auto uid = texts({"1", "2"});
        b.append(
            2, ids.chunk(),
            {w.chunk(), drop.chunk(), city.chunk(), line.chunk(), plan1.chunk(), plan2.chunk(), uid.chunk()});
        UserSource users = b.finish();
        EventSourceSpec spec;
        spec.name = "ev.csv";
        spec.time_is_epoch_us = true;
        spec.property_names = {"Time", "页面"};
        EventSourceBuilder e(spec);
        auto user = texts({"a\"1"});
        auto time = ints({A - D});
        auto event = texts({"x'); DROP TABLE events; --"});
        auto t2 = texts({"t"});
        auto page = texts({"首页"});
        e.append(1, user.chunk(), time.chunk(), event.chunk(), ValueChunk::none(), ValueChunk::none(),
                 {t2.chunk(), page.chunk()});
        EventSource events = e.finish();
        return build_model({&users}, {&events});
    }();
    return model;
}

SqlResult hostile(const std::string& rule_json) {
    EvalContext ctx{hostile_model(), A, 0, nullptr};
    return audience_to_sql(audience_of(rule_json), ctx);
}

} // namespace

TEST_CASE("hostile names are quoted identifiers; names SQL cannot tell apart are errors") {
    SqlResult r = hostile(R"({"kind": "property", "attribute": "we\"ird", "op": "eq", "value": "x"},
                             {"kind": "property", "attribute": "'); DROP TABLE users; --", "op": "is_set"},
                             {"kind": "property", "attribute": "城市", "op": "eq", "value": "上海"},
                             {"kind": "property", "attribute": "line\nbreak", "op": "is_set"},
                             {"kind": "behavior", "event": "x'); DROP TABLE events; --",
                              "where": [{"property": "页面", "op": "eq", "value": "首页"}]})");
    INFO(join_errors(r.errors));
    REQUIRE(r.ok());
    CHECK(contains(r.sql, "COALESCE(\"u\".\"we\"\"ird\" = 'x', FALSE)"));
    CHECK(contains(r.sql, "COALESCE(\"u\".\"'); DROP TABLE users; --\" IS NOT NULL, FALSE)"));
    CHECK(contains(r.sql, "COALESCE(\"u\".\"城市\" = '上海', FALSE)"));
    CHECK(contains(r.sql, "COALESCE(\"u\".\"line\nbreak\" IS NOT NULL, FALSE)"));
    CHECK(contains(r.sql, "AND \"e\".\"event\" = 'x''); DROP TABLE events; --'\n"));
    CHECK(contains(r.sql, "AND \"e\".\"页面\" = '首页'\n"));

    CHECK(join_errors(
              hostile(R"({"kind": "property", "attribute": "plan", "op": "eq", "value": "free"})").errors) ==
          "root.rules[0].attribute: attribute \"plan\" cannot be named in SQL: attribute \"Plan\" differs "
          "from it only "
          "in case, and DuckDB names ignore case");
    CHECK(
        join_errors(hostile(R"({"kind": "property", "attribute": "USER_ID", "op": "is_set"})").errors) ==
        "root.rules[0].attribute: attribute \"USER_ID\" cannot be named in SQL: the users table has its own "
        "\"user_id\" column, and DuckDB names ignore case");
    CHECK(join_errors(hostile(R"({"kind": "behavior", "event": "x'); DROP TABLE events; --",
                                  "where": [{"property": "Time", "op": "is_set"}]})")
                          .errors) ==
          "root.rules[0].where[0].property: event property \"Time\" cannot be named in SQL: the events table "
          "has its "
          "own \"time\" column, and DuckDB names ignore case");
}

TEST_CASE("sql_text: identifiers, doubles and times") {
    CHECK(sql_ident("a\"b") == "\"a\"\"b\"");
    CHECK(sql_ident("") == "\"\"");
    CHECK(!sql_text_ok(std::string("a\0b", 3)));
    CHECK(!sql_text_ok("\xC3"));
    CHECK(sql_text_ok("名字 \"'"));
    CHECK(sql_double(3) == "3");
    CHECK(sql_double(-0.0) == "0");
    CHECK(sql_double(-2.5) == "-2.5");
    CHECK(sql_double(0.1) == "0.1");
    CHECK(sql_double(1e21) == "1e+21");
    CHECK(sql_double(1.5e-7) == "1.5e-7");
    CHECK(sql_double(9007199254740993.0 * 2) == "CAST('18014398509481984' AS DOUBLE)");
    CHECK(sql_double(123456789.123456789) == "CAST('123456789.12345679' AS DOUBLE)");
    CHECK(sql_timestamp(0) == "TIMESTAMP '1970-01-01 00:00:00'");
    CHECK(sql_timestamp(days_from_civil(0, 1, 1) * D) == "TIMESTAMP '0000-01-01 00:00:00'");
    CHECK(sql_timestamp(days_from_civil(0, 1, 1) * D - 1) ==
          "make_timestamp(" + std::to_string(days_from_civil(0, 1, 1) * D - 1) + ")");
    CHECK(sql_timestamp(days_from_civil(9999, 12, 31) * D + D - 1) ==
          "TIMESTAMP '9999-12-31 23:59:59.999999'");
    CHECK(sql_timestamp(days_from_civil(10000, 1, 1) * D).rfind("make_timestamp(", 0) == 0);
    CHECK(sql_date_or_timestamp(days_from_civil(2026, 1, 31) * D) == "DATE '2026-01-31'");
    CHECK(sql_date_or_timestamp(days_from_civil(2026, 1, 31) * D + 1) ==
          "TIMESTAMP '2026-01-31 00:00:00.000001'");
}

} // namespace core_sql_audience_sql_test
