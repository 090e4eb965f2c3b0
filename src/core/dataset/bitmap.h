#pragma once
// Bitmap: validity bits for a column, one bit per row, LSB-first like Arrow so a chunk's
// validity buffer can be appended with word copies.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace segx {

// Set bits in a word: one instruction where the compiler has it.
inline int popcount64(uint64_t x) {
#if defined(__GNUC__) || defined(__clang__)
    return __builtin_popcountll(x);
#else
    x = x - ((x >> 1) & 0x5555555555555555ull);
    x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
    return int((x * 0x0101010101010101ull) >> 56);
#endif
}

struct Bitmap {
    std::vector<uint64_t> words; // bit i lives in words[i / 64], bit (i % 64)
    size_t size = 0;             // number of bits; bits past `size` are always zero

    // get/set require i < size (unchecked: they sit in per-row loops).
    bool get(size_t i) const { return (words[i >> 6] >> (i & 63)) & 1u; }
    void set(size_t i, bool value);
    void push_back(bool value);
    void append_all(bool value, size_t n);
    // Appends n bits of an Arrow validity bitmap starting at bit `bit_offset` of `bits`.
    // `bits == nullptr` means "no bitmap": all n rows valid.
    void append_arrow(const uint8_t* bits, size_t bit_offset, size_t n);
    size_t count_set() const;
    size_t memory_bytes() const { return words.capacity() * sizeof(uint64_t); }
    void clear() {
        words.clear();
        size = 0;
    }
};

} // namespace segx
