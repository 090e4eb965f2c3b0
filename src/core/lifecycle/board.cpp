#include "core/lifecycle/board.h"

#include "core/lifecycle/activity.h"
#include "core/time/civil.h"

#include <algorithm>
#include <cmath>
#include <type_traits>

namespace segx {

namespace {

constexpr const char* kGroups[] = {"none", "new", "returning", "dormant"};

int64_t minus_saturated(int64_t a, int64_t b) { // b >= 0
    return a < INT64_MIN + b ? INT64_MIN : a - b;
}

// Order code -> the first (user, period) key that counted it, for one window's purchases: an
// open-addressing table sized to them (a table over every order code would be zeroed per run),
// each slot's code and key side by side so that a probe touches one cache line.
class FirstKeys {
public:
    enum Seen { kNew, kSame, kOther };
    explicit FirstKeys(size_t n) {
        size_t capacity = 16;
        while (capacity < 2 * n) capacity <<= 1;
        slots_.assign(capacity, Slot{kEmpty, 0});
        mask_ = capacity - 1;
    }
    // Stores `key` for `order` unless the order has one: kNew, or whether it was this key.
    Seen insert(uint32_t order, uint32_t key) {
        for (size_t i = (order * 2654435761u) & mask_;; i = (i + 1) & mask_) {
            Slot& slot = slots_[i];
            if (slot.order == order) return slot.key == key ? kSame : kOther;
            if (slot.order == kEmpty) {
                slot = Slot{order, key};
                return kNew;
            }
        }
    }

private:
    static constexpr uint32_t kEmpty = UINT32_MAX; // never an order code (kNoOrder is not stored)
    struct Slot {
        uint32_t order, key;
    };
    std::vector<Slot> slots_;
    size_t mask_ = 0;
};

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
        const std::vector<uint8_t> spans = seen ? active_spans() : std::vector<uint8_t>();
        for (size_t u = 0; u < users; u++) {
            if (filter_ && !filter_->get(u)) continue;
            int64_t first;
            uint8_t f; // the span bits (active_spans)
            bool quiet;
            if (!spans.empty()) {
                first = agg.first_seen_us[u];
                if (first == UserAggregates::kNever || first > e_) continue;
                f = spans[u];
                quiet = (f & (kCur | kPrev)) == 0; // no event in (s2, e], so no purchase
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
                const bool before_s = le_s != kNoActivity, before_s2 = le_s2 != kNoActivity;
                f = uint8_t((le_e > s_ ? kCur : 0) | (before_s && le_s > s2_ ? kPrev : 0) |
                            (before_s && le_s > s_lo ? kDormCur : 0) |
                            (before_s2 && le_s2 > lo ? kDormPrev : 0));
            }
            UserPart cur, prev;
            cur.active = f & kCur;
            prev.active = f & kPrev;
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
            cur.group = BoardGroup(group_now(first, f));
            prev.group = BoardGroup(group_before(first, f));
            visit(u, cur, prev);
        }
    }

    // With any event as the activity, who was active in which span, from one scan of the events
    // in (s2 - D, e] through the index's time view: bits per user, kCur (s, e], kPrev (s2, s],
    // kDormCur (s - D, s], kDormPrev (s2 - D, s2]. Empty when the index cannot tell.
    static constexpr uint8_t kCur = 1, kPrev = 2, kDormCur = 4, kDormPrev = 8, kBoughtCur = 16,
                             kBoughtPrev = 32;
    static constexpr int kWhenShift = 6; // tally: when first active, in the top two bits
    // tally's keys are user * 2 + period in 32 bits (more users take the per-user path).
    static constexpr size_t kMaxTallyUsers = size_t(1) << 31;
    // A span byte without its bought bits: when << 4 | the four span bits (0 .. 63).
    static int group_key(uint8_t f) { return ((f >> 2) & 48) | (f & 15); }
    std::vector<uint8_t> active_spans() const {
        const Model& m = ctx_.model;
        const int64_t lo = minus_saturated(s2_, dormant_), s_lo = minus_saturated(s_, dormant_);
        std::vector<uint8_t> spans(m.users.size(), 0);
        // Captured by value: the byte stores below may alias anything reached by reference, so
        // the compiled loops would reload these per event.
        const int64_t s = s_, e = e_, s2 = s2_;
        uint8_t* const out = spans.data();
        const auto flags_of = [s, e, s2, s_lo, lo](int64_t t) {
            return uint8_t((t > s && t <= e ? kCur : 0) | (t > s2 && t <= s ? kPrev : 0) |
                           (t > s_lo && t <= s ? kDormCur : 0) | (t > lo && t <= s2 ? kDormPrev : 0));
        };
        if (!scan_events_by_day(m, lo, e, {s_lo, s2, s}, flags_of,
                                [out](uint32_t u, uint8_t f) { out[u] |= f; }))
            spans.clear();
        return spans;
    }

