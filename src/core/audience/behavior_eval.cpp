// Behavior rules: everything that does not depend on the user (event code, window bounds, the
// aggregated column) is resolved once. Then the rule reads the postings of its event only
// (EventIndex: that name's rows, in user then time order), narrows them column by column into a
// shorter row list (the time window first, then each event-property filter), and a user cursor
// that only moves forward through the CSR offsets cuts the list into one run per user, which
// decides that user. The work is proportional to the events of the rule's name, not to all
// events: a rare event costs little however busy the other events are.

#include "core/audience/json_text.h"
#include "core/audience/predicate.h"
#include "core/audience/rule_eval.h"
#include "core/audience/text.h"
#include "core/audience/user_set.h"
#include "core/model/event_index.h"
#include "core/time/civil.h"
#include "core/time/parse.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

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

// Keeps the rows (of rows[0..n)) that pass `keep`, in order, in out[0..); returns how many.
// Branch-free: every row is written and the cursor advances by the test. `out` may be `rows`.
template <typename Keep>
size_t compact(const uint32_t* rows, size_t n, uint32_t* out, Keep keep) {
    size_t m = 0;
    for (size_t k = 0; k < n; k++) {
        const uint32_t r = rows[k];
        out[m] = r;
        m += size_t(keep(r));
    }
    return m;
}

// The rows that pass one event-property filter: the per-row tests of predicate_rows
// (predicate.h), read at the given rows only. Rows past the column's end count as null.
size_t filter_rows(const ColumnPredicate& p, const uint32_t* rows, size_t n, uint32_t* out) {
    const Column& c = *p.column;
    const size_t size = c.size();
    const uint64_t* valid = c.valid.words.data();
    const auto set = [valid, size](uint32_t r) { return r < size && ((valid[r >> 6] >> (r & 63)) & 1) != 0; };
    switch (p.mode) {
    case ColumnPredicate::Mode::IsSet: return compact(rows, n, out, set);
    case ColumnPredicate::Mode::IsNotSet: return compact(rows, n, out, [&](uint32_t r) { return !set(r); });
    case ColumnPredicate::Mode::Codes: {
        const uint8_t* table = p.code_match.data();
        const uint32_t* codes = c.codes.data();
        return compact(rows, n, out, [&](uint32_t r) { return set(r) && table[codes[r]] != 0; });
    }
    case ColumnPredicate::Mode::Ints: {
        const int64_t* x = c.ints.data();
        if (p.use_set)
            return compact(rows, n, out, [&](uint32_t r) {
                return set(r) && std::binary_search(p.int_set.begin(), p.int_set.end(), x[r]) != p.negate;
            });
        return compact(rows, n, out,
                       [&](uint32_t r) { return set(r) && ((p.lo <= x[r]) & (x[r] <= p.hi)) != p.negate; });
    }
    case ColumnPredicate::Mode::Doubles: {
        const double* x = c.doubles.data();
        return compact(rows, n, out, [&](uint32_t r) {
            if (!set(r))
                return false;
            bool in;
            if (p.use_set) {
                in = std::binary_search(p.double_set.begin(), p.double_set.end(), x[r]);
            } else {
                bool above_lo = p.lo_open ? x[r] > p.dlo : x[r] >= p.dlo;
                bool below_hi = p.hi_open ? x[r] < p.dhi : x[r] <= p.dhi;
                in = above_lo & below_hi;
            }
            return in != p.negate;
        });
    }
    }
    return 0;
}

