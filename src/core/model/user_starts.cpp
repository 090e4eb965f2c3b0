#include "core/model/user_starts.h"

#include <algorithm>

namespace segx {

namespace {
// Frees a vector's memory (clear() and `= {}` keep its capacity).
template <typename T>
void release(std::vector<T>& v) {
    std::vector<T>().swap(v);
}
} // namespace

void build_user_starts(const uint32_t* rows, size_t n, const uint64_t* offsets, size_t users,
                       std::vector<uint32_t>* out) {
    out->resize(users + 1);
    uint32_t* s = out->data();
    // Posting by posting: every user boundary passed before the posting's row starts there.
    size_t u = 0;
    s[0] = 0;
    for (size_t k = 0; k < n; k++) {
        const uint64_t row = rows[k];
        while (u < users && offsets[u + 1] <= row) s[++u] = uint32_t(k);
    }
    while (u < users) s[++u] = uint32_t(n);
    s[users] = uint32_t(n); // (no posting lies past the last slice)
}

bool build_posting_times(const uint32_t* rows, size_t n, const int64_t* time, int64_t min_time,
                         int64_t max_time, std::vector<uint32_t>* out, int64_t* base, int64_t* unit) {
    // Unsigned: max - min may not fit an int64 (far-apart extreme times).
    const uint64_t span = uint64_t(max_time) - uint64_t(min_time);
    // The coarsest unit first (data in whole seconds takes one pass); a remainder means a finer one.
    for (const int64_t u : {int64_t(1000000), int64_t(1000), int64_t(1)}) {
        if (span / uint64_t(u) > UINT32_MAX) break; // finer units fit even less
        out->resize(n);
        uint32_t* v = out->data();
        uint64_t rest = 0;
        for (size_t k = 0; k < n; k++) {
            const uint64_t d = uint64_t(time[rows[k]]) - uint64_t(min_time);
            v[k] = uint32_t(d / uint64_t(u));
            rest |= d % uint64_t(u);
        }
        if (rest == 0) {
            *base = min_time, *unit = u;
            return true;
        }
    }
    out->clear();
    return false;
}

bool build_user_starts_compact(const uint32_t* rows, size_t n, const uint64_t* offsets, size_t users,
                               std::vector<uint32_t>* base, std::vector<uint16_t>* off) {
    const size_t blocks = users / 64 + 1;
    base->resize(blocks);
    off->resize(blocks * 64);
    uint32_t* b = base->data();
    uint16_t* o = off->data();
    bool fits = true;
    // s[u] = k, as build_user_starts sets it: a block's first user sets its base.
    const auto set = [&](size_t u, size_t k) {
        if ((u & 63) == 0) b[u >> 6] = uint32_t(k);
        const size_t d = k - b[u >> 6];
        fits = fits && d <= UINT16_MAX;
        o[u] = uint16_t(d);
    };
    size_t u = 0;
    set(0, 0);
    for (size_t k = 0; k < n; k++) {
        const uint64_t row = rows[k];
        while (u < users && offsets[u + 1] <= row) set(++u, k);
    }
    while (u < users) set(++u, n);
    set(users, n);
    return fits;
}

size_t UserStartsCache::kept_bytes(size_t users) {
    const size_t blocks = users / 64 + 1;
    return std::min(blocks * (sizeof(uint32_t) + 64 * sizeof(uint16_t)), (users + 1) * sizeof(uint32_t)) +
           blocks * sizeof(uint64_t);
}

UserStartsCache::Entry* UserStartsCache::find(uint32_t code) {
    for (Entry& e : entries_)
        if (e.code == code) return &e;
    return nullptr;
}

UserStartsCache::Entry UserStartsCache::build_entry(const Source& src, const uint64_t* offsets, size_t users,
                                                    uint64_t now) {
    Entry e;
    e.code = src.code;
    e.last_used = now;
    const bool smaller = kept_bytes(users) < (users + 1) * sizeof(uint32_t);
    if (!smaller ||
        !build_user_starts_compact(src.rows, src.count, offsets, users, &e.block_base, &e.block_off)) {
        release(e.block_base), release(e.block_off);
        build_user_starts(src.rows, src.count, offsets, users, &e.wide);
    }
    // Per 64 users, which have postings: one load a block for the engines' masks.
    StartsView v = e.view();
    v.has = nullptr;
    e.has.resize(users / 64 + 1);
    for (size_t u0 = 0; u0 < users; u0 += 64)
        e.has[u0 >> 6] = users_with_postings(v, u0, std::min<size_t>(64, users - u0));
    return e;
}

bool UserStartsCache::make_room(size_t more, size_t budget_bytes, uint64_t now) {
    size_t used = memory_bytes(), evictable = 0;
    for (const Entry& e : entries_)
        if (e.last_used != now) evictable += e.bytes();
    // Nothing is dropped unless that makes room (and a caller's views stay valid then).
    if (used + more > budget_bytes + evictable) return false;
    const auto older = [](const Entry& a, const Entry& b) { return a.last_used < b.last_used; };
    while (used + more > budget_bytes) {
        Entry* lru = nullptr;
        for (Entry& e : entries_)
            if (e.last_used != now && !e.times.empty() && (lru == nullptr || older(e, *lru))) lru = &e;
        if (lru != nullptr) {
            used -= lru->times.capacity() * sizeof(uint32_t);
            release(lru->times); // (not inexact: built again on its next use)
            continue;
        }
        auto it = std::min_element(entries_.begin(), entries_.end(), older);
        if (it == entries_.end() || it->last_used == now) return false;
        used -= it->bytes();
        entries_.erase(it);
    }
    return true;
}

void UserStartsCache::acquire(const Source* sources, size_t n, const uint64_t* offsets, size_t users,
                              size_t budget_bytes, StartsView* out,
                              std::vector<std::vector<uint32_t>>& scratch, PostingTimes* times) {
    if (users != users_) clear(), users_ = users;
    scratch.resize(std::max(scratch.size(), n));
    const uint64_t now = ++tick_; // entries used by this call carry `now` and are not evicted
    std::vector<bool> found(n, false);
    for (size_t i = 0; i < n; i++)
        if (Entry* e = find(sources[i].code)) e->last_used = now, found[i] = true;
    for (size_t i = 0; i < n; i++) {
        const Source& src = sources[i];
        if (found[i] || find(src.code) != nullptr) continue; // (kept, or built for an earlier i)
        builds_++;
        if (!make_room(kept_bytes(users), budget_bytes, now)) {
            build_user_starts(src.rows, src.count, offsets, users, &scratch[i]); // this call only
            continue;
        }
        Entry e = build_entry(src, offsets, users, now);
        if (make_room(e.bytes(), budget_bytes, now)) // (a wide entry needs more)
            entries_.push_back(std::move(e));
        else if (!e.wide.empty())
            scratch[i] = std::move(e.wide);
        else // (not reached: a compact entry is kept_bytes, made room for above)
            build_user_starts(src.rows, src.count, offsets, users, &scratch[i]);
    }
    // The views once every entry is in (pushing may move the entries).
    for (size_t i = 0; i < n; i++) {
        const Entry* e = find(sources[i].code);
        out[i] = e != nullptr ? e->view() : StartsView{scratch[i].data()};
    }
    if (times == nullptr) return;
    // The times once every name's starts are in: only kept names get them, budget allowing.
    for (size_t i = 0; i < n; i++) {
        times[i] = PostingTimes{};
        const Source& src = sources[i];
        Entry* e = find(src.code);
        if (e == nullptr || src.time == nullptr) continue;
        if (e->times.empty() && !e->inexact && src.count > 0) {
            // make_room frees only other entries' times, or entries not used now: views stay valid.
            if (make_room(src.count * sizeof(uint32_t), budget_bytes, now)) {
                e = find(src.code);
                e->inexact = !build_posting_times(src.rows, src.count, src.time, src.min_time, src.max_time,
                                                  &e->times, &e->base, &e->unit);
                e->times.shrink_to_fit();
            }
            e = find(src.code);
        }
        if (!e->times.empty()) times[i] = PostingTimes{e->times.data(), e->base, e->unit};
    }
}

bool UserStartsCache::prefill(const Source& source, const uint64_t* offsets, size_t users,
                              size_t budget_bytes) {
    if (users != users_) clear(), users_ = users;
    if (find(source.code) != nullptr) return true;
    // Too big even at its smallest: not built at all.
    if (memory_bytes() + kept_bytes(users) > budget_bytes) return false;
    Entry e = build_entry(source, offsets, users, 0); // last_used 0: never used
    builds_++;
    if (memory_bytes() + e.bytes() > budget_bytes) return false;
    entries_.push_back(std::move(e));
    return true;
}

bool UserStartsCache::prefill_times(const Source& source, size_t budget_bytes) {
    Entry* e = find(source.code);
    if (e == nullptr || source.time == nullptr) return false;
    if (!e->times.empty() || e->inexact || source.count == 0) return true;
    if (memory_bytes() + source.count * sizeof(uint32_t) > budget_bytes) return false;
    std::vector<uint32_t> v; // built aside, as the starts
    int64_t base = 0, unit = 0;
    if (!build_posting_times(source.rows, source.count, source.time, source.min_time, source.max_time, &v,
                             &base, &unit)) {
        e->inexact = true;
        return true;
    }
    e->times = std::move(v), e->base = base, e->unit = unit;
    return true;
}

bool UserStartsCache::has_times(uint32_t code) const {
    for (const Entry& e : entries_)
        if (e.code == code) return !e.times.empty();
    return false;
}

size_t UserStartsCache::memory_bytes() const {
    size_t bytes = 0;
    for (const Entry& e : entries_) bytes += e.bytes();
    return bytes;
}

size_t UserStartsCache::times_bytes() const {
    size_t bytes = 0;
    for (const Entry& e : entries_) bytes += e.times.capacity() * sizeof(uint32_t);
    return bytes;
}

void UserStartsCache::clear() {
    entries_.clear();
    users_ = 0;
}

} // namespace segx
