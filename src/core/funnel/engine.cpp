#include "core/funnel/engine.h"

#include "core/lang/names.h"
#include "core/lang/predicate.h"
#include "core/lang/window.h"
#include "core/time/parse.h"

#include <algorithm>
#include <cstring>
#include <unordered_map>

namespace segx {

namespace {

inline int lowest_bit(uint32_t x) {
#if defined(__GNUC__) || defined(__clang__)
    return __builtin_ctz(x);
#else
    int k = 0;
    while (!(x & 1u)) x >>= 1, k++;
    return k;
#endif
}

inline int64_t add_saturated(int64_t a, int64_t b) { // b >= 0
    return a > INT64_MAX - b ? INT64_MAX : a + b;
}

// Steps (or exclusions) compiled against the model: per event code, the items of that name
// without filters (their bit is set by the code alone) and those with filters (tested per row).
struct Matcher {
    std::vector<uint32_t> direct, filtered; // per event code, a bit per item
    std::vector<std::vector<ColumnPredicate>> predicates;

    uint32_t mask(uint32_t code, size_t row) const {
        if (code >= direct.size()) return 0;
        uint32_t m = direct[code];
        for (uint32_t f = filtered[code]; f != 0; f &= f - 1) {
            const int k = lowest_bit(f);
            bool hit = true;
            for (const ColumnPredicate& p : predicates[size_t(k)])
                if (!predicate_row(p, row)) {
                    hit = false;
                    break;
                }
            if (hit) m |= 1u << k;
        }
        return m;
    }
};

// Adds item `i` (event `event` with `where`) at `path` (".event", ".where[j]...").
void compile_item(const Model& model, size_t i, const std::string& event,
                  const std::vector<EventFilter>& where, const std::string& path,
                  std::vector<DefinitionError>& errors, Matcher& m) {
    m.predicates.resize(std::max(m.predicates.size(), i + 1));
    bool filters_ok = compile_event_filters(model.events.properties, where, path, errors, &m.predicates[i]);
    std::optional<uint32_t> code = model.event_names.find(event);
    if (!code) {
        errors.push_back(DefinitionError{child_path(path, "event"), unknown_event(event, model.event_names)});
        return;
    }
    if (!filters_ok) return;
    if (m.predicates[i].empty())
        m.direct[*code] |= 1u << i;
    else
        m.filtered[*code] |= 1u << i;
}

// A definition built in code skips the reader: the limits the engine relies on, checked again.
bool check_shape(const Funnel& f, std::vector<DefinitionError>& errors) {
    const size_t before = errors.size();
    if (f.steps.size() < kMinFunnelSteps || f.steps.size() > kMaxFunnelSteps)
        errors.push_back({"steps", "a funnel has 2 to 32 steps, got " + std::to_string(f.steps.size())});
    if (f.window.amount < 1 || f.window.amount > max_window_amount(f.window.unit))
        errors.push_back({"window", "expected 1 to " + std::to_string(max_window_amount(f.window.unit)) +
                                        " " + window_unit_name(f.window.unit)});
    if (f.exclusions.size() > kMaxFunnelExclusions)
        errors.push_back({"exclusions", "more than " + std::to_string(kMaxFunnelExclusions) + " exclusions"});
    if (f.order == FunnelOrder::Unordered && !f.exclusions.empty())
        errors.push_back({"exclusions", "exclusions apply to ordered and strict funnels only"});
    for (size_t i = 0; i < f.exclusions.size(); i++) {
        const FunnelExclusion& x = f.exclusions[i];
        if (!(1 <= x.from && x.from < x.to && size_t(x.to) <= f.steps.size()))
            errors.push_back({child_path(child_path("", "exclusions", i), "between"),
                              "expected [i, j] with 1 <= i < j <= " + std::to_string(f.steps.size())});
    }
    if (f.breakdown && (f.breakdown->top < 1 || f.breakdown->top > kMaxBreakdownTop))
        errors.push_back({"breakdown.top", "expected 1 to " + std::to_string(kMaxBreakdownTop)});
    return errors.size() == before;
}

// Breakdown groups: users counted per (value, level), values keyed by their stored form.
class Groups {
public:
    Groups(const Column& column, size_t steps) : col_(column), steps_(steps), not_set_(steps + 1, 0) {
        if (col_.type == ColumnType::String) by_code_.assign(col_.dict.size(), 0);
    }

