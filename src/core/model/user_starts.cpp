#include "core/model/user_starts.h"

#include <algorithm>

namespace segx {

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

bool UserStartsCache::make_room(size_t more, size_t budget_bytes, uint64_t now) {
    size_t used = memory_bytes(), evictable = 0;
    for (const Entry& e : entries_)
        if (e.last_used != now) evictable += e.bytes();
    // Nothing is dropped unless that makes room (and a caller's Entry pointers stay valid then).
    if (used + more > budget_bytes + evictable) return false;
    while (used + more > budget_bytes) {
        auto lru = std::min_element(entries_.begin(), entries_.end(),
                                    [](const Entry& a, const Entry& b) { return a.last_used < b.last_used; });
        if (lru == entries_.end() || lru->last_used == now) return false;
        used -= lru->bytes();
        entries_.erase(lru);
    }
    return true;
}

void UserStartsCache::acquire(const Source* sources, size_t n, const uint64_t* offsets, size_t users,
                              size_t budget_bytes, const uint32_t** out,
                              std::vector<std::vector<uint32_t>>& scratch, PostingTimes* times) {
    if (users != users_) clear(), users_ = users;
    scratch.resize(std::max(scratch.size(), n));
    const size_t bytes_each = (users + 1) * sizeof(uint32_t);
    const uint64_t now = ++tick_; // entries used by this call carry `now` and are not evicted
    const auto find = [&](uint32_t code) -> Entry* {
        for (Entry& e : entries_)
            if (e.code == code) return &e;
        return nullptr;
    };
    for (size_t i = 0; i < n; i++) {
        out[i] = nullptr;
        if (Entry* e = find(sources[i].code)) {
            e->last_used = now;
            out[i] = e->starts.data();
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (out[i] != nullptr) continue;
        const Source& src = sources[i];
        for (size_t j = 0; j < i; j++) // the same code twice in one call
            if (sources[j].code == src.code && out[j] != nullptr) out[i] = out[j];
        if (out[i] != nullptr) continue;
        builds_++;
        if (make_room(bytes_each, budget_bytes, now)) {
            // Built aside first: an allocation that fails leaves no half-built entry behind.
            std::vector<uint32_t> starts;
            build_user_starts(src.rows, src.count, offsets, users, &starts);
            entries_.push_back(Entry{src.code, now, std::move(starts), {}, 0, 0, false});
            out[i] = entries_.back().starts.data();
        } else {
            build_user_starts(src.rows, src.count, offsets, users, &scratch[i]);
            out[i] = scratch[i].data();
        }
    }
    if (times == nullptr) return;
    // The times once every name's starts are in: only kept names get them, budget allowing.
    for (size_t i = 0; i < n; i++) {
        times[i] = PostingTimes{};
        const Source& src = sources[i];
        Entry* e = find(src.code);
        if (e == nullptr || src.time == nullptr) continue;
        if (e->times.empty() && !e->inexact && src.count > 0) {
            const bool room = make_room(src.count * sizeof(uint32_t), budget_bytes, now);
            e = find(src.code); // (make_room may have moved the entries)
            if (room) {
                e->inexact = !build_posting_times(src.rows, src.count, src.time, src.min_time, src.max_time,
                                                  &e->times, &e->base, &e->unit);
                e->times.shrink_to_fit();
            }
        }
        if (!e->times.empty()) times[i] = PostingTimes{e->times.data(), e->base, e->unit};
    }
}

bool UserStartsCache::prefill(const Source& source, const uint64_t* offsets, size_t users,
                              size_t budget_bytes) {
    if (users != users_) clear(), users_ = users;
    for (const Entry& e : entries_)
        if (e.code == source.code) return true;
    const size_t bytes = (users + 1) * sizeof(uint32_t);
    if (memory_bytes() + bytes > budget_bytes) return false;
    // Built aside first: an allocation that fails leaves no half-built entry behind.
    std::vector<uint32_t> starts;
    build_user_starts(source.rows, source.count, offsets, users, &starts);
    builds_++;
    entries_.push_back(Entry{source.code, 0, std::move(starts), {}, 0, 0, false}); // last_used 0: never used
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

void UserStartsCache::clear() {
    entries_.clear();
    users_ = 0;
}

} // namespace segx
