#pragma once
// IntCodeMap: int64 id -> dictionary code, a cache in front of StringDictionary for integer
// ids. A hit reads one slot holding key and code together; StringDictionary would read its
// slot, its offsets and its arena (three cache misses once a million users outgrow the cache).

#include <cstddef>
#include <cstdint>
#include <vector>

namespace segx {

class IntCodeMap {
public:
    static constexpr uint32_t kMissing = UINT32_MAX;

    uint32_t find(int64_t key) const;
    // Adds key -> code; the key must not be present yet.
    void insert(int64_t key, uint32_t code);
    size_t size() const { return size_; }
    size_t memory_bytes() const { return slots_.capacity() * sizeof(Slot); }

private:
    struct Slot {
        int64_t key;
        uint32_t code; // kMissing: empty
    };
    size_t index_of(int64_t key) const;
    void grow();

    std::vector<Slot> slots_; // empty, or a power of two
    size_t size_ = 0;
    unsigned shift_ = 64;
};

} // namespace segx
