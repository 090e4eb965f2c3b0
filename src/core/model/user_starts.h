#pragma once
// UserStarts: for one event name, where each user's postings begin in the EventIndex, so that
// an engine walking users reads "user u's events of this name" as one range with two loads
// instead of a cursor skipping forward through the postings (a data-dependent loop per user
// and name, the funnel engine's main cost before this). For code c with first posting f =
// EventIndex::first(c), user u's postings are rows[f + s[u]] .. rows[f + s[u+1]] (s has
// users + 1 entries), in the index's row order.
//
// UserStartsCache keeps them per code, built on first use and kept for the index's life (an
// EventIndex is built once per model and never edited, so the cache lives and dies with the
// model's generation): 4 B per user and name. Its budget is 4 B per event in all (at most
// events / (users + 1) names at once, the least recently used evicted first); names that do
// not fit are built into the caller's scratch for that call only. Not thread-safe (one index
// per evaluating thread, as everything in the model's caches).

#include <cstddef>
#include <cstdint>
#include <vector>

namespace segx {

// s[u] for the postings rows[0..n) of one code (ascending rows) over the CSR offsets of
// `users` users: s[u] = the number of postings whose row lies before offsets[u]; s[users] = n.
void build_user_starts(const uint32_t* rows, size_t n, const uint64_t* offsets, size_t users,
                       std::vector<uint32_t>* out);

class UserStartsCache {
public:
    // A code's postings and the users' CSR offsets, as the EventIndex and EventStore hold them.
    struct Source {
        const uint32_t* rows = nullptr; // the code's postings (EventIndex::rows + first(code))
        size_t count = 0;
        uint32_t code = 0;
    };

    // The starts of each of `sources` into out[i]: kept ones, or built (and kept while the
    // budget allows, else into scratch[i]). The pointers stay valid until the next acquire or
    // clear. `budget_bytes`: the most kept at once.
    void acquire(const Source* sources, size_t n, const uint64_t* offsets, size_t users, size_t budget_bytes,
                 const uint32_t** out, std::vector<std::vector<uint32_t>>& scratch);

    size_t memory_bytes() const;
    size_t kept() const { return entries_.size(); }
    size_t builds() const { return builds_; } // starts built since the cache began (for tests)
    void clear();

private:
    struct Entry {
        uint32_t code = 0;
        uint64_t last_used = 0;
        std::vector<uint32_t> starts;
    };
    std::vector<Entry> entries_;
    size_t users_ = 0; // the user count every entry was built for
    uint64_t tick_ = 0;
    size_t builds_ = 0;
};

} // namespace segx