// The rows (of postings rows[0..n), days `day`) with lo < time <= hi, into out[0..n); returns
// how many. A posting's day settles it unless it is on one of the span's two edge days (or on
// kLastDay, open-ended): only those read the exact time. The verdict of every day (out, in,
// edge) is tabulated first, so the pass over the postings is a table look-up and two
// branch-free compactions, reading 6 sequential bytes per posting; the edge postings (two
// days' worth) are set aside, their times read in one tight loop (they are far apart: each
// cache miss waited for alone would cost more than the whole pass), and the ones inside
// merged back in row order.
size_t window_rows(const EventIndex& index, const int64_t* time, const uint32_t* rows, const uint16_t* day,
                   size_t n, Span s, uint32_t* out) {
    const int32_t lo = int32_t(index.day_of(s.lo)), hi = int32_t(index.day_of(s.hi));
    constexpr int32_t kDays = int32_t(EventIndex::kLastDay) + 1;
    std::unique_ptr<uint8_t[]> verdict(new uint8_t[kDays]); // 1 in, 2 edge day, 0 out
    std::fill(verdict.get(), verdict.get() + kDays, uint8_t(0));
    for (int32_t d = std::max(lo, 0); d <= std::min(hi, kDays - 1); d++)
        verdict[d] = d == lo || d == hi || d == EventIndex::kLastDay ? 2 : 1;
    if (hi >= EventIndex::kLastDay) // open-ended: its events may lie past lo however far lo is
        verdict[EventIndex::kLastDay] = 2;
    const uint8_t* v = verdict.get();
    // Both lists written on every posting, each advancing by its verdict: no branch. Only the
    // pages of `edges` that are written get touched.
    std::unique_ptr<uint32_t[]> edges(new uint32_t[n]);
    size_t m = 0, e = 0;
    for (size_t k = 0; k < n; k++) {
        const uint8_t c = v[day[k]];
        const uint32_t r = rows[k];
        out[m] = r;
        m += c & 1;
        edges[e] = r;
        e += c >> 1;
    }
    size_t kept = 0;
    for (size_t j = 0; j < e; j++) {
        const uint32_t r = edges[j];
        const int64_t t = time[r];
        edges[kept] = r;
        kept += (t > s.lo) & (t <= s.hi);
    }
    // Merge from the back: out[0..m) and edges[0..kept) are both ascending.
    size_t i = m, j = kept, w = m + kept;
    while (j > 0) {
        if (i > 0 && out[i - 1] > edges[j - 1])
            out[--w] = out[--i];
        else
            out[--w] = edges[--j];
    }
    return m + kept;
}

// f(u, b, e) for each user u < users whose events are rows[b..e), rows ascending (so users
// ascending, each once). The user cursor only moves forward: the next 8 offsets are compared
// with the row at once (a count, no branch), which finds the row's user when it is near;
// farther, a gallop then a binary search, so a sparse event skips the users without it in
// O(log gap) rather than one by one.
template <typename F>
void each_user(const EventStore& ev, size_t users, const uint32_t* rows, size_t n, F&& f) {
    const uint64_t* off = ev.offsets.data();
    const size_t slices = ev.user_count(); // off[slices] = every event: past any row
    constexpr size_t kProbe = 8;
    size_t u = 0;
    for (size_t k = 0; k < n;) {
        const uint64_t r = rows[k];
        // The row's user is the last u with off[u] <= r; off[u] <= r holds already.
        if (u + kProbe < slices) {
            size_t c = 0;
            for (size_t j = 1; j <= kProbe; j++)
                c += off[u + j] <= r;
            u += c;
        }
        if (off[u + 1] <= r) {
            // off[lo] <= r; double the step until off[lo + step] > r or past the end.
            size_t lo = u + 1, step = 1;
            while (lo + step < slices && off[lo + step] <= r) {
                lo += step;
                step *= 2;
            }
            const size_t hi = std::min(lo + step, slices); // off[hi] > r
            u = size_t(std::upper_bound(off + lo + 1, off + hi + 1, r) - off) - 1;
        }
        if (u >= users)
            return;
        const uint64_t end = off[u + 1];
        size_t e = k + 1;
        while (e < n && rows[e] < end)
            e++;
        f(u, k, e);
        k = e;
    }
}

// The aggregated column: revenue (NaN = none), or a numeric event property when `column`.
struct ValueSource {
    const double* revenue = nullptr;
    const Column* column = nullptr;

