// Reject examples read as the file wrote them: a typed time as a date and time (not epoch
// microseconds), an amount computed in binary as a person writes it (15.3, not 15.299999…).
#include "chunk_fixture.h"
#include "core/model/event_source.h"
#include "core/model/value_text.h"
#include "core/time/civil.h"

#include <doctest/doctest.h>

#include <string>

namespace core_model_reject_example_test {

using namespace segx;
using namespace segx::test;

TEST_CASE("a typed time in a reject example is a date and time") {
    EventSourceSpec spec;
    spec.name = "orders.csv";
    spec.time_is_epoch_us = true;
    EventSourceBuilder b(spec);
    const int64_t t = days_from_civil(2011, 12, 9) * kMicrosPerDay + (12 * 3600 + 50 * 60) * kMicrosPerSecond;
    auto user = texts({std::nullopt, "u1"});
    auto time = ints({t, t + 1}, 0, ColumnType::Timestamp);
    auto event = texts({"purchase", "purchase"});
    b.append(2, user.chunk(), time.chunk(), event.chunk(), none().chunk(), none().chunk(), {});
    EventSource s = b.finish();
    REQUIRE(s.rejects.reasons.size() == 1);
    CHECK(s.rejects.reasons[0].examples ==
          std::vector<std::string>{"row 1: user_id=null, time=2011-12-09 12:50:00"});
}

TEST_CASE("a double in an example has at most 15 significant digits") {
    auto amounts = doubles({5.1 * 3, -2.55 * 3, 0.1 + 0.2, 1e21, 17850.0, 3.141592653589793});
    std::vector<std::string> out;
    for (size_t i = 0; i < 6; i++) {
        std::string s;
        append_field(s, "amount", amounts.chunk(), i);
        out.push_back(s);
    }
    CHECK(out == std::vector<std::string>{"amount=15.3", "amount=-7.65", "amount=0.3", "amount=1e+21",
                                          "amount=17850", "amount=3.14159265358979"});
}

} // namespace core_model_reject_example_test
