#include "core/dataset/narrow_vector.h"
#include "core/dataset/column.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace core_dataset_narrow_vector_test {

using namespace segx;

TEST_CASE("CodeVector: the width follows the largest code, 255/256 and 65535/65536") {
    CHECK(CodeVector::width_for(0) == 1);
    CHECK(CodeVector::width_for(255) == 1);
    CHECK(CodeVector::width_for(256) == 2);
    CHECK(CodeVector::width_for(65535) == 2);
    CHECK(CodeVector::width_for(65536) == 4);
    CHECK(CodeVector::width_for(UINT32_MAX) == 4);

    CodeVector v;
    std::vector<uint32_t> wide;
    for (uint32_t c = 0; c <= 255; c++) {
        v.push_back(c);
        wide.push_back(c);
    }
    CHECK(v.width() == 1);
    CHECK(v.memory_bytes() >= 256);
    v.push_back(256); // widens: every earlier code keeps its value
    wide.push_back(256);
    CHECK(v.width() == 2);
    CHECK(v.to_vector() == wide);
    v.set(3, 65535);
    wide[3] = 65535;
    CHECK(v.width() == 2);
    v.set(4, 65536);
    wide[4] = 65536;
    CHECK(v.width() == 4);
    CHECK(v.to_vector() == wide);
    CHECK(v.size() == 257);
    CHECK(v[4] == 65536);
    CHECK(v.back() == 256);
    v.append_zeros(2);
    CHECK(v.size() == 259);
    CHECK(v[258] == 0);
}

TEST_CASE("CodeVector: built from wide codes at the narrowest width; equal across widths") {
    const std::vector<uint32_t> small = {0, 7, 255, 1};
    CodeVector a(small);
    CHECK(a.width() == 1);
    CHECK(a.to_vector() == small);
    CodeVector b;
    b.widen_to(4);
    for (uint32_t c : small) b.push_back(c);
    CHECK(b.width() == 4);
    CHECK(a == b); // the values, not the bytes
    b.set(0, 1);
    CHECK(a != b);
    CHECK(CodeVector(std::vector<uint32_t>{65535}).width() == 2);
    CHECK(CodeVector(std::vector<uint32_t>{65536}).width() == 4);
    std::vector<uint32_t> seen;
    for (uint32_t c : a) seen.push_back(c);
    CHECK(seen == small);
    // visit hands the stored type: its sum is the codes' sum at every width.
    CHECK(a.visit([&](const auto* p) {
        uint64_t s = 0;
        for (size_t i = 0; i < a.size(); i++) s += p[i];
        return s;
    }) == 263);
    CHECK(a.visit([](const auto* p) { return sizeof(*p); }) == 1);
    CHECK(b.visit([](const auto* p) { return sizeof(*p); }) == 4);
}

namespace {

// A String column of `entries` dictionary entries (code 0 "", then v1..v{entries-1}), a row
// per entry in order then a null and the first value again; its codes and texts.
void check_column_of(uint32_t entries, int width) {
    CAPTURE(entries);
    std::string bytes;
    std::vector<int32_t> offsets = {0};
    std::vector<std::string> texts;
    for (uint32_t i = 1; i < entries; i++) {
        texts.push_back("v" + std::to_string(i));
        bytes += texts.back();
        offsets.push_back(int32_t(bytes.size()));
    }
    offsets.push_back(int32_t(bytes.size())); // the null row
    texts.push_back("");
    bytes += "v1";
    offsets.push_back(int32_t(bytes.size()));
    texts.push_back("v1");
    const size_t rows = texts.size();
    std::vector<uint8_t> validity((rows + 7) / 8, 0xFF);
    validity[(rows - 2) / 8] &= uint8_t(~(1u << ((rows - 2) % 8)));

    Column c;
    c.name = "p";
    c.type = ColumnType::String;
    c.append_utf8(offsets.data(), bytes.data(), validity.data(), 0, rows);
    REQUIRE(c.dict.size() == entries);
    CHECK(c.codes.width() == width);
    std::vector<uint32_t> wide;
    for (uint32_t i = 1; i < entries; i++) wide.push_back(i);
    wide.push_back(0); // null: the filler
    wide.push_back(1);
    CHECK(c.codes.to_vector() == wide);
    bool same = true;
    for (size_t r = 0; r < rows; r++) same = same && c.format(r) == texts[r];
    CHECK(same);
    CHECK(c.is_null(rows - 2));
}

} // namespace

TEST_CASE("String columns store codes at 1, 2 or 4 bytes by their dictionary, same values") {
    check_column_of(255, 1);
    check_column_of(256, 1); // codes 0..255
    check_column_of(257, 2);
    check_column_of(65535, 2);
    check_column_of(65536, 2); // codes 0..65535
    check_column_of(65537, 4);
}

TEST_CASE("IntVector: signed widths 1, 2, 4, 8 at -128/127, 32767/-32769, 2^31, values kept") {
    CHECK(IntVector::width_for(0) == 1);
    CHECK(IntVector::width_for(127) == 1);
    CHECK(IntVector::width_for(-128) == 1);
    CHECK(IntVector::width_for(128) == 2);
    CHECK(IntVector::width_for(-129) == 2);
    CHECK(IntVector::width_for(32767) == 2);
    CHECK(IntVector::width_for(-32769) == 4);
    CHECK(IntVector::width_for(INT32_MAX) == 4);
    CHECK(IntVector::width_for(int64_t(INT32_MAX) + 1) == 8);
    CHECK(IntVector::width_for(INT64_MIN) == 8);

    const std::vector<int64_t> steps = {-5,    127,           -128,      200,      -32768,
                                        40000, -3000000000LL, INT64_MAX, INT64_MIN};
    const std::vector<int> widths = {1, 1, 1, 2, 2, 4, 8, 8, 8};
    IntVector v;
    std::vector<int64_t> wide;
    for (size_t i = 0; i < steps.size(); i++) {
        v.push_back(steps[i]);
        wide.push_back(steps[i]);
        CHECK(v.width() == widths[i]);
        CHECK(v.to_vector() == wide); // earlier values survive each widening
    }
    IntVector w;
    w.append_zeros(3);
    w.set(1, -1);
    w.set(2, 1LL << 33);
    CHECK(w.to_vector() == std::vector<int64_t>{0, -1, 1LL << 33});
    CHECK(IntVector(std::vector<int64_t>{-1, 100}).width() == 1);
    // visit reads the stored type; widening to double gives the same sums at every width.
    CHECK(v.visit([&](const auto* p) {
        double s = 0;
        for (size_t i = 0; i < 6; i++) s += double(p[i]);
        return s;
    }) == -5 + 127 - 128 + 200 - 32768 + 40000);
    v.pop_back();
    CHECK(v.size() == steps.size() - 1);
    CHECK(v.back() == INT64_MAX);
}

} // namespace core_dataset_narrow_vector_test
