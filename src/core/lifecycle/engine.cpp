#include "core/lifecycle/engine.h"

#include "core/lifecycle/activity.h"
#include "core/model/user_events.h"

#include <algorithm>
#include <optional>

namespace segx {

namespace {

constexpr const char* kStages[] = {"none", "new", "returning", "resurrecting", "dormant", "inactive"};

// The offsets of the set bits of `bits`, ascending, into `active`.
void active_offsets(uint32_t bits, std::vector<int64_t>& active) {
    active.clear();
    for (int64_t j = 0; bits != 0; bits >>= 1, j++)
        if (bits & 1) active.push_back(j);
}

// Per user, the active periods among P - n .. P (as offsets 0 .. n from P - n) and the offset
// of the first active period (-1: before P - n).
class Walker {
public:
    Walker(const Lifecycle& l, const LifecycleContext& ctx, int64_t n) : l_(l), ctx_(ctx), n_(n) {}

    bool compile(std::vector<DefinitionError>& errors) {
        const size_t before = errors.size();
        if (n_ < 1 || n_ > kMaxLifecyclePeriods)
            errors.push_back(
                {"periods", "expected a whole number from 1 to " + std::to_string(kMaxLifecyclePeriods)});
        resolve_activity(ctx_.model, l_.event, errors, &activity_);
        if (!l_.audience.is_null()) {
            if (!ctx_.audience) {
                errors.push_back({"audience", "audience filters cannot be resolved here"});
            } else {
                filter_.emplace();
                if (!ctx_.audience(l_.audience, "audience", &*filter_, errors)) filter_.reset();
            }
        }
        if (errors.size() != before) return false;
        last_ = period_index(ctx_.as_of_us, l_.period);
        starts_.resize(size_t(n_) + 2);
        for (int64_t i = 0; i <= n_ + 1; i++) starts_[size_t(i)] = period_start_us(last_ - n_ + i, l_.period);
        return true;
    }

    int64_t last_period() const { return last_; }
    uint64_t population() const { return filter_ ? filter_->count_set() : uint64_t(ctx_.model.users.size()); }

    // visit(u, first_offset, active_offsets) for every user (in the filter) active at or before
    // as-of; active_offsets ascending, distinct. Each user's activity is read backwards from
    // as-of and stops at the window's start; with any event as the activity, a user whose last
    // event is older than the window is visited from the model's aggregates alone.
    template <typename Visit>
    void run(Visit&& visit) const {
        const Model& m = ctx_.model;
        const size_t users = m.users.size();
        const int64_t as_of = ctx_.as_of_us, lo = starts_[0];
        const UserAggregates& agg = m.aggregates;
        const bool seen =
            activity_.any && agg.first_seen_us.size() == users && agg.last_seen_us.size() == users;
        UserEvents events = activity_events(m, activity_);
        std::vector<int64_t> active;
        const std::vector<uint16_t> bits = seen ? active_bits() : std::vector<uint16_t>();
        for (size_t u = 0; u < users; u++) {
            if (filter_ && !filter_->get(u)) continue;
            if (!bits.empty()) {
                const int64_t first = agg.first_seen_us[u];
                if (first == UserAggregates::kNever || first > as_of) continue;
                active_offsets(bits[u], active);
                const int64_t first_offset =
                    first < lo
                        ? -1
                        : int64_t(std::upper_bound(starts_.begin(), starts_.end(), first) - starts_.begin()) -
                              1;
                visit(u, first_offset, active);
                continue;
            }
            if (seen) {
                if (agg.first_seen_us[u] > as_of) continue; // not active at or before as-of
                if (agg.last_seen_us[u] < lo) {
                    active.clear();
                    visit(u, int64_t(-1), active);
                    continue;
                }
            }
            events.seek(u);
            size_t n = events.count();
            if (n == 0) continue;
            const int64_t first = events.time(0);
            if (first > as_of) continue;
            if (events.time(n - 1) > as_of) { // the last activity at or before as-of
                size_t a = 0, b = n;
                while (a < b) {
                    const size_t mid = a + (b - a) / 2;
                    if (events.time(mid) <= as_of)
                        a = mid + 1;
                    else
                        b = mid;
                }
                n = a;
            }
            const int64_t first_offset =
                first < lo
                    ? -1
                    : int64_t(std::upper_bound(starts_.begin(), starts_.end(), first) - starts_.begin()) - 1;
            active.clear();
            size_t j = size_t(n_); // the offset of the event read, moving down
            for (size_t i = n; i-- > 0;) {
                const int64_t t = events.time(i);
                if (t < lo) break;
                while (t < starts_[j]) j--;
                if (active.empty() || active.back() != int64_t(j)) active.push_back(int64_t(j));
            }
            std::reverse(active.begin(), active.end());
            visit(u, first_offset, active);
        }
    }

    // With any event as the activity and at most 16 offsets, the active periods come from one
    // scan of the events in the window through the index's time view: bit j per user (offset
    // j active). Empty when that path does not apply or the index cannot tell.
    std::vector<uint16_t> active_bits() const {
        const Model& m = ctx_.model;
        const int64_t as_of = ctx_.as_of_us, lo = starts_[0];
        std::vector<uint16_t> bits;
        if (!activity_.any || n_ + 1 > 16) return bits;
        bits.assign(m.users.size(), 0);
        const auto flags_of = [&](int64_t t) {
            if (t < lo || t > as_of) return uint16_t(0);
            const size_t j =
                size_t(std::upper_bound(starts_.begin(), starts_.end(), t) - starts_.begin()) - 1;
            return uint16_t(1u << j);
        };
        // The window is [lo, as_of]: (lo - 1, as_of] for the scan.
        if (!scan_events_by_day(m, lo - 1, as_of, starts_, flags_of,
                                [&](uint32_t u, uint16_t f) { bits[u] |= f; }))
            bits.clear();
        return bits;
    }

