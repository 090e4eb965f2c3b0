#include "core/lifecycle/board.h"

#include "core/lifecycle/activity.h"
#include "core/time/civil.h"

#include <algorithm>
#include <cmath>

namespace segx {

namespace {

constexpr const char* kGroups[] = {"none", "new", "returning", "dormant"};

int64_t minus_saturated(int64_t a, int64_t b) { // b >= 0
    return a < INT64_MIN + b ? INT64_MIN : a - b;
}

// One user's part of one period.
struct UserPart {
    BoardGroup group = BoardGroup::None;
    bool active = false, buyer = false;
    uint64_t orders = 0;
    double revenue = 0;
};

class BoardRun {
public:
    BoardRun(const Board& b, const LifecycleContext& ctx) : b_(b), ctx_(ctx) {}

    bool compile(std::vector<DefinitionError>& errors) {
        const size_t before = errors.size();
        const Model& m = ctx_.model;
        board_span(b_, ctx_.as_of_us, errors, &s_, &e_);
        resolve_activity(m, b_.event, errors, &activity_);
        if (!b_.audience.is_null()) {
            if (!ctx_.audience) {
                errors.push_back({"audience", "audience filters cannot be resolved here"});
            } else {
                filter_.emplace();
                if (!ctx_.audience(b_.audience, "audience", &*filter_, errors)) filter_.reset();
            }
        }
        if (errors.size() != before) return false;
        s2_ = minus_saturated(s_, e_ - s_);
        dormant_ = b_.dormant_days * kMicrosPerDay;
        if (std::optional<uint32_t> code = m.event_names.find(m.purchase_event)) purchase_ = *code;
        first_ = first_activity_times(m, activity_, e_);
        return true;
    }

    int64_t s() const { return s_; }
    int64_t e() const { return e_; }
    int64_t s2() const { return s2_; }
    uint64_t population() const { return filter_ ? filter_->count_set() : uint64_t(ctx_.model.users.size()); }

