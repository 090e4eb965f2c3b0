// RFM as three CTEs over the events table (rfm_sql.h): the purchases' per-customer metrics,
// M by the monetary setting, then the scores, and the segment as one CASE.

#include "core/sql/rfm_sql.h"

#include "core/lang/names.h"
#include "core/sql/sql_text.h"
#include "core/time/civil.h"

#include <array>

namespace segx {

namespace {

std::string iso_time(int64_t us) {
    std::string t = format_timestamp_us(us);
    size_t space = t.find(' ', 1);
    if (space != std::string::npos) t[space] = 'T';
    return t + "Z";
}

// The score of one metric: `column` is "days", "orders" or "monetary".
std::string score_sql(const Rfm& rfm, const char* column, const std::array<double, 4>& cuts,
                      bool fewer_better) {
    const std::string c = sql_ident(column);
    switch (rfm.method) {
        case RfmMethod::Quantile:
            // NTILE gives the highest key the highest score: R's key is -days.
            return "NTILE(5) OVER (ORDER BY " +
                   (fewer_better          ? "-" + c
                    : c == "\"monetary\"" ? c + " + 0.0"
                                          : c) +
                   ", \"user_id\")";
        case RfmMethod::Thresholds: {
            // The bin is the number of cut points strictly below the value.
            std::string bin;
            for (double t : cuts)
                bin += (bin.empty() ? "" : " + ") + ("(" + c + " > " + sql_double(t) + ")::INTEGER");
            return fewer_better ? "5 - (" + bin + ")" : "1 + " + bin;
        }
        case RfmMethod::Mean:
            if (fewer_better) // exactly: days · n <= Σ days
                return "CASE WHEN " + c + " * count(*) OVER () <= sum(" + c + ") OVER () THEN 2 ELSE 1 END";
            if (c == "\"orders\"")
                return "CASE WHEN " + c + " * count(*) OVER () >= sum(" + c + ") OVER () THEN 2 ELSE 1 END";
            return "CASE WHEN " + c + " >= sum(" + c + ") OVER () / count(*) OVER () THEN 2 ELSE 1 END";
    }
    return "";
}

std::string range_sql(const char* score, const RfmScoreRange& range) {
    return sql_ident(score) + " BETWEEN " + std::to_string(range.lo) + " AND " + std::to_string(range.hi);
}

} // namespace

SqlResult rfm_to_sql(const Rfm& rfm, const EvalContext& ctx) {
    SqlResult result;
    result.errors = check_rfm_segments(rfm.segments, rfm.method);
    for (DefinitionError& e : check_rfm_thresholds(rfm.thresholds)) result.errors.push_back(std::move(e));
    for (size_t i = 0; i < rfm.segments.size(); i++)
        if (!sql_text_ok(rfm.segments[i].name))
            result.errors.push_back({"segments[" + std::to_string(i) + "].name",
                                     "a segment name in SQL must be valid UTF-8 without NUL bytes"});
    if (!sql_text_ok(ctx.model.purchase_event))
        result.errors.push_back({"", "the purchase event's name is not valid UTF-8: SQL cannot name it"});
    if (!result.ok()) return result;

    const std::string as_of = sql_timestamp(ctx.as_of_us);
    std::string sql = "-- segx RFM " + sql_comment_text(rfm.name) + " (" + rfm_method_name(rfm.method) +
                      ", " + rfm_monetary_name(rfm.monetary) + ") as of " + iso_time(ctx.as_of_us) + "\n";
    sql +=
        "WITH \"purchases\" AS (\n"
        "  SELECT \"user_id\",\n"
        "    (epoch_us(" +
        as_of +
        ") - epoch_us(max(\"time\"))) // 86400000000 AS \"days\",\n"
        "    count(DISTINCT \"order_id\") + count(*) FILTER (WHERE \"order_id\" IS NULL) AS \"orders\",\n"
        "    COALESCE(sum(\"revenue\"), 0) AS \"revenue\"\n"
        "  FROM \"events\"\n"
        "  WHERE \"event\" = " +
        sql_string(ctx.model.purchase_event) + " AND \"time\" <= " + as_of +
        " AND \"user_id\" IS NOT NULL\n"
        "  GROUP BY \"user_id\"\n"
        "),\n";
    sql += std::string("\"metrics\" AS (\n  SELECT *, ") +
           (rfm.monetary == RfmMonetary::Total ? "\"revenue\"" : "\"revenue\" / \"orders\"") +
           " AS \"monetary\"\n  FROM \"purchases\"\n),\n";
    sql += "\"scores\" AS (\n  SELECT *,\n    " + score_sql(rfm, "days", rfm.thresholds.r, true) +
           " AS \"r\",\n    " + score_sql(rfm, "orders", rfm.thresholds.f, false) + " AS \"f\",\n    " +
           score_sql(rfm, "monetary", rfm.thresholds.m, false) + " AS \"m\"\n  FROM \"metrics\"\n)\n";
    sql +=
        "SELECT \"user_id\", \"days\", \"orders\", \"revenue\", \"monetary\", \"r\", \"f\", \"m\",\n  CASE";
    for (const RfmSegment& s : rfm.segments) {
        sql += "\n    WHEN " + range_sql("r", s.r) + " AND " + range_sql("f", s.f);
        if (s.m) sql += " AND " + range_sql("m", *s.m);
        sql += " THEN " + sql_string(s.name);
    }
    sql += "\n  END AS \"segment\"\nFROM \"scores\"\nORDER BY \"user_id\"";
    result.sql = std::move(sql);
    return result;
}

} // namespace segx