    // Users counted by what decides their stages: their active offsets (bits) and whether they
    // were first active before the window (then the pattern's bit n + 1 is set; else the first
    // active offset is the lowest bit). counts[pattern] for the 2^(n + 2) patterns. A pass over
    // the users' first activity and bits, no per-user visit. False when active_bits() is empty.
    bool pattern_counts(std::vector<uint32_t>& counts) const {
        const Model& m = ctx_.model;
        const size_t users = m.users.size();
        const UserAggregates& agg = m.aggregates;
        if (users == 0 || agg.first_seen_us.size() != users) return false;
        const std::vector<uint16_t> bits = active_bits();
        if (bits.empty()) return false;
        const int64_t as_of = ctx_.as_of_us, lo = starts_[0];
        const uint32_t before = 1u << (n_ + 1);
        counts.assign(size_t(before) * 2, 0);
        const int64_t* first = agg.first_seen_us.data();
        for (size_t u = 0; u < users; u++) {
            if (filter_ && !filter_->get(u)) continue;
            const int64_t f = first[u];
            if (f == UserAggregates::kNever || f > as_of) continue;
            counts[(f < lo ? before : 0) | bits[u]]++;
        }
        return true;
    }

private:
    const Lifecycle& l_;
    const LifecycleContext& ctx_;
    int64_t n_;
    Activity activity_;
    std::optional<Bitmap> filter_;
    int64_t last_ = 0;
    std::vector<int64_t> starts_; // period starts of P - n .. P + 1
};

// Adds `count` users with these active offsets (ascending) and first active offset (-1:
// before the window) to the periods' stages.
void tally_user(LifecycleResult& result, int64_t n, int64_t first, const std::vector<int64_t>& active,
                uint64_t count) {
    for (size_t i = 0; i < active.size(); i++) {
        const int64_t a = active[i];
        const bool previous = i > 0 && active[i - 1] == a - 1;
        const bool next = i + 1 < active.size() && active[i + 1] == a + 1;
        if (a >= 1) {
            LifecyclePeriod& p = result.periods[size_t(a - 1)];
            if (a == first)
                p.new_users += count;
            else if (previous)
                p.returning += count;
            else
                p.resurrecting += count;
        }
        if (a < n && !next) result.periods[size_t(a)].dormant += count; // dormant in offset a + 1
    }
}

} // namespace

const char* stage_in_period_name(StageInPeriod stage) { return kStages[size_t(stage)]; }

std::optional<StageInPeriod> stage_in_period_from_name(std::string_view name) {
    for (size_t i = 0; i < 6; i++)
        if (name == kStages[i]) return StageInPeriod(i);
    return std::nullopt;
}

LifecycleResult run_lifecycle_engine(const Lifecycle& lifecycle, const LifecycleContext& ctx) {
    LifecycleResult result;
    const int64_t n = lifecycle.periods;
    Walker walker(lifecycle, ctx, n);
    if (!walker.compile(result.errors)) return result;
    result.population = walker.population();
    // Offsets 1 .. n are the reported periods; offset 0 is only the previous of the first.
    result.periods.resize(size_t(n));
    for (int64_t k = 0; k < n; k++) {
        LifecyclePeriod& p = result.periods[size_t(k)];
        p.period = walker.last_period() - n + 1 + k;
        p.start_us = period_start_us(p.period, lifecycle.period);
        p.complete = period_complete(p.period, lifecycle.period, ctx.as_of_us);
    }
    std::vector<uint32_t> counts;
    if (walker.pattern_counts(counts)) {
        const uint32_t before = 1u << (n + 1);
        std::vector<int64_t> active;
        for (uint32_t pattern = 0; pattern < counts.size(); pattern++) {
            if (counts[pattern] == 0) continue;
            active_offsets(pattern & (before - 1), active);
            const int64_t first = (pattern & before) || active.empty() ? -1 : active.front();
            tally_user(result, n, first, active, counts[pattern]);
        }
        return result;
    }
    walker.run([&](size_t, int64_t first, const std::vector<int64_t>& active) {
        tally_user(result, n, first, active, 1);
    });
    return result;
}

StagesInPeriod stages_in_period(const Lifecycle& lifecycle, const LifecycleContext& ctx) {
    StagesInPeriod result;
    Walker walker(lifecycle, ctx, 1); // offsets 0 = P - 1, 1 = P
    if (!walker.compile(result.errors)) return result;
    result.stages.assign(ctx.model.users.size(), StageInPeriod::None);
    walker.run([&](size_t u, int64_t first, const std::vector<int64_t>& active) {
        const bool now = !active.empty() && active.back() == 1;
        const bool before = !active.empty() && active.front() == 0;
        StageInPeriod stage = StageInPeriod::Inactive;
        if (now)
            stage = first == 1 ? StageInPeriod::New
                    : before   ? StageInPeriod::Returning
                               : StageInPeriod::Resurrecting;
        else if (before)
            stage = StageInPeriod::Dormant;
        result.stages[u] = stage;
    });
    return result;
}

} // namespace segx
