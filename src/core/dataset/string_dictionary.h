#pragma once
// StringDictionary: interns byte strings to dense uint32 codes in first-seen order.
//
// Strings live back to back in one arena; offsets_[c]..offsets_[c+1] is code c. The lookup
// table is open addressing with linear probing over a power-of-two array of 64-bit slots,
// each holding (32 hash bits << 32) | (code + 1), 0 meaning empty. The hash bits let a probe
// skip most non-matching entries without touching the arena. No per-string heap objects.
//
// Strings are bytes: embedded NULs, the empty string and any UTF-8 are ordinary values.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace segx {

// 64-bit hash of a byte string (murmur-style body, splitmix64 finalizer). Not stable across
// endianness or versions: for in-memory tables only.
uint64_t hash_bytes(const char* data, size_t size);

class StringDictionary {
public:
    // The largest number of entries (codes are uint32 and code + 1 must fit in a slot).
    static constexpr size_t kMaxSize = 0xFFFFFFFEu;

    StringDictionary() = default;

    // Returns the code of `s`, adding it if new. Throws std::length_error past kMaxSize.
    uint32_t intern(std::string_view s);
    std::optional<uint32_t> find(std::string_view s) const;
    // Throws std::out_of_range naming the code when code >= size().
    std::string_view at(uint32_t code) const;

    size_t size() const { return offsets_.size() - 1; }
    bool empty() const { return size() == 0; }
    size_t memory_bytes() const;
    // Gives back the arena's and the offsets' spare capacity (they grow by doubling); the
    // lookup table keeps its power-of-two size. For a dictionary that is done growing.
    void shrink_to_fit();
    void clear();

private:
    size_t find_slot(std::string_view s, uint64_t h) const; // slot holding s, or the empty slot to use
    void grow();
    std::string_view view(size_t code) const {
        return std::string_view(arena_.data() + offsets_[code], size_t(offsets_[code + 1] - offsets_[code]));
    }

    std::string arena_;
    std::vector<uint64_t> offsets_ = {0}; // size() + 1 entries
    std::vector<uint64_t> slots_;         // empty, or a power of two
    unsigned shift_ = 64;                 // slot index = hash >> shift_ (the top bits)
};

} // namespace segx
