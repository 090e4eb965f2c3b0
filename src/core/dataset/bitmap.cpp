#include "core/dataset/bitmap.h"

#include <algorithm>
#include <cstring>

namespace segx {

namespace {

uint64_t low_mask(size_t count) { return count >= 64 ? ~0ull : (1ull << count) - 1; }

// Reads `count` (1..64) bits starting at bit `pos` of an LSB-first byte buffer. Touches only
// the bytes that hold those bits, so it never reads past the end of an Arrow buffer.
uint64_t read_bits(const uint8_t* bits, size_t pos, size_t count) {
    size_t first = pos >> 3;
    size_t last = (pos + count - 1) >> 3;
    unsigned shift = unsigned(pos & 7);
    size_t nbytes = std::min<size_t>(last - first + 1, 8);
    uint64_t v = 0;
    for (size_t k = 0; k < nbytes; k++) v |= uint64_t(bits[first + k]) << (8 * k);
    v >>= shift;
    if (last - first == 8) // a 9th byte is needed only when shift > 0
        v |= uint64_t(bits[first + 8]) << (64 - shift);
    return v & low_mask(count);
}

bool host_is_little_endian() {
#if defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__)
    return __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;
#else
    const uint16_t probe = 1;
    uint8_t first;
    std::memcpy(&first, &probe, 1);
    return first == 1;
#endif
}

} // namespace

void Bitmap::set(size_t i, bool value) {
    uint64_t bit = 1ull << (i & 63);
    if (value)
        words[i >> 6] |= bit;
    else
        words[i >> 6] &= ~bit;
}

void Bitmap::push_back(bool value) {
    if ((size & 63) == 0) words.push_back(0);
    if (value) words.back() |= 1ull << (size & 63);
    size++;
}

void Bitmap::append_all(bool value, size_t n) {
    if (n == 0) return;
    size_t used = size & 63;
    if (used != 0 && value) // fill the rest of the partial last word
        words.back() |= ~0ull << used;
    size_t new_size = size + n;
    words.resize((new_size + 63) / 64, value ? ~0ull : 0ull);
    size = new_size;
    if (value && (size & 63) != 0) // keep the bits past `size` zero
        words.back() &= low_mask(size & 63);
}

void Bitmap::append_arrow(const uint8_t* bits, size_t bit_offset, size_t n) {
    if (bits == nullptr) {
        append_all(true, n);
        return;
    }
    if (n == 0) return;
    // Fast path: destination on a word boundary and source on a byte boundary. Arrow chunks
    // almost always have offset 0, and our columns grow in whole chunks.
    if ((size & 63) == 0 && (bit_offset & 7) == 0 && host_is_little_endian()) {
        size_t first_word = words.size();
        size_t nbytes = (n + 7) / 8;
        words.resize(first_word + (n + 63) / 64, 0);
        std::memcpy(words.data() + first_word, bits + bit_offset / 8, nbytes);
        size += n;
        if ((size & 63) != 0) words.back() &= low_mask(size & 63);
        return;
    }
    // General path: one read/or per destination word, whatever the two alignments are.
    size_t src = bit_offset;
    while (n > 0) {
        size_t used = size & 63;
        size_t take = std::min<size_t>(64 - used, n);
        uint64_t chunk = read_bits(bits, src, take);
        if (used == 0)
            words.push_back(chunk);
        else
            words.back() |= chunk << used;
        size += take;
        src += take;
        n -= take;
    }
}

size_t Bitmap::count_set() const {
    size_t total = 0;
    for (uint64_t w : words) total += size_t(popcount64(w));
    return total;
}

} // namespace segx
