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
        return true;
    }

    int64_t s() const { return s_; }
    int64_t e() const { return e_; }
    int64_t s2() const { return s2_; }
    uint64_t population() const { return filter_ ? filter_->count_set() : uint64_t(ctx_.model.users.size()); }

    // visit(u, current, previous) for every user (in the filter) active at or before e. Per
    // user, the last activity at or before e, s and s2 (read backwards from e, stopping at s2;
    // with any event as the activity and the user's last event at or before s2, from the
    // model's first/last-seen aggregates without reading events), and their purchases in
    // (s2, e] from the purchase event's postings (their days skip older ones unread).
    template <typename Visit>
    void run(Visit&& visit) const {
        const Model& m = ctx_.model;
        const size_t users = m.users.size();
        const UserAggregates& agg = m.aggregates;
        const bool seen =
            activity_.any && agg.first_seen_us.size() == users && agg.last_seen_us.size() == users;
        UserEvents events = activity_events(m, activity_);
        // Per order code, the last (user, period) that counted it: distinct orders per user and
        // period without a set per user.
        std::vector<uint64_t> seen_order(purchase_ == UINT32_MAX ? 0 : m.order_ids.size(), 0);
        std::optional<UserEvents> purchases;
        if (purchase_ != UINT32_MAX) purchases.emplace(m, purchase_);
        // A purchase's day places it among s2, s and e without reading its time, except on
        // the three edge days.
        const int64_t edges[3] = {s2_, s_, e_};
        int64_t edge_days[3] = {-1, -1, -1};
        if (purchases) purchases->edge_days_of(edges, 3, edge_days);
        const int64_t lo = minus_saturated(s2_, dormant_), s_lo = minus_saturated(s_, dormant_);
        // With any event as the activity, who was active in which span comes from one scan of
        // the events in (s2 - D, e] through the index's time view, bits per user: 1 (s, e],
        // 2 (s2, s], 4 (s - D, s], 8 (s2 - D, s2].
        std::vector<uint8_t> spans;
        if (seen) {
            spans.assign(users, 0);
            const auto flags_of = [&](int64_t t) {
                return uint8_t((t > s_ && t <= e_ ? 1 : 0) | (t > s2_ && t <= s_ ? 2 : 0) |
                               (t > s_lo && t <= s_ ? 4 : 0) | (t > lo && t <= s2_ ? 8 : 0));
            };
            if (!scan_events_by_day(m, lo, e_, {s_lo, s2_, s_}, flags_of,
                                    [&](uint32_t u, uint8_t f) { spans[u] |= f; }))
                spans.clear();
        }
        for (size_t u = 0; u < users; u++) {
            if (filter_ && !filter_->get(u)) continue;
            int64_t first;
            bool cur_active, prev_active, dormant_window, dormant_window_prev, quiet;
            if (!spans.empty()) {
                first = agg.first_seen_us[u];
                if (first == UserAggregates::kNever || first > e_) continue;
                const uint8_t f = spans[u];
                cur_active = f & 1, prev_active = f & 2, dormant_window = f & 4, dormant_window_prev = f & 8;
                quiet = (f & 3) == 0; // no event in (s2, e], so no purchase
            } else {
                // The last activity at or before e, s and s2 (kNoActivity: none).
                int64_t le_e, le_s, le_s2;
                quiet = seen && agg.last_seen_us[u] <= s2_; // no event at all after s2
                if (quiet) {
                    first = agg.first_seen_us[u];
                    if (first == UserAggregates::kNever) continue; // no events at all
                    le_e = le_s = le_s2 = agg.last_seen_us[u];
                } else {
                    if (seen && agg.first_seen_us[u] > e_) continue;
                    events.seek(u);
                    size_t i = events.count();
                    if (i == 0 || events.time(0) > e_) continue;
                    first = events.time(0);
                    while (events.time(i - 1) > e_) i--; // i > 0: the first is at or before e
                    le_e = events.time(i - 1);
                    while (i > 0 && events.time(i - 1) > s_) i--;
                    le_s = i > 0 ? events.time(i - 1) : kNoActivity;
                    while (i > 0 && events.time(i - 1) > s2_) i--;
                    le_s2 = i > 0 ? events.time(i - 1) : kNoActivity;
                }
                cur_active = le_e > s_;
                prev_active = le_s != kNoActivity && le_s > s2_;
                dormant_window = le_s != kNoActivity && le_s > s_lo;      // active in (s - D, s]
                dormant_window_prev = le_s2 != kNoActivity && le_s2 > lo; // active in (s2 - D, s2]
            }
            UserPart cur, prev;
            cur.active = cur_active;
            prev.active = prev_active;
            if (purchases && !quiet) {
                purchases->seek(u);
                for (size_t k = 0, n = purchases->count(); k < n; k++) {
                    int place = purchases->place_by_day(k, edge_days, 3); // edges before it
                    if (place < 0) {
                        const int64_t t = purchases->time(k);
                        place = (t > s2_) + (t > s_) + (t > e_);
                    }
                    if (place == 0) continue; // at or before s2
                    if (place == 3) break;    // after e
                    const bool now = place == 2;
                    UserPart& part = now ? cur : prev;
                    part.buyer = true;
                    const double r = purchases->revenue(k);
                    if (!std::isnan(r)) part.revenue += r;
                    const uint32_t order = purchases->order(k);
                    const uint64_t key = uint64_t(u + 1) * 2 + (now ? 1 : 0);
                    if (order == EventStore::kNoOrder) {
                        part.orders++;
                    } else if (seen_order[order] != key) {
                        seen_order[order] = key;
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
