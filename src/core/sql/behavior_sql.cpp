// Behavior rules as correlated subqueries over the events table, one per rule:
//   EXISTS (SELECT 1 ...)                      did, at least once (the default count)
//   (SELECT count(*) ...) <op> n               counts, zero included (count(*) of no rows);
//                                              orders: count(DISTINCT order_id) + the events
//                                              without one; days: count(DISTINCT CAST(time AS DATE))
//   (SELECT sum("e"."revenue") ...) <op> x     aggregates: NULL over no values, so false
//   (SELECT min("e"."time") > lo AND ...)      first / last occurrence in the window
// The checks and their messages follow eval_behavior_rule (behavior_eval.cpp), in its order:
// event, filters, window, measure.

#include "core/lang/json_text.h"
#include "core/lang/names.h"
#include "core/lang/text.h"
#include "core/lang/window.h"
#include "core/sql/rule_sql.h"
#include "core/sql/sql_text.h"
#include "core/time/civil.h"

#include <algorithm>

namespace segx {

namespace {

// The window as SQL bounds on a time: lo < t (none when lo is empty) and t <= hi.
struct Bounds {
    std::string lo, hi;
};

// The checks and instants are lang's resolve_window; "last N days" is written as an INTERVAL so
// that the SQL reads as the definition does.
bool window_bounds(const TimeWindow& window, int64_t as_of, const std::string& path,
                   std::vector<DefinitionError>& errors, Bounds* out) {
    TimeSpan span;
    const bool ok = resolve_window(window, as_of, path, errors, &span);
    out->hi = sql_timestamp(span.hi);
    out->lo.clear();
    if (const auto* last = std::get_if<WindowLastDays>(&window))
        out->lo = sql_timestamp(as_of) + " - INTERVAL " + std::to_string(last->days) + " DAY";
    else if (const auto* range = std::get_if<WindowRange>(&window); range && !range->from.empty())
        out->lo = sql_timestamp(span.lo);
    return ok;
}

std::string in_window(const std::string& t, const Bounds& b) {
    return (b.lo.empty() ? "" : t + " > " + b.lo + " AND ") + t + " <= " + b.hi;
}

const char* compare_op(Op op) {
    switch (op) {
        case Op::Eq:
            return " = ";
        case Op::Neq:
            return " <> ";
        case Op::Gt:
            return " > ";
        case Op::Gte:
            return " >= ";
        case Op::Lt:
            return " < ";
        case Op::Lte:
            return " <= ";
        default:
            return " ? ";
    }
}

template <typename T, typename F>
std::string compare_sql(Op op, const std::vector<T>& values, F&& literal) {
    if (op == Op::Between) return " BETWEEN " + literal(values[0]) + " AND " + literal(values[1]);
    return compare_op(op) + literal(values[0]);
}

const char* aggregate_sql_name(AggregateFn fn) {
    switch (fn) {
        case AggregateFn::Sum:
            return "sum";
        case AggregateFn::Avg:
            return "avg";
        case AggregateFn::Min:
            return "min";
        case AggregateFn::Max:
            return "max";
    }
    return "sum";
}

} // namespace

const std::vector<const char*> kEventsTableColumns = {"user_id", "event",    "time",
                                                      "revenue", "order_id", "seq"};

std::string behavior_sql(const Model& model, const BehaviorRule& rule, int64_t as_of, int indent,
                         const std::string& path, std::vector<DefinitionError>& errors) {
    const size_t before = errors.size();
    const std::vector<Column>& props = model.events.properties;

    if (!model.event_names.find(rule.event))
        errors.push_back(
            DefinitionError{child_path(path, "event"), unknown_event(rule.event, model.event_names)});

    std::vector<std::string> filters;
    for (size_t i = 0; i < rule.where.size(); i++) {
        const EventFilter& f = rule.where[i];
        std::string fp = child_path(path, "where");
        append_path_index(fp, i);
        const Column* column = sql_column(props, "event property", "events", f.property, kEventsTableColumns,
                                          child_path(fp, "property"), errors);
        if (column != nullptr)
            filters.push_back(comparison_sql(*column, "\"e\"." + sql_ident(column->name),
                                             "event property " + quote(f.property), f.op, f.values, f.ci, fp,
                                             errors));
    }

    Bounds window;
    window_bounds(rule.window, as_of, child_path(path, "window"), errors, &window);

    std::string value = "\"e\".\"revenue\"";
    check_measure_ops(rule.measure, path, errors);
    if (const auto* agg = std::get_if<AggregateMeasure>(&rule.measure)) {
        if (!agg->property.empty()) {
            std::string pp = child_path(child_path(path, "aggregate"), "property");
            const Column* column =
                sql_column(props, "event property", "events", agg->property, kEventsTableColumns, pp, errors);
            if (column != nullptr && column->type != ColumnType::Int64 && column->type != ColumnType::Double)
                errors.push_back(DefinitionError{pp, "needs a numeric event property: event property " +
                                                         quote(agg->property) + " is " +
                                                         type_name(column->type)});
            else if (column != nullptr)
                value = "\"e\"." + sql_ident(column->name);
        }
    }
    if (errors.size() != before) return "";

    // The events of the rule: this user's, this event's, in the window (occurrences: up to
    // as-of, the window applying to the first or last of them), passing every filter.
    const std::string in = sql_pad(indent + 2), more = "\n" + sql_pad(indent + 4) + "AND ";
    const auto* occ = std::get_if<OccurrenceMeasure>(&rule.measure);
    std::string where =
        in + "WHERE \"e\".\"user_id\" = \"u\".\"user_id\"" + more +
        "\"e\".\"event\" = " + sql_string(rule.event) + more +
        (occ ? "\"e\".\"time\" <= " + sql_timestamp(as_of) : in_window("\"e\".\"time\"", window));
    for (const std::string& f : filters) where += more + f;
    const std::string from = "\n" + in + "FROM \"events\" AS \"e\"\n" + where + "\n" + sql_pad(indent) + ")";

    if (const auto* count = std::get_if<CountMeasure>(&rule.measure)) {
        if (count->op == Op::Gte && count->values[0] == 1) return "EXISTS (\n" + in + "SELECT 1" + from;
        const auto lit = [](int64_t n) { return std::to_string(n); };
        // Orders: an event without an order id is an order of its own (behavior_eval.cpp's
        // run_count); days: UTC calendar days, as `time` is UTC.
        const char* counted =
            count->unit == CountUnit::Orders
                ? "count(DISTINCT \"e\".\"order_id\") + count(*) FILTER (WHERE \"e\".\"order_id\" IS NULL)"
            : count->unit == CountUnit::Days ? "count(DISTINCT CAST(\"e\".\"time\" AS DATE))"
                                             : "count(*)";
        return "(\n" + in + "SELECT " + counted + from + compare_sql(count->op, count->values, lit);
    }
    if (const auto* agg = std::get_if<AggregateMeasure>(&rule.measure))
        return "(\n" + in + "SELECT " + aggregate_sql_name(agg->fn) + "(" + value + ")" + from +
               compare_sql(agg->op, agg->values, sql_double);
    const std::string t = std::string(occ->last ? "max" : "min") + "(\"e\".\"time\")";
    return "(\n" + in + "SELECT " + in_window(t, window) + from;
}

} // namespace segx
