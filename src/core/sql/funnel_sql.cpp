// A funnel as CTEs over the events table: one numbered, flagged copy of the events ("ev"), one
// CTE per step that extends every attempt by that step's match (a correlated min over "ev"),
// then the attempts' levels and voids, the users' levels, and the counts. The checks and their
// messages follow the engine's compile (engine.cpp), in its order.

#include "core/sql/funnel_sql.h"

#include "core/sql/derived_sql.h"

#include "core/audience/json.h"
#include "core/lang/names.h"
#include "core/lang/text.h"
#include "core/sql/analysis_sql.h"
#include "core/sql/rule_sql.h"
#include "core/sql/sql_text.h"
#include "core/time/civil.h"
#include "core/time/parse.h"

#include <nlohmann/json.hpp>

namespace segx {

namespace {

using json = nlohmann::json;

// The funnels being compiled on this thread, outermost first: an audience filter that leads
// back to a funnel being compiled (through a `funnel` rule) is a cycle, as in run.cpp.
thread_local std::vector<std::string> compiling;

struct Compiling {
    explicit Compiling(const std::string& id) { compiling.push_back(id); }
    ~Compiling() { compiling.pop_back(); }
};

const char* interval_unit(WindowUnit unit) {
    switch (unit) {
        case WindowUnit::Seconds:
            return "SECOND";
        case WindowUnit::Minutes:
            return "MINUTE";
        case WindowUnit::Hours:
            return "HOUR";
        case WindowUnit::Days:
            return "DAY";
    }
    return "DAY";
}

class Compiler {
public:
    // with_breakdown: "levels" also carries each user's breakdown value source ("bd", the
    // counted attempt's step-1 property) for breakdown_sql().
    Compiler(const Funnel& f, const EvalContext& ctx, bool with_breakdown)
        : f_(f), ctx_(ctx), S_(f.steps.size()), bd_(with_breakdown && f.breakdown) {}

    // The CTEs up to "levels" (user_id, level), after "WITH ", or "" with errors.
    std::string levels(std::vector<DefinitionError>& errors) {
        check(errors);
        if (!errors.empty()) return "";
        std::vector<std::string> ctes;
        if (!audience_.empty()) ctes.push_back("\"audience\" AS (\n" + indent_lines(audience_, 2) + "\n)");
        ctes.push_back(events_cte());
        if (f_.order == FunnelOrder::Unordered)
            unordered_ctes(ctes);
        else
            ordered_ctes(ctes);
        std::string out;
        for (const std::string& c : ctes) out += (out.empty() ? "" : ",\n") + c;
        return out;
    }

