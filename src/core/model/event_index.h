#pragma once
// EventIndex: per event name, the EventStore rows that carry it (its "postings"), so that a
// behavior rule reads the events of its name only, not every event of every user.
//
// The postings of event code c are k = start[c] .. start[c+1]: rows[k] ascending, i.e. CSR
// order, so by user and, within a user, by time (EventStore's order); a reader walks them with
// a user cursor that only moves forward through EventStore::offsets. Beside each posting, its
// day (whole days since base_time), so that a time window is tested on 2 sequential bytes per
// posting and on the exact time (a gather from EventStore::time) only on the window's two
// edge days.
//
// Cost: 6 bytes per event (row 4, day 2) plus 20 per event name. Built once per model, by
// build_model; a Model filled by hand has none (fits() tells).

#include "core/model/event_store.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace segx {

struct EventIndex {
    static constexpr uint16_t kLastDay = UINT16_MAX; // day of every event from base + 65535 days on

    std::vector<uint32_t> start; // codes + 1 entries (empty when there are no events)
    std::vector<uint32_t> rows;  // every event row once, grouped by code
    std::vector<uint16_t> day;   // per posting: min((time - base_time) / 1 day, kLastDay)
    int64_t base_time = 0;       // the earliest event time
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
    // Built from `events` (as far as sizes tell: a Model is rebuilt on change, never edited).
    bool fits(const EventStore& events) const {
        return rows.size() == events.size() && day.size() == rows.size() && (rows.empty() || !start.empty());
    }
    size_t memory_bytes() const;
};

// One counting sort of the rows by event code: a count, a prefix sum and a stable scatter.
EventIndex build_event_index(const EventStore& events);

} // namespace segx
