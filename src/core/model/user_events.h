#pragma once
// UserEvents: a cursor over each user's events, or over those of one event name, for engines
// that visit users in index order (lifecycle, the board, retention). Reads the model in place.

#include "core/model/model.h"

#include <algorithm>

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace segx {

// Each user's events (all, or those of one event name) in time order, read in place: all from
// the user's CSR slice, one name's from its postings in the per-event-name index (CSR order: by user, then
// time), which a cursor walks forward as users are visited in ascending order. Without an index the name's
// rows are gathered once. No allocation per user.
class UserEvents {
public:
    static constexpr uint32_t kAny = UINT32_MAX;
    // Every event of each user (code kAny), or those of one event code. `starts`: seek in two
    // loads through the index's kept per-user starts of the code (EventIndex::user_starts)
    // instead of walking the postings; they stay valid only until the next user_starts call,
    // so one such cursor at a time and no funnel run meanwhile.
    UserEvents(const Model& model, uint32_t code, bool starts = false);

    // Moves to user u; users must come in ascending order (any may be skipped).
    void seek(size_t u) {
        if (any_) {
            begin_ = size_t(offsets_[u]);
            end_ = size_t(offsets_[u + 1]);
            return;
        }
        if (has_starts_) {
            begin_ = starts_[u];
            end_ = starts_[u + 1];
            return;
        }
        const uint64_t lo = offsets_[u], hi = offsets_[u + 1];
        while (k_ < count_ && rows_[k_] < lo) k_++;
        begin_ = k_;
        while (k_ < count_ && rows_[k_] < hi) k_++;
        end_ = k_;
    }
    size_t count() const { return end_ - begin_; }
    // The time of the current user's i-th event (0 <= i < count()).
    int64_t time(size_t i) const { return any_ ? time_[begin_ + i] : time_[rows_[begin_ + i]]; }
    // True when the current user's i-th event is certainly before the day holding `t`
    // (EventIndex::day, no time read); false when unknown. `day` is day_key(t).
    bool before_day(size_t i, int64_t day) const {
        return day_ != nullptr && int64_t(day_[begin_ + i]) < day;
    }
    // The key before_day compares with: the index's day of t, or -1 (never before) when there
    // is no day column or t is past its last day.
    int64_t day_key(int64_t t) const;
    // Where the current user's i-th event falls among ascending times `edges` (n of them, at
    // most 4) without reading its time: the number of edges strictly before it (0 .. n), or -1
    // when only its time can tell (no day column, its day holds an edge, or its day is the last
    // stored one). `edge_days` are day_of() of the edges, from edge_days_of().
    int place_by_day(size_t i, const int64_t* edge_days, int n) const {
        if (day_ == nullptr) return -1;
        const int64_t d = day_[begin_ + i];
        if (d == EventIndex::kLastDay) return -1; // the last stored day holds every later time
        int before = 0;
        for (int j = 0; j < n; j++) {
            if (d == edge_days[j]) return -1;
            before += d > edge_days[j];
        }
        return before;
    }
    // The index's day of each edge (any value when there is no day column: place_by_day says -1).
    void edge_days_of(const int64_t* edges, int n, int64_t* out) const {
        for (int j = 0; j < n; j++) out[j] = index_ != nullptr ? index_->day_of(edges[j]) : -1;
    }
    // The row in the event store of the current user's i-th event.
    size_t row(size_t i) const { return any_ ? begin_ + i : rows_[begin_ + i]; }
    // Its revenue (NaN: none) and order code (EventStore::kNoOrder: none). Users in ascending
    // order read EventValues sequentially (a user's carrying rows are adjacent there).
    double revenue(size_t i) const { return store_->values.revenue(row(i)); }
    uint32_t order(size_t i) const { return store_->values.order(row(i)); }

private:
    bool any_;
    const uint64_t* offsets_;
    const int64_t* time_;
    const uint32_t* rows_ = nullptr; // the named event's postings
    const uint16_t* day_ = nullptr;  // their days (EventIndex::day), when from the index
    const EventIndex* index_ = nullptr;
    const EventStore* store_;
    size_t count_ = 0, k_ = 0, begin_ = 0, end_ = 0;
    StartsView starts_; // the kept per-user starts, when asked for (has_starts_)
    bool has_starts_ = false;
    std::vector<std::vector<uint32_t>> starts_scratch_;
    std::vector<uint32_t> own_rows_; // without an index
};

// Every event (of every name) in (lo, hi], read through the per-event-name index's time view:
// mark(user, flags_of(t)) per event, where flags_of may change only at the times in `edges`
// and just after them (t and t + 1 for each edge, lo and hi included; flags_of(t) must be 0
// outside (lo, hi]). Events on a day where flags_of does not change are marked with their
// day's flags without reading their time; the others (the days holding a real change, not at
// their first microsecond, that an event of the name can reach: a change after the name's
// latest event, such as hi + 1 at the default as-of, needs no time read) with their exact
// time. Index days are UTC days, so calendar period starts cost no time read. Reads 4 bytes
// per event (its user) and writes wherever mark does: for "who was active when", a scan
// without per-user seeks. False (nothing marked) when the model has no index or the times lie
// past the index's days.
template <typename FlagsOf, typename Mark>
bool scan_events_by_day(const Model& model, int64_t lo, int64_t hi, std::vector<int64_t> edges,
                        FlagsOf&& flags_of, Mark&& mark) {
    const EventIndex& ix = model.event_index;
    const int64_t* time = model.events.time.data();
    if (!ix.fits(model.events) || ix.codes() == 0 || hi <= lo) return ix.fits(model.events);
    const constexpr int64_t kDay = 86400LL * 1000000LL;
    edges.push_back(lo);
    edges.push_back(hi);
    // The days where flags may change (ascending, distinct), each with its earliest change
    // inside the day (INT64_MAX: none); an event name whose latest event comes before that
    // change has its events on that day on one side of every change.
    std::vector<std::pair<int64_t, int64_t>> days;
    for (int64_t e : edges) {
        for (int64_t c : {e, e == INT64_MAX ? e : e + 1}) { // flags may change at c
            const int64_t d = ix.day_of(c);
            if (d > EventIndex::kLastDay - 1) return false; // stored days stop there: no day test
            if (d < 0) continue;
            const bool inside = c != ix.base_time + d * kDay && flags_of(c - 1) != flags_of(c);
            days.push_back({d, inside ? c : INT64_MAX});
        }
    }
    std::sort(days.begin(), days.end());
    size_t w = 0;
    for (size_t r = 0; r < days.size(); r++) { // sorted: the first of a day has its earliest change
        if (w == 0 || days[w - 1].first != days[r].first) days[w++] = days[r];
    }
    days.resize(w);
    const int64_t first_day = std::max<int64_t>(0, ix.day_of(lo)), last_day = ix.day_of(hi);
    const uint32_t* row = ix.by_day_row.data();
    const uint32_t* user = ix.by_day_user.data();
    for (uint32_t c = 0; c < ix.codes(); c++) {
        if (ix.count(c) == 0 || ix.max_time[c] <= lo || ix.min_time[c] > hi) continue;
        int64_t d = first_day;
        size_t k = ix.first_on_or_after_day(c, d, time);
        for (const auto& [edge, change] : days) {
            if (edge < first_day) continue;
            if (edge > last_day) break;
            const size_t at_edge = ix.first_on_or_after_day(c, edge, time);
            if (k < at_edge) { // days d .. edge - 1: no flag changes within them
                const auto flags = flags_of(ix.base_time + d * kDay);
                if (flags)
                    for (; k < at_edge; k++) mark(user[k], flags);
            }
            const size_t after = ix.first_on_or_after_day(c, edge + 1, time);
            if (change <= ix.max_time[c]) {
                // The times first, in blocks: a tight loop of independent loads (a gather
                // scattered over the time column) keeps many cache misses in flight.
                constexpr size_t kBlock = 256;
                int64_t t[kBlock];
                for (k = at_edge; k < after;) {
                    const size_t n = std::min(kBlock, after - k);
                    for (size_t i = 0; i < n; i++) t[i] = time[row[k + i]];
                    for (size_t i = 0; i < n; i++)
                        if (const auto flags = flags_of(t[i])) mark(user[k + i], flags);
                    k += n;
                }
            } else if (const auto flags = flags_of(ix.base_time + edge * kDay)) {
                for (k = at_edge; k < after; k++) mark(user[k], flags);
            }
            k = after;
            d = edge + 1;
        }
    }
    return true;
}

} // namespace segx
