#include "core/model/top_values.h"

#include "../audience/audience_fixture.h" // the ten-user model, documented there
#include "chunk_fixture.h"

#include <doctest/doctest.h>

#include <limits>
#include <string>
#include <vector>

namespace core_model_top_values_test {

using namespace segx;
using namespace segx::test;

namespace {

// "CN:2 Cn:1": values and counts in order.
std::string show(const std::vector<ValueCount>& values) {
    std::string out;
    for (const ValueCount& v : values) {
        if (!out.empty()) out += ' ';
        out += v.value + ":" + std::to_string(v.count);
    }
    return out;
}

} // namespace

TEST_CASE("attribute values: users per value, nulls left out, count desc then bytes") {
    const Model& m = fixture_model();
    // u3, e8, e9 have no country. "Cn" < "JP" < "US" < "cn" < "中国" as bytes.
    CHECK(show(top_attribute_values(m, "country", 10)) == "CN:2 Cn:1 JP:1 US:1 cn:1 中国:1");
    CHECK(show(top_attribute_values(m, "country", 2)) == "CN:2 Cn:1");
    CHECK(top_attribute_values(m, "country", 0).empty());
    CHECK(show(top_attribute_values(m, "city", 3)) == "北京:2 New York:1 Tokyo:1");
}

TEST_CASE("attribute values: the filter folds ASCII letters only and matches Chinese exactly") {
    const Model& m = fixture_model();
    CHECK(show(top_attribute_values(m, "country", 10, "cn")) == "CN:2 Cn:1 cn:1");
    CHECK(show(top_attribute_values(m, "country", 10, "中")) == "中国:1");
    CHECK(show(top_attribute_values(m, "city", 10, "北京")) == "北京:2 北京市:1");
    CHECK(show(top_attribute_values(m, "city", 10, "YORK")) == "New York:1");
    CHECK(top_attribute_values(m, "city", 10, "zzz").empty());
    // The empty string is a value (u4's tag), not a null.
    CHECK(show(top_attribute_values(m, "tag", 10, "")) ==
          ":1 Gold:1 Gold Member:1 SILVER:1 bronze:1 gold:1 gold member:1");
}

TEST_CASE("attribute values: numbers, booleans and dates as an audience rule writes them") {
    const Model& m = fixture_model();
    CHECK(show(top_attribute_values(m, "age", 3)) == "18:1 25:1 30:1");
    // Ties order by number (2.5 before 3), not by text.
    CHECK(show(top_attribute_values(m, "score", 10)) == "4.5:2 1:1 2.5:1 3:1 4:1 5:1");
    CHECK(show(top_attribute_values(m, "score", 10, "4")) == "4.5:2 4:1");
    CHECK(show(top_attribute_values(m, "vip", 10)) == "false:3 true:3");
    CHECK(show(top_attribute_values(m, "signup", 3)) == "2023-01-15:2 2022-12-31:1 2023-03-10:1");
    CHECK(show(top_attribute_values(m, "last_login", 10)) ==
          "2024-03-30 09:59:59.999999:1 2024-03-30 10:00:00:1 2024-03-30 10:00:00.000001:1");
}

TEST_CASE("unknown attribute, event or property names give an empty list") {
    const Model& m = fixture_model();
    CHECK(top_attribute_values(m, "nope", 10).empty());
    CHECK(top_attribute_values(m, "platform", 10).empty()); // an event property, not an attribute
    CHECK(top_event_property_values(m, "nope", "platform", 10, "").empty());
    CHECK(top_event_property_values(m, "view", "nope", 10, "").empty());
    CHECK(top_event_property_values(m, "", "country", 10, "").empty());
}

TEST_CASE("event property values: events per value, for one event or all of them") {
    const Model& m = fixture_model();
    // Every event counts, also those after the latest as-of (u1's view at A+1D, u4's purchase).
    CHECK(show(top_event_property_values(m, "view", "platform", 10, "")) == "ios:3 android:1 web:1 平板:1");
    CHECK(show(top_event_property_values(m, "purchase", "platform", 10, "")) == "web:5 ios:3 android:2");
    // e9's view has no platform: 16 of 17 events.
    CHECK(show(top_event_property_values(m, "", "platform", 10, "")) == "ios:6 web:6 android:3 平板:1");
    CHECK(show(top_event_property_values(m, "", "platform", 10, "平")) == "平板:1");
    CHECK(show(top_event_property_values(m, "purchase", "qty", 10, "")) == "1:7 2:1 3:1 4:1");
    // Ties by number: 9.5 before 12, which text order would put first.
    CHECK(show(top_event_property_values(m, "", "price", 10, "")) == "1:1 3:1 5:1 7:1 9.5:1 12:1 20:1");
    CHECK(show(top_event_property_values(m, "", "price", 2, "")) == "1:1 3:1");
    CHECK(show(top_event_property_values(m, "", "price", 10, "2")) == "12:1 20:1");
}

TEST_CASE("event names: events per name, filtered case-insensitively") {
    const Model& m = fixture_model();
    CHECK(show(top_event_names(m, 10)) == "purchase:10 view:7");
    CHECK(show(top_event_names(m, 1)) == "purchase:10");
    CHECK(show(top_event_names(m, 10, "VIE")) == "view:7");
    CHECK(top_event_names(m, 10, "x").empty());
}

TEST_CASE("double values: -0 and 0 are one value; NaN and infinities are no value") {
    UserSourceBuilder b("u.csv", {"x"});
    auto ids = texts({"a", "b", "c", "d", "e", "f"});
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    auto x = doubles({0.0, -0.0, nan, inf, -inf, 1e21});
    b.append(6, ids.chunk(), {x.chunk()});
    UserSource users = b.finish();
    const Model m = build_model({&users}, {});
    CHECK(show(top_attribute_values(m, "x", 10)) == "0:2 1e+21:1");
}

TEST_CASE("ASCII case-insensitive contains") {
    CHECK(contains_ascii_ci("New York", "YORK"));
    CHECK(contains_ascii_ci("abc", ""));
    CHECK(contains_ascii_ci("", ""));
    CHECK_FALSE(contains_ascii_ci("", "a"));
    CHECK_FALSE(contains_ascii_ci("ab", "abc"));
    CHECK(contains_ascii_ci("北京市", "京市"));
    CHECK_FALSE(contains_ascii_ci("Ü", "ü")); // not ASCII: compared exactly
}

} // namespace core_model_top_values_test
