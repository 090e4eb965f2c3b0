#pragma once
// splitmix64's finalizer: every input bit affects every output bit, so sequential keys (ids,
// short strings' hashes) spread evenly over an open-addressing table.
#include <cstdint>

namespace segx {

inline uint64_t mix64(uint64_t x) {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    x ^= x >> 31;
    return x;
}

} // namespace segx