    // visit(u, current, previous) for every user (in the filter) active at or before e.
    template <typename Visit>
    void run(Visit&& visit) const {
        const EventStore& st = ctx_.model.events;
        const int64_t* time = st.time.data();
        const uint32_t* event = st.event.data();
        // Per order code, the last (user, period) that counted it: distinct orders per user and
        // period without a set per user.
        std::vector<uint64_t> seen(purchase_ == UINT32_MAX ? 0 : ctx_.model.order_ids.size(), 0);
        const int64_t lo = minus_saturated(s2_, dormant_);
        for (size_t u = 0, users = ctx_.model.users.size(); u < users; u++) {
            if (filter_ && !filter_->get(u)) continue;
            const int64_t first = first_[u];
            if (first == kNoActivity) continue;
            UserPart cur, prev;
            bool dormant_window = false, dormant_window_prev = false; // active in (s - D, s], (s2 - D, s2]
            const size_t begin = size_t(st.offsets[u]), end = size_t(st.offsets[u + 1]);
            for (size_t i = size_t(std::upper_bound(time + begin, time + end, lo) - time);
                 i < end && time[i] <= e_; i++) {
                const int64_t t = time[i];
                if (activity_.matches(event[i])) {
                    if (t > s_) cur.active = true;
                    if (t > s2_ && t <= s_) prev.active = true;
                    if (t > s_ - dormant_ && t <= s_) dormant_window = true;
                    if (t <= s2_) dormant_window_prev = true; // t > lo = s2 - D
                }
                if (event[i] == purchase_ && t > s2_) {
                    const bool now = t > s_;
                    UserPart& part = now ? cur : prev;
                    part.buyer = true;
                    const double r = st.revenue[i];
                    if (!std::isnan(r)) part.revenue += r;
                    const uint32_t order = st.order[i];
                    const uint64_t key = uint64_t(u + 1) * 2 + (now ? 1 : 0);
                    if (order == EventStore::kNoOrder) {
                        part.orders++;
                    } else if (seen[order] != key) {
                        seen[order] = key;
                        part.orders++;
                    }
                }
            }
            cur.group = first > s_       ? BoardGroup::New
                        : dormant_window ? BoardGroup::Returning
                                         : BoardGroup::Dormant;
            prev.group = first > s_            ? BoardGroup::None
                         : first > s2_         ? BoardGroup::New
                         : dormant_window_prev ? BoardGroup::Returning
                                               : BoardGroup::Dormant;
            visit(u, cur, prev);
        }
    }

private:
    const Board& b_;
    const LifecycleContext& ctx_;
    Activity activity_;
    std::optional<Bitmap> filter_;
    int64_t s_ = 0, e_ = 0, s2_ = 0, dormant_ = 0;
    uint32_t purchase_ = UINT32_MAX;
    std::vector<int64_t> first_; // per user, the first activity at or before e
};

void add(BoardPeriod& period, const UserPart& part) {
    if (part.group == BoardGroup::None) return;
    BoardGroupStats& g = period.groups[size_t(part.group) - 1];
    g.pool++;
    g.active += part.active;
    g.buyers += part.buyer;
    g.orders += part.orders;
    g.revenue += part.revenue;
}

} // namespace

bool board_span(const Board& board, int64_t as_of_us, std::vector<DefinitionError>& errors, int64_t* s,
                int64_t* e) {
    const size_t before = errors.size();
    if (board.dormant_days < 1 || board.dormant_days > kMaxWindowDays)
        errors.push_back(
            {"dormant_days", "expected a whole number of days from 1 to " + std::to_string(kMaxWindowDays)});
    TimeSpan span;
    if (std::holds_alternative<WindowAllTime>(board.period)) {
        errors.push_back({"period", "expected {\"last_days\": N} or {\"from\", \"to\"}"});
    } else if (resolve_window(board.period, as_of_us, "period", errors, &span)) {
        if (span.lo == INT64_MIN)
            errors.push_back({"period.from", "missing: the board's period needs a start"});
        else if (span.hi <= span.lo)
            errors.push_back({"period.from", "must be before as-of (" + format_timestamp_us(as_of_us) +
                                                 "): the period (from, to] holds no time up to as-of"});
    }
    *s = span.lo;
    *e = span.hi;
    return errors.size() == before;
}

const char* board_group_name(BoardGroup group) { return kGroups[size_t(group)]; }

std::optional<BoardGroup> board_group_from_name(std::string_view name) {
    for (size_t i = 0; i < 4; i++)
        if (name == kGroups[i]) return BoardGroup(i);
    return std::nullopt;
}

uint64_t board_traffic(BoardGroup group, const BoardGroupStats& stats) {
    return group == BoardGroup::Dormant ? stats.pool : stats.active;
}

std::optional<double> board_conversion(BoardGroup group, const BoardGroupStats& stats) {
    const uint64_t traffic = board_traffic(group, stats);
    if (traffic == 0) return std::nullopt;
    return double(stats.buyers) / double(traffic);
}

std::optional<double> board_aov(const BoardGroupStats& stats) {
    if (stats.orders == 0) return std::nullopt;
    return stats.revenue / double(stats.orders);
}

BoardResult run_board_engine(const Board& board, const LifecycleContext& ctx) {
    BoardResult result;
    BoardRun run(board, ctx);
    if (!run.compile(result.errors)) return result;
    result.population = run.population();
    result.current.from_us = run.s();
    result.current.to_us = run.e();
    result.previous.from_us = run.s2();
    result.previous.to_us = run.s();
    run.run([&](size_t, const UserPart& cur, const UserPart& prev) {
        add(result.current, cur);
        add(result.previous, prev);
    });
    return result;
}

BoardGroups board_groups(const Board& board, const LifecycleContext& ctx) {
    BoardGroups result;
    BoardRun run(board, ctx);
    if (!run.compile(result.errors)) return result;
    result.from_us = run.s();
    result.to_us = run.e();
    result.groups.assign(ctx.model.users.size(), BoardGroup::None);
    run.run([&](size_t u, const UserPart& cur, const UserPart&) { result.groups[u] = cur.group; });
    return result;
}

} // namespace segx
