#include "core/model/int_code_map.h"

#include <doctest/doctest.h>

#include <cstdint>

namespace core_model_int_code_map_test {

using namespace segx;

TEST_CASE("IntCodeMap finds what was inserted and nothing else, across growth") {
    IntCodeMap m;
    CHECK(m.find(0) == IntCodeMap::kMissing);
    for (int64_t i = 0; i < 10000; i++) m.insert(i * 7919 - 5000, uint32_t(i));
    m.insert(INT64_MIN, 10000);
    m.insert(INT64_MAX, 10001);
    CHECK(m.size() == 10002);
    for (int64_t i = 0; i < 10000; i++) REQUIRE(m.find(i * 7919 - 5000) == uint32_t(i));
    CHECK(m.find(INT64_MIN) == 10000);
    CHECK(m.find(INT64_MAX) == 10001);
    CHECK(m.find(-4999) == IntCodeMap::kMissing);
    CHECK(m.memory_bytes() >= 10002 * 12);
}

} // namespace core_model_int_code_map_test
