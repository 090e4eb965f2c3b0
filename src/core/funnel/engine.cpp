#include "core/funnel/engine.h"

#include "core/lang/names.h"
#include "core/lang/predicate.h"
#include "core/lang/window.h"
#include "core/model/event_index.h"
#include "core/time/parse.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <unordered_map>

// The funnel's visitor is called per user from deep in the walk: inlined there, not a call.
#if defined(__GNUC__) || defined(__clang__)
#define SEGX_ALWAYS_INLINE __attribute__((always_inline))
#else
#define SEGX_ALWAYS_INLINE
#endif

namespace segx {

namespace {

inline int64_t add_saturated(int64_t a, int64_t b) { // b >= 0
    return a > INT64_MAX - b ? INT64_MAX : a + b;
}

// Steps (or exclusions) compiled against the model: per item, its filters (empty: none).
struct Matcher {
    std::vector<std::vector<ColumnPredicate>> predicates;
};

// Adds item `i` (event `event` with `where`) at `path` (".event", ".where[j]...").
void compile_item(const Model& model, size_t i, const std::string& event,
                  const std::vector<EventFilter>& where, const std::string& path,
                  std::vector<DefinitionError>& errors, Matcher& m) {
    m.predicates.resize(std::max(m.predicates.size(), i + 1));
    compile_event_filters(model.events.properties, where, path, errors, &m.predicates[i]);
    if (!model.event_names.find(event))
        errors.push_back(DefinitionError{child_path(path, "event"), unknown_event(event, model.event_names)});
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

// A duration's bucket for the percentiles: log-linear over x = value - least value, exact below
// 64 and 32 buckets per power of two above (its top 6 bits), in order of x; 1 920 buckets for
// any int64 range, so the counts stay in the first-level cache.
inline uint32_t duration_bucket(uint64_t x) {
    if (x < 64) return uint32_t(x);
    const int e = 63 - __builtin_clzll(x); // 6 .. 63
    return uint32_t(e - 4) * 32 + uint32_t((x >> (e - 5)) & 31);
}
constexpr size_t kDurationBuckets = (63 - 4) * 32 + 32;

// The values x of bucket b: x - from <= span (from the bucket's least value to its greatest).
struct DurationRange {
    uint64_t from, span;
};
inline DurationRange duration_range(uint32_t b) {
    if (b < 64) return {b, 0};
    const int shift = int(b / 32) + 4 - 5; // e - 5, e = the top bit
    const uint64_t lead = 32 + b % 32;
    return {lead << shift, (uint64_t(1) << shift) - 1};
}

// The four percentiles (nearest ranks, as a sort would give them) without sorting: a
// histogram of the values' buckets (duration_bucket) finds the bucket holding each rank, and
// only those buckets' values are selected among (nth_element); a bucket spans 1/32 of its
// values' magnitude, so it holds a small share of them. Two passes over the values instead of
// a comparison sort or four nth_element passes (durations are >= 0, so the buckets are of the
// values themselves; a negative one would take a third pass, from the least value). Few
// values: nth_element on shrinking ranges.
DurationStats duration_stats(int64_t* values, size_t n) {
    DurationStats s;
    s.users = n;
    if (n == 0) return s;
    std::optional<double>* out[] = {&s.p25, &s.median, &s.p75, &s.p90};
    const int percents[] = {25, 50, 75, 90};
    size_t rank[4]; // 0-based
    for (int i = 0; i < 4; i++) rank[i] = std::max<size_t>((size_t(percents[i]) * n + 99) / 100, 1) - 1;
    double sum = 0;
    if (n < 4096) {
        for (size_t j = 0; j < n; j++) sum += double(values[j]);
        s.mean = sum / double(n) / 1e6;
        int64_t* from = values;
        for (int i = 0; i < 4; i++) {
            int64_t* at = values + rank[i];
            std::nth_element(from, at, values + n);
            *out[i] = double(*at) / 1e6;
            from = at;
        }
        return s;
    }
    // Two histograms and four sums, so that consecutive values of one bucket (durations cluster)
    // do not wait on each other's increment, nor each addition on the one before.
    uint32_t count[2][kDurationBuckets] = {};
    double sums[4] = {};
    int64_t lo = 0;
    size_t j = 0;
    for (; j + 4 <= n; j += 4)
        for (size_t k = 0; k < 4; k++) {
            const int64_t v = values[j + k];
            sums[k] += double(v);
            lo = std::min(lo, v);
            count[k & 1][duration_bucket(uint64_t(v))]++;
        }
    for (; j < n; j++) {
        const int64_t v = values[j];
        sums[0] += double(v);
        lo = std::min(lo, v);
        count[0][duration_bucket(uint64_t(v))]++;
    }
    sum = (sums[0] + sums[1]) + (sums[2] + sums[3]);
    s.mean = sum / double(n) / 1e6;
    for (size_t b = 0; b < kDurationBuckets; b++) count[0][b] += count[1][b];
    if (lo < 0) { // (not from a funnel's times) buckets from the least value
        std::fill(count[0], count[0] + kDurationBuckets, 0);
        for (size_t k = 0; k < n; k++) count[0][duration_bucket(uint64_t(values[k]) - uint64_t(lo))]++;
    }
    uint64_t bucket[4], before[4]; // each rank's bucket, and the values in buckets below it
    for (int i = 0, b = 0; i < 4; i++) {
        uint64_t below = i == 0 ? 0 : before[i - 1];
        if (i > 0) b = int(bucket[i - 1]);
        while (below + count[0][size_t(b)] <= rank[i]) below += count[0][size_t(b++)];
        bucket[i] = uint64_t(b), before[i] = below;
    }
    std::vector<int64_t> in[4]; // the values of each distinct rank's bucket
    int owner[4];               // rank i selects among in[owner[i]]
    // Each distinct bucket as the values x = v - lo it holds: x - from <= span. The four tests are
    // made without a branch, and the rare value in one of the buckets takes the branch.
    uint64_t from[4], span[4];
    int distinct = 0, slot[4];
    for (int i = 0; i < 4; i++) {
        owner[i] = i;
        for (int k = 0; k < i; k++)
            if (bucket[k] == bucket[i]) {
                owner[i] = owner[k];
                break;
            }
        if (owner[i] != i) continue;
        in[i].reserve(count[0][bucket[i]]);
        const DurationRange r = duration_range(uint32_t(bucket[i]));
        from[distinct] = r.from, span[distinct] = r.span, slot[distinct++] = i;
    }
    for (int k = distinct; k < 4; k++) from[k] = from[0], span[k] = span[0], slot[k] = slot[0];
    for (size_t k = 0; k < n; k++) {
        const int64_t v = values[k];
        const uint64_t x = uint64_t(v) - uint64_t(lo);
        const bool hit0 = x - from[0] <= span[0], hit1 = x - from[1] <= span[1];
        const bool hit2 = x - from[2] <= span[2], hit3 = x - from[3] <= span[3];
        if (!(hit0 | hit1 | hit2 | hit3)) continue;
        // Buckets are distinct ranges: one of them holds it (a repeated slot is slot 0's).
        in[slot[hit0 ? 0 : hit1 ? 1 : hit2 ? 2 : 3]].push_back(v);
    }
    for (int i = 0; i < 4; i++) {
        std::vector<int64_t>& v = in[owner[i]];
        const auto at = v.begin() + std::ptrdiff_t(rank[i] - before[i]);
        std::nth_element(v.begin(), at, v.end());
        *out[i] = double(*at) / 1e6;
    }
    return s;
}

// One duration per user reaching a step, in room for every user who may reach it (reserved up
// front, uninitialised: the walk never regrows or clears it).
struct Durations {
    std::unique_ptr<int64_t[]> v;
    size_t n = 0;
    void push(int64_t x) { v[n++] = x; }
};

// The end of the prefix of l[c..n) whose rows satisfy `in` (the rows ascend, so they are a
// prefix): four rows compared at a time without a branch, then four more while all were in.
// For a group's starts (a few, varying), a loop exit per row was mostly mispredicted; for the
// later steps' seeks (most often none or one row to skip) a plain loop is faster.
template <typename In>
SEGX_ALWAYS_INLINE inline size_t skip_prefix(const uint32_t* l, size_t c, size_t n, In in) {
    if (c >= n) return c;
    for (;;) {
        size_t k = 0;
        for (size_t i = 0; i < 4; i++) k += size_t(c + i < n) & size_t(in(l[std::min(c + i, n - 1)]));
        c += k;
        if (k < 4) return c;
    }
}

// Sets levels[i] = 1 for the bits i of `one` (i < n <= 64; the bytes are 0) and counts them: a
// block's bytes eight at a time, each from a byte of the mask through a table.
inline uint64_t count_level_one(uint8_t* levels, size_t n, uint64_t one) {
    struct Spread {
        uint64_t bytes[256];
        Spread() {
            for (uint32_t b = 0; b < 256; b++) {
                bytes[b] = 0;
                for (int i = 0; i < 8; i++) bytes[b] |= uint64_t((b >> i) & 1) << (8 * i);
            }
        }
    };
    static const Spread spread;
    if (n == 64) {
        for (size_t i = 0; i < 8; i++) {
            // Little-endian: byte b of word i is levels[8i + b] (WebAssembly and x86 alike).
            const uint64_t word = spread.bytes[(one >> (8 * i)) & 0xFF];
            std::memcpy(levels + 8 * i, &word, sizeof word);
        }
    } else {
        for (uint64_t b = one; b != 0; b &= b - 1) levels[__builtin_ctzll(b)] = 1;
    }
    return uint64_t(__builtin_popcountll(one));
}

// Whether every filter of an item holds on the row (true for an item without filters).
inline bool passes(const std::vector<ColumnPredicate>& filters, size_t row) {
    for (const ColumnPredicate& p : filters)
        if (!predicate_row(p, row)) return false;
    return true;
}

// What one run needs: the compiled definition and the per-user walk.
class Engine {
public:
    Engine(const Funnel& f, const FunnelContext& ctx) : f_(f), ctx_(ctx), S_(f.steps.size()) {}

    bool compile(std::vector<DefinitionError>& errors) {
        if (!check_shape(f_, errors)) return false;
        const Model& m = ctx_.model;
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
        if (!errors.empty()) return false;
        slots(m);
        return true;
    }

    // Walks the users; `visit(u, level, times, first_row)` for each user with level >= 1, where
    // times[k] is the counted attempt's k-th step time (k < level; only read for level >= 2)
    // and first_row its step-1 row (unordered: the anchor's). Users known to be at level 1
    // without a walk are only counted, not visited, unless visit_level_one_: the count is
    // returned (visited users are not in it).
    template <typename Visit>
    uint64_t run(std::vector<uint8_t>& levels, uint64_t& population, Visit visit) {
        const Model& m = ctx_.model;
        const size_t users = m.users.size();
        levels.assign(users, 0);
        population = users;
        if (filter_) {
            population = filter_->count_set();
            for (size_t u = users; u < filter_->size; u++) population -= filter_->get(u);
        }
        const size_t walkable = std::min(users, m.events.user_count());
        const bool unordered = f_.order == FunnelOrder::Unordered;
        const StartsView first = starts_[step_slot_[0]];
        const StartsView second = starts_[step_slot_[1]];
        // The walk of a user stalls on its first event time read, a cache miss (users lie far
        // apart in EventStore::time). So users are walked in batches: a batch's times are
        // touched first by independent loads, whose misses overlap, then each user is walked.
        // (WebAssembly has no prefetch instruction; loads whose sum is kept do the same.)
        const int64_t* time = m.events.time.data();
        const uint64_t* offsets = m.events.offsets.data();
        uint64_t ones = 0; // level 1 by the masks, not visited
        uint32_t batch[kBatch + 64];
        size_t nb = 0;
        const auto walk = [&] {
            int64_t sum = 0;
            for (size_t i = 0; i < nb && !compact_; i++) {
                const uint64_t b = offsets[batch[i]], e = std::min(offsets[batch[i] + 1], b + kTouchRows);
                for (uint64_t r = b; r < e; r += 8) sum += time[r];
                sum += time[e - 1];
            }
            touched_ = sum;
            with_walker([&](auto walk_user) {
                for (size_t i = 0; i < nb; i++) {
                    const uint32_t u = batch[i];
                    const int level = walk_user(u);
                    if (level == 0) continue;
                    levels[u] = uint8_t(level);
                    visit(u, level, times_, first_row_);
                }
            });
            nb = 0;
        };
        // 64 users at a time: which can start an attempt (unordered: hold any step's event),
        // which of those have a step-2 event, as bit masks without a branch per user.
        for (size_t u0 = 0; u0 < walkable; u0 += 64) {
            const size_t n = std::min<size_t>(64, walkable - u0);
            uint64_t can = 0, has2 = 0, many = 0; // many (unordered): events of two step names
            if (unordered) {
                for (size_t i = 0; i < step_slots_; i++) {
                    const uint64_t has = users_with_postings(starts_[i], u0, n);
                    many |= can & has;
                    can |= has;
                }
            } else {
                can = users_with_postings(first, u0, n);
                has2 = users_with_postings(second, u0, n);
            }
            if (filter_) can &= u0 / 64 < filter_->words.size() ? filter_->words[u0 / 64] : 0;
            uint64_t walked = can;
            // The users of `one` at level 1 without a walk: counted, or visited with the row
            // first_row(u) gives (read only for a property breakdown).
            const auto level_one = [&](uint64_t one, auto first_row) {
                if (!visit_level_one_) {
                    ones += count_level_one(levels.data() + u0, n, one);
                    return;
                }
                for (uint64_t b = one; b != 0; b &= b - 1) {
                    const size_t u = u0 + size_t(__builtin_ctzll(b));
                    levels[u] = 1;
                    visit(u, 1, times_, want_first_row_ ? first_row(u) : 0);
                }
            };
            if (!unordered && any_start_) {
                // No step-2 event and every step-1 event can start: level 1, no time read.
                walked = can & has2;
                level_one(can & ~has2, [&](size_t u) { return size_t(postings_[step_slot_[0]][first[u]]); });
            }
            if (unordered && any_start_) {
                // Events of one step's name only, every one an anchor: level 1 at the first.
                walked = can & many;
                level_one(can & ~many, [&](size_t u) {
                    size_t i = 0;
                    while (starts_[i][u] == starts_[i][u + 1]) i++;
                    return size_t(postings_[i][starts_[i][u]]);
                });
            }
            for (; walked != 0; walked &= walked - 1)
                batch[nb++] = uint32_t(u0 + size_t(__builtin_ctzll(walked)));
            if (nb >= kBatch) walk();
        }
        walk();
        return ones;
    }

private:
    // Calls f(walk) with the walk for this definition (walk(u): user u's level, 0 for none,
    // with the counted attempt in times_ and first_row_): one loop over a batch per walk, so
    // that a walk is a direct call there, or inlined, not an indirect call per user.
    template <typename With>
    void with_walker(With&& f) {
        const bool C = compact_, F = (filtered_ >> 1) != 0; // F: steps 2.. have filters
#define SEGX_WALK(call) f([this](size_t u) SEGX_ALWAYS_INLINE { return call(u); })
        if (f_.order == FunnelOrder::Unordered)
            C ? SEGX_WALK(user_unordered<true>) : SEGX_WALK(user_unordered<false>);
        else if (fast_ && f_.order == FunnelOrder::Ordered)
            C ? (F ? SEGX_WALK((user_ordered_fast<true, true>)) : SEGX_WALK((user_ordered_fast<true, false>)))
              : (F ? SEGX_WALK((user_ordered_fast<false, true>))
                   : SEGX_WALK((user_ordered_fast<false, false>)));
        else if (fast_)
            C ? (F ? SEGX_WALK((user_strict_fast<true, true>)) : SEGX_WALK((user_strict_fast<true, false>)))
              : (F ? SEGX_WALK((user_strict_fast<false, true>))
                   : SEGX_WALK((user_strict_fast<false, false>)));
        else
            C ? SEGX_WALK(user_ordered<true>) : SEGX_WALK(user_ordered<false>);
#undef SEGX_WALK
    }

    // The slots (event codes of steps, then of exclusions only; at most 64), their postings and
    // each user's range in them.
    void slots(const Model& m) {
        std::vector<int> slot_of(m.event_names.size(), -1);
        std::vector<uint32_t> codes;
        auto slot = [&](const std::string& event) {
            const uint32_t code = *m.event_names.find(event);
            if (slot_of[code] < 0) slot_of[code] = int(codes.size()), codes.push_back(code);
            return size_t(slot_of[code]);
        };
        for (size_t k = 0; k < S_; k++) step_slot_[k] = slot(f_.steps[k].event);
        for (size_t k = 0; k < S_; k++)
            if (!steps_.predicates[k].empty()) filtered_ |= 1u << k;
        step_slots_ = codes.size();
        for (size_t x = 0; x < f_.exclusions.size(); x++) excl_slot_[x] = slot(f_.exclusions[x].event);
        const EventIndex* index = &m.event_index;
        if (!index->fits(m.events)) { // a model built in code: an index for this run
            built_ = build_event_index(m.events);
            index = &*built_;
        }
        std::vector<StartsView> starts(codes.size());
        // The steps' names with their times beside the postings (kept with the starts, when
        // exact and within the budget): then a walk reads no EventStore::time.
        PostingTimes times[2 * 32];
        index->user_starts(m.events, codes.data(), codes.size(), starts.data(), scratch_, times,
                           ctx_.posting_times ? step_slots_ : 0);
        compact_ = true;
        for (size_t k = 0; k < S_; k++) {
            step_times_[k] = times[step_slot_[k]];
            compact_ = compact_ && (step_times_[k].v != nullptr || index->count(codes[step_slot_[k]]) == 0);
        }
        for (size_t s = 0; s < codes.size(); s++) {
            starts_[s] = starts[s];
            postings_[s] = index->rows.data() + index->first(codes[s]);
            events_[s] = index->count(codes[s]);
        }
        // Step 1's filters, entry range and as-of admit every event of its name: a user's
        // first one starts an attempt, no time read needed to know it. Unordered: the same of
        // every step, each of its own name (so that an event is one step's only).
        const auto starts_all = [&](uint32_t c) {
            return index->count(c) > 0 && in_entry(index->min_time[c]) && in_entry(index->max_time[c]) &&
                   index->max_time[c] <= ctx_.as_of_us;
        };
        any_start_ = steps_.predicates[0].empty() && starts_all(codes[step_slot_[0]]);
        if (f_.order == FunnelOrder::Unordered) {
            any_start_ = filtered_ == 0 && step_slots_ == S_;
            for (size_t i = 0; i < step_slots_; i++)
                any_start_ = any_start_ && (index->count(codes[i]) == 0 || starts_all(codes[i]));
        }
        fast_ = any_start_ && f_.exclusions.empty() && f_.order != FunnelOrder::Unordered;
    }

    bool in_entry(int64_t t) const { return t >= entry_lo_ && t <= entry_hi_; }
    bool step_matches(size_t k, uint32_t row) const {
        return steps_.predicates[k].empty() || passes(steps_.predicates[k], row);
    }
    // step_matches for a walk that knows whether any step (but the first) has filters (F).
    template <bool F>
    bool later_step_matches(size_t k, uint32_t row) const {
        return !F || step_matches(k, row);
    }
    bool excl_matches(size_t x, uint32_t row) const {
        return excl_.predicates[x].empty() || passes(excl_.predicates[x], row);
    }

    // User u's postings of slot s: its rows in stored order.
    const uint32_t* list(size_t s, size_t u, size_t* n) const {
        const uint32_t b = starts_[s][u];
        *n = starts_[s][u + 1] - b;
        return postings_[s] + b;
    }

    // One user's events of each step's name: the slot's postings, the user's range [cursor, n)
    // in them (absolute, so that no per-user reset to 0 is needed), and a cursor moving through
    // it. Shared by the per-user walks.
    struct StepRanges {
        const uint32_t* l[kMaxFunnelSteps];
        size_t n[kMaxFunnelSteps], cursor[kMaxFunnelSteps];
    };
    void step_range(size_t u, size_t k, StepRanges* r) const {
        const size_t s = step_slot_[k];
        r->l[k] = postings_[s], r->cursor[k] = starts_[s][u], r->n[k] = starts_[s][u + 1];
    }
    void step_ranges(size_t u, StepRanges* r) const {
        for (size_t k = 0; k < S_; k++) step_range(u, k, r);
    }
    // The time of step k's posting c (an index into r.l[k]): from the times kept beside the
    // postings (C: compact_), read in posting order, or from EventStore::time at its row.
    template <bool C>
    int64_t step_time(const StepRanges& r, size_t k, size_t c) const {
        if (C) return step_times_[k].base + int64_t(step_times_[k].v[c]) * step_times_[k].unit;
        return ctx_.model.events.time[r.l[k][c]];
    }

    // Ordered and strict in general (entry ranges, step-1 filters, as-of cuts, exclusions; else
    // user_ordered_fast / user_strict_fast): each step (and exclusion) is one event name, so "the earliest
    // step-k event after row r" is a seek in that name's postings of the user, and "the very next stored
    // event" is the posting of row r + 1 there, when there is one. Every attempt runs through forward-only
    // cursors, one per step and exclusion: the greedy matches of successive attempts never move backwards.
    // Events past as-of do not exist: steps >= 2 end at min(t1 + W, as-of), and a step-1 event past as-of
    // ends the walk (time order).
    template <bool C>
    int user_ordered(size_t u) {
        StepRanges rs;
        step_ranges(u, &rs);
        const auto& l = rs.l;
        const auto& n = rs.n;
        auto& cursor = rs.cursor;
        if (n[1] == cursor[1]) { // no step-2 event at all: level 1 at the first event that can start
            for (size_t p = cursor[0]; p < n[0]; p++) {
                const uint32_t r = l[0][p];
                if (any_start_) return first_row_ = r, 1;
                const int64_t t = step_time<C>(rs, 0, p);
                if (t > ctx_.as_of_us) return 0;
                if (in_entry(t) && step_matches(0, r)) return first_row_ = r, 1;
            }
            return 0;
        }
        const size_t X = f_.exclusions.size();
        size_t xcursor[kMaxFunnelExclusions];
        std::fill(xcursor, xcursor + X, size_t(0));
        const bool strict = f_.order == FunnelOrder::Strict;
        uint32_t at[kMaxFunnelSteps];
        int64_t at_time[kMaxFunnelSteps];
        int best = 0;
        // Ordered: the step the last attempt missed by the deadline alone (0: none). Its
        // candidate stays cursor[resume]; a next start before the last attempt's step-2 event
        // has the same matches (the earliest ones after either start), so it resumes there.
        size_t resume = 0;
        for (size_t p = cursor[0]; p < n[0] && size_t(best) < S_; p++) {
            const uint32_t r1 = l[0][p];
            const int64_t t1 = step_time<C>(rs, 0, p);
            if (t1 > ctx_.as_of_us) break;
            if (!in_entry(t1) || !step_matches(0, r1)) continue;
            const int64_t end = std::min(add_saturated(t1, window_us_), ctx_.as_of_us);
            size_t k = 1;
            if (resume != 0 && r1 < l[1][cursor[1]]) {
                // Its level is the last attempt's (not more than best) unless the later end
                // reaches the candidate; then steps 2 .. resume - 1 are the last attempt's.
                if (X == 0 && step_time<C>(rs, resume, cursor[resume]) > end) continue;
                k = resume;
            }
            at[0] = r1, at_time[0] = t1;
            size_t level = k;
            bool exhausted = false; // no step-k event after the step k - 1 one
            resume = 0;
            for (; k < S_; k++) {
                const uint32_t* lk = l[k];
                const uint32_t prev = at[k - 1];
                size_t c = cursor[k];
                while (c < n[k] && lk[c] <= prev) c++;
                if (strict) {
                    cursor[k] = c;
                    exhausted = c >= n[k];
                    if (exhausted || lk[c] != prev + 1 || !step_matches(k, lk[c])) break;
                } else {
                    while (c < n[k] && !step_matches(k, lk[c])) c++;
                    cursor[k] = c;
                    exhausted = c >= n[k];
                    if (exhausted) break;
                }
                const int64_t t = step_time<C>(rs, k, c);
                if (t > end) {
                    resume = strict ? 0 : k;
                    break;
                }
                at[k] = lk[c], at_time[k] = t;
                level++;
            }
            bool void_attempt = false;
            for (size_t x = 0; x < X && !void_attempt; x++) {
                const FunnelExclusion& ex = f_.exclusions[x];
                if (level < size_t(ex.to)) continue;
                size_t nx = 0;
                const uint32_t* lx = list(excl_slot_[x], u, &nx);
                const uint32_t from = at[ex.from - 1];
                size_t c = xcursor[x];
                while (c < nx && (lx[c] <= from || !excl_matches(x, lx[c]))) c++;
                xcursor[x] = c;
                void_attempt = c < nx && lx[c] < at[ex.to - 1];
            }
            if (!void_attempt && int(level) > best) {
                best = int(level);
                for (size_t j = 0; j < level; j++) times_[j] = at_time[j];
                first_row_ = r1;
            }
            // Later attempts' matches lie at or after this one's: none reaches step `level + 1`.
            if (exhausted && size_t(best) >= level) break;
        }
        return best;
    }

    // Ordered, when every step-1 event starts an attempt and nothing voids one (fast_). An
    // attempt's matches depend only on its step-2 event (the first after its start; the rest
    // follow greedily), so the starts between two step-2 events form a group sharing them; its
    // level is the matched steps within the deadline, so the group's last start reaches the
    // most, and the group's counted start is its first whose deadline reaches that step. Times
    // are read for each group's last start and the one step that would raise the best level,
    // not for every start: a user with many step-1 events reads few times. Steps 3.. get their
    // range of the user's postings when the walk first reaches them (most users never do).
    template <bool C, bool F>
    SEGX_ALWAYS_INLINE int user_ordered_fast(size_t u) {
        StepRanges rs;
        step_range(u, 0, &rs);
        step_range(u, 1, &rs);
        size_t ready = 2; // steps with their range in rs: most users never need step 3's
        const auto& l = rs.l;
        const auto& n = rs.n;
        auto& cursor = rs.cursor;
        const uint32_t* l1 = l[0];
        size_t p = cursor[0];
        const size_t n1 = n[0];
        first_row_ = l1[p]; // every user walked has a start: level 1 at its first
        int best = 1;
        // Every step-2 event before the first start (a quarter of the users walked, in the
        // benchmark's shop): level 1, without a loop over them. (A walked user has a step-2
        // event: the masks walk only those.)
        if (l[1][n[1] - 1] < l1[p]) return best;
        uint32_t at[kMaxFunnelSteps]; // the group's matches (at[k]: step k + 1's row)
        for (size_t j = cursor[1]; j < n[1] && p < n1; j++) {
            const uint32_t c2 = l[1][j];
            if (l1[p] >= c2 || !later_step_matches<F>(1, c2)) continue; // no start before it, or no step 2
            const size_t group = p;
            p = skip_prefix(l1, p + 1, n1, [c2](uint32_t r) { return r < c2; }) - 1;
            const size_t last = p++; // the group's last start
            // The group's matches up to step best + 1 (rows only): none there, none later.
            at[1] = c2;
            size_t k = 2;
            for (; k <= size_t(best); k++) {
                const uint32_t* lk = l[k];
                size_t c = cursor[k];
                while (c < n[k] && (lk[c] <= at[k - 1] || !later_step_matches<F>(k, lk[c]))) c++;
                cursor[k] = c;
                if (c >= n[k]) return best;
                at[k] = lk[c];
            }
            // at[k]'s posting: j for step 2, cursor[k] for the steps after it.
            const auto time_at = [&](size_t k) { return step_time<C>(rs, k, k == 1 ? j : cursor[k]); };
            const int64_t end = std::min(add_saturated(step_time<C>(rs, 0, last), window_us_), ctx_.as_of_us);
            const int64_t t_best = time_at(size_t(best));
            if (t_best > end) continue;
            // Better than best: extend the matches as far as the deadline allows.
            int64_t t_at[kMaxFunnelSteps];
            t_at[best] = t_best;
            bool exhausted = false;
            for (k = size_t(best) + 1; k < S_; k++) {
                if (k == ready) step_range(u, ready++, &rs);
                const uint32_t* lk = l[k];
                size_t c = cursor[k];
                while (c < n[k] && (lk[c] <= at[k - 1] || !later_step_matches<F>(k, lk[c]))) c++;
                cursor[k] = c;
                if (c >= n[k]) {
                    exhausted = true;
                    break;
                }
                const int64_t t = step_time<C>(rs, k, c);
                if (t > end) break;
                at[k] = lk[c], t_at[k] = t;
            }
            const int level = int(k);
            // The counted start: the group's first whose deadline reaches the last match.
            const int64_t need = t_at[level - 1];
            size_t q = group;
            int64_t t1 = step_time<C>(rs, 0, q);
            while (add_saturated(t1, window_us_) < need) t1 = step_time<C>(rs, 0, ++q);
            first_row_ = l1[q];
            times_[0] = t1;
            for (int i = 1; i < level; i++) times_[i] = i < best ? time_at(size_t(i)) : t_at[i];
            best = level;
            if (exhausted || size_t(best) == S_) return best;
        }
        return best;
    }

    // Strict, when every step-1 event starts an attempt and nothing voids one (fast_): a
    // start's matches are the rows right after it, known from the postings alone; times are
    // read only for starts whose rows would raise the best level.
    template <bool C, bool F>
    SEGX_ALWAYS_INLINE int user_strict_fast(size_t u) {
        StepRanges rs;
        step_ranges(u, &rs);
        const auto& l = rs.l;
        const auto& n = rs.n;
        auto& cursor = rs.cursor;
        first_row_ = l[0][cursor[0]];
        int best = 1;
        for (size_t p = cursor[0]; p < n[0]; p++) {
            const uint32_t r1 = l[0][p];
            // Rows r1 + 1, r1 + 2, ... while they are the next steps' (matching) events.
            size_t k = 1;
            bool exhausted = false;
            for (; k < S_; k++) {
                const uint32_t* lk = l[k];
                size_t c = cursor[k];
                while (c < n[k] && lk[c] <= r1 + k - 1) c++;
                cursor[k] = c;
                if (c >= n[k]) {
                    exhausted = true;
                    break;
                }
                if (lk[c] != r1 + k || !later_step_matches<F>(k, lk[c])) break;
            }
            if (int(k) > best) {
                // Within the deadline: the rows' times are in order, so a prefix. (Row r1 + i,
                // i < k, is step i + 1's posting cursor[i].)
                int64_t t[kMaxFunnelSteps];
                t[0] = step_time<C>(rs, 0, p);
                const int64_t end = std::min(add_saturated(t[0], window_us_), ctx_.as_of_us);
                size_t level = 1;
                while (level < k && (t[level] = step_time<C>(rs, level, cursor[level])) <= end) level++;
                if (int(level) > best) {
                    best = int(level);
                    first_row_ = r1;
                    for (size_t i = 0; i < level; i++) times_[i] = t[i];
                    if (size_t(best) == S_) return best;
                }
            }
            // No step-(k + 1) event after this start's step k: no later start gets further.
            if (exhausted && size_t(best) >= k) return best;
        }
        return best;
    }

    // Unordered: an anchor's level depends on its time t alone (the steps with a matching event
    // in [t, min(t + W, as-of)]), so anchors are taken step list by step list, each in time
    // order, with one forward-only cursor per step (the first matching event at or after t),
    // reset per list. The counted anchor is the earliest in stored order (the least row) among
    // those reaching the best level.
    template <bool C>
    int user_unordered(size_t u) {
        StepRanges rs;
        step_ranges(u, &rs);
        const auto& l = rs.l;
        const auto& n = rs.n;
        const auto& b = rs.cursor; // the ranges' beginnings; the cursors below move per anchor list
        size_t cursor[kMaxFunnelSteps];
        int best = 0, steps = 0; // steps: those with an event of their name (a bound on levels)
        for (size_t k = 0; k < S_; k++) steps += n[k] != b[k];
        uint32_t best_row = UINT32_MAX;
        int64_t buffers[2][kMaxFunnelSteps];
        int64_t *earliest = buffers[0], *best_earliest = buffers[1]; // swapped, not copied
        for (size_t a = 0; a < S_; a++) {
            if (n[a] == b[a]) continue;
            for (size_t k = 0; k < S_; k++) cursor[k] = b[k];
            for (size_t p = b[a]; p < n[a]; p++) {
                const uint32_t r = l[a][p];
                if (best == steps && r > best_row) break; // nothing better further on
                const int64_t t = step_time<C>(rs, a, p);
                if (t > ctx_.as_of_us) break;
                if (!in_entry(t) || !step_matches(a, r)) continue;
                const int64_t end = std::min(add_saturated(t, window_us_), ctx_.as_of_us);
                int level = 0, live = 0; // live: steps with a matching event at or after t
                for (size_t k = 0; k < S_; k++) {
                    const uint32_t* lk = l[k];
                    size_t c = cursor[k];
                    int64_t tc = 0;
                    while (c < n[k] && ((tc = step_time<C>(rs, k, c)) < t || !step_matches(k, lk[c]))) c++;
                    cursor[k] = c;
                    live += c < n[k];
                    if (c < n[k] && tc <= end) earliest[level++] = tc;
                }
                if (level > best || (level == best && r < best_row)) {
                    best = level, best_row = r;
                    std::swap(earliest, best_earliest);
                }
                // Later anchors of this list reach `live` steps at most, with later rows.
                if (live < best || (live == best && best_row <= r)) break;
            }
        }
        if (best == 0) return 0;
        // The k-th completed step's time: the k-th smallest of the matched steps' earliest.
        std::sort(best_earliest, best_earliest + best);
        for (int k = 0; k < best; k++) times_[k] = best_earliest[k];
        first_row_ = best_row;
        return best;
    }

    const Funnel& f_;
    const FunnelContext& ctx_;
    const size_t S_;
    Matcher steps_, excl_; // their predicates per step / exclusion (empty: none)
    int64_t entry_lo_ = INT64_MIN, entry_hi_ = INT64_MAX;
    int64_t window_us_ = 0;
    std::optional<Bitmap> filter_;
    std::optional<EventIndex> built_; // the index of a model built in code
    // Slots: the event codes of the steps (the first step_slots_), then of exclusions; per
    // slot its postings and each user's start in them (from the index's kept starts).
    size_t step_slots_ = 0;
    StartsView starts_[2 * 32] = {};
    const uint32_t* postings_[2 * 32] = {};
    size_t events_[2 * 32] = {}; // per slot, its postings
    std::vector<std::vector<uint32_t>> scratch_;
    size_t step_slot_[kMaxFunnelSteps] = {}, excl_slot_[kMaxFunnelExclusions] = {};
    bool any_start_ = false;
    uint32_t filtered_ = 0;                    // the steps with filters (bit k: step k + 1)
    bool fast_ = false;                        // ordered or strict, any_start_ and no exclusions: user_*_fast
    PostingTimes step_times_[kMaxFunnelSteps]; // per step, its name's times beside the postings
    bool compact_ = false;                     // every step's (non-empty) name has them
    static constexpr size_t kBatch = 16;       // walk once this many users wait (at most 63 more)
    static constexpr uint64_t kTouchRows = 64; // of a user's events, the first ones touched
    volatile int64_t touched_ = 0;             // keeps the touching loads
    int64_t times_[kMaxFunnelSteps] = {};      // the counted attempt's step times
    size_t first_row_ = 0;

public:
    const Column* breakdown_ = nullptr;
    bool want_first_row_ = false; // a property breakdown: level-1 users' step-1 rows too
    bool visit_level_one_ = true; // false: run() only counts the users it knows at level 1
    // At most this many users reach step k (0-based): those with an event of its name.
    size_t reach_bound(size_t k) const { return std::min(events_[step_slot_[k]], ctx_.model.users.size()); }
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
    std::vector<Durations> gaps(S); // gaps[k]: step k's time - step k-1's, k >= 1
    Durations convert;
    std::optional<Groups> groups;
    if (engine.breakdown_) groups.emplace(*engine.breakdown_, S);
    const bool by_property = funnel.breakdown && funnel.breakdown->property;
    engine.want_first_row_ = by_property;
    engine.visit_level_one_ = groups.has_value(); // else level 1 only counts
    std::vector<uint64_t> reached(S + 1, 0);      // users per level
    // Room for every user who may reach each step, so that the walk never regrows them.
    for (size_t k = 1; k < S; k++) gaps[k].v.reset(new int64_t[engine.reach_bound(k)]);
    convert.v.reset(new int64_t[engine.reach_bound(S - 1)]);
    // Inlined into the walk: called for every user reaching step 1.
    reached[1] +=
        engine.run(r.levels, r.population,
                   [&](size_t u, int level, const int64_t* times, size_t first_row) SEGX_ALWAYS_INLINE {
                       reached[size_t(level)]++;
                       for (int k = 1; k < level; k++) gaps[size_t(k)].push(times[k] - times[k - 1]);
                       if (size_t(level) == S) convert.push(times[S - 1] - times[0]);
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
            s.from_prev = duration_stats(gaps[k].v.get(), gaps[k].n);
        }
    }
    r.time_to_convert = duration_stats(convert.v.get(), convert.n); // reorders `convert`
    std::vector<int64_t> edges = histogram_edges(funnel.window.micros());
    for (size_t i = 0; i + 1 < edges.size(); i++) r.histogram.push_back({edges[i], edges[i + 1], 0});
    // Each time to convert's bucket [edges[i], edges[i + 1]) (the last one up to W): a table over
    // the duration buckets of the percentiles (duration_bucket) gives the one holding a duration
    // bucket's least value, and the few duration buckets that hold an edge step over it. Two
    // count arrays take turns, as clustered values fall in one bucket in a row.
    const size_t buckets = r.histogram.size(); // at most 21: the ladder's edges below W, then W
    std::vector<uint8_t> at_least(kDurationBuckets);
    for (uint32_t b = 0, i = 0; b < kDurationBuckets; b++) {
        while (i + 1 < buckets && uint64_t(edges[i + 1]) <= duration_range(b).from) i++;
        at_least[b] = uint8_t(i);
    }
    std::vector<uint64_t> counts(2 * buckets, 0);
    for (size_t j = 0; j < convert.n; j++) {
        const int64_t v = convert.v[j];
        size_t i = v < 0 ? 0 : at_least[duration_bucket(uint64_t(v))];
        while (i + 1 < buckets && edges[i + 1] <= v) i++;
        counts[(j & 1) * buckets + i]++;
    }
    for (size_t i = 0; i < buckets; i++) r.histogram[i].users = counts[i] + counts[buckets + i];
    if (groups) r.breakdown = groups->rows(size_t(funnel.breakdown->top));
    return r;
}

FunnelLevels funnel_levels(const Funnel& funnel, const FunnelContext& ctx) {
    FunnelLevels out;
    Engine engine(funnel, ctx);
    if (!engine.compile(out.errors)) return out;
    uint64_t population = 0;
    engine.visit_level_one_ = false;
    engine.run(out.levels, population, [](size_t, int, const int64_t*, size_t) {});
    return out;
}

} // namespace segx