    void add(size_t row, int level) {
        if (row >= col_.size() || col_.is_null(row)) {
            not_set_[size_t(level)]++;
            return;
        }
        uint32_t* slot = nullptr;
        if (col_.type == ColumnType::String) {
            slot = &by_code_[col_.codes[row]];
        } else {
            uint64_t key = 0;
            if (col_.type == ColumnType::Double) {
                double x = col_.doubles[row];
                if (x == 0) x = 0; // -0 and 0 are one value
                std::memcpy(&key, &x, sizeof key);
            } else {
                key = uint64_t(col_.ints[row]);
            }
            slot = &by_key_[key];
        }
        if (*slot == 0) {
            rows_.push_back(row);
            counts_.resize(counts_.size() + steps_ + 1, 0);
            *slot = uint32_t(rows_.size());
        }
        counts_[(*slot - 1) * (steps_ + 1) + size_t(level)]++;
    }

    // Top `top` values by step-1 users (ties by text), "other", "not set".
    std::vector<BreakdownRow> rows(size_t top) const {
        struct Value {
            std::string text;
            std::vector<uint64_t> users;
        };
        std::vector<Value> values;
        for (size_t g = 0; g < rows_.size(); g++)
            values.push_back({col_.format(rows_[g]), per_step(&counts_[g * (steps_ + 1)])});
        std::sort(values.begin(), values.end(), [](const Value& a, const Value& b) {
            return a.users[0] != b.users[0] ? a.users[0] > b.users[0] : a.text < b.text;
        });
        std::vector<BreakdownRow> out;
        BreakdownRow other{BreakdownRow::Kind::Other, "", std::vector<uint64_t>(steps_, 0)};
        for (size_t i = 0; i < values.size(); i++) {
            if (i < top) {
                out.push_back(
                    {BreakdownRow::Kind::Value, std::move(values[i].text), std::move(values[i].users)});
            } else {
                for (size_t k = 0; k < steps_; k++) other.users[k] += values[i].users[k];
            }
        }
        if (values.size() > top) out.push_back(std::move(other));
        std::vector<uint64_t> missing = per_step(not_set_.data());
        if (missing[0] > 0) out.push_back({BreakdownRow::Kind::NotSet, "", std::move(missing)});
        return out;
    }

private:
    // Level counts (index 0..steps) to users per step (level >= k), k = 1..steps.
    std::vector<uint64_t> per_step(const uint64_t* levels) const {
        std::vector<uint64_t> users(steps_, 0);
        uint64_t sum = 0;
        for (size_t k = steps_; k >= 1; k--) {
            sum += levels[k];
            users[k - 1] = sum;
        }
        return users;
    }

    const Column& col_;
    size_t steps_;
    std::vector<uint32_t> by_code_; // String: per dictionary code, group + 1 (0: none yet)
    std::unordered_map<uint64_t, uint32_t> by_key_;
    std::vector<size_t> rows_;     // per group, a row holding its value
    std::vector<uint64_t> counts_; // per group, users per level 0..steps
    std::vector<uint64_t> not_set_;
};

DurationStats duration_stats(std::vector<int64_t>& values) {
    DurationStats s;
    s.users = values.size();
    if (values.empty()) return s;
    std::sort(values.begin(), values.end());
    double sum = 0;
    for (int64_t v : values) sum += double(v);
    s.mean = sum / double(values.size()) / 1e6;
    s.median = double(nearest_rank(values, 50)) / 1e6;
    s.p25 = double(nearest_rank(values, 25)) / 1e6;
    s.p75 = double(nearest_rank(values, 75)) / 1e6;
    s.p90 = double(nearest_rank(values, 90)) / 1e6;
    return s;
}

// What one run needs: the compiled definition and the per-user walk.
class Engine {
public:
    Engine(const Funnel& f, const FunnelContext& ctx) : f_(f), ctx_(ctx), S_(f.steps.size()) {}

