#pragma once
// Overlap of saved audiences (DESIGN §3): how many users each pair has in common, for the
// overlap table and a Venn-ish chart.

#include "core/dataset/bitmap.h"

#include <cstddef>
#include <vector>

namespace segx {

// n×n counts, row-major: out[i * n + j] = |sets[i] ∩ sets[j]|, so the diagonal holds the set
// sizes and the matrix is symmetric. Whole 64-bit words are ANDed and popcounted; a set shorter
// than another counts as zeros past its end (a bitmap from before users were added). A null
// pointer counts as the empty set.
std::vector<size_t> overlap_matrix(const std::vector<const Bitmap*>& sets);

} // namespace segx
