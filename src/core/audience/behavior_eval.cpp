// Behavior rules: everything that does not depend on the user (event code, window bounds, the
// aggregated column) is resolved once. Then the rule reads the postings of its event only
// (EventIndex: that name's rows, in user then time order), narrows them column by column into a
// shorter row list (the time window first, then each event-property filter), and a user cursor
// that only moves forward through the CSR offsets cuts the list into one run per user, which
// decides that user. The work is proportional to the events of the rule's name, not to all
// events: a rare event costs little however busy the other events are.
//
// A count or aggregate over a window that holds a small part of that name's history reads the
// index's time view instead: the window is one contiguous slice of it (binary search on the
// day), only its two edge days test exact times, and each event adds into a per-user scratch
// slot, so the work is proportional to the events inside the window (plus a pass over the
// users). The cheaper of the two is chosen per rule from the slice's length. First/last
// occurrences always take the postings: they depend on events before the window too.

#include "core/audience/rule_eval.h"
#include "core/audience/user_set.h"
#include "core/lang/json_text.h"
#include "core/lang/predicate.h"
#include "core/lang/text.h"
#include "core/model/event_index.h"
#include "core/time/civil.h"
#include "core/time/parse.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

namespace segx {

namespace {

BehaviorPlan g_plan = BehaviorPlan::Auto;

bool count_hit(const CountMeasure& m, uint64_t n) {
    switch (m.op) {
        case Op::Gte:
            return int64_t(n) >= m.values[0];
        case Op::Lte:
            return int64_t(n) <= m.values[0];
        case Op::Eq:
            return int64_t(n) == m.values[0];
        case Op::Between:
            return m.values[0] <= int64_t(n) && int64_t(n) <= m.values[1];
        default:
            return false;
    }
}

// The count of a user's run of matching rows (ascending, so in time order) in the measure's
// unit: rows, distinct order ids (a row without one is an order of its own), or distinct UTC
// days (time order makes equal days adjacent).
uint64_t run_count(const EventStore& ev, const uint32_t* rows, size_t b, size_t e, CountUnit unit,
                   std::vector<uint32_t>& scratch) {
    if (unit == CountUnit::Events || e - b < 2) return e - b;
    if (unit == CountUnit::Days) {
        uint64_t days = 0;
        int64_t last = 0;
        for (size_t j = b; j < e; j++) {
            const int64_t t = ev.time[rows[j]];
            const int64_t day = t / kMicrosPerDay - (t % kMicrosPerDay < 0); // floor
            days += j == b || day != last;
            last = day;
        }
        return days;
    }
    scratch.clear();
    uint64_t without = 0;
    for (size_t j = b; j < e; j++) {
        const uint32_t o = rows[j] < ev.values.size() ? ev.values.order(rows[j]) : EventStore::kNoOrder;
        if (o == EventStore::kNoOrder)
            without++;
        else
            scratch.push_back(o);
    }
    std::sort(scratch.begin(), scratch.end());
    return without + uint64_t(std::unique(scratch.begin(), scratch.end()) - scratch.begin());
}

bool value_hit(const AggregateMeasure& m, double x) {
    const double a = m.values[0];
    switch (m.op) {
        case Op::Eq:
            return x == a;
        case Op::Neq:
            return x != a;
        case Op::Gt:
            return x > a;
        case Op::Gte:
            return x >= a;
        case Op::Lt:
            return x < a;
        case Op::Lte:
            return x <= a;
        case Op::Between:
            return a <= x && x <= m.values[1];
        default:
            return false;
    }
}

// Keeps the items (of rows[0..n)) whose row passes `keep`, in order, in out[0..); returns how
// many. An item is a row (uint32_t) or a row in the low half of (user << 32 | row) (uint64_t).
// Branch-free: every item is written and the cursor advances by the test. `out` may be `rows`.
template <typename T, typename Keep>
size_t compact(const T* rows, size_t n, T* out, Keep keep) {
    size_t m = 0;
    for (size_t k = 0; k < n; k++) {
        const T r = rows[k];
        out[m] = r;
        m += size_t(keep(uint32_t(r)));
    }
    return m;
}

// The rows that pass one event-property filter: the per-row tests of predicate_rows
// (predicate.h), read at the given rows only. Rows past the column's end count as null.
template <typename T>
size_t filter_rows(const ColumnPredicate& p, const T* rows, size_t n, T* out) {
    const Column& c = *p.column;
    const size_t size = c.size();
    const uint64_t* valid = c.valid.words.data();
    const auto set = [valid, size](uint32_t r) { return r < size && ((valid[r >> 6] >> (r & 63)) & 1) != 0; };
    switch (p.mode) {
        case ColumnPredicate::Mode::IsSet:
            return compact(rows, n, out, set);
        case ColumnPredicate::Mode::IsNotSet:
            return compact(rows, n, out, [&](uint32_t r) { return !set(r); });
        case ColumnPredicate::Mode::Codes: {
            const uint8_t* table = p.code_match.data();
            return c.codes.visit([&](const auto* codes) {
                return compact(rows, n, out, [&](uint32_t r) { return set(r) && table[codes[r]] != 0; });
            });
        }
        case ColumnPredicate::Mode::Ints: {
            return c.ints.visit([&](const auto* x) -> size_t {
                if (p.use_set)
                    return compact(rows, n, out, [&](uint32_t r) {
                        return set(r) &&
                               std::binary_search(p.int_set.begin(), p.int_set.end(), x[r]) != p.negate;
                    });
                return compact(rows, n, out, [&](uint32_t r) {
                    return set(r) && ((p.lo <= x[r]) & (x[r] <= p.hi)) != p.negate;
                });
            });
        }
        case ColumnPredicate::Mode::Doubles: {
            const double* x = c.doubles.data();
            return compact(rows, n, out, [&](uint32_t r) {
                if (!set(r)) return false;
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
                   size_t n, TimeSpan s, uint32_t* out) {
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
            for (size_t j = 1; j <= kProbe; j++) c += off[u + j] <= r;
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
        if (u >= users) return;
        const uint64_t end = off[u + 1];
        size_t e = k + 1;
        while (e < n && rows[e] < end) e++;
        f(u, k, e);
        k = e;
    }
}

// The aggregated column: revenue (NaN = none), or a numeric event property when `column`.
struct ValueSource {
    const EventValues* revenue = nullptr;
    const Column* column = nullptr;

    // out[k] = the value of rows[k], NaN when it has none (null, or revenue NaN): one gather
    // loop (without branches for a column), so that many of its cache misses are in flight.
    template <typename T>
    void gather(const T* items, size_t n, double* out) const {
        const double none = std::numeric_limits<double>::quiet_NaN();
        if (column == nullptr) {
            for (size_t k = 0; k < n; k++) out[k] = revenue->revenue(uint32_t(items[k]));
            return;
        }
        const size_t size = column->size();
        const uint64_t* valid = column->valid.words.data();
        const auto set = [valid, size](uint32_t r) {
            return r < size && ((valid[r >> 6] >> (r & 63)) & 1) != 0;
        };
        if (column->type == ColumnType::Double) {
            const double* x = column->doubles.data();
            for (size_t k = 0; k < n; k++) {
                const uint32_t r = uint32_t(items[k]);
                out[k] = set(r) ? x[r] : none;
            }
        } else {
            column->ints.visit([&](const auto* x) {
                for (size_t k = 0; k < n; k++) {
                    const uint32_t r = uint32_t(items[k]);
                    out[k] = set(r) ? double(x[r]) : none;
                }
            });
        }
    }
};

// A window's slice of one code's time view: positions [p0, p3); [p1, p2) are inner days, all
// inside the window; [p0, p1) and [p2, p3) are its edge days, whose times are tested.
struct Slice {
    size_t p0 = 0, p1 = 0, p2 = 0, p3 = 0;
    size_t size() const { return p3 - p0; }
};

Slice window_slice(const EventIndex& index, uint32_t code, const int64_t* time, TimeSpan s) {
    Slice out;
    out.p0 = out.p1 = out.p2 = out.p3 = index.first(code);
    // An event with lo < t <= hi has a stored day (clamped to kLastDay) in a .. b; days strictly
    // between are inside.
    const int64_t a = std::clamp<int64_t>(index.day_of(s.lo), 0, EventIndex::kLastDay);
    const int64_t b = std::min<int64_t>(index.day_of(s.hi), EventIndex::kLastDay);
    if (a > b || index.count(code) == 0) return out;
    out.p0 = index.first_on_or_after_day(code, a, time);
    out.p3 = index.first_on_or_after_day(code, b + 1, time);
    if (a == b) {
        out.p1 = out.p2 = out.p3; // one day: all of it an edge
    } else {
        out.p1 = index.first_on_or_after_day(code, a + 1, time);
        out.p2 = index.first_on_or_after_day(code, b, time);
    }
    return out;
}

// The slice's events inside the window as (user << 32 | row), in slice order, into out[0..);
// returns how many.
size_t slice_items(const EventIndex& index, const int64_t* time, const Slice& sl, TimeSpan s, uint64_t* out) {
    const uint32_t* row = index.by_day_row.data();
    const uint32_t* user = index.by_day_user.data();
    size_t m = 0;
    const auto edge = [&](size_t b, size_t e) {
        for (size_t k = b; k < e; k++) {
            const uint32_t r = row[k];
            const int64_t t = time[r];
            out[m] = uint64_t(user[k]) << 32 | r;
            m += size_t((t > s.lo) & (t <= s.hi));
        }
    };
    edge(sl.p0, sl.p1);
    for (size_t k = sl.p1; k < sl.p2; k++) out[m++] = uint64_t(user[k]) << 32 | row[k];
    edge(sl.p2, sl.p3);
    return m;
}

// The slice path is chosen when its estimated cost, in units of one posting of the postings
// path's sequential pass, is below that pass's (its filters and values read rows in ascending
// order, the slice's in time order, scattered): per slice event a read of its user (and row) and
// a scattered add into the users' scratch (~3 units) and ~5 more per filter or aggregated value
// (the same reads the postings path makes, but out of row order, each a cache miss), plus
// zeroing and re-reading the users' scratch (users / 8). Measured natively on 10M events
// (bench_audience): a 30-day window over a year's history, no filter, takes the slice at a
// quarter of the postings' time; a 90-day window with a filter stays on the postings.
bool slice_is_cheaper(size_t slice, size_t postings, size_t users, size_t random_reads) {
    switch (g_plan) {
        case BehaviorPlan::Postings:
            return false;
        case BehaviorPlan::TimeSlice:
            return true;
        case BehaviorPlan::Auto:
            break;
    }
    return uint64_t(slice) * (3 + 5 * uint64_t(random_reads)) + uint64_t(users) / 8 < uint64_t(postings);
}

// A count without filters, straight from the slice (no item list): per-user counters, then a
// second pass over the slice's users to set each one's bit (an edge posting outside the window
// may revisit a user with no count: count_hit(0) again, the default). Counters are one byte,
// saturating at 255, when every bound of the measure is below 255 (a count of 255 or more then
// compares as 255 does): a quarter of the scratch, more of it in cache.
template <typename Counter>
Bitmap count_slice(const EventIndex& index, const int64_t* time, const Slice& sl, TimeSpan s,
                   const CountMeasure& count, size_t n) {
    const uint32_t* row = index.by_day_row.data();
    const uint32_t* user = index.by_day_user.data();
    constexpr Counter kMax = std::numeric_limits<Counter>::max();
    std::unique_ptr<Counter[]> k(new Counter[n]());
    Counter* c = k.get();
    const auto add = [&](size_t b, size_t e, bool test) {
        for (size_t j = b; j < e; j++) {
            const uint32_t u = user[j];
            if (u >= n) continue;
            bool in = true;
            if (test) {
                const int64_t t = time[row[j]];
                in = (t > s.lo) & (t <= s.hi);
            }
            c[u] = Counter(c[u] + Counter(in & (c[u] != kMax)));
        }
    };
    add(sl.p0, sl.p1, true);
    add(sl.p1, sl.p2, false);
    add(sl.p2, sl.p3, true);
    Bitmap out = make_user_set(n, count_hit(count, 0));
    uint64_t* words = out.words.data();
    for (size_t j = sl.p0; j < sl.p3; j++) {
        const uint32_t u = user[j];
        if (u >= n) continue;
        const uint64_t bit = uint64_t(1) << (u & 63);
        words[u >> 6] = count_hit(count, c[u]) ? words[u >> 6] | bit : words[u >> 6] & ~bit;
    }
    return out;
}

// Count or aggregate over the window's events `items` (user << 32 | row): per-user scratch,
// then one pass over the items again to set each touched user's bit.
Bitmap decide_from_items(const BehaviorRule& rule, const ValueSource& source, const uint64_t* items, size_t m,
                         size_t n) {
    Bitmap out;
    if (const auto* count = std::get_if<CountMeasure>(&rule.measure)) {
        const bool zero = count_hit(*count, 0);
        out = make_user_set(n, zero);
        uint64_t* words = out.words.data();
        std::unique_ptr<uint32_t[]> k(new uint32_t[n]());
        for (size_t j = 0; j < m; j++) {
            const uint64_t u = items[j] >> 32;
            if (u < n) k[u]++;
        }
        for (size_t j = 0; j < m; j++) {
            const uint64_t u = items[j] >> 32;
            if (u < n) {
                const uint64_t bit = uint64_t(1) << (u & 63);
                words[u >> 6] = count_hit(*count, k[u]) ? words[u >> 6] | bit : words[u >> 6] & ~bit;
            }
        }
        return out;
    }
    const auto& agg = std::get<AggregateMeasure>(rule.measure);
    out = make_user_set(n, false);
    uint64_t* words = out.words.data();
    std::unique_ptr<double[]> values(new double[m]);
    source.gather(items, m, values.get());
    const double* v = values.get();
    std::unique_ptr<uint32_t[]> k(new uint32_t[n]()); // non-null values per user
    std::unique_ptr<double[]> acc(new double[n]);     // read only where k > 0
    // Per user in CSR order (the slice keeps it within a user), as the postings path adds.
    const auto fold = [&](auto combine) {
        for (size_t j = 0; j < m; j++) {
            const double x = v[j];
            const uint64_t u = items[j] >> 32;
            if (x != x || u >= n) continue; // NaN: no value
            acc[u] = k[u] == 0
                         ? combine(agg.fn == AggregateFn::Sum || agg.fn == AggregateFn::Avg ? 0.0 : x, x)
                         : combine(acc[u], x);
            k[u]++;
        }
    };
    switch (agg.fn) {
        case AggregateFn::Sum:
        case AggregateFn::Avg:
            fold([](double a, double x) { return a + x; });
            break;
        case AggregateFn::Min:
            fold([](double a, double x) { return std::min(a, x); });
            break;
        default:
            fold([](double a, double x) { return std::max(a, x); });
            break;
    }
    for (size_t j = 0; j < m; j++) {
        const uint64_t u = items[j] >> 32;
        if (u >= n || k[u] == 0) continue;
        const double value = agg.fn == AggregateFn::Avg ? acc[u] / double(k[u]) : acc[u];
        words[u >> 6] |= uint64_t(value_hit(agg, value)) << (u & 63);
    }
    return out;
}

} // namespace

void set_behavior_plan_for_tests(BehaviorPlan plan) { g_plan = plan; }

Bitmap eval_behavior_rule(const Model& model, const BehaviorRule& rule, int64_t as_of,
                          const std::string& path, std::vector<DefinitionError>& errors) {
    const size_t before = errors.size();
    const EventStore& ev = model.events;

    uint32_t code = 0;
    if (auto found = model.event_names.find(rule.event))
        code = *found;
    else
        errors.push_back(
            DefinitionError{child_path(path, "event"), unknown_event(rule.event, model.event_names)});

    std::vector<ColumnPredicate> filters;
    compile_event_filters(ev.properties, rule.where, path, errors, &filters);

    TimeSpan span;
    resolve_window(rule.window, as_of, child_path(path, "window"), errors, &span);

    ValueSource source{&ev.values, nullptr};
    check_measure_ops(rule.measure, path, errors);
    if (const auto* agg = std::get_if<AggregateMeasure>(&rule.measure)) {
        if (!agg->property.empty()) {
            std::string pp = child_path(child_path(path, "aggregate"), "property");
            const Column* column = find_column(ev.properties, agg->property);
            if (column == nullptr)
                errors.push_back(
                    DefinitionError{pp, unknown_name("event property", agg->property, ev.properties)});
            else if (column->type != ColumnType::Int64 && column->type != ColumnType::Double)
                errors.push_back(DefinitionError{pp, "needs a numeric event property: event property " +
                                                         quote(agg->property) + " is " +
                                                         type_name(column->type)});
            else
                source = ValueSource{nullptr, column};
        }
    }
    if (errors.size() != before) return Bitmap();

    // "Spent at least X" over every purchase up to as-of is each user's revenue total, which
    // the model keeps (UserAggregates, summed in the same CSR order): one pass over users
    // instead of every purchase event.
    const size_t users = model.users.size();
    const UserAggregates& totals = model.aggregates;
    if (const auto* agg = std::get_if<AggregateMeasure>(&rule.measure);
        g_plan == BehaviorPlan::Auto && agg != nullptr && agg->fn == AggregateFn::Sum &&
        agg->property.empty() && filters.empty() && rule.event == model.purchase_event &&
        span.lo < model.min_time_us && span.hi >= model.max_time_us && totals.revenue.size() == users &&
        totals.has_revenue.size() == users) {
        Bitmap out = make_user_set(users, false);
        for (size_t w = 0; w < out.words.size(); w++) { // a word at a time: no read-modify-write per user
            const size_t base = w * 64, end = std::min<size_t>(64, users - base);
            uint64_t bits = 0;
            for (size_t b = 0; b < end; b++)
                bits |= uint64_t(totals.has_revenue[base + b] && value_hit(*agg, totals.revenue[base + b]))
                        << b;
            out.words[w] = bits;
        }
        if (!rule.did) complement(out);
        return out;
    }

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
        if (!kept) kept.reset(new uint32_t[m]);
        return kept.get();
    };
    const auto* occ = std::get_if<OccurrenceMeasure>(&rule.measure);
    const size_t n = model.users.size();
    // Orders and days are counted per user run, which only the postings give.
    const auto* counted = std::get_if<CountMeasure>(&rule.measure);
    const bool by_run = counted != nullptr && counted->unit != CountUnit::Events;
    if (occ == nullptr && !by_run && m > 0 &&
        (span.lo >= index->min_time[code] || span.hi < index->max_time[code])) {
        const Slice slice = window_slice(*index, code, ev.time.data(), span);
        const size_t reads =
            filters.size() + (std::holds_alternative<AggregateMeasure>(rule.measure) ? 1 : 0);
        if (slice_is_cheaper(slice.size(), m, n, reads)) {
            if (const auto* count = std::get_if<CountMeasure>(&rule.measure);
                count != nullptr && filters.empty()) {
                bool small = true;
                for (int64_t v : count->values) small = small && v < 255;
                Bitmap out = small ? count_slice<uint8_t>(*index, ev.time.data(), slice, span, *count, n)
                                   : count_slice<uint32_t>(*index, ev.time.data(), slice, span, *count, n);
                if (!rule.did) complement(out);
                return out;
            }
            std::unique_ptr<uint64_t[]> items(new uint64_t[std::max<size_t>(slice.size(), 1)]);
            size_t k = slice_items(*index, ev.time.data(), slice, span, items.get());
            for (const ColumnPredicate& f : filters) k = filter_rows(f, items.get(), k, items.get());
            Bitmap out = decide_from_items(rule, source, items.get(), k, n);
            if (!rule.did) complement(out);
            return out;
        }
    }
    // An occurrence is the first (last) matching event at or before as-of, wherever it is; the
    // window is tested on its time below. Counts and aggregates take the window's events.
    const TimeSpan keep = occ != nullptr ? TimeSpan{INT64_MIN, as_of} : span;
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

    Bitmap out;
    if (const auto* count = std::get_if<CountMeasure>(&rule.measure)) {
        // Zero counts matter too (count lte 2): users without a run keep count_hit(0).
        const bool zero = count_hit(*count, 0);
        out = make_user_set(n, zero);
        uint64_t* words = out.words.data();
        std::vector<uint32_t> scratch;
        each_user(ev, n, rows, m, [&](size_t u, size_t b, size_t e) {
            const uint64_t k = run_count(ev, rows, b, e, count->unit, scratch);
            words[u >> 6] ^= uint64_t(count_hit(*count, k) != zero) << (u & 63);
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
            if (k == 0) return; // NULL aggregate: false
            double value = agg->fn == AggregateFn::Sum   ? sum
                           : agg->fn == AggregateFn::Avg ? sum / double(k)
                           : agg->fn == AggregateFn::Min ? lo
                                                         : hi;
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
    if (!rule.did) complement(out);
    return out;
}

} // namespace segx