    // out[k] = the value of rows[k], NaN when it has none (null, or revenue NaN): one gather
    // loop without branches, so that many of its cache misses are in flight at once.
    void gather(const uint32_t* rows, size_t n, double* out) const {
        const double none = std::numeric_limits<double>::quiet_NaN();
        if (column == nullptr) {
            for (size_t k = 0; k < n; k++)
                out[k] = revenue[rows[k]];
            return;
        }
        const size_t size = column->size();
        const uint64_t* valid = column->valid.words.data();
        const auto set = [valid, size](uint32_t r) { return r < size && ((valid[r >> 6] >> (r & 63)) & 1) != 0; };
        if (column->type == ColumnType::Double) {
            const double* x = column->doubles.data();
            for (size_t k = 0; k < n; k++)
                out[k] = set(rows[k]) ? x[rows[k]] : none;
        } else {
            const int64_t* x = column->ints.data();
            for (size_t k = 0; k < n; k++)
                out[k] = set(rows[k]) ? double(x[rows[k]]) : none;
        }
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

    // The rows of the event, narrowed: by time (usually the most selective), then per filter.
    EventIndex built_here; // a Model filled by hand (tests, benches) has no index
    const EventIndex* index = &model.event_index;
    if (!index->fits(ev)) {
        built_here = build_event_index(ev);
        index = &built_here;
    }
    const uint32_t* rows = index->rows.data() + index->first(code);
    size_t m = index->count(code);
    std::unique_ptr<uint32_t[]> kept; // uninitialized: written before read
    const auto narrowed = [&]() {
        if (!kept)
            kept.reset(new uint32_t[m]);
        return kept.get();
    };
    const auto* occ = std::get_if<OccurrenceMeasure>(&rule.measure);
    // An occurrence is the first (last) matching event at or before as-of, wherever it is; the
    // window is tested on its time below. Counts and aggregates take the window's events.
    const Span keep = occ != nullptr ? Span{INT64_MIN, as_of} : span;
    if (m > 0 && (keep.lo >= index->min_time[code] || keep.hi < index->max_time[code])) {
        uint32_t* out = narrowed();
        m = window_rows(*index, ev.time.data(), rows, index->day.data() + index->first(code), m, keep, out);
        rows = out;
    }
    for (const ColumnPredicate& f : filters) {
        uint32_t* out = narrowed();
        m = filter_rows(f, rows, m, out);
        rows = out;
    }

    const size_t n = model.users.size();
    Bitmap out;
    if (const auto* count = std::get_if<CountMeasure>(&rule.measure)) {
        // Zero counts matter too (count lte 2): users without a run keep count_hit(0).
        const bool zero = count_hit(*count, 0);
        out = make_user_set(n, zero);
        uint64_t* words = out.words.data();
        each_user(ev, n, rows, m, [&](size_t u, size_t b, size_t e) {
            words[u >> 6] ^= uint64_t(count_hit(*count, e - b) != zero) << (u & 63);
        });
    } else if (const auto* agg = std::get_if<AggregateMeasure>(&rule.measure)) {
        out = make_user_set(n, false);
        uint64_t* words = out.words.data();
        std::unique_ptr<double[]> values(new double[m]);
        source.gather(rows, m, values.get());
        const double* v = values.get();
        const double inf = std::numeric_limits<double>::infinity();
        each_user(ev, n, rows, m, [&](size_t u, size_t b, size_t e) {
            // NaN (no value) is skipped without a branch: it adds 0 and leaves min and max.
            uint64_t k = 0;
            double sum = 0, lo = inf, hi = -inf;
            for (size_t j = b; j < e; j++) {
                const double x = v[j];
                const bool has = x == x;
                k += has;
                sum += has ? x : 0.0;
                lo = std::min(lo, has ? x : inf);
                hi = std::max(hi, has ? x : -inf);
            }
            if (k == 0)
                return; // NULL aggregate: false
            double value = agg->fn == AggregateFn::Sum ? sum
                         : agg->fn == AggregateFn::Avg ? sum / double(k)
                         : agg->fn == AggregateFn::Min ? lo : hi;
            words[u >> 6] |= uint64_t(value_hit(*agg, value)) << (u & 63);
        });
    } else if (occ != nullptr) {
        out = make_user_set(n, false);
        uint64_t* words = out.words.data();
        const int64_t* t = ev.time.data();
        each_user(ev, n, rows, m, [&](size_t u, size_t b, size_t e) {
            const int64_t when = t[rows[occ->last ? e - 1 : b]];
            words[u >> 6] |= uint64_t((when > span.lo) & (when <= span.hi)) << (u & 63);
        });
    } else {
        out = make_user_set(n, false);
    }
    if (!rule.did)
        complement(out);
    return out;
}

} // namespace segx
