#include "core/dataset/code_vector.h"

#include <algorithm>

namespace segx {

namespace {

template <typename To, typename From>
void widen_into(std::vector<To>& to, std::vector<From>& from) {
    to.reserve(std::max(from.capacity(), from.size()));
    to.assign(from.begin(), from.end());
    std::vector<From>().swap(from);
}

} // namespace

CodeVector::CodeVector(const std::vector<uint32_t>& codes) {
    uint32_t top = 0;
    for (uint32_t c : codes) top = std::max(top, c);
    widen_to(width_for(top));
    reserve(codes.size());
    for (uint32_t c : codes) push_back(c);
}

void CodeVector::resize(size_t n) {
    if (width_ == 1)
        w1_.resize(n, 0);
    else if (width_ == 2)
        w2_.resize(n, 0);
    else
        w4_.resize(n, 0);
    size_ = n;
}

void CodeVector::reserve(size_t n) {
    if (width_ == 1)
        w1_.reserve(n);
    else if (width_ == 2)
        w2_.reserve(n);
    else
        w4_.reserve(n);
}

void CodeVector::clear() {
    w1_.clear();
    w2_.clear();
    w4_.clear();
    size_ = 0;
}

void CodeVector::shrink_to_fit() {
    w1_.shrink_to_fit();
    w2_.shrink_to_fit();
    w4_.shrink_to_fit();
}

void CodeVector::widen_to(int width) {
    if (width <= width_) return;
    if (width == 2) {
        widen_into(w2_, w1_);
    } else if (width_ == 1) {
        widen_into(w4_, w1_);
    } else {
        widen_into(w4_, w2_);
    }
    width_ = width;
}

std::vector<uint32_t> CodeVector::to_vector() const {
    return visit([this](const auto* codes) { return std::vector<uint32_t>(codes, codes + size_); });
}

bool CodeVector::operator==(const CodeVector& o) const {
    if (size_ != o.size_) return false;
    return visit(
        [&](const auto* a) { return o.visit([&](const auto* b) { return std::equal(a, a + size_, b); }); });
}

} // namespace segx
