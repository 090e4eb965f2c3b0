#pragma once
// EventIndex: per event name, the EventStore rows that carry it (its "postings"), so that a
// behavior rule reads the events of its name only, not every event of every user.
//
// The postings of event code c are k = start[c] .. start[c+1]: rows[k] ascending, i.e. CSR
// order, so by user and, within a user, by time (EventStore's order); a reader walks them with
// a user cursor that only moves forward through EventStore::offsets. Beside each posting, its
// day (whole UTC days since base_time, the midnight before the earliest event), so that a time window is
// tested on 2 sequential bytes per posting and on the exact time (a gather from EventStore::time) only on the
// window's two edge days.
//
// Beside it, a second, time-ordered view of the same postings: per code, the same k range of
// by_day_row / by_day_user holds its rows ordered by day (and by row within a day), with each
// row's user index. A time window then maps, by binary search on the day (first_on_or_after_day),
// to one contiguous slice whose inner days are all inside the window: a narrow window over a long
// history reads only the events inside it (behavior_eval.cpp chooses between the two views by
// cost). Within one user, the view keeps CSR (time) order, so per-user sums add in the same
// order either way.
//
// Cost: 14 bytes per event (row 4, day 2; time view: row 4, user 4) plus 20 per event name.
// Built once per model, by build_model; a Model filled by hand has none (fits() tells).
//
// Kept beside it, built on first use (or ahead of it, in the page's idle time after a load:
// warm_user_starts, warm_posting_times): per event name, where each user's postings begin
// (user_starts.h), 2 B per user and name, and for the funnel engine the name's times beside its
// postings, 4 B per posting; at most 4 B per event in all.

#include "core/model/event_store.h"
#include "core/model/user_starts.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace segx {

struct EventIndex {
    static constexpr uint16_t kLastDay = UINT16_MAX; // day of every event from base + 65535 days on

    std::vector<uint32_t> start; // codes + 1 entries (empty when there are no events)
    std::vector<uint32_t> rows;  // every event row once, grouped by code
    std::vector<uint16_t> day;   // per posting: min((time - base_time) / 1 day, kLastDay)
    // The time-ordered view: per code, the same k range as rows, ordered by (day, row).
    std::vector<uint32_t> by_day_row;  // the event row
    std::vector<uint32_t> by_day_user; // its user index (the CSR slice holding the row)
    int64_t base_time = 0;             // UTC midnight of the earliest event time: days are UTC days
    // Per code: its earliest and latest event time, so that a window holding them all needs no
    // per-event test.
    std::vector<int64_t> min_time, max_time;

    size_t codes() const { return start.empty() ? 0 : start.size() - 1; }
    // Postings of `code` (none past the known codes): first() is its first posting's index
    // into rows and day.
    size_t first(uint32_t code) const { return code < codes() ? start[code] : 0; }
    size_t count(uint32_t code) const { return code < codes() ? size_t(start[code + 1] - start[code]) : 0; }
    // The day of time t, clamped to -1 (before base_time) .. kLastDay + 1 (past every day).
    int64_t day_of(int64_t t) const;
    // The stored day of the event at `time` (day_of clamped to 0 .. kLastDay).
    uint16_t stored_day(int64_t time) const;
    // In the time view of `code`, given every event's time: the first position k (an index into
    // by_day_row, within code's range) whose stored day is >= d. Binary search, O(log count).
    size_t first_on_or_after_day(uint32_t code, int64_t d, const int64_t* time) const;
    // Built from `events` (as far as sizes tell: a Model is rebuilt on change, never edited).
    bool fits(const EventStore& events) const {
        return rows.size() == events.size() && day.size() == rows.size() &&
               by_day_row.size() == rows.size() && by_day_user.size() == rows.size() &&
               (rows.empty() || !start.empty());
    }
    // The kept starts of user_starts() included.
    size_t memory_bytes() const;

    // For each of `codes`, where each user's postings begin (user_starts.h): user u's postings
    // of codes[i] are rows[first(codes[i]) + out[i][u] .. first(codes[i]) + out[i][u + 1]].
    // Kept between calls (see starts_cache); a name past the budget goes to scratch[i] for
    // this call. Valid until the next call. The index must fit `events`.
    // With `times` (n of them): also the first `timed` names' times beside their postings
    // (user_starts.h PostingTimes), indexed as rows[first(codes[i]) + k]; absent (v == nullptr)
    // for the others, and when not exact or past the budget.
    void user_starts(const EventStore& events, const uint32_t* codes, size_t n, StartsView* out,
                     std::vector<std::vector<uint32_t>>& scratch, PostingTimes* times = nullptr,
                     size_t timed = 0) const;
    static constexpr size_t kStartsBytesPerEvent = 4; // the kept starts' and times' budget
    // Ahead of a first use, if they fit the budget beside what is kept (UserStartsCache::prefill
    // and prefill_times), true when kept: the starts of `code`; its times (once its starts are).
    bool warm_user_starts(const EventStore& events, uint32_t code) const;
    bool warm_posting_times(const EventStore& events, uint32_t code) const;
    // The codes with postings, most postings first (ties by code): the order to warm them in.
    std::vector<uint32_t> codes_by_count() const;

    // The kept starts: a cache of what the fields above imply, so copied with them and gone
    // with them (a new model builds a new index). Mutable: filled by const readers.
    mutable UserStartsCache starts_cache;
};

// One counting sort of the rows by event code: a count, a prefix sum and a stable scatter (which
// also notes each posting's user); then the time view, per code a counting sort by day (or a
// comparison sort when the code's day range is much longer than its postings). O(events + codes).
EventIndex build_event_index(const EventStore& events);

} // namespace segx
