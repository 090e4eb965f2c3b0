#pragma once
// UserStarts: for one event name, where each user's postings begin in the EventIndex, so that
// an engine walking users reads "user u's events of this name" as one range with two loads
// instead of a cursor skipping forward through the postings (a data-dependent loop per user
// and name, the funnel engine's main cost before this). For code c with first posting f =
// EventIndex::first(c), user u's postings are rows[f + s[u]] .. rows[f + s[u+1]] (s has
// users + 1 entries), in the index's row order.
//
// Kept compact, 2 B per user: s[u] = base[u / 64] + off[u], a uint16 offset under a uint32 base
// per 64 users, whenever every 64 users hold fewer than 65,536 of the name's postings (a name
// with a heavier block is kept wide, 4 B per user). So every name's starts fit the budget
// beside the times of a funnel's steps.
//
// UserStartsCache keeps them per code, built on first use (or before it: prefill) and kept for
// the index's life (an EventIndex is built once per model and never edited, so the cache lives
// and dies with the model's generation). Its budget is 4 B per event in all, the least
// recently used evicted first (their times before any starts); names that do not fit are built
// into the caller's scratch for that call only. Not thread-safe (one index per evaluating
// thread, as everything in the model's caches).
//
// On request it also keeps a name's event times beside its postings (PostingTimes): 4 B per
// posting, so that an engine reads a walked user's times as sequentially as its postings
// instead of gathering them from EventStore::time (a cache miss per user). Exact or absent:
// kept only when every time of the name is base + v * unit with v < 2^32 for a unit of 1 s,
// 1 ms or 1 µs (whole seconds over 136 years, whole ms over 49 days). They share the budget
// with the starts (an entry's bytes are both) and are never built past it.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

namespace segx {

// s[u] for the postings rows[0..n) of one code (ascending rows) over the CSR offsets of
// `users` users: s[u] = the number of postings whose row lies before offsets[u]; s[users] = n.
void build_user_starts(const uint32_t* rows, size_t n, const uint64_t* offsets, size_t users,
                       std::vector<uint32_t>* out);

// The same s[u] kept compact: base[u / 64] + off[u] (users / 64 + 1 bases, 64 offsets each);
// false when some 64 users hold 65,536 postings or more (the outputs are then unspecified).
bool build_user_starts_compact(const uint32_t* rows, size_t n, const uint64_t* offsets, size_t users,
                               std::vector<uint32_t>* base, std::vector<uint16_t>* off);

// One name's starts as kept: wide (s[u] itself) or compact (base and off). s[u] for u in
// 0 .. users; a branch the predictor learns, as a name's starts are one kind throughout.
struct StartsView {
    const uint32_t* wide = nullptr;
    const uint32_t* base = nullptr;
    const uint16_t* off = nullptr;
    // Kept entries: per 64 users (u / 64), bit u % 64 set when user u has postings.
    const uint64_t* has = nullptr;
    uint32_t operator[](size_t u) const { return wide != nullptr ? wide[u] : base[u >> 6] + off[u]; }
};

// Which of the n <= 64 users u0 .. u0 + n - 1 (u0 a multiple of 64) have postings, as bits:
// kept with the entry, or for a block of 64 users with no branch per user (compact: within the
// block only the offsets are read).
inline uint64_t users_with_postings(const StartsView& s, size_t u0, size_t n) {
    if (s.has != nullptr) return s.has[u0 >> 6];
    uint64_t has = 0;
    if (s.wide != nullptr) {
        const uint32_t* w = s.wide + u0;
        for (size_t j = 0; j < n; j++) has |= uint64_t(w[j] != w[j + 1]) << j;
        return has;
    }
    const uint16_t* o = s.off + u0;
    size_t j = 0;
    if (n == 64) {
        // Four users at a time: offsets j..j+3 against j+1..j+4 as 16-bit lanes of one word, each
        // lane's "differs" bit gathered into four bits by one multiply (no SIMD in WebAssembly).
        constexpr uint64_t kLow = 0x7FFF7FFF7FFF7FFFull, kHigh = 0x8000800080008000ull;
        constexpr uint64_t kGather = (uint64_t(1) << 45) | (uint64_t(1) << 30) | (uint64_t(1) << 15) | 1;
        for (; j < 60; j += 4) {
            uint64_t a, b;
            std::memcpy(&a, o + j, 8);
            std::memcpy(&b, o + j + 1, 8);
            const uint64_t x = a ^ b;
            const uint64_t nonzero = (((x & kLow) + kLow) | x) & kHigh;
            has |= (((nonzero >> 15) * kGather) >> 45 & 0xF) << j;
        }
    }
    const size_t inside = n < 64 ? n : 63; // user 63's end is the next block's base
    for (; j < inside; j++) has |= uint64_t(o[j] != o[j + 1]) << j;
    if (n == 64) has |= uint64_t(s.base[(u0 >> 6) + 1] != s.base[u0 >> 6] + o[63]) << 63;
    return has;
}

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
    // budget allows, else into scratch[i], wide). The views stay valid until the next acquire,
    // prefill or clear. `budget_bytes`: the most kept at once. With `times` (and Source::time):
    // each name's PostingTimes into times[i], kept ones or built once the starts are in, when
    // they fit the budget beside them (else absent: v == nullptr).
    void acquire(const Source* sources, size_t n, const uint64_t* offsets, size_t users, size_t budget_bytes,
                 StartsView* out, std::vector<std::vector<uint32_t>>& scratch, PostingTimes* times = nullptr);