    std::string header() const {
        const char* unit = window_unit_name(f_.window.unit);
        return "-- segx funnel " + sql_comment_text(f_.name) + " (" + funnel_order_name(f_.order) +
               ", window " + std::to_string(f_.window.amount) + " " + unit + ") as of " +
               sql_iso_time(ctx_.as_of_us) + "\n";
    }

private:
    // The engine's checks, in its order (engine.cpp compile), with SQL's own on names.
    void check(std::vector<DefinitionError>& errors) {
        if (f_.steps.size() < kMinFunnelSteps || f_.steps.size() > kMaxFunnelSteps)
            errors.push_back({"steps", "a funnel has 2 to 32 steps, got " + std::to_string(f_.steps.size())});
        if (f_.window.amount < 1 || f_.window.amount > max_window_amount(f_.window.unit))
            errors.push_back({"window", "expected 1 to " + std::to_string(max_window_amount(f_.window.unit)) +
                                            " " + window_unit_name(f_.window.unit)});
        if (f_.order == FunnelOrder::Unordered && !f_.exclusions.empty())
            errors.push_back({"exclusions", "exclusions apply to ordered and strict funnels only"});
        for (size_t i = 0; i < f_.exclusions.size(); i++) {
            const FunnelExclusion& x = f_.exclusions[i];
            if (!(1 <= x.from && x.from < x.to && size_t(x.to) <= f_.steps.size()))
                errors.push_back({child_path(child_path("", "exclusions", i), "between"),
                                  "expected [i, j] with 1 <= i < j <= " + std::to_string(f_.steps.size())});
        }
        if (!errors.empty()) return;
        for (size_t i = 0; i < S_; i++)
            steps_.push_back(item(f_.steps[i].event, f_.steps[i].where, child_path("", "steps", i), errors));
        for (size_t i = 0; i < f_.exclusions.size(); i++)
            excl_.push_back(item(f_.exclusions[i].event, f_.exclusions[i].where,
                                 child_path("", "exclusions", i), errors));
        if (f_.entry) {
            int64_t t = 0;
            if (!f_.entry->from.empty()) {
                if (parse_time_text(f_.entry->from, TimeFormat::Iso, 0, &t))
                    entry_ += " AND \"time\" >= " + sql_timestamp(t);
                else
                    errors.push_back({"entry.from", "not an ISO 8601 date or time"});
            }
            if (!f_.entry->to.empty()) {
                if (parse_time_text(f_.entry->to, TimeFormat::Iso, 0, &t))
                    entry_ += " AND \"time\" <= " + sql_timestamp(t);
                else
                    errors.push_back({"entry.to", "not an ISO 8601 date or time"});
            }
        }
        if (f_.breakdown) {
            const bool prop = f_.breakdown->property;
            const Column* c =
                prop ? sql_column(ctx_.model.events.properties, "event property", "events",
                                  f_.breakdown->name, kEventsTableColumns, "breakdown.property", errors)
                     : sql_column(ctx_.model.attributes, "attribute", "users", f_.breakdown->name,
                                  {"user_id"}, "breakdown.attribute", errors);
            if (c != nullptr) breakdown_ident_ = sql_ident(c->name);
        }
        if (!f_.audience.is_null()) {
            for (size_t i = 0; i < compiling.size(); i++) {
                if (compiling[i] != f_.id) continue;
                std::string names;
                for (size_t k = i; k < compiling.size(); k++)
                    names += show_id(compiling[k]) + " \xE2\x86\x92 ";
                errors.push_back({"audience", "funnel cycle: " + names + show_id(f_.id) +
                                                  " (a funnel's audience filter leads back to it)"});
                return;
            }
            Compiling guard(f_.id);
            audience_ = audience_filter_sql(f_.audience, ctx_, errors);
        }
    }

    // An event name and filters as one boolean over "e" (filters first, as the engine).
    std::string item(const std::string& event, const std::vector<EventFilter>& where, const std::string& path,
                     std::vector<DefinitionError>& errors) {
        std::string sql = "\"e\".\"event\" = " + sql_string(event);
        for (size_t i = 0; i < where.size(); i++) {
            const EventFilter& f = where[i];
            const std::string fp = child_path(path, "where", i);
            const Column* column =
                sql_column(ctx_.model.events.properties, "event property", "events", f.property,
                           kEventsTableColumns, child_path(fp, "property"), errors);
            if (column != nullptr)
                sql +=
                    " AND COALESCE(" +
                    comparison_sql(*column, "\"e\"." + sql_ident(column->name),
                                   "event property " + quote(f.property), f.op, f.values, f.ci, fp, errors) +
                    ", FALSE)";
        }
        if (!ctx_.model.event_names.find(event))
            errors.push_back({child_path(path, "event"), unknown_event(event, ctx_.model.event_names)});
        return sql;
    }

    std::string window() const {
        return "INTERVAL " + std::to_string(f_.window.amount) + " " + interval_unit(f_.window.unit);
    }