    // A user's group in the current and in the previous period, from the first activity and
    // the spans' bits (BoardGroup as an index: 0 none .. 3 dormant).
    int group_now(int64_t first, uint8_t f) const { return first > s_ ? 1 : (f & kDormCur) ? 2 : 3; }
    int group_before(int64_t first, uint8_t f) const {
        return first > s_ ? 0 : first > s2_ ? 1 : (f & kDormPrev) ? 2 : 3;
    }

    // The board's sums without visiting users one by one, when the activity is any event and
    // the index's day view answers: the spans' scan, then one pass over the users' first
    // activity and span bits counting pools and actives (and noting in the spans when each
    // user was first active), then the purchases in (s2, e] read by day from the purchase
    // event's postings (times read on the three edge days only). False (nothing written) when
    // the index cannot tell; run() then visits every user.
    bool tally(BoardResult& result) const {
        const Model& m = ctx_.model;
        const size_t users = m.users.size();
        const UserAggregates& agg = m.aggregates;
        if (!activity_.any || users == 0 || users > kMaxTallyUsers || agg.first_seen_us.size() != users)
            return false;
        std::vector<uint8_t> spans = active_spans();
        if (spans.empty()) return false;
        const int64_t* first = agg.first_seen_us.data();
        const int64_t s = s_, e = e_, s2 = s2_;
        uint8_t* const sp = spans.data();
        // Users counted by what decides their groups: when they were first active (0: after s,
        // 1: in (s2, s], 2: at or before s2, 3: in no group) and their four span bits, i.e. by
        // their span byte once "when" is in its top bits (kept there for the purchases' pass).
        // Four interleaved histograms, so that runs of alike users do not wait on one counter;
        // a branch-free body, as this visits every user.
        uint32_t hist[4][256] = {};
        const auto count = [&](auto filtered) {
            for (size_t u = 0; u < users; u++) {
                const int64_t f0 = first[u] == UserAggregates::kNever ? INT64_MAX : first[u];
                int when = (f0 <= s) + (f0 <= s2) + 3 * (f0 > e);
                if constexpr (decltype(filtered)::value) when = filter_->get(u) ? when : 3;
                const uint8_t f = uint8_t(sp[u] | (when << kWhenShift));
                sp[u] = f;
                hist[u & 3][f]++;
            }
        };
        if (filter_)
            count(std::true_type{});
        else
            count(std::false_type{});
        for (int key = 0; key < (3 << kWhenShift); key++) { // from 3 << kWhenShift on: in no group
            const uint64_t n = uint64_t(hist[0][key]) + hist[1][key] + hist[2][key] + hist[3][key];
            if (n == 0) continue;
            const uint8_t f = uint8_t(key & 15);
            const int when = key >> kWhenShift;
            const int64_t f0 = when == 0 ? e_ : when == 1 ? s_ : s2_; // a first activity of that kind
            BoardGroupStats& cur = result.current.groups[group_now(f0, f) - 1];
            cur.pool += n;
            cur.active += (f & kCur) ? n : 0;
            if (const int g = group_before(f0, f)) {
                BoardGroupStats& prev = result.previous.groups[g - 1];
                prev.pool += n;
                prev.active += (f & kPrev) ? n : 0;
            }
        }
        if (purchase_ != UINT32_MAX) tally_purchases(sp, result);
        return true;
    }

