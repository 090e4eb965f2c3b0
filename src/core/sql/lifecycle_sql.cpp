// Lifecycle and the board as CTEs over the events table. The checks follow the engines'
// compile (lifecycle/engine.cpp, board.cpp), in their order, with the same messages.

#include "core/sql/lifecycle_sql.h"

#include "core/lang/names.h"
#include "core/lang/text.h"
#include "core/lifecycle/board.h"
#include "core/sql/analysis_sql.h"
#include "core/sql/sql_text.h"
#include "core/time/civil.h"

namespace segx {

namespace {

// `path` followed by the dotted relative path `rel` ("window.from"), one key at a time.
std::string below(std::string path, const std::string& rel) {
    for (size_t i = 0; i < rel.size();) {
        size_t j = rel.find('.', i);
        if (j == std::string::npos) j = rel.size();
        path = child_path(path, rel.substr(i, j - i).c_str());
        i = j + 1;
    }
    return path;
}

// The activity event's condition on "events" ("" for any event); an unknown name is an error
// at `path`.
std::string activity_sql(const Model& m, const std::string& event, const std::string& column,
                         const std::string& path, std::vector<DefinitionError>& errors) {
    if (event.empty()) return "";
    if (!m.event_names.find(event)) {
        errors.push_back({path, unknown_event(event, m.event_names)});
        return "";
    }
    return " AND " + column + " = " + sql_string(event);
}

std::string activity_comment(const std::string& event) {
    return event.empty() ? "any event" : "a " + sql_comment_text(event) + " event";
}

int64_t minus_saturated(int64_t a, int64_t b) { // b >= 0
    return a < INT64_MIN + b ? INT64_MIN : a - b;
}

// A `lifecycle` rule of the board's form: the users of one board group (board.h), from their
// first activity by the period's end and their activity in the D days before its start.
std::string board_group_sql(const LifecycleRule& rule, const EvalContext& ctx, int indent,
                            const std::string& path, std::vector<DefinitionError>& errors) {
    Board board;
    board.period = rule.window;
    board.dormant_days = rule.dormant_days;
    std::vector<DefinitionError> inner;
    int64_t s = 0, e = 0;
    board_span(board, ctx.as_of_us, inner, &s, &e);
    for (DefinitionError& x : inner) {
        if (x.path.rfind("period", 0) == 0) x.path = "window" + x.path.substr(6);
        errors.push_back({below(path, x.path), x.message});
    }
    const size_t before_errors = errors.size();
    const std::string activity =
        activity_sql(ctx.model, rule.event, "\"e\".\"event\"", child_path(path, "event"), errors);
    if (!inner.empty() || errors.size() != before_errors) return "";
    const std::string S = sql_timestamp(s);
    const std::string recent = "coalesce(bool_or(\"e\".\"time\" > " +
                               sql_timestamp(minus_saturated(s, rule.dormant_days * kMicrosPerDay)) +
                               " AND \"e\".\"time\" <= " + S + "), FALSE)";
    std::string having;
    switch (*rule.group) {
        case LifecycleGroup::New:
            having = "min(\"e\".\"time\") > " + S;
            break;
        case LifecycleGroup::Returning:
            having = "min(\"e\".\"time\") <= " + S + " AND " + recent;
            break;
        case LifecycleGroup::Dormant:
            having = "min(\"e\".\"time\") <= " + S + " AND NOT " + recent;
            break;
    }
    return "COALESCE(\"u\".\"user_id\" IN (\n" + sql_pad(indent + 2) + "-- lifecycle: the board's " +
           lifecycle_group_name(*rule.group) + " group for (" + format_timestamp_us(s) + ", " +
           format_timestamp_us(e) + "], dormant after " + std::to_string(rule.dormant_days) +
           " days, activity " + activity_comment(rule.event) + "\n" + sql_pad(indent + 2) +
           "SELECT \"e\".\"user_id\" FROM \"events\" AS \"e\"\n" + sql_pad(indent + 2) +
           "WHERE \"e\".\"time\" <= " + sql_timestamp(e) + activity + "\n" + sql_pad(indent + 2) +
           "GROUP BY \"e\".\"user_id\"\n" + sql_pad(indent + 2) + "HAVING " + having + "\n" +
           sql_pad(indent) + "), FALSE)";
}

} // namespace

SqlResult lifecycle_to_sql(const Lifecycle& l, const EvalContext& ctx) {
    SqlResult out;
    if (l.periods < 1 || l.periods > kMaxLifecyclePeriods)
        out.errors.push_back(
            {"periods", "expected a whole number from 1 to " + std::to_string(kMaxLifecyclePeriods)});
    const std::string activity = activity_sql(ctx.model, l.event, "\"event\"", "event", out.errors);
    std::string audience;
    if (!l.audience.is_null()) audience = audience_filter_sql(l.audience, ctx, out.errors);
    if (!out.ok()) return out;

    const PeriodUnit unit = l.period;
    const char* name = period_unit_name(unit);
    const int64_t last = period_index(ctx.as_of_us, unit), first = last - l.periods + 1;
    std::string sql = "-- segx lifecycle " + sql_comment_text(l.name) + " (" + name + ", activity " +
                      activity_comment(l.event) + ", " + std::to_string(l.periods) + " periods) as of " +
                      sql_iso_time(ctx.as_of_us) + "\nWITH ";
    if (!audience.empty()) sql += "\"audience\" AS (\n" + indent_lines(audience, 2) + "\n),\n";
    sql += "\"active\" AS (\n  -- each user's active " + std::string(name) +
           "s: " + activity_comment(l.event) + " in the " + name +
           ", at or before as-of\n  SELECT DISTINCT \"user_id\", " + period_start_sql(unit, "\"time\"") +
           " AS \"p\"\n  FROM \"events\"\n  WHERE \"time\" <= " + sql_timestamp(ctx.as_of_us) + activity +
           (audience.empty() ? "" : "\n    AND \"user_id\" IN (SELECT \"user_id\" FROM \"audience\")") +
           "\n),\n";
    sql +=
        "\"first\" AS (\n  SELECT \"user_id\", min(\"p\") AS \"first\" FROM \"active\" GROUP BY "
        "\"user_id\"\n),\n";
    sql += "\"stages\" AS (\n  -- active: new in their first active " + std::string(name) +
           ", returning when active in the one before too, else resurrecting\n"
           "  SELECT \"a\".\"p\",\n"
           "    CASE WHEN \"a\".\"p\" = \"f\".\"first\" THEN 'new'\n"
           "         WHEN \"b\".\"p\" IS NOT NULL THEN 'returning'\n"
           "         ELSE 'resurrecting' END AS \"stage\"\n"
           "  FROM \"active\" AS \"a\"\n"
           "  JOIN \"first\" AS \"f\" ON \"f\".\"user_id\" = \"a\".\"user_id\"\n"
           "  LEFT JOIN \"active\" AS \"b\" ON \"b\".\"user_id\" = \"a\".\"user_id\" AND \"b\".\"p\" = " +
           period_shift_sql(unit, "\"a\".\"p\"", "-1") +
           "\n  WHERE \"a\".\"p\" >= " + period_date_sql(unit, first) +
           "\n  UNION ALL\n  -- dormant: active in the " + name + " before, not in this one\n  SELECT " +
           period_shift_sql(unit, "\"a\".\"p\"", "1") +
           ", 'dormant'\n  FROM \"active\" AS \"a\"\n"
           "  LEFT JOIN \"active\" AS \"n\" ON \"n\".\"user_id\" = \"a\".\"user_id\" AND \"n\".\"p\" = " +
           period_shift_sql(unit, "\"a\".\"p\"", "1") +
           "\n  WHERE \"n\".\"user_id\" IS NULL AND \"a\".\"p\" >= " + period_date_sql(unit, first - 1) +
           " AND \"a\".\"p\" < " + period_date_sql(unit, last) + "\n)\n";
    sql += "SELECT \"r\".\"p\" AS \"period\",\n  " + period_complete_sql(unit, "\"r\".\"p\"", ctx.as_of_us) +
           " AS \"complete\",\n"
           "  count(*) FILTER (WHERE \"s\".\"stage\" = 'new') AS \"new\",\n"
           "  count(*) FILTER (WHERE \"s\".\"stage\" = 'returning') AS \"returning\",\n"
           "  count(*) FILTER (WHERE \"s\".\"stage\" = 'resurrecting') AS \"resurrecting\",\n"
           "  count(*) FILTER (WHERE \"s\".\"stage\" = 'dormant') AS \"dormant\"\nFROM " +
           period_series_sql(unit, first, last) +
           " AS \"r\"\nLEFT JOIN \"stages\" AS \"s\" ON \"s\".\"p\" = \"r\".\"p\"\nGROUP BY "
           "\"r\".\"p\"\nORDER BY "
           "\"r\".\"p\"";
    out.sql = std::move(sql);
    return out;
}

SqlResult board_to_sql(const Board& b, const EvalContext& ctx) {
    SqlResult out;
    int64_t s = 0, e = 0;
    board_span(b, ctx.as_of_us, out.errors, &s, &e);
    const std::string activity = activity_sql(ctx.model, b.event, "\"event\"", "event", out.errors);
    std::string audience;
    if (!b.audience.is_null()) audience = audience_filter_sql(b.audience, ctx, out.errors);
    if (!out.ok()) return out;

    const int64_t s2 = minus_saturated(s, e - s), D = b.dormant_days * kMicrosPerDay;
    const std::string S = sql_timestamp(s), E = sql_timestamp(e), S2 = sql_timestamp(s2);
    std::string sql = "-- segx board " + sql_comment_text(b.name) + " ((" + format_timestamp_us(s) + ", " +
                      format_timestamp_us(e) + "], dormant after " + std::to_string(b.dormant_days) +
                      " days, activity " + activity_comment(b.event) + ") as of " +
                      sql_iso_time(ctx.as_of_us) + "\n-- previous window (" + format_timestamp_us(s2) + ", " +
                      format_timestamp_us(s) + "]\nWITH ";
    if (!audience.empty()) sql += "\"audience\" AS (\n" + indent_lines(audience, 2) + "\n),\n";
    sql +=
        "\"activity\" AS (\n  -- users active at or before the window's end: their first activity, and\n"
        "  -- whether they were active in each window and in the D days before its start\n"
        "  SELECT \"user_id\", min(\"time\") AS \"first\",\n"
        "    coalesce(bool_or(\"time\" > " +
        S +
        "), FALSE) AS \"active_now\",\n"
        "    coalesce(bool_or(\"time\" > " +
        S2 + " AND \"time\" <= " + S +
        "), FALSE) AS \"active_before\",\n"
        "    coalesce(bool_or(\"time\" > " +
        sql_timestamp(minus_saturated(s, D)) + " AND \"time\" <= " + S +
        "), FALSE) AS \"recent_now\",\n"
        "    coalesce(bool_or(\"time\" > " +
        sql_timestamp(minus_saturated(s2, D)) + " AND \"time\" <= " + S2 +
        "), FALSE) AS \"recent_before\"\n"
        "  FROM \"events\"\n  WHERE \"time\" <= " +
        E + activity +
        (audience.empty() ? "" : "\n    AND \"user_id\" IN (SELECT \"user_id\" FROM \"audience\")") +
        "\n  GROUP BY \"user_id\"\n),\n";
    sql +=
        "\"members\" AS (\n  -- each user's group: new (first active in the window), else returning\n"
        "  -- (active in the D days before it) or dormant\n"
        "  SELECT \"user_id\", 'current' AS \"window\", \"active_now\" AS \"active\",\n"
        "    CASE WHEN \"first\" > " +
        S +
        " THEN 'new' WHEN \"recent_now\" THEN 'returning' ELSE 'dormant' END AS \"group\"\n"
        "  FROM \"activity\"\n  UNION ALL\n"
        "  SELECT \"user_id\", 'previous', \"active_before\",\n"
        "    CASE WHEN \"first\" > " +
        S2 +
        " THEN 'new' WHEN \"recent_before\" THEN 'returning' ELSE 'dormant' END\n"
        "  FROM \"activity\"\n  WHERE \"first\" <= " +
        S + "\n),\n";
    sql +=
        "\"purchases\" AS (\n  -- per user and window: distinct order ids plus one per purchase without one, "
        "and revenue\n"
        "  SELECT \"user_id\", CASE WHEN \"time\" > " +
        S +
        " THEN 'current' ELSE 'previous' END AS \"window\",\n"
        "    count(DISTINCT \"order_id\") + count(*) FILTER (WHERE \"order_id\" IS NULL) AS \"orders\",\n"
        "    coalesce(sum(\"revenue\"), 0) AS \"revenue\"\n"
        "  FROM \"events\"\n  WHERE \"event\" = " +
        sql_string(ctx.model.purchase_event) + " AND \"time\" > " + S2 + " AND \"time\" <= " + E +
        "\n  GROUP BY ALL\n)\n";
    sql +=
        "SELECT \"w\".\"window\", \"g\".\"group\",\n"
        "  CASE \"w\".\"window\" WHEN 'current' THEN " +
        S + " ELSE " + S2 +
        " END AS \"from\",\n"
        "  CASE \"w\".\"window\" WHEN 'current' THEN " +
        E + " ELSE " + S +
        " END AS \"to\",\n"
        "  count(\"m\".\"user_id\") AS \"pool\",\n"
        "  count(\"m\".\"user_id\") FILTER (WHERE \"m\".\"active\") AS \"active\",\n"
        "  count(\"p\".\"user_id\") AS \"buyers\",\n"
        "  CAST(coalesce(sum(\"p\".\"orders\"), 0) AS BIGINT) AS \"orders\",\n"
        "  coalesce(sum(\"p\".\"revenue\"), 0) AS \"revenue\"\n"
        "FROM (VALUES ('current', 1), ('previous', 2)) AS \"w\"(\"window\", \"wi\")\n"
        "CROSS JOIN (VALUES ('new', 1), ('returning', 2), ('dormant', 3)) AS \"g\"(\"group\", \"gi\")\n"
        "LEFT JOIN \"members\" AS \"m\" ON \"m\".\"window\" = \"w\".\"window\" AND \"m\".\"group\" = "
        "\"g\".\"group\"\n"
        "LEFT JOIN \"purchases\" AS \"p\" ON \"p\".\"user_id\" = \"m\".\"user_id\" AND \"p\".\"window\" = "
        "\"m\".\"window\"\n"
        "GROUP BY \"w\".\"window\", \"w\".\"wi\", \"g\".\"group\", \"g\".\"gi\"\n"
        "ORDER BY \"w\".\"wi\", \"g\".\"gi\"";
    out.sql = std::move(sql);
    return out;
}

std::string lifecycle_rule_sql(const LifecycleRule& rule, const EvalContext& ctx, int indent,
                               const std::string& path, std::vector<DefinitionError>& errors) {
    if (rule.group) return board_group_sql(rule, ctx, indent, path, errors);
    const size_t before_errors = errors.size();
    const std::string activity =
        activity_sql(ctx.model, rule.event, "\"e\".\"event\"", child_path(path, "event"), errors);
    if (errors.size() != before_errors) return "";
    const PeriodUnit unit = rule.period;
    const int64_t P = period_index(ctx.as_of_us, unit);
    const std::string now = sql_timestamp(period_start_us(P, unit));
    const std::string before = sql_timestamp(period_start_us(P - 1, unit));
    const std::string as_of = sql_timestamp(ctx.as_of_us);
    std::string having;
    std::string from = "";
    switch (rule.stage) {
        case LifecycleStage::New: // first active in P
            having = "min(\"e\".\"time\") >= " + now;
            break;
        case LifecycleStage::Returning: // active in P and in P - 1
            from = " AND \"e\".\"time\" >= " + before;
            having = "bool_or(\"e\".\"time\" >= " + now + ") AND bool_or(\"e\".\"time\" < " + now + ")";
            break;
        case LifecycleStage::Resurrecting: // active in P, not in P - 1, active before P - 1
            having = "bool_or(\"e\".\"time\" >= " + now + ") AND min(\"e\".\"time\") < " + before + "\n" +
                     sql_pad(indent + 4) + "AND NOT coalesce(bool_or(\"e\".\"time\" >= " + before +
                     " AND \"e\".\"time\" < " + now + "), FALSE)";
            break;
        case LifecycleStage::Dormant: // active in P - 1, not in P
            from = " AND \"e\".\"time\" >= " + before;
            having = "NOT bool_or(\"e\".\"time\" >= " + now + ")";
            break;
    }
    return "COALESCE(\"u\".\"user_id\" IN (\n" + sql_pad(indent + 2) +
           "-- lifecycle: " + lifecycle_stage_name(rule.stage) + " in the " + period_unit_name(unit) +
           " holding as-of, activity " + activity_comment(rule.event) + "\n" + sql_pad(indent + 2) +
           "SELECT \"e\".\"user_id\" FROM \"events\" AS \"e\"\n" + sql_pad(indent + 2) +
           "WHERE \"e\".\"time\" <= " + as_of + from + activity + "\n" + sql_pad(indent + 2) +
           "GROUP BY \"e\".\"user_id\"\n" + sql_pad(indent + 2) + "HAVING " + having + "\n" +
           sql_pad(indent) + "), FALSE)";
}

} // namespace segx