    // Each user's events at or before as-of: strict needs every event (a step is the very next
    // one), the others only those of a step or an exclusion. Positions follow the stored order.
    std::string events_cte() const {
        std::string sql = "\"ev\" AS (\n  SELECT \"e\".\"user_id\", \"e\".\"time\"";
        if (f_.order != FunnelOrder::Unordered || by_property())
            sql +=
                ",\n    row_number() OVER (PARTITION BY \"e\".\"user_id\" ORDER BY \"e\".\"time\", "
                "\"e\".\"seq\") "
                "AS \"pos\"";
        for (size_t i = 0; i < steps_.size(); i++)
            sql += ",\n    " + steps_[i] + " AS " + sql_ident("s" + std::to_string(i + 1));
        for (size_t i = 0; i < excl_.size(); i++)
            sql += ",\n    " + excl_[i] + " AS " + sql_ident("x" + std::to_string(i + 1));
        if (by_property()) sql += ",\n    \"e\"." + breakdown_ident_ + " AS \"bd\"";
        sql += "\n  FROM \"events\" AS \"e\"\n  WHERE \"e\".\"time\" <= " + sql_timestamp(ctx_.as_of_us);
        if (f_.order != FunnelOrder::Strict) {
            std::string names;
            for (const FunnelStep& s : f_.steps) names += (names.empty() ? "" : ", ") + sql_string(s.event);
            for (const FunnelExclusion& x : f_.exclusions) names += ", " + sql_string(x.event);
            sql += "\n    AND \"e\".\"event\" IN (" + names + ")";
        }
        return sql + "\n)";
    }

    std::string in_audience() const {
        return audience_.empty() ? "" : "\n    AND \"user_id\" IN (SELECT \"user_id\" FROM \"audience\")";
    }

    static std::string p(size_t k) { return sql_ident("p" + std::to_string(k)); }

    void ordered_ctes(std::vector<std::string>& ctes) const {
        const bool strict = f_.order == FunnelOrder::Strict;
        ctes.push_back(
            "\"a1\" AS (\n  -- an attempt per step-1 event in the entry range\n"
            "  SELECT \"user_id\", \"pos\" AS \"p1\", \"time\" + " +
            window() + " AS \"end\"" + (by_property() ? ", \"bd\"" : "") + "\n  FROM \"ev\"\n  WHERE \"s1\"" +
            entry_ + in_audience() + "\n)");
        for (size_t k = 2; k <= S_; k++) {
            const std::string step = sql_ident("s" + std::to_string(k));
            const std::string match = strict ? "SELECT \"ev\".\"pos\" FROM \"ev\"\n     WHERE "
                                               "\"ev\".\"user_id\" = \"a\".\"user_id\" AND "
                                               "\"ev\".\"pos\" = \"a\"." +
                                                   p(k - 1) + " + 1\n       AND \"ev\"." + step +
                                                   " AND \"ev\".\"time\" <= \"a\".\"end\""
                                             : "SELECT min(\"ev\".\"pos\") FROM \"ev\"\n     WHERE "
                                               "\"ev\".\"user_id\" = \"a\".\"user_id\" AND "
                                               "\"ev\".\"pos\" > \"a\"." +
                                                   p(k - 1) + "\n       AND \"ev\"." + step +
                                                   " AND \"ev\".\"time\" <= \"a\".\"end\"";
            ctes.push_back(
                sql_ident("a" + std::to_string(k)) + " AS (\n  -- step " + std::to_string(k) + ": " +
                (strict ? "the very next event" : "the earliest match after step " + std::to_string(k - 1)) +
                ", within the window\n  SELECT \"a\".*, (\n     " + match + "\n  ) AS " + p(k) + "\n  FROM " +
                sql_ident("a" + std::to_string(k - 1)) + " AS \"a\"\n)");
        }
        std::string level = "1";
        for (size_t k = 2; k <= S_; k++) level += " + CAST(" + p(k) + " IS NOT NULL AS INTEGER)";
        std::string voids;
        for (size_t x = 0; x < f_.exclusions.size(); x++) {
            const FunnelExclusion& ex = f_.exclusions[x];
            voids += std::string(voids.empty() ? "" : "\n      OR ") + "(" + p(size_t(ex.to)) +
                     " IS NOT NULL AND EXISTS (SELECT 1 FROM \"ev\" WHERE \"ev\".\"user_id\" = "
                     "\"a\".\"user_id\" AND "
                     "\"ev\"." +
                     sql_ident("x" + std::to_string(x + 1)) + " AND \"ev\".\"pos\" > \"a\"." +
                     p(size_t(ex.from)) + " AND \"ev\".\"pos\" < \"a\"." + p(size_t(ex.to)) + "))";
        }
        ctes.push_back("\"attempts\" AS (\n  SELECT \"user_id\", " + level + " AS \"level\"" +
                       (by_property() ? ", \"p1\", \"bd\"" : "") +
                       (voids.empty() ? "" : ",\n    " + voids + " AS \"void\"") + "\n  FROM " +
                       sql_ident("a" + std::to_string(S_)) + " AS \"a\"\n)");
        ctes.push_back(levels_cte(!voids.empty(), by_property()));
    }

