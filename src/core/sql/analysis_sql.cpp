#include "core/sql/analysis_sql.h"

#include "core/audience/json.h"
#include "core/lang/text.h"
#include "core/sql/audience_sql.h"
#include "core/sql/sql_text.h"
#include "core/time/civil.h"

namespace segx {

namespace {

using json = nlohmann::json;

// "root..." of an audience compiled from {"segx": 1, "root": group} as "audience...".
void add_below(std::vector<DefinitionError> from, const std::string& path, std::vector<DefinitionError>& to) {
    for (DefinitionError& e : from) {
        e.path = e.path.rfind("root", 0) == 0 ? path + e.path.substr(4) : e.path == "$" ? path : e.path;
        to.push_back(std::move(e));
    }
}

const char* trunc_unit(PeriodUnit unit) {
    return unit == PeriodUnit::Day ? "day" : unit == PeriodUnit::Week ? "week" : "month";
}

} // namespace

std::string sql_iso_time(int64_t us) {
    std::string t = format_timestamp_us(us);
    size_t space = t.find(' ', 1);
    if (space != std::string::npos) t[space] = 'T';
    return t + "Z";
}

std::string indent_lines(const std::string& text, int n) {
    std::string out = std::string(size_t(n), ' ');
    for (char c : text) {
        out += c;
        if (c == '\n') out += std::string(size_t(n), ' ');
    }
    return out;
}

std::string audience_filter_sql(const json& filter, const EvalContext& ctx,
                                std::vector<DefinitionError>& errors) {
    if (filter.is_object() && filter.contains("audience")) {
        const std::string id = filter["audience"].is_string() ? filter["audience"].get<std::string>() : "";
        const Audience* saved = ctx.saved ? ctx.saved(id) : nullptr;
        if (saved == nullptr) {
            errors.push_back({"audience.audience", "unknown saved audience " + quote(id)});
            return "";
        }
        SqlResult r = audience_to_sql(*saved, ctx);
        for (const DefinitionError& e : r.errors)
            errors.push_back({"audience.audience", "saved audience " + quote(id) + ": " + e.to_string()});
        return r.sql;
    }
    ValidationResult v = validate_audience(json{{"segx", 1}, {"root", filter}});
    if (!v.ok()) {
        add_below(std::move(v.errors), "audience", errors);
        return "";
    }
    v.audience.name = "audience filter";
    SqlResult r = audience_to_sql(v.audience, ctx);
    add_below(std::move(r.errors), "audience", errors);
    return r.sql;
}

std::string period_start_sql(PeriodUnit unit, const std::string& ts) {
    return "CAST(date_trunc('" + std::string(trunc_unit(unit)) + "', " + ts + ") AS DATE)";
}

std::string period_shift_sql(PeriodUnit unit, const std::string& day, const std::string& n) {
    // DATE + INTEGER is a DATE (DATE + BIGINT is not defined): literals are written as they are.
    const bool literal = !n.empty() && n.find_first_not_of("-0123456789") == std::string::npos;
    switch (unit) {
        case PeriodUnit::Day:
            return "(" + day + " + " + (literal ? n : "CAST(" + n + " AS INTEGER)") + ")";
        case PeriodUnit::Week:
            if (literal) return "(" + day + " + " + std::to_string(7 * std::stoll(n)) + ")";
            return "(" + day + " + CAST(7 * " + n + " AS INTEGER))";
        case PeriodUnit::Month:
            return "CAST(" + day + " + to_months(CAST(" + n + " AS INTEGER)) AS DATE)";
    }
    return day;
}

std::string period_diff_sql(PeriodUnit unit, const std::string& from, const std::string& to) {
    switch (unit) {
        case PeriodUnit::Day:
            return "(" + to + " - " + from + ")";
        case PeriodUnit::Week:
            return "((" + to + " - " + from + ") // 7)";
        case PeriodUnit::Month:
            return "date_diff('month', " + from + ", " + to + ")";
    }
    return "0";
}

std::string period_series_sql(PeriodUnit unit, int64_t first, int64_t last) {
    const char* step = unit == PeriodUnit::Day ? "DAY" : unit == PeriodUnit::Week ? "WEEK" : "MONTH";
    return "(SELECT CAST(\"range\" AS DATE) AS \"p\" FROM range(" +
           sql_timestamp(period_start_us(first, unit)) + ", " +
           sql_timestamp(period_start_us(last + 1, unit)) + ", INTERVAL 1 " + step + "))";
}

std::string period_complete_sql(PeriodUnit unit, const std::string& day, int64_t as_of_us) {
    return "CAST(" + period_shift_sql(unit, day, "1") +
           " AS TIMESTAMP) - INTERVAL 1 MICROSECOND <= " + sql_timestamp(as_of_us);
}

std::string period_date_sql(PeriodUnit unit, int64_t index) {
    return sql_date_or_timestamp(period_start_us(index, unit));
}

} // namespace segx
