#pragma once
// Row vectors filled by push_back grow by doubling, so a file of 9.8M rows ends in vectors with
// room for 16.8M: two fifths of the source's memory unused, and counted in the heap's top while
// the model is built beside it. A loader that knows about how many rows are coming reserves
// them up front (reserve_rows); one that did not gives the spare room back when it finishes
// (trim_slack). Both take std::vector and NarrowVector.

#include <cstddef>

namespace segx {

template <typename V>
void reserve_rows(V& v, size_t rows) {
    if (rows > v.capacity()) v.reserve(rows);
}

// Gives back spare room above an eighth of the size (a copy): an estimate a few per cent high
// costs no copy, and a doubling's waste is at most an eighth once trimmed.
template <typename V>
void trim_slack(V& v) {
    if (v.capacity() - v.size() > v.size() / 8) v.shrink_to_fit();
}

} // namespace segx