    bool compile(std::vector<DefinitionError>& errors) {
        if (!check_shape(f_, errors)) return false;
        const Model& m = ctx_.model;
        const size_t codes = m.event_names.size();
        steps_.direct.assign(codes, 0);
        steps_.filtered.assign(codes, 0);
        excl_.direct.assign(codes, 0);
        excl_.filtered.assign(codes, 0);
        for (size_t i = 0; i < S_; i++)
            compile_item(m, i, f_.steps[i].event, f_.steps[i].where, child_path("", "steps", i), errors,
                         steps_);
        for (size_t i = 0; i < f_.exclusions.size(); i++)
            compile_item(m, i, f_.exclusions[i].event, f_.exclusions[i].where,
                         child_path("", "exclusions", i), errors, excl_);
        if (f_.entry) {
            if (!f_.entry->from.empty() && !parse_time_text(f_.entry->from, TimeFormat::Iso, 0, &entry_lo_))
                errors.push_back({"entry.from", "not an ISO 8601 date or time"});
            if (!f_.entry->to.empty() && !parse_time_text(f_.entry->to, TimeFormat::Iso, 0, &entry_hi_))
                errors.push_back({"entry.to", "not an ISO 8601 date or time"});
        }
        if (f_.breakdown) {
            const std::vector<Column>& cols = f_.breakdown->property ? m.events.properties : m.attributes;
            const char* what = f_.breakdown->property ? "event property" : "attribute";
            breakdown_ = find_column(cols, f_.breakdown->name);
            if (breakdown_ == nullptr)
                errors.push_back({f_.breakdown->property ? "breakdown.property" : "breakdown.attribute",
                                  unknown_name(what, f_.breakdown->name, cols)});
        }
        if (!f_.audience.is_null()) {
            if (!ctx_.audience) {
                errors.push_back({"audience", "audience filters cannot be resolved here"});
            } else {
                filter_.emplace();
                if (!ctx_.audience(f_.audience, "audience", &*filter_, errors)) filter_.reset();
            }
        }
        window_us_ = f_.window.micros();
        return errors.empty();
    }

    // Walks every user; `visit(u, level, times, first_row)` for each user with level >= 1, where
    // times[k] is the counted attempt's k-th step time (k < level) and first_row its step-1 row.
    template <typename Visit>
    void run(std::vector<uint8_t>& levels, uint64_t& population, Visit visit) {
        const Model& m = ctx_.model;
        const size_t users = m.users.size();
        levels.assign(users, 0);
        population = 0;
        const EventStore& ev = m.events;
        const std::vector<uint8_t> candidates = candidate_users();
        for (size_t u = 0; u < users; u++) {
            if (filter_ && (u >= filter_->size || !filter_->get(u))) continue;
            population++;
            if (u + 1 >= ev.offsets.size() || (!candidates.empty() && !candidates[u])) continue;
            const size_t b = size_t(ev.offsets[u]), e = size_t(ev.offsets[u + 1]);
            if (e == b) continue;
            const int level = user(b, e);
            if (level == 0) continue;
            levels[u] = uint8_t(level);
            visit(u, level, times_, first_row_);
        }
    }

private:
    // With the model's per-event-name index: the users holding an event that can start an
    // attempt (step 1's name; unordered: any step's), found from those names' postings alone,
    // so that the walk skips every other user without reading their events. Empty: no index.
    std::vector<uint8_t> candidate_users() const {
        const Model& m = ctx_.model;
        const EventIndex& index = m.event_index;
        if (!index.fits(m.events)) return {};
        std::vector<uint8_t> marked(m.users.size(), 0);
        const uint32_t starts = f_.order == FunnelOrder::Unordered ? ~0u : 1u;
        for (uint32_t code = 0; code < steps_.direct.size(); code++) {
            if (!((steps_.direct[code] | steps_.filtered[code]) & starts)) continue;
            // Postings are in row order, so the user holding them only moves forward.
            size_t u = 0;
            const size_t first = index.first(code), end = first + index.count(code);
            for (size_t k = first; k < end; k++) {
                const uint64_t row = index.rows[k];
                while (m.events.offsets[u + 1] <= row) u++;
                if (u < marked.size()) marked[u] = 1;
            }
        }
        return marked;
    }

    bool in_entry(int64_t t) const { return t >= entry_lo_ && t <= entry_hi_; }

    // First position >= start whose mask has `bit`, from a cursor that only moves forward:
    // valid because successive calls on one cursor never ask for an earlier start.
    static size_t seek(size_t& cursor, size_t start, uint32_t bit, const uint32_t* mask, size_t n) {
        if (cursor < start) cursor = start;
        while (cursor < n && !(mask[cursor] & bit)) cursor++;
        return cursor;
    }

