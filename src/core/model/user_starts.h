#pragma once
// UserStarts: for one event name, where each user's postings begin in the EventIndex, so that
// an engine walking users reads "user u's events of this name" as one range with two loads
// instead of a cursor skipping forward through the postings (a data-dependent loop per user
// and name, the funnel engine's main cost before this). For code c with first posting f =
// EventIndex::first(c), user u's postings are rows[f + s[u]] .. rows[f + s[u+1]] (s has
// users + 1 entries), in the index's row order.
//
// UserStartsCache keeps them per code, built on first use (or before it: prefill) and kept for
// the index's life (an EventIndex is built once per model and never edited, so the cache lives
// and dies with the model's generation): 4 B per user and name. Its budget is 4 B per event in
// all (at most events / (users + 1) names at once, the least recently used evicted first);
// names that do not fit are built into the caller's scratch for that call only. Not
// thread-safe (one index per evaluating thread, as everything in the model's caches).
//
// On request it also keeps a name's event times beside its postings (PostingTimes): 4 B per
// posting, so that an engine reads a walked user's times as sequentially as its postings
// instead of gathering them from EventStore::time (a cache miss per user). Exact or absent:
// kept only when every time of the name is base + v * unit with v < 2^32 for a unit of 1 s,
// 1 ms or 1 µs (whole seconds over 136 years, whole ms over 49 days). They share the budget
// with the starts (an entry's bytes are both) and are never built past it.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace segx {

// s[u] for the postings rows[0..n) of one code (ascending rows) over the CSR offsets of
// `users` users: s[u] = the number of postings whose row lies before offsets[u]; s[users] = n.
void build_user_starts(const uint32_t* rows, size_t n, const uint64_t* offsets, size_t users,
                       std::vector<uint32_t>* out);

// One name's event times beside its postings: posting k's time is base + v[k] * unit
// (v == nullptr: not kept; read EventStore::time at the posting's row).
struct PostingTimes {
    const uint32_t* v = nullptr;
    int64_t base = 0;
    int64_t unit = 0;
};

// The times of the postings rows[0..n) (times min_time .. max_time) as PostingTimes values
// into *out, with their base and unit; false (out emptied) when no unit is exact and fits.
bool build_posting_times(const uint32_t* rows, size_t n, const int64_t* time, int64_t min_time,
                         int64_t max_time, std::vector<uint32_t>* out, int64_t* base, int64_t* unit);

class UserStartsCache {
public:
    // A code's postings and the users' CSR offsets, as the EventIndex and EventStore hold them.
    struct Source {
        const uint32_t* rows = nullptr; // the code's postings (EventIndex::rows + first(code))
        size_t count = 0;
        uint32_t code = 0;
        // With times: the events' times (EventStore::time) and the code's least and greatest.
        const int64_t* time = nullptr;
        int64_t min_time = 0, max_time = 0;
    };

    // The starts of each of `sources` into out[i]: kept ones, or built (and kept while the
    // budget allows, else into scratch[i]). The pointers stay valid until the next acquire or
    // clear. `budget_bytes`: the most kept at once. With `times` (and Source::time): each
    // name's PostingTimes into times[i], kept ones or built once the starts are in, when they
    // fit the budget beside them (else absent: v == nullptr).
    void acquire(const Source* sources, size_t n, const uint64_t* offsets, size_t users, size_t budget_bytes,
                 const uint32_t** out, std::vector<std::vector<uint32_t>>& scratch,
                 PostingTimes* times = nullptr);

    // One code's starts built ahead of its first use (idle time after a load): kept when they
    // fit `budget_bytes` beside what is kept already, evicting nothing, and first in line for
    // eviction (as if never used). True when the code's starts are kept, now or before.
    bool prefill(const Source& source, const uint64_t* offsets, size_t users, size_t budget_bytes);

    size_t memory_bytes() const;
    size_t kept() const { return entries_.size(); }
    bool has_times(uint32_t code) const;      // the code's PostingTimes are kept
    size_t builds() const { return builds_; } // starts built since the cache began (for tests)
    void clear();

private:
    struct Entry {
        uint32_t code = 0;
        uint64_t last_used = 0;
        std::vector<uint32_t> starts;
        std::vector<uint32_t> times; // PostingTimes::v (empty: none)
        int64_t base = 0, unit = 0;
        bool inexact = false; // times tried and not exact: not tried again
        size_t bytes() const { return (starts.capacity() + times.capacity()) * sizeof(uint32_t); }
    };
    // Drops least recently used entries (not used by the call at `now`) until `more` bytes fit.
    bool make_room(size_t more, size_t budget_bytes, uint64_t now);
    std::vector<Entry> entries_;
    size_t users_ = 0; // the user count every entry was built for
    uint64_t tick_ = 0;
    size_t builds_ = 0;
};

} // namespace segx
