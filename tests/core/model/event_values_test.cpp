#include "core/model/event_values.h"

#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

namespace core_model_event_values_test {

using namespace segx;

namespace {

constexpr uint32_t kNo = EventValues::kNoOrder;

} // namespace

TEST_CASE("event values: only the rows with a revenue or an order are held, read back by row") {
    // 130 rows (three words of bits): row 0 revenue 10 order 7, row 63 an order without revenue,
    // row 64 a revenue without order, row 129 (the last word's second row) revenue -2.5 order 1.
    std::vector<double> revenue(130, NAN);
    std::vector<uint32_t> order(130, kNo);
    revenue[0] = 10, order[0] = 7;
    order[63] = 3;
    revenue[64] = 4.25;
    revenue[129] = -2.5, order[129] = 1;
    const EventValues v = EventValues::from_dense(revenue, order);
    REQUIRE(v.size() == 130);
    CHECK(v.carrying() == 4);
    CHECK(v.revenues().size() == 4);
    // Ranks: rows before 64 hold ranks 0..1, row 64 rank 2, row 129 rank 3.
    CHECK(v.rank(0) == 0);
    CHECK(v.rank(63) == 1);
    CHECK(v.rank(64) == 2);
    CHECK(v.rank(100) == 3); // no values: the next carrying row's rank
    CHECK(v.rank(129) == 3);
    CHECK(v.revenue(0) == 10);
    CHECK(v.order(0) == 7);
    CHECK(std::isnan(v.revenue(63)));
    CHECK(v.order(63) == 3);
    CHECK(v.revenue(64) == 4.25);
    CHECK(v.order(64) == kNo);
    CHECK(v.revenue(129) == -2.5);
    CHECK(v.order(129) == 1);
    for (size_t r : {1, 2, 62, 65, 127, 128}) {
        CHECK_FALSE(v.carries(r));
        CHECK(std::isnan(v.revenue(r)));
        CHECK(v.order(r) == kNo);
    }
    // 3 words of bits (24 B) and of ranks (12 B), 4 revenues (32 B) and orders (16 B).
    CHECK(v.memory_bytes() == 84);

    // Appending row by row gives the same store.
    EventValues pushed;
    for (size_t r = 0; r < 130; r++) pushed.push_back(revenue[r], order[r]);
    CHECK(pushed == v);
    pushed.push_back(1, kNo);
    CHECK_FALSE(pushed == v);
}

TEST_CASE("event values: none held, and mismatched lengths refused") {
    const EventValues empty = EventValues::from_dense({}, {});
    CHECK(empty.size() == 0);
    CHECK(empty.memory_bytes() == 0);
    const EventValues none =
        EventValues::from_dense(std::vector<double>(64, NAN), std::vector<uint32_t>(64, kNo));
    CHECK(none.carrying() == 0);
    CHECK(none.rank(63) == 0);
    CHECK(std::isnan(none.revenue(63)));
    CHECK_THROWS_AS(EventValues::from_dense({1.0}, {}), std::invalid_argument);
}

} // namespace core_model_event_values_test