    // Ahead of a first use (idle time after a load), evicting nothing and first in line for
    // eviction (as if never used), each true when the code's part is kept, now or before:
    // its starts, when they fit `budget_bytes` beside what is kept already;
    bool prefill(const Source& source, const uint64_t* offsets, size_t users, size_t budget_bytes);
    // its times (Source::time given), once its starts are kept, when they fit likewise. Also
    // true when its times are known inexact (nothing to build).
    bool prefill_times(const Source& source, size_t budget_bytes);

    size_t memory_bytes() const;
    size_t times_bytes() const; // the kept times' share of memory_bytes()
    // One name's kept starts over `users` users: compact, or wide when that is smaller (under
    // 64 users) or when compact does not fit the name (a wide entry is then bigger); with the
    // bits of the users that have postings (1 bit per user).
    static size_t kept_bytes(size_t users);
    size_t kept() const { return entries_.size(); }
    bool has_times(uint32_t code) const;      // the code's PostingTimes are kept
    size_t builds() const { return builds_; } // starts built since the cache began (for tests)
    void clear();

private:
    struct Entry {
        uint32_t code = 0;
        uint64_t last_used = 0;
        std::vector<uint32_t> wide;       // the starts, wide
        std::vector<uint32_t> block_base; // or compact (wide empty)
        std::vector<uint16_t> block_off;
        std::vector<uint64_t> has;   // StartsView::has, users / 64 + 1 words
        std::vector<uint32_t> times; // PostingTimes::v (empty: none)
        int64_t base = 0, unit = 0;
        bool inexact = false; // times tried and not exact: not tried again
        size_t starts_bytes() const {
            return (wide.capacity() + block_base.capacity()) * sizeof(uint32_t) +
                   block_off.capacity() * sizeof(uint16_t) + has.capacity() * sizeof(uint64_t);
        }
        size_t bytes() const { return starts_bytes() + times.capacity() * sizeof(uint32_t); }
        StartsView view() const {
            return wide.empty() ? StartsView{nullptr, block_base.data(), block_off.data(), has.data()}
                                : StartsView{wide.data(), nullptr, nullptr, has.data()};
        }
    };
    Entry* find(uint32_t code);
    // A code's starts, compact when they can be: built aside, so that an allocation that fails
    // leaves no half-built entry behind.
    static Entry build_entry(const Source& source, const uint64_t* offsets, size_t users, uint64_t now);
    // Frees least recently used parts (not used by the call at `now`) until `more` bytes fit:
    // times first (a gather rebuilds them), then whole entries. False, freeing nothing, when
    // even all of them would not make room.
    bool make_room(size_t more, size_t budget_bytes, uint64_t now);
    std::vector<Entry> entries_;
    size_t users_ = 0; // the user count every entry was built for
    uint64_t tick_ = 0;
    size_t builds_ = 0;
};

} // namespace segx
