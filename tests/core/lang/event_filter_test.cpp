// lang/event_filter: filters compile once against the event property columns, with the errors
// of an unknown property or a value the column cannot take at the filter's own path.
#include "core/lang/event_filter.h"

#include <doctest/doctest.h>

namespace core_lang_event_filter_test {

using namespace segx;

namespace {

std::vector<Column> properties() {
    Column device{"device", ColumnType::String};
    const char bytes[] = "mobilewebmobile";
    const int32_t offsets[] = {0, 6, 9, 15};
    device.append_utf8(offsets, bytes, nullptr, 0, 3);
    Column price{"price", ColumnType::Double};
    const double prices[] = {9.5, 20.0, 3.0};
    price.append_double(prices, nullptr, 0, 3);
    std::vector<Column> out;
    out.push_back(std::move(device));
    out.push_back(std::move(price));
    return out;
}

} // namespace

TEST_CASE("compiled filters select exactly the matching rows") {
    const std::vector<Column> props = properties();
    std::vector<DefinitionError> errors;
    std::vector<ColumnPredicate> out;
    std::vector<EventFilter> where = {{"device", Op::Eq, {Scalar::of("mobile")}, false},
                                      {"price", Op::Gt, {Scalar::of(5)}, false}};
    REQUIRE(compile_event_filters(props, where, "steps[0]", errors, &out));
    REQUIRE(out.size() == 2);
    Bitmap mobile = predicate_rows(out[0], 3), dear = predicate_rows(out[1], 3);
    CHECK(mobile.get(0));
    CHECK_FALSE(mobile.get(1));
    CHECK(mobile.get(2));
    CHECK(dear.get(0));
    CHECK(dear.get(1));
    CHECK_FALSE(dear.get(2));
}

TEST_CASE("an unknown property and a mistyped value are named at their filter's path") {
    const std::vector<Column> props = properties();
    std::vector<DefinitionError> errors;
    std::vector<ColumnPredicate> out;
    std::vector<EventFilter> where = {{"colour", Op::Eq, {Scalar::of("red")}, false},
                                      {"price", Op::Gt, {Scalar::of("cheap")}, false}};
    CHECK_FALSE(compile_event_filters(props, where, "steps[1]", errors, &out));
    REQUIRE(errors.size() == 2);
    CHECK(errors[0].path == "steps[1].where[0].property");
    CHECK(errors[0].message.find("\"colour\"") != std::string::npos);
    CHECK(errors[0].message.find("device") != std::string::npos); // the known ones, to spot a typo
    CHECK(errors[1].path.rfind("steps[1].where[1]", 0) == 0);
}

} // namespace core_lang_event_filter_test
