// Retention as CTEs over the events (and users) tables: the cohort of each user, their return
// periods relative to it, and the triangle's cells counted from those. The checks follow the
// engine's compile (retention/engine.cpp), in its order, with the same messages.

#include "core/sql/retention_sql.h"

#include "core/sql/derived_sql.h"

#include "core/lang/names.h"
#include "core/lang/text.h"
#include "core/sql/analysis_sql.h"
#include "core/sql/rule_sql.h"
#include "core/sql/sql_text.h"
#include "core/time/civil.h"

namespace segx {

namespace {

void check(const Retention& r, const EvalContext& ctx, const Column** attribute,
           std::vector<DefinitionError>& errors) {
    if (r.periods < 1 || r.periods > kMaxRetentionPeriods)
        errors.push_back(
            {"periods", "expected a whole number from 1 to " + std::to_string(kMaxRetentionPeriods)});
    if (r.cohorts && (*r.cohorts < 1 || *r.cohorts > kMaxRetentionCohorts))
        errors.push_back(
            {"cohorts", "expected a whole number from 1 to " + std::to_string(kMaxRetentionCohorts)});
    if (r.start.name.empty())
        errors.push_back({r.start.attribute ? "start.attribute" : "start.event", "must not be empty"});
    if (!r.returns.any && r.returns.event.empty()) errors.push_back({"return.event", "must not be empty"});
    if (!errors.empty()) return;
    const Model& m = ctx.model;
    if (r.start.attribute) {
        *attribute = sql_column(m.attributes, "attribute", "users", r.start.name, {"user_id"},
                                "start.attribute", errors);
        if (*attribute != nullptr && (*attribute)->type != ColumnType::Date &&
            (*attribute)->type != ColumnType::Timestamp) {
            errors.push_back({"start.attribute", "a cohort needs a date or timestamp attribute; " +
                                                     quote(r.start.name) + " is " +
                                                     type_name((*attribute)->type)});
            *attribute = nullptr;
        }
    } else if (!m.event_names.find(r.start.name)) {
        errors.push_back({"start.event", unknown_event(r.start.name, m.event_names)});
    }
    if (!r.returns.any && !m.event_names.find(r.returns.event))
        errors.push_back({"return.event", unknown_event(r.returns.event, m.event_names)});
}

// What both statements open with: the audience filter's CTE (when there is one), each user's
// cohort ("starts": cohorts from `first` on) and their return periods ("returns"), the text after
// WITH. `audience` is the filter's compiled SQL ("" for none).
std::string retention_ctes(const Retention& r, const EvalContext& ctx, const Column* attribute,
                           const std::string& audience, int64_t first) {
    const PeriodUnit unit = r.period;
    const char* name = period_unit_name(unit);
    const std::string as_of = sql_timestamp(ctx.as_of_us);
    const std::string first_start = sql_timestamp(period_start_us(first, unit));
    const std::string in_audience =
        audience.empty() ? "" : "\n    AND \"user_id\" IN (SELECT \"user_id\" FROM \"audience\")";
    const bool exact = r.mode == RetentionMode::Exact;
    std::string sql;
    if (!audience.empty()) sql += "\"audience\" AS (\n" + indent_lines(audience, 2) + "\n),\n";
    if (attribute != nullptr) {
        const std::string t = "CAST(" + sql_ident(attribute->name) + " AS TIMESTAMP)";
        sql += "\"starts\" AS (\n  -- each user's cohort: the " + std::string(name) + " of their " +
               sql_comment_text(r.start.name) + ", when at or before as-of (older cohorts left out)\n" +
               "  SELECT \"user_id\", " + period_start_sql(unit, t) + " AS \"cohort\"\n  FROM " +
               users_from_sql(ctx.model, {r.start.name}) + "\n" + "  WHERE \"user_id\" IS NOT NULL AND " + t +
               " <= " + as_of + " AND " + t + " >= " + first_start + in_audience + "\n)";
    } else {
        sql += "\"starts\" AS (\n  -- each user's cohort: the " + std::string(name) + " of their first " +
               sql_comment_text(r.start.name) + " event at or before as-of (older cohorts left out)\n" +
               "  SELECT \"user_id\", " + period_start_sql(unit, "min(\"time\")") +
               " AS \"cohort\"\n  FROM \"events\"\n  WHERE \"event\" = " + sql_string(r.start.name) +
               " AND \"time\" <= " + as_of + in_audience +
               "\n  GROUP BY \"user_id\"\n  HAVING min(\"time\") >= " + first_start + "\n)";
    }
    const std::string k = period_diff_sql(unit, "\"s\".\"cohort\"", period_start_sql(unit, "\"e\".\"time\""));
    const std::string what =
        r.returns.any ? "any event" : "a " + sql_comment_text(r.returns.event) + " event";
    sql += ",\n\"returns\" AS (\n  -- " +
           std::string(exact ? "the periods after their cohort's (k >= 1) in which they did "
                             : "the last period after their cohort's (k >= 1) in which they did ") +
           what + ", up to as-of\n  SELECT " + (exact ? "DISTINCT " : "") +
           "\"s\".\"user_id\", \"s\".\"cohort\", " + (exact ? k : "max(" + k + ")") +
           " AS \"k\"\n  FROM \"starts\" AS \"s\"\n  JOIN \"events\" AS \"e\" ON \"e\".\"user_id\" = "
           "\"s\".\"user_id\"\n  WHERE \"e\".\"time\" >= CAST(" +
           period_shift_sql(unit, "\"s\".\"cohort\"", "1") + " AS TIMESTAMP) AND \"e\".\"time\" <= " + as_of +
           (r.returns.any ? "" : " AND \"e\".\"event\" = " + sql_string(r.returns.event)) +
           (exact ? "" : "\n  GROUP BY \"s\".\"user_id\", \"s\".\"cohort\"") + "\n)";
    return sql;
}

// The engine's checks, then the audience filter compiled (*audience stays "" without one).
bool checked(const Retention& r, const EvalContext& ctx, const Column** attribute, std::string* audience,
             std::vector<DefinitionError>& errors) {
    check(r, ctx, attribute, errors);
    if (errors.empty() && !r.audience.is_null()) *audience = audience_filter_sql(r.audience, ctx, errors);
    return errors.empty();
}

} // namespace

SqlResult retention_to_sql(const Retention& r, const EvalContext& ctx) {
    SqlResult out;
    const Column* attribute = nullptr;
    std::string audience;
    if (!checked(r, ctx, &attribute, &audience, out.errors)) return out;

    const PeriodUnit unit = r.period;
    const char* name = period_unit_name(unit);
    const int64_t last = period_index(ctx.as_of_us, unit), rows = r.cohort_rows(), first = last - rows + 1;
    const bool exact = r.mode == RetentionMode::Exact;

    std::string sql = "-- segx retention " + sql_comment_text(r.name) + " (" + name + ", " +
                      retention_mode_name(r.mode) + ", " + std::to_string(r.periods) + " periods, " +
                      std::to_string(rows) + " cohorts) as of " + sql_iso_time(ctx.as_of_us) + "\nWITH " +
                      retention_ctes(r, ctx, attribute, audience, first);
    sql += ",\n\"cells\" AS (\n  -- the triangle: " + std::to_string(rows) + " cohorts ending with the " +
           name + " holding as-of, cells k = 0 .. " + std::to_string(r.periods) +
           " of periods begun by as-of\n" + "  SELECT \"c\".\"p\" AS \"cohort\", \"r\".\"k\"\n  FROM " +
           period_series_sql(unit, first, last) + " AS \"c\"\n  CROSS JOIN range(0, " +
           std::to_string(r.periods + 1) + ") AS \"r\"(\"k\")\n  WHERE \"r\".\"k\" <= " +
           period_diff_sql(unit, "\"c\".\"p\"", period_date_sql(unit, last)) + "\n)";
    sql +=
        "\nSELECT \"c\".\"cohort\", \"c\".\"k\" AS \"period\",\n"
        "  CASE WHEN \"c\".\"k\" = 0\n"
        "    THEN (SELECT count(*) FROM \"starts\" AS \"s\" WHERE \"s\".\"cohort\" = \"c\".\"cohort\")\n"
        "    ELSE (SELECT count(*) FROM \"returns\" AS \"r\" WHERE \"r\".\"cohort\" = \"c\".\"cohort\" AND "
        "\"r\".\"k\" " +
        std::string(exact ? "=" : ">=") + " \"c\".\"k\")\n  END AS \"users\",\n  " +
        period_complete_sql(unit, period_shift_sql(unit, "\"c\".\"cohort\"", "\"c\".\"k\""), ctx.as_of_us) +
        " AS \"complete\"\nFROM \"cells\" AS \"c\"\nORDER BY \"c\".\"cohort\", \"c\".\"k\"";
    out.sql = std::move(sql);
    return out;
}

SqlResult retention_cell_sql(const RetentionCell& cell, const EvalContext& ctx) {
    SqlResult out;
    const Retention& r = cell.retention;
    const Column* attribute = nullptr;
    std::string audience;
    if (!checked(r, ctx, &attribute, &audience, out.errors)) return out;
    const PeriodUnit unit = r.period;
    const std::string date = period_date_sql(unit, cell.cohort);
    out.sql = "-- the users of cohort " + format_date_us(period_start_us(cell.cohort, unit)) + ", " +
              (cell.k == 0 ? std::string("the whole cohort")
                           : "period " + std::to_string(cell.k) +
                                 (r.mode == RetentionMode::Exact ? "" : " or later")) +
              ", of retention " + sql_comment_text(r.name) + "\n";
    if (cell.after_as_of) {
        out.sql += "SELECT \"user_id\" FROM \"users\" WHERE FALSE -- the cohort begins after as-of";
        return out;
    }
    out.sql += "WITH " + retention_ctes(r, ctx, attribute, audience, cell.cohort) + "\n";
    if (cell.k == 0)
        out.sql += "SELECT \"user_id\" FROM \"starts\" WHERE \"cohort\" = " + date;
    else
        out.sql += "SELECT DISTINCT \"user_id\" FROM \"returns\" WHERE \"cohort\" = " + date + " AND \"k\" " +
                   (r.mode == RetentionMode::Exact ? "= " : ">= ") + std::to_string(cell.k);
    return out;
}

} // namespace segx
