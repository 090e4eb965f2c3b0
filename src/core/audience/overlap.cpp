#include "core/audience/overlap.h"

#include <algorithm>
#include <cstdint>

namespace segx {

namespace {

// |a ∩ b| over the words both have: past the shorter one, the AND is zero anyway.
size_t and_count(const Bitmap& a, const Bitmap& b) {
    const size_t words = std::min(a.words.size(), b.words.size());
    const uint64_t* x = a.words.data();
    const uint64_t* y = b.words.data();
    size_t total = 0;
    for (size_t w = 0; w < words; w++) total += size_t(popcount64(x[w] & y[w]));
    return total;
}

} // namespace

std::vector<size_t> overlap_matrix(const std::vector<const Bitmap*>& sets) {
    const size_t n = sets.size();
    std::vector<size_t> out(n * n, 0);
    for (size_t i = 0; i < n; i++) {
        if (sets[i] == nullptr) continue;
        out[i * n + i] = sets[i]->count_set();
        for (size_t j = i + 1; j < n; j++) {
            if (sets[j] == nullptr) continue;
            size_t both = and_count(*sets[i], *sets[j]);
            out[i * n + j] = both;
            out[j * n + i] = both;
        }
    }
    return out;
}

} // namespace segx