    void unordered_ctes(std::vector<std::string>& ctes) const {
        std::string any, level;
        for (size_t k = 1; k <= S_; k++) {
            const std::string s = sql_ident("s" + std::to_string(k));
            any += (k > 1 ? " OR " : "") + s;
            level += std::string(k > 1 ? "\n       + " : "") + "max(CAST(\"ev\"." + s + " AS INTEGER))";
        }
        ctes.push_back(
            "\"anchors\" AS (\n  -- an attempt per event of any step in the entry range\n"
            "  SELECT \"user_id\", \"time\" AS \"t\", \"time\" + " +
            window() + " AS \"end\"" + (by_property() ? ", \"pos\" AS \"p1\", \"bd\"" : "") +
            "\n  FROM \"ev\"\n  WHERE (" + any + ")" + entry_ + in_audience() + "\n)");
        ctes.push_back(
            "\"attempts\" AS (\n  -- the steps with an event in [t, t + W]\n  SELECT \"a\".\"user_id\", (\n"
            "     SELECT " +
            level +
            "\n     FROM \"ev\"\n     WHERE \"ev\".\"user_id\" = \"a\".\"user_id\" AND \"ev\".\"time\" >= "
            "\"a\".\"t\" "
            "AND \"ev\".\"time\" <= \"a\".\"end\"\n  ) AS \"level\"" +
            std::string(by_property() ? ", \"a\".\"p1\", \"a\".\"bd\"" : "") +
            "\n  FROM \"anchors\" AS \"a\"\n)");
        ctes.push_back(levels_cte(false, by_property()));
    }

    // With a property breakdown, each user's "bd" is the counted attempt's: the earliest-starting
    // ("p1") of the non-void attempts reaching the user's level.
    static std::string levels_cte(bool voids, bool bd) {
        const std::string where = voids ? "  WHERE NOT \"void\"\n" : "";
        if (bd)
            return std::string(
                       "\"levels\" AS (\n  -- per user, the counted attempt: the earliest reaching the "
                       "level\n"
                       "  SELECT \"user_id\", \"level\", \"bd\"\n  FROM (\n"
                       "    SELECT \"user_id\", \"level\", \"bd\",\n"
                       "      row_number() OVER (PARTITION BY \"user_id\" ORDER BY \"level\" DESC, \"p1\") "
                       "AS \"n\"\n"
                       "    FROM \"attempts\"\n") +
                   (voids ? "    WHERE NOT \"void\"\n" : "") + "  )\n  WHERE \"n\" = 1\n)";
        return "\"levels\" AS (\n  SELECT \"user_id\", max(\"level\") AS \"level\"\n  FROM \"attempts\"\n" +
               where + "  GROUP BY \"user_id\"\n)";
    }

    const Funnel& f_;
    const EvalContext& ctx_;
    const size_t S_;
    std::vector<std::string> steps_, excl_; // the boolean of each step and exclusion over "e"
    std::string entry_;                     // " AND time >= ... AND time <= ..."
    std::string audience_;                  // the audience filter's statement, or ""
    std::string breakdown_ident_;           // the breakdown column, quoted
    const bool bd_;

