// Behavior rules: everything that does not depend on the user (event code, window bounds, the
// aggregated column) is resolved once, event-property filters are run column by column into
// one bit per event, and then one pass over the CSR slices decides each user. Slices are
// time-sorted, so a long slice is cut at the window's start by binary search and left at its
// end.

#include "core/audience/json_text.h"
#include "core/audience/predicate.h"
#include "core/audience/rule_eval.h"
#include "core/audience/text.h"
#include "core/audience/user_set.h"
#include "core/time/civil.h"
#include "core/time/parse.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace segx {

namespace {

// Events with lo < time <= hi.
struct Span {
    int64_t lo = INT64_MIN;
    int64_t hi = INT64_MAX;
};

std::string sub(const std::string& path, const char* key) {
    std::string p = path;
    append_path_key(p, key);
    return p;
}

bool window_span(const TimeWindow& window, int64_t as_of, const std::string& path,
                 std::vector<AudienceError>& errors, Span* out) {
    out->lo = INT64_MIN;
    out->hi = as_of;
    if (const auto* last = std::get_if<WindowLastDays>(&window)) {
        if (last->days < 1 || last->days > kMaxWindowDays) {
            errors.push_back(AudienceError{sub(path, "last_days"), "expected a whole number of days from 1 to " +
                                                                       std::to_string(kMaxWindowDays)});
            return false;
        }
        int64_t length = last->days * kMicrosPerDay;
        out->lo = as_of < INT64_MIN + length ? INT64_MIN : as_of - length;
        return true;
    }
    if (const auto* range = std::get_if<WindowRange>(&window)) {
        bool ok = true;
        int64_t us = 0;
        if (range->from.empty() && range->to.empty()) {
            errors.push_back(AudienceError{path, "expected last_days, or from and/or to"});
            return false;
        }
        if (!range->from.empty()) {
            if (parse_time_text(range->from, TimeFormat::Iso, 0, &us))
                out->lo = us;
            else {
                errors.push_back(AudienceError{sub(path, "from"), quote(range->from) + " is not an ISO 8601 date or time"});
                ok = false;
            }
        }
        if (!range->to.empty()) {
            if (parse_time_text(range->to, TimeFormat::Iso, 0, &us))
                out->hi = std::min(us, as_of); // never past as-of
            else {
                errors.push_back(AudienceError{sub(path, "to"), quote(range->to) + " is not an ISO 8601 date or time"});
                ok = false;
            }
        }
        return ok;
    }
    return true; // all time, up to as-of
}

const Column* find_column(const std::vector<Column>& columns, const std::string& name) {
    for (const Column& c : columns)
        if (c.name == name)
            return &c;
    return nullptr;
}

std::string unknown_event(const std::string& name, const StringDictionary& events) {
    std::string message = "unknown event " + quote(name);
    if (events.empty())
        return message + " (the data has no events)";
    message += " (known: ";
    constexpr uint32_t kShown = 12;
    for (uint32_t c = 0; c < events.size() && c < kShown; c++)
        message += (c > 0 ? ", " : "") + quote(events.at(c), 40);
    if (events.size() > kShown)
        message += ", and " + std::to_string(events.size() - kShown) + " more";
    return message + ")";
}

bool values_fit(Op op, size_t n) { return op == Op::Between ? n == 2 : n == 1; }

bool count_hit(const CountMeasure& m, uint64_t n) {
    switch (m.op) {
    case Op::Gte: return int64_t(n) >= m.values[0];
    case Op::Lte: return int64_t(n) <= m.values[0];
    case Op::Eq: return int64_t(n) == m.values[0];
    case Op::Between: return m.values[0] <= int64_t(n) && int64_t(n) <= m.values[1];
    default: return false;
    }
}

bool value_hit(const AggregateMeasure& m, double x) {
    const double a = m.values[0];
    switch (m.op) {
    case Op::Eq: return x == a;
    case Op::Neq: return x != a;
    case Op::Gt: return x > a;
    case Op::Gte: return x >= a;
    case Op::Lt: return x < a;
    case Op::Lte: return x <= a;
    case Op::Between: return a <= x && x <= m.values[1];
    default: return false;
    }
}

// The events of one rule: name + filters, walked per user.
struct Matcher {
    const EventStore& ev;
    uint32_t code;
    // Events passing every filter (empty: no filters), computed column by column beforehand.
    // Testing filters per candidate event instead reads the property columns sparsely, one
    // cache miss per test, which costs more than one sequential pass over them.
    const Bitmap& passes;

