// rfm_to_sql (src/core/sql/rfm_sql.h): the statement's parts for each method and monetary
// setting, cut points spelt exactly, segments as one CASE, quoting of hostile names, and the
// settings' own errors. tests/web/node/rfm_sql.test.mjs runs the SQL in DuckDB against the core
// for every demo customer.

#include "core/sql/rfm_sql.h"
#include "../audience/audience_fixture.h"

#include <doctest/doctest.h>

namespace core_sql_rfm_sql_test {

using namespace segx;
using namespace segx::test;

namespace {

SqlResult compile(const Rfm& rfm) {
    EvalContext ctx{fixture_model(), A, 0, nullptr};
    return rfm_to_sql(rfm, ctx);
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

} // namespace

TEST_CASE("the default settings: purchases up to as-of, NTILE with the id as tie-break, the grid") {
    Rfm rfm;
    rfm.name = "RFM";
    SqlResult r = compile(rfm);
    REQUIRE(r.ok());
    const std::string& sql = r.sql;
    CHECK(
        sql.rfind("-- segx RFM \"RFM\" (quantile, total) as of 2024-03-31T00:00:00Z\nWITH \"purchases\" AS (",
                  0) == 0);
    CHECK(contains(sql,
                   "WHERE \"event\" = 'purchase' AND \"time\" <= TIMESTAMP '2024-03-31 00:00:00' AND "
                   "\"user_id\" IS NOT NULL"));
    CHECK(contains(
        sql,
        "(epoch_us(TIMESTAMP '2024-03-31 00:00:00') - epoch_us(max(\"time\"))) // 86400000000 AS \"days\""));
    CHECK(contains(
        sql, "count(DISTINCT \"order_id\") + count(*) FILTER (WHERE \"order_id\" IS NULL) AS \"orders\""));
    CHECK(contains(sql, "COALESCE(sum(\"revenue\"), 0) AS \"revenue\""));
    CHECK(contains(sql, "SELECT *, \"revenue\" AS \"monetary\""));
    CHECK(contains(sql, "NTILE(5) OVER (ORDER BY -\"days\", \"user_id\") AS \"r\""));
    CHECK(contains(sql, "NTILE(5) OVER (ORDER BY \"orders\", \"user_id\") AS \"f\""));
    CHECK(contains(sql, "NTILE(5) OVER (ORDER BY \"monetary\" + 0.0, \"user_id\") AS \"m\""));
    CHECK(contains(sql, "WHEN \"r\" BETWEEN 5 AND 5 AND \"f\" BETWEEN 4 AND 5 THEN 'Champions'"));
    CHECK(contains(sql, "WHEN \"r\" BETWEEN 1 AND 2 AND \"f\" BETWEEN 5 AND 5 THEN 'Can''t Lose Them'"));
    const std::string end = "\n  END AS \"segment\"\nFROM \"scores\"\nORDER BY \"user_id\"";
    CHECK(sql.substr(sql.size() - end.size()) == end);
}

TEST_CASE("thresholds: the bin counts cut points strictly below; mean: exact integer comparisons") {
    Rfm t;
    t.method = RfmMethod::Thresholds;
    t.monetary = RfmMonetary::MeanOrder;
    t.thresholds.m = {0.1 + 0.2, 18.99, 40.99, 80};
    SqlResult r = compile(t);
    REQUIRE(r.ok());
    CHECK(contains(r.sql, "\"revenue\" / \"orders\" AS \"monetary\""));
    CHECK(contains(r.sql,
                   "5 - ((\"days\" > 7)::INTEGER + (\"days\" > 30)::INTEGER + (\"days\" > 90)::INTEGER + "
                   "(\"days\" > 180)::INTEGER) AS \"r\""));
    CHECK(contains(r.sql, "1 + (\"orders\" > 1)::INTEGER + (\"orders\" > 2)::INTEGER"));
    INFO(r.sql);
    CHECK(contains(r.sql,
                   "1 + (\"monetary\" > CAST('0.30000000000000004' AS DOUBLE))::INTEGER + "
                   "(\"monetary\" > 18.99)::INTEGER + (\"monetary\" > 40.99)::INTEGER + "
                   "(\"monetary\" > 80)::INTEGER AS \"m\""));
    Rfm mean;
    mean.method = RfmMethod::Mean;
    mean.segments = default_rfm_segments(RfmMethod::Mean);
    r = compile(mean);
    REQUIRE(r.ok());
    CHECK(contains(
        r.sql, "CASE WHEN \"days\" * count(*) OVER () <= sum(\"days\") OVER () THEN 2 ELSE 1 END AS \"r\""));
    CHECK(contains(r.sql,
                   "CASE WHEN \"orders\" * count(*) OVER () >= sum(\"orders\") OVER () THEN 2 ELSE 1 END"));
    CHECK(contains(
        r.sql, "CASE WHEN \"monetary\" >= sum(\"monetary\") OVER () / count(*) OVER () THEN 2 ELSE 1 END"));
    CHECK(contains(r.sql,
                   "WHEN \"r\" BETWEEN 2 AND 2 AND \"f\" BETWEEN 2 AND 2 AND \"m\" BETWEEN 2 AND 2 THEN "
                   "'重要价值客户'"));
}

TEST_CASE("hostile names are quoted; invalid settings give the settings' errors") {
    Rfm rfm;
    rfm.name = "x\n; DROP TABLE events; --";
    rfm.segments = {RfmSegment{"a'); DROP TABLE events; --", {1, 5}, {1, 5}, std::nullopt, ""}};
    SqlResult r = compile(rfm);
    REQUIRE(r.ok());
    INFO(r.sql.substr(0, 80));
    CHECK(contains(r.sql, "-- segx RFM \"x\\u000A; DROP TABLE events; --\" (quantile, total)"));
    CHECK(contains(r.sql, "THEN 'a''); DROP TABLE events; --'"));
    rfm.segments[0].f = {1, 4};
    rfm.thresholds.r = {7, 7, 90, 180};
    r = compile(rfm);
    CHECK(!r.ok());
    CHECK(r.sql.empty());
    CHECK(join_errors(r.errors).find("segments: no segment covers (R, F) (1, 5)") != std::string::npos);
    CHECK(join_errors(r.errors).find("thresholds.r") != std::string::npos);
    rfm.segments[0] = RfmSegment{std::string("bad\xff", 4), {1, 5}, {1, 5}, std::nullopt, ""};
    rfm.thresholds = RfmThresholds{};
    r = compile(rfm);
    CHECK(join_errors(r.errors) ==
          "segments[0].name: a segment name in SQL must be valid UTF-8 without NUL bytes");
}

} // namespace core_sql_rfm_sql_test