    bool by_property() const { return bd_ && f_.breakdown->property; }

public:
    // After levels(): the breakdown CTEs and the final statement, rows ("row", "value", "step",
    // "event", "users") as the engine's breakdown (README "Breakdown rows"): values ranked by
    // step-1 users then by their text, the first `top`, then "other", then "not_set".
    std::string breakdown_sql(const std::string& steps) const {
        const std::string top = std::to_string(f_.breakdown->top);
        const std::string value = by_property() ? "\"l\".\"bd\"" : "\"u\"." + breakdown_ident_;
        const std::string join = by_property()
                                     ? ""
                                     : "\n  LEFT JOIN " + users_from_sql(ctx_.model, {f_.breakdown->name}) +
                                           " AS \"u\" ON \"u\".\"user_id\" = \"l\".\"user_id\"";
        return ",\n\"bd_users\" AS (\n  -- each entered user's value\n  SELECT \"l\".\"level\", " + value +
               " AS \"v\"\n  FROM \"levels\" AS \"l\"" + join +
               "\n),\n\"bd_values\" AS (\n  -- values ranked by step-1 users, ties by their text\n"
               "  SELECT \"v\", row_number() OVER (ORDER BY count(*) DESC, CAST(\"v\" AS VARCHAR)) AS "
               "\"rank\"\n"
               "  FROM \"bd_users\"\n  WHERE \"v\" IS NOT NULL\n  GROUP BY \"v\"\n),\n"
               "\"bd_rows\" AS (\n  SELECT \"b\".\"level\",\n"
               "    CASE WHEN \"r\".\"rank\" IS NULL THEN 'not_set' WHEN \"r\".\"rank\" <= " +
               top +
               " THEN 'value' ELSE 'other' END AS \"row\",\n"
               "    CASE WHEN \"r\".\"rank\" <= " +
               top +
               " THEN CAST(\"b\".\"v\" AS VARCHAR) END AS \"value\",\n"
               "    CASE WHEN \"r\".\"rank\" IS NULL THEN " +
               top + " + 2 WHEN \"r\".\"rank\" <= " + top + " THEN \"r\".\"rank\" ELSE " + top +
               " + 1 END AS \"sort\"\n"
               "  FROM \"bd_users\" AS \"b\"\n  LEFT JOIN \"bd_values\" AS \"r\" ON \"r\".\"v\" = "
               "\"b\".\"v\"\n)\n"
               "SELECT \"row\", \"value\", \"s\".\"step\", \"s\".\"event\",\n"
               "  count(*) FILTER (WHERE \"level\" >= \"s\".\"step\") AS \"users\"\n"
               "FROM \"bd_rows\"\nCROSS JOIN (VALUES " +
               steps +
               ") AS \"s\"(\"step\", \"event\")\n"
               "GROUP BY \"sort\", \"row\", \"value\", \"s\".\"step\", \"s\".\"event\"\n"
               "ORDER BY \"sort\", \"s\".\"step\"";
    }
};

} // namespace

SqlResult funnel_to_sql(const Funnel& funnel, const EvalContext& ctx) {
    SqlResult r;
    Compiler c(funnel, ctx, true);
    std::string ctes = c.levels(r.errors);
    if (!r.ok()) return r;
    std::string steps;
    for (size_t k = 0; k < funnel.steps.size(); k++)
        steps += std::string(k ? ", " : "") + "(" + std::to_string(k + 1) + ", " +
                 sql_string(funnel.steps[k].event) + ")";
    if (funnel.breakdown) {
        r.sql = c.header() + "WITH " + ctes + c.breakdown_sql(steps);
        return r;
    }
    r.sql = c.header() + "WITH " + ctes +
            "\nSELECT \"s\".\"step\", \"s\".\"event\", count(\"l\".\"user_id\") AS \"users\"\n"
            "FROM (VALUES " +
            steps +
            ") AS \"s\"(\"step\", \"event\")\n"
            "LEFT JOIN \"levels\" AS \"l\" ON \"l\".\"level\" >= \"s\".\"step\"\n"
            "GROUP BY \"s\".\"step\", \"s\".\"event\"\nORDER BY \"s\".\"step\"";
    return r;
}

SqlResult funnel_levels_sql(const Funnel& funnel, const EvalContext& ctx) {
    SqlResult r;
    Compiler c(funnel, ctx, false);
    std::string ctes = c.levels(r.errors);
    if (!r.ok()) return r;
    r.sql = c.header() + "WITH " + ctes + "\nSELECT \"user_id\", \"level\" FROM \"levels\"";
    return r;
}

} // namespace segx
