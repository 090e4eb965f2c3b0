#pragma once
// Bitmap: validity bits for a column, one bit per row, LSB-first like Arrow so a chunk's
// validity buffer can be appended with word copies.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace segx {

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
    void clear() { words.clear(); size = 0; }
};

} // namespace segx