    // The user's level over the events [b, e) (those at or before as-of); fills times_ and
    // first_row_ for the counted attempt. The masks come first: a user who cannot start an
    // attempt is left before any time is read.
    int user(size_t b, size_t e) {
        const EventStore& ev = ctx_.model.events;
        size_t n = e - b;
        if (smask_.size() < n) smask_.resize(n);
        uint32_t any = 0;
        for (size_t i = 0; i < n; i++) any |= smask_[i] = steps_.mask(ev.event[b + i], b + i);
        const bool unordered_mode = f_.order == FunnelOrder::Unordered;
        if (unordered_mode ? any == 0 : !(any & 1u)) return 0;
        const int64_t* time = ev.time.data() + b;
        // Events past as-of do not exist (time order within the slice).
        if (time[n - 1] > ctx_.as_of_us) n = size_t(std::upper_bound(time, time + n, ctx_.as_of_us) - time);
        if (n == 0) return 0;
        if (unordered_mode) return unordered(b, n, time);
        const size_t X = f_.exclusions.size();
        if (X > 0) {
            if (xmask_.size() < n) xmask_.resize(n);
            for (size_t i = 0; i < n; i++) xmask_[i] = excl_.mask(ev.event[b + i], b + i);
        }
        size_t cursor[kMaxFunnelSteps] = {}, xcursor[kMaxFunnelExclusions] = {};
        size_t pos[kMaxFunnelSteps];
        const bool strict = f_.order == FunnelOrder::Strict;
        int best = 0;
        for (size_t p1 = 0; p1 < n && size_t(best) < S_; p1++) {
            if (!(smask_[p1] & 1u) || !in_entry(time[p1])) continue;
            const int64_t end = add_saturated(time[p1], window_us_);
            pos[0] = p1;
            size_t level = 1;
            for (size_t k = 1; k < S_; k++) {
                size_t q =
                    strict ? pos[k - 1] + 1 : seek(cursor[k], pos[k - 1] + 1, 1u << k, smask_.data(), n);
                if (q >= n || time[q] > end || (strict && !(smask_[q] & (1u << k)))) break;
                pos[k] = q;
                level++;
            }
            bool void_attempt = false;
            for (size_t x = 0; x < X && !void_attempt; x++) {
                const FunnelExclusion& ex = f_.exclusions[x];
                if (level < size_t(ex.to)) continue;
                size_t q = seek(xcursor[x], pos[ex.from - 1] + 1, 1u << x, xmask_.data(), n);
                void_attempt = q < pos[ex.to - 1];
            }
            if (void_attempt || int(level) <= best) continue;
            best = int(level);
            for (size_t k = 0; k < level; k++) times_[k] = time[pos[k]];
            first_row_ = b + p1;
        }
        return best;
    }

    // Anchors in stored order; the events in [t, t + W] by two forward-only bounds [lo, hi).
    int unordered(size_t b, size_t n, const int64_t* time) {
        uint32_t count[kMaxFunnelSteps] = {};
        int distinct = 0, best = 0;
        size_t lo = 0, hi = 0, best_lo = 0, best_hi = 0, best_anchor = 0;
        for (size_t a = 0; a < n && size_t(best) < S_; a++) {
            if (smask_[a] == 0 || !in_entry(time[a])) continue;
            const int64_t t = time[a], end = add_saturated(t, window_us_);
            for (; time[lo] < t; lo++)
                if (lo < hi)
                    for (uint32_t m = smask_[lo]; m != 0; m &= m - 1) distinct -= --count[lowest_bit(m)] == 0;
            if (hi < lo) hi = lo;
            for (; hi < n && time[hi] <= end; hi++)
                for (uint32_t m = smask_[hi]; m != 0; m &= m - 1) distinct += count[lowest_bit(m)]++ == 0;
            if (distinct > best) {
                best = distinct;
                best_lo = lo;
                best_hi = hi;
                best_anchor = a;
            }
        }
        if (best == 0) return 0;
        // Each matched step's earliest time in the window, ascending: the k-th completed step.
        int64_t first[kMaxFunnelSteps];
        uint32_t seen = 0;
        int found = 0;
        for (size_t q = best_lo; q < best_hi && found < best; q++)
            for (uint32_t m = smask_[q] & ~seen; m != 0; m &= m - 1) {
                seen |= 1u << lowest_bit(m);
                first[found++] = time[q];
            }
        std::sort(first, first + found);
        for (int k = 0; k < found; k++) times_[k] = first[k];
        first_row_ = b + best_anchor;
        return best;
    }

