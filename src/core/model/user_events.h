#pragma once
// UserEvents: a cursor over each user's events, or over those of one event name, for engines
// that visit users in index order (lifecycle, the board, retention). Reads the model in place.

#include "core/model/model.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace segx {

// Each user's events (all, or those of one event name) in time order, read in place: all from
// the user's CSR slice, one name's from its postings in the per-event-name index (CSR order: by user, then
// time), which a cursor walks forward as users are visited in ascending order. Without an index the name's
// rows are gathered once. No allocation per user.
class UserEvents {
public:
    static constexpr uint32_t kAny = UINT32_MAX;
    // Every event of each user (code kAny), or those of one event code.
    UserEvents(const Model& model, uint32_t code);

    // Moves to user u; users must come in ascending order (any may be skipped).
    void seek(size_t u) {
        if (any_) {
            begin_ = size_t(offsets_[u]);
            end_ = size_t(offsets_[u + 1]);
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
    // The row in the event store of the current user's i-th event.
    size_t row(size_t i) const { return any_ ? begin_ + i : rows_[begin_ + i]; }

private:
    bool any_;
    const uint64_t* offsets_;
    const int64_t* time_;
    const uint32_t* rows_ = nullptr; // the named event's postings
    const uint16_t* day_ = nullptr;  // their days (EventIndex::day), when from the index
    const EventIndex* index_ = nullptr;
    size_t count_ = 0, k_ = 0, begin_ = 0, end_ = 0;
    std::vector<uint32_t> own_rows_; // without an index
};

} // namespace segx
