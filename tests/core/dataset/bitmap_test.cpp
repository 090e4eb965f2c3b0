#include "core/dataset/bitmap.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

namespace core_dataset_bitmap_test {

using segx::Bitmap;

namespace {

// Reference: bit i of an Arrow LSB-first buffer, one bit at a time.
bool arrow_bit(const std::vector<uint8_t>& bytes, size_t i) { return (bytes[i / 8] >> (i % 8)) & 1; }

// Deterministic pseudo-random bytes (xorshift), so failures reproduce.
std::vector<uint8_t> noise(size_t n, uint64_t seed) {
    std::vector<uint8_t> out(n);
    uint64_t x = seed;
    for (auto& b : out) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        b = uint8_t(x >> 24);
    }
    return out;
}

} // namespace

TEST_CASE("push_back, get and set address single bits LSB-first") {
    Bitmap b;
    b.push_back(true);
    b.push_back(false);
    b.push_back(true);
    CHECK(b.size == 3);
    CHECK(b.words.size() == 1);
    CHECK(b.words[0] == 0b101u);
    CHECK(b.get(0));
    CHECK_FALSE(b.get(1));
    CHECK(b.get(2));
    b.set(1, true);
    b.set(0, false);
    CHECK(b.words[0] == 0b110u);
    CHECK(b.count_set() == 2);
}

TEST_CASE("push_back starts a new word at bit 64") {
    Bitmap b;
    for (int i = 0; i < 64; i++) b.push_back(false);
    CHECK(b.words.size() == 1);
    b.push_back(true);
    CHECK(b.size == 65);
    CHECK(b.words.size() == 2);
    CHECK(b.words[1] == 1u);
    CHECK(b.get(64));
}

TEST_CASE("append_all fills across word boundaries and keeps bits past size zero") {
    Bitmap b;
    b.push_back(false);
    b.append_all(true, 70); // bits 1..70 set
    CHECK(b.size == 71);
    REQUIRE(b.words.size() == 2);
    CHECK(b.words[0] == ~uint64_t(1)); // all but bit 0
    CHECK(b.words[1] == 0x7Fu);        // bits 64..70
    CHECK(b.count_set() == 70);
    b.append_all(false, 60);
    CHECK(b.size == 131);
    CHECK(b.words.size() == 3);
    CHECK(b.words[2] == 0u);
    CHECK(b.count_set() == 70);
    b.append_all(true, 0);
    CHECK(b.size == 131);
}

TEST_CASE("append_arrow with a null bitmap appends all-valid rows") {
    Bitmap b;
    b.push_back(false);
    b.append_arrow(nullptr, 5, 3);
    CHECK(b.size == 4);
    CHECK(b.words[0] == 0b1110u);
}

TEST_CASE("append_arrow at offset 0 copies bytes LSB-first") {
    // 0xB1 = 1011'0001: rows 0, 4, 5, 7 valid; 0x01: row 8 valid; row 16 from 0x01 too.
    const uint8_t bits[3] = {0xB1, 0x01, 0x01};
    Bitmap b;
    b.append_arrow(bits, 0, 17);
    CHECK(b.size == 17);
    CHECK(b.words[0] == 0x101B1u);
    CHECK(b.count_set() == 6);
    CHECK(b.get(0));
    CHECK_FALSE(b.get(1));
    CHECK(b.get(7));
    CHECK(b.get(8));
    CHECK_FALSE(b.get(9));
    CHECK(b.get(16));
}

TEST_CASE("append_arrow masks the source bits beyond n") {
    const uint8_t bits[1] = {0xFF};
    Bitmap b;
    b.append_arrow(bits, 0, 3);
    CHECK(b.words[0] == 0b111u);
    CHECK(b.count_set() == 3);
    b.append_arrow(bits, 2, 2); // destination now unaligned
    CHECK(b.words[0] == 0b11111u);
    CHECK(b.size == 5);
}

TEST_CASE("append_arrow honours a non-zero bit offset") {
    // 0b0110'1100 from bit 2: rows 1,1,0,1,1,0 -> 0b011011.
    const uint8_t bits[1] = {0x6C};
    Bitmap b;
    b.append_arrow(bits, 2, 6);
    CHECK(b.size == 6);
    CHECK(b.words[0] == 0b011011u);
}

TEST_CASE("append_arrow matches a bit-by-bit reference for offsets 0..63 and any destination alignment") {
    for (size_t prefix : {size_t(0), size_t(1), size_t(7), size_t(63), size_t(64), size_t(100)}) {
        for (size_t offset = 0; offset < 64; offset++) {
            for (size_t n : {size_t(1), size_t(8), size_t(57), size_t(64), size_t(65), size_t(200)}) {
                // Exactly the bytes the Arrow buffer would have, so ASan flags any over-read.
                std::vector<uint8_t> src = noise((offset + n + 7) / 8, 0x9E37 + offset * 977 + n);
                Bitmap b;
                b.append_all(true, prefix);
                b.append_arrow(src.data(), offset, n);
                REQUIRE(b.size == prefix + n);
                REQUIRE(b.words.size() == (prefix + n + 63) / 64);
                size_t expected_set = prefix;
                bool all_match = true;
                for (size_t i = 0; i < n; i++) {
                    bool want = arrow_bit(src, offset + i);
                    expected_set += want;
                    all_match = all_match && b.get(prefix + i) == want;
                }
                INFO("prefix=" << prefix << " offset=" << offset << " n=" << n);
                CHECK(all_match);
                CHECK(b.count_set() == expected_set); // also proves bits past size are zero
            }
        }
    }
}

TEST_CASE("count_set counts only set bits") {
    Bitmap b;
    CHECK(b.count_set() == 0);
    const uint8_t bits[2] = {0xFF, 0x0F};
    b.append_arrow(bits, 0, 12);
    CHECK(b.count_set() == 12);
    b.append_all(false, 100);
    b.set(111, true);
    CHECK(b.count_set() == 13);
}

TEST_CASE("memory_bytes reports the word storage") {
    Bitmap b;
    CHECK(b.memory_bytes() == b.words.capacity() * 8);
    b.append_all(true, 1000);
    CHECK(b.memory_bytes() >= 16 * 8); // 1000 bits need 16 words
    CHECK(b.memory_bytes() == b.words.capacity() * 8);
}

} // namespace core_dataset_bitmap_test
