#include "core/dataset/string_dictionary.h"

#include "core/dataset/mix64.h"

#include <cstring>
#include <stdexcept>

namespace segx {

namespace {

constexpr uint64_t kMul1 = 0x87c37b91114253d5ull;
constexpr uint64_t kMul2 = 0x4cf5ad432745937full;

uint64_t rotl(uint64_t x, unsigned r) { return (x << r) | (x >> (64 - r)); }

uint64_t load64(const char* p) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
}

uint64_t mix_word(uint64_t h, uint64_t w) {
    w *= kMul1;
    w = rotl(w, 31);
    w *= kMul2;
    h ^= w;
    return rotl(h, 27) * 5 + 0x52dce729;
}

uint32_t tag_of(uint64_t h) { return uint32_t(h); } // low bits; the index uses the high bits

// Keep the table at most 70% full: linear probing degrades quickly above that.
bool over_load(size_t entries, size_t capacity) { return entries * 10 > capacity * 7; }

} // namespace

uint64_t hash_bytes(const char* data, size_t size) {
    uint64_t h = 0x9e3779b97f4a7c15ull ^ (uint64_t(size) * kMul2);
    size_t i = 0;
    for (; i + 8 <= size; i += 8) h = mix_word(h, load64(data + i));
    if (i < size) {
        uint64_t tail = 0;
        std::memcpy(&tail, data + i, size - i);
        h = mix_word(h, tail);
    }
    return mix64(h);
}

size_t StringDictionary::find_slot(std::string_view s, uint64_t h) const {
    size_t mask = slots_.size() - 1;
    size_t i = size_t(h >> shift_);
    uint32_t tag = tag_of(h);
    for (;;) {
        uint64_t slot = slots_[i];
        if (slot == 0) return i;
        if (uint32_t(slot >> 32) == tag) {
            size_t code = size_t(uint32_t(slot) - 1);
            if (view(code) == s) return i;
        }
        i = (i + 1) & mask;
    }
}

void StringDictionary::grow() {
    size_t capacity = slots_.empty() ? 16 : slots_.size() * 2;
    slots_.assign(capacity, 0);
    shift_ = 64;
    for (size_t c = capacity; c > 1; c >>= 1) shift_--;
    // Rehash from the arena: recomputing is cheaper than storing 8 more bytes per entry.
    size_t mask = capacity - 1;
    for (size_t code = 0; code < size(); code++) {
        std::string_view s = view(code);
        uint64_t h = hash_bytes(s.data(), s.size());
        size_t i = size_t(h >> shift_);
        while (slots_[i] != 0) i = (i + 1) & mask;
        slots_[i] = (uint64_t(tag_of(h)) << 32) | uint64_t(code + 1);
    }
}

uint32_t StringDictionary::intern(std::string_view s) {
    if (slots_.empty() || over_load(size() + 1, slots_.size())) grow();
    uint64_t h = hash_bytes(s.data(), s.size());
    size_t i = find_slot(s, h);
    if (slots_[i] != 0) return uint32_t(slots_[i]) - 1;
    if (size() >= kMaxSize)
        throw std::length_error("StringDictionary: more than " + std::to_string(kMaxSize) +
                                " distinct strings");
    size_t code = size();
    arena_.append(s.data(), s.size());
    offsets_.push_back(arena_.size());
    slots_[i] = (uint64_t(tag_of(h)) << 32) | uint64_t(code + 1);
    return uint32_t(code);
}

std::optional<uint32_t> StringDictionary::find(std::string_view s) const {
    if (slots_.empty()) return std::nullopt;
    size_t i = find_slot(s, hash_bytes(s.data(), s.size()));
    if (slots_[i] == 0) return std::nullopt;
    return uint32_t(slots_[i]) - 1;
}

std::string_view StringDictionary::at(uint32_t code) const {
    if (code >= size())
        throw std::out_of_range("StringDictionary: code " + std::to_string(code) + " out of range (size " +
                                std::to_string(size()) + ")");
    return view(code);
}

size_t StringDictionary::memory_bytes() const {
    return arena_.capacity() + offsets_.capacity() * sizeof(uint64_t) + slots_.capacity() * sizeof(uint64_t);
}

void StringDictionary::shrink_to_fit() {
    arena_.shrink_to_fit();
    offsets_.shrink_to_fit();
}

void StringDictionary::clear() {
    std::string().swap(arena_);
    std::vector<uint64_t>{0}.swap(offsets_);
    std::vector<uint64_t>().swap(slots_);
    shift_ = 64;
}

} // namespace segx
