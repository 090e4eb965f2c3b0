#include "core/audience/overlap.h"

#include <doctest/doctest.h>

#include <initializer_list>
#include <vector>

namespace core_audience_overlap_test {

using namespace segx;

namespace {

Bitmap bits(size_t size, std::initializer_list<size_t> set) {
    Bitmap b;
    b.append_all(false, size);
    for (size_t i : set) b.set(i, true);
    return b;
}

} // namespace

TEST_CASE("overlap: the diagonal holds set sizes, off-diagonal cells the intersections, symmetric") {
    // Bits on both sides of the word boundary (63, 64) and in a partial last word (100).
    const Bitmap a = bits(130, {0, 1, 2, 63, 64, 100});
    const Bitmap b = bits(130, {1, 63, 65, 100, 129});
    const Bitmap c = bits(130, {});
    const std::vector<size_t> m = overlap_matrix({&a, &b, &c});
    CHECK(m == std::vector<size_t>{6, 3, 0, //
                                   3, 5, 0, //
                                   0, 0, 0});
}

TEST_CASE("overlap: a shorter set counts as zeros past its end") {
    const Bitmap longer = bits(200, {1, 2, 70, 150, 199});
    const Bitmap shorter = bits(71, {2, 70});
    const Bitmap none; // size 0, no words
    const std::vector<size_t> m = overlap_matrix({&longer, &shorter, &none});
    CHECK(m == std::vector<size_t>{5, 2, 0, //
                                   2, 2, 0, //
                                   0, 0, 0});
}

TEST_CASE("overlap: a null set is empty, and no sets give an empty matrix") {
    const Bitmap a = bits(10, {3, 4});
    CHECK(overlap_matrix({&a, nullptr}) == std::vector<size_t>{2, 0, 0, 0});
    CHECK(overlap_matrix({}).empty());
}

TEST_CASE("overlap: the same set twice overlaps itself fully") {
    Bitmap all;
    all.append_all(true, 1000);
    const Bitmap odd = [] {
        Bitmap b;
        for (size_t i = 0; i < 1000; i++) b.push_back(i % 2 == 1);
        return b;
    }();
    CHECK(overlap_matrix({&all, &all, &odd}) == std::vector<size_t>{1000, 1000, 500, //
                                                                    1000, 1000, 500, //
                                                                    500, 500, 500});
}

} // namespace core_audience_overlap_test