    bool matches(uint64_t i) const {
        return ev.event[i] == code && (passes.size == 0 || passes.get(i));
    }

    // f(i) for each matching event of user u inside the span, in time order.
    template <typename F>
    void each_in(size_t u, Span s, F&& f) const {
        const int64_t* t = ev.time.data();
        uint64_t b = ev.offsets[u], e = ev.offsets[u + 1];
        if (e - b > 16) // long slices: jump to the first event after the window's start
            b = uint64_t(std::upper_bound(t + b, t + e, s.lo) - t);
        for (uint64_t i = b; i < e && t[i] <= s.hi; i++)
            if (t[i] > s.lo && matches(i))
                f(i);
    }
};

// Non-null numbers of the aggregated column: revenue (NaN = none) or a numeric property.
struct ValueSource {
    const double* revenue = nullptr;
    const Column* column = nullptr;

    bool get(uint64_t i, double* x) const {
        if (revenue != nullptr) {
            *x = revenue[i];
            return !std::isnan(*x);
        }
        if (!column->valid.get(i))
            return false;
        *x = column->type == ColumnType::Double ? column->doubles[i] : double(column->ints[i]);
        return !std::isnan(*x);
    }
};

} // namespace

Bitmap eval_behavior_rule(const Model& model, const BehaviorRule& rule, int64_t as_of,
                          const std::string& path, std::vector<AudienceError>& errors) {
    const size_t before = errors.size();
    const EventStore& ev = model.events;

    uint32_t code = 0;
    if (auto found = model.event_names.find(rule.event))
        code = *found;
    else
        errors.push_back(AudienceError{sub(path, "event"), unknown_event(rule.event, model.event_names)});

    std::vector<ColumnPredicate> filters(rule.where.size());
    for (size_t i = 0; i < rule.where.size(); i++) {
        const EventFilter& f = rule.where[i];
        std::string fp = sub(path, "where");
        append_path_index(fp, i);
        const Column* column = find_column(ev.properties, f.property);
        if (column == nullptr)
            errors.push_back(AudienceError{sub(fp, "property"), unknown_name("event property", f.property, ev.properties)});
        else
            compile_predicate(*column, "event property " + quote(f.property), f.op, f.values, f.ci, fp, errors,
                              &filters[i]);
    }

    Span span;
    window_span(rule.window, as_of, sub(path, "window"), errors, &span);

    ValueSource source{ev.revenue.data(), nullptr};
    if (const auto* count = std::get_if<CountMeasure>(&rule.measure)) {
        bool op_ok = count->op == Op::Gte || count->op == Op::Lte || count->op == Op::Eq || count->op == Op::Between;
        if (!op_ok || !values_fit(count->op, count->values.size()))
            errors.push_back(AudienceError{sub(path, "count"), "expected gte, lte or eq with one value, or between with two"});
    } else if (const auto* agg = std::get_if<AggregateMeasure>(&rule.measure)) {
        bool op_ok = agg->op == Op::Eq || agg->op == Op::Neq || agg->op == Op::Gt || agg->op == Op::Gte ||
                     agg->op == Op::Lt || agg->op == Op::Lte || agg->op == Op::Between;
        if (!op_ok || !values_fit(agg->op, agg->values.size()))
            errors.push_back(AudienceError{sub(path, "aggregate"), "expected eq, neq, gt, gte, lt or lte with one value, or between with two"});
        if (!agg->property.empty()) {
            std::string pp = sub(sub(path, "aggregate"), "property");
            const Column* column = find_column(ev.properties, agg->property);
            if (column == nullptr)
                errors.push_back(AudienceError{pp, unknown_name("event property", agg->property, ev.properties)});
            else if (column->type != ColumnType::Int64 && column->type != ColumnType::Double)
                errors.push_back(AudienceError{pp, "needs a numeric event property: event property " +
                                                       quote(agg->property) + " is " + type_name(column->type)});
            else
                source = ValueSource{nullptr, column};
        }
    }
    if (errors.size() != before)
        return Bitmap();

    const size_t n = model.users.size();
    const size_t with_events = std::min(n, ev.user_count());
    Bitmap out = make_user_set(n, false);
    uint64_t* words = out.words.data();
    Bitmap passes;
    for (size_t f = 0; f < filters.size(); f++) {
        Bitmap rows = predicate_rows(filters[f], ev.size());
        if (f == 0)
            passes = std::move(rows);
        else
            intersect_with(passes, rows);
    }
    const Matcher match{ev, code, passes};
    const auto put = [words](size_t u, bool hit) { words[u >> 6] |= uint64_t(hit) << (u & 63); };

    const auto* count = std::get_if<CountMeasure>(&rule.measure);
    if (count != nullptr && filters.empty()) {
        // The common "did X in the window" needs no per-event branches: whether an event is
        // in the window and of the name is as unpredictable as a coin, so count it
        // arithmetically (the compiler vectorizes this) instead of branching on it.
        const int64_t* t = ev.time.data();
        const uint32_t* e = ev.event.data();
        for (size_t u = 0; u < n; u++) {
            uint64_t k = 0;
            if (u < with_events)
                for (uint64_t i = ev.offsets[u], end = ev.offsets[u + 1]; i < end; i++)
                    k += uint64_t((t[i] > span.lo) & (t[i] <= span.hi) & (e[i] == code));
            put(u, count_hit(*count, k));
        }
    } else if (count != nullptr) {
        // Zero counts matter too (count lte 2): every user gets a verdict, events or not.
        for (size_t u = 0; u < n; u++) {
            uint64_t k = 0;
            if (u < with_events)
                match.each_in(u, span, [&](uint64_t) { k++; });
            put(u, count_hit(*count, k));
        }
    } else if (const auto* agg = std::get_if<AggregateMeasure>(&rule.measure)) {
        for (size_t u = 0; u < with_events; u++) {
            uint64_t k = 0;
            double sum = 0, lo = std::numeric_limits<double>::infinity(), hi = -lo, x = 0;
            match.each_in(u, span, [&](uint64_t i) {
                if (!source.get(i, &x))
                    return;
                k++;
                sum += x;
                lo = std::min(lo, x);
                hi = std::max(hi, x);
            });
            if (k == 0)
                continue; // NULL aggregate: false
            double value = agg->fn == AggregateFn::Sum ? sum
                         : agg->fn == AggregateFn::Avg ? sum / double(k)
                         : agg->fn == AggregateFn::Min ? lo : hi;
            put(u, value_hit(*agg, value));
        }
    } else if (const auto* occ = std::get_if<OccurrenceMeasure>(&rule.measure)) {
        // The first (last) matching event at or before as-of, wherever it is; then the window.
        const int64_t* t = ev.time.data();
        for (size_t u = 0; u < with_events; u++) {
            uint64_t b = ev.offsets[u], e = ev.offsets[u + 1];
            bool found = false;
            int64_t when = 0;
            if (!occ->last) {
                for (uint64_t i = b; i < e && t[i] <= as_of && !found; i++)
                    if (match.matches(i)) {
                        found = true;
                        when = t[i];
                    }
            } else {
                for (uint64_t i = e; i > b && !found; i--)
                    if (t[i - 1] <= as_of && match.matches(i - 1)) {
                        found = true;
                        when = t[i - 1];
                    }
            }
            put(u, found && when > span.lo && when <= span.hi);
        }
    }
    if (!rule.did)
        complement(out);
    return out;
}

} // namespace segx