    const Funnel& f_;
    const FunnelContext& ctx_;
    const size_t S_;
    Matcher steps_, excl_;
    int64_t entry_lo_ = INT64_MIN, entry_hi_ = INT64_MAX;
    int64_t window_us_ = 0;
    std::optional<Bitmap> filter_;
    std::vector<uint32_t> smask_, xmask_; // per event of the current user (reused)
    int64_t times_[kMaxFunnelSteps] = {};
    size_t first_row_ = 0;

public:
    const Column* breakdown_ = nullptr;
};

} // namespace

int64_t nearest_rank(const std::vector<int64_t>& sorted, int p) {
    const size_t n = sorted.size();
    size_t rank = (size_t(p) * n + 99) / 100; // ceil(p·n/100)
    if (rank < 1) rank = 1;
    return sorted[rank - 1];
}

std::vector<int64_t> histogram_edges(int64_t window_us) {
    constexpr int64_t s = 1000000, min = 60 * s, h = 60 * min, d = 24 * h;
    static const int64_t kLadder[] = {0,        10 * s, 30 * s, min,    2 * min, 5 * min, 10 * min,
                                      30 * min, h,      2 * h,  6 * h,  12 * h,  d,       2 * d,
                                      3 * d,    7 * d,  14 * d, 30 * d, 60 * d,  90 * d,  180 * d};
    std::vector<int64_t> edges;
    for (int64_t e : kLadder)
        if (e < window_us) edges.push_back(e);
    edges.push_back(window_us);
    return edges;
}

FunnelResult run_funnel_engine(const Funnel& funnel, const FunnelContext& ctx) {
    FunnelResult r;
    Engine engine(funnel, ctx);
    if (!engine.compile(r.errors)) return r;
    const size_t S = funnel.steps.size();
    std::vector<std::vector<int64_t>> gaps(S); // gaps[k]: step k's time - step k-1's, k >= 1
    std::vector<int64_t> convert;
    std::optional<Groups> groups;
    if (engine.breakdown_) groups.emplace(*engine.breakdown_, S);
    const bool by_property = funnel.breakdown && funnel.breakdown->property;
    std::vector<uint64_t> reached(S + 1, 0); // users per level
    engine.run(r.levels, r.population, [&](size_t u, int level, const int64_t* times, size_t first_row) {
        reached[size_t(level)]++;
        for (int k = 1; k < level; k++) gaps[size_t(k)].push_back(times[k] - times[k - 1]);
        if (size_t(level) == S) convert.push_back(times[S - 1] - times[0]);
        if (groups) groups->add(by_property ? first_row : u, level);
    });
    // Users per step: level >= k.
    std::vector<uint64_t> users(S, 0);
    uint64_t sum = 0;
    for (size_t k = S; k >= 1; k--) users[k - 1] = sum += reached[k];
    r.steps.resize(S);
    for (size_t k = 0; k < S; k++) {
        FunnelStepResult& s = r.steps[k];
        s.users = users[k];
        s.conversion = users[0] ? double(users[k]) / double(users[0]) : 0.0;
        if (k == 0) {
            s.from_previous = users[0] ? 1.0 : 0.0;
        } else {
            s.from_previous = users[k - 1] ? double(users[k]) / double(users[k - 1]) : 0.0;
            s.drop_off = users[k - 1] - users[k];
            s.from_prev = duration_stats(gaps[k]);
        }
    }
    r.time_to_convert = duration_stats(convert); // sorts `convert`
    std::vector<int64_t> edges = histogram_edges(funnel.window.micros());
    for (size_t i = 0; i + 1 < edges.size(); i++) r.histogram.push_back({edges[i], edges[i + 1], 0});
    for (int64_t v : convert) {
        size_t i = size_t(std::upper_bound(edges.begin(), edges.end(), v) - edges.begin());
        i = i == 0 ? 0 : std::min(i - 1, r.histogram.size() - 1);
        r.histogram[i].users++;
    }
    if (groups) r.breakdown = groups->rows(size_t(funnel.breakdown->top));
    return r;
}

FunnelLevels funnel_levels(const Funnel& funnel, const FunnelContext& ctx) {
    FunnelLevels out;
    Engine engine(funnel, ctx);
    if (!engine.compile(out.errors)) return out;
    uint64_t population = 0;
    engine.run(out.levels, population, [](size_t, int, const int64_t*, size_t) {});
    return out;
}

} // namespace segx
