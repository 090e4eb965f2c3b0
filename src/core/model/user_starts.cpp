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

void UserStartsCache::acquire(const Source* sources, size_t n, const uint64_t* offsets, size_t users,
                              size_t budget_bytes, const uint32_t** out,
                              std::vector<std::vector<uint32_t>>& scratch) {
    if (users != users_) clear(), users_ = users;
    scratch.resize(std::max(scratch.size(), n));
    const size_t bytes_each = (users + 1) * sizeof(uint32_t);
    const uint64_t now = ++tick_; // entries used by this call carry `now` and are not evicted
    for (size_t i = 0; i < n; i++) {
        out[i] = nullptr;
        for (Entry& e : entries_)
            if (e.code == sources[i].code) {
                e.last_used = now;
                out[i] = e.starts.data();
            }
    }
    for (size_t i = 0; i < n; i++) {
        if (out[i] != nullptr) continue;
        const Source& src = sources[i];
        for (size_t j = 0; j < i; j++) // the same code twice in one call
            if (sources[j].code == src.code && out[j] != nullptr) out[i] = out[j];
        if (out[i] != nullptr) continue;
        while ((entries_.size() + 1) * bytes_each > budget_bytes) {
            auto lru = std::min_element(entries_.begin(), entries_.end(), [](const Entry& a, const Entry& b) {
                return a.last_used < b.last_used;
            });
            if (lru == entries_.end() || lru->last_used == now) break;
            entries_.erase(lru);
        }
        builds_++;
        if ((entries_.size() + 1) * bytes_each <= budget_bytes) {
            entries_.push_back(Entry{src.code, now, {}});
            build_user_starts(src.rows, src.count, offsets, users, &entries_.back().starts);
            out[i] = entries_.back().starts.data();
        } else {
            build_user_starts(src.rows, src.count, offsets, users, &scratch[i]);
            out[i] = scratch[i].data();
        }
    }
}

size_t UserStartsCache::memory_bytes() const {
    size_t bytes = 0;
    for (const Entry& e : entries_) bytes += e.starts.capacity() * sizeof(uint32_t);
    return bytes;
}

void UserStartsCache::clear() {
    entries_.clear();
    users_ = 0;
}

} // namespace segx