    // Buyers, orders and revenue of the purchases in (s2, e], with each user's groups from
    // their span bits and "when" (tally). Distinct orders per (user, period): an order code
    // remembers the first (user, period) that counted it; a different one meeting the same
    // code (an id shared by two users, or line items on both sides of s) is set aside and
    // counted once per distinct pair at the end.
    void tally_purchases(uint8_t* spans, BoardResult& result) const {
        const Model& m = ctx_.model;
        const EventIndex& ix = m.event_index;
        const EventStore& store = m.events;
        const int64_t* time = store.time.data();
        const uint32_t c = purchase_;
        if (ix.count(c) == 0 || ix.max_time[c] <= s2_ || ix.min_time[c] > e_) return;
        // Group (0: none .. 3: dormant) in the previous [0] and current [1] period, by group_key.
        uint8_t group[2][64];
        for (int key = 0; key < 64; key++) {
            const int when = key >> 4;
            const uint8_t f = uint8_t(key & 15);
            const int64_t f0 = when == 0 ? e_ : when == 1 ? s_ : s2_;
            group[0][key] = when == 3 ? 0 : uint8_t(group_before(f0, f));
            group[1][key] = when == 3 ? 0 : uint8_t(group_now(f0, f));
        }
        BoardPeriod* const periods[2] = {&result.previous, &result.current};
        const int64_t edge_day[3] = {ix.day_of(s2_), ix.day_of(s_), ix.day_of(e_)};
        const int64_t first_day = std::max<int64_t>(0, edge_day[0]);
        const size_t begin = ix.first_on_or_after_day(c, first_day, time);
        FirstKeys counted(ix.first_on_or_after_day(c, edge_day[2] + 1, time) - begin);
        std::vector<std::pair<uint32_t, uint32_t>> shared; // (order, key) met after another key
        const uint32_t* rows = ix.by_day_row.data();
        const uint32_t* user = ix.by_day_user.data();
        const EventValues& values = store.values;
        const int64_t s = s_, e = e_, s2 = s2_;
        // The postings k in [from, to): their period from their day (`place`: the edges before
        // it), or from their time when `exact`. In blocks, each step a loop of its own: the
        // loads scattered over the time and value columns then overlap instead of waiting one
        // by one behind a long loop body. Postings keep their order (revenue adds up as before).
        const auto read = [&](size_t from, size_t to, bool exact, int place) {
            constexpr size_t kBlock = 256;
            uint32_t keys[kBlock], at[kBlock], orders[kBlock];
            double revenues[kBlock];
            for (size_t k = from; k < to;) {
                const size_t n = std::min(kBlock, to - k);
                size_t m = 0; // the block's purchases in (s2, e]
                for (size_t i = 0; i < n; i++, k++) {
                    const uint32_t row = rows[k];
                    int p = place;
                    if (exact) {
                        const int64_t t = time[row];
                        p = (t > s2) + (t > s) + (t > e);
                    }
                    keys[m] = user[k] * 2 + (p == 2 ? 1 : 0);
                    at[m] = row;
                    m += p == 1 || p == 2;
                }
                for (size_t i = 0; i < m; i++) {
                    revenues[i] = values.revenue(at[i]);
                    orders[i] = values.order(at[i]);
                }
                for (size_t i = 0; i < m; i++) {
                    const uint32_t key = keys[i], u = key / 2;
                    const bool cur = key & 1;
                    const uint8_t f = spans[u];
                    const int g = group[cur][group_key(f)];
                    if (g == 0) continue; // outside the filter (never else: a purchase is an activity)
                    BoardGroupStats& st = periods[cur]->groups[g - 1];
                    const uint8_t bought = cur ? kBoughtCur : kBoughtPrev;
                    if (!(f & bought)) {
                        spans[u] = f | bought;
                        st.buyers++;
                    }
                    if (!std::isnan(revenues[i])) st.revenue += revenues[i];
                    const uint32_t order = orders[i];
                    if (order == EventStore::kNoOrder) {
                        st.orders++;
                    } else if (const FirstKeys::Seen seen = counted.insert(order, key);
                               seen == FirstKeys::kNew) {
                        st.orders++;
                    } else if (seen == FirstKeys::kOther) {
                        shared.push_back({order, key});
                    }
                }
            }
        };
        // Whole days between the edge days, then each edge day by time (an edge day shared
        // with the previous edge is read once, by time).
        size_t k = begin;
        int64_t next_day = first_day;
        for (int j = 0; j < 3; j++) {
            if (edge_day[j] < next_day) continue; // before the first day, or the previous edge's day
            const size_t day_begin = ix.first_on_or_after_day(c, edge_day[j], time);
            if (j > 0) read(k, day_begin, false, j); // after j edges (none before the first's day)
            k = ix.first_on_or_after_day(c, edge_day[j] + 1, time);
            read(day_begin, k, true, 0);
            next_day = edge_day[j] + 1;
        }
        std::sort(shared.begin(), shared.end());
        shared.erase(std::unique(shared.begin(), shared.end()), shared.end());
        for (const auto& [order, key] : shared) {
            const uint8_t f = spans[key / 2];
            const bool cur = key & 1;
            if (const int g = group[cur][group_key(f)]) periods[cur]->groups[g - 1].orders++;
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
    if (run.tally(result)) return result;
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
