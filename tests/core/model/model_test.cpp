#include "core/model/model.h"

#include "chunk_fixture.h"
#include "core/time/civil.h"

#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

namespace core_model_model_test {

using namespace segx;
using namespace segx::test;

namespace {

int64_t day(int y, unsigned m, unsigned d) { return days_from_civil(y, m, d) * kMicrosPerDay; }

// customers.csv: text ids with padding, a country and a signup date.
UserSource customers() {
    UserSourceBuilder b("customers.csv", {"country", "signup"});
    auto ids = texts({" 42", "7", "13"});
    auto country = texts({"CN", "US", std::nullopt});
    auto signup = ints({day(2023, 5, 1), day(2023, 6, 1), day(2023, 7, 1)}, 0, ColumnType::Date);
    b.append(3, ids.chunk(), {country.chunk(), signup.chunk()});
    return b.finish();
}

// events.csv: integer ids (as DuckDB types a numeric column), one user (99) unknown to customers.
EventSource app_events() {
    EventSourceSpec s;
    s.name = "events.csv";
    EventSourceBuilder b(s);
    auto ids = ints({42, 99, 42});
    auto time = texts({"2024-01-02 10:00", "2024-01-03 09:00", "2024-01-01 08:00"});
    auto event = texts({"view", "view", "signup"});
    b.append(3, ids.chunk(), time.chunk(), event.chunk(), ValueChunk::none(), ValueChunk::none(), {});
    return b.finish();
}

// orders.csv: float ids (a CustomerID column with gaps), and a user (555) only here.
EventSource orders() {
    EventSourceSpec s;
    s.name = "orders.csv";
    s.kind = SourceKind::Orders;
    s.revenue_required = true;
    EventSourceBuilder b(s);
    auto ids = doubles({42.0, 7.0, 555.0});
    auto time = texts({"12/5/2024 8:26", "12/6/2024 9:00", "12/7/2024 10:00"});
    auto amount = texts({"$10.00", "1,200.50", "3"});
    auto order = texts({"A1", "A2", "A3"});
    b.append(3, ids.chunk(), time.chunk(), ValueChunk::none(), amount.chunk(), order.chunk(), {});
    return b.finish();
}

std::vector<std::string> ids(const Model& m) {
    std::vector<std::string> out;
    for (uint32_t u = 0; u < m.users.size(); u++) out.emplace_back(m.users.id(u));
    return out;
}

} // namespace

TEST_CASE("three sources with mismatched id types join into one user dictionary") {
    UserSource c = customers();
    EventSource e = app_events();
    EventSource o = orders();
    Model m = build_model({&c}, {&e, &o});

    // Users files first, then event sources, each in first-seen order.
    CHECK(ids(m) == std::vector<std::string>{"42", "7", "13", "99", "555"});
    const uint32_t u42 = 0, u7 = 1, u13 = 2, u99 = 3, u555 = 4;
    CHECK(m.events.size() == 6);
    CHECK(m.events.offsets == std::vector<uint64_t>{0, 3, 4, 4, 5, 6});
    CHECK(m.events.time[0] == day(2024, 1, 1) + 8 * 3600 * kMicrosPerSecond); // sorted by time
    CHECK(m.event_names.at(m.events.event[0]) == "signup");
    CHECK(m.event_names.at(m.events.event[2]) == "purchase");
    CHECK(m.order_ids.size() == 3);

    REQUIRE(m.attributes.size() == 2);
    CHECK(m.attribute_sources == std::vector<std::string>{"customers.csv", "customers.csv"});
    const Column& country = m.attributes[0];
    CHECK(country.name == "country");
    CHECK(country.size() == 5);
    CHECK(country.format(u42) == "CN");
    CHECK(country.format(u7) == "US");
    CHECK(country.is_null(u13));  // null in the file
    CHECK(country.is_null(u99));  // only in events
    CHECK(country.is_null(u555)); // only in orders
    CHECK(m.attributes[1].type == ColumnType::Date);
    CHECK(m.attributes[1].format(u7) == "2023-06-01");
    CHECK(m.attributes[1].is_null(u99));

    const UserAggregates& a = m.aggregates;
    CHECK(a.orders == std::vector<uint32_t>{1, 1, 0, 0, 1});
    CHECK(a.revenue[u7] == 1200.5);
    CHECK(a.first_seen_us[u13] == UserAggregates::kNever);
    CHECK(a.first_purchase_us[u42] == day(2024, 12, 5) + (8 * 3600 + 26 * 60) * kMicrosPerSecond);
    CHECK(m.min_time_us == day(2024, 1, 1) + 8 * 3600 * kMicrosPerSecond);
    CHECK(m.max_time_us == day(2024, 12, 7) + 10 * 3600 * kMicrosPerSecond);
    CHECK(m.memory_bytes() > 0);
}

TEST_CASE("removing a source is building without it: no trace of its users, events or orders") {
    UserSource c = customers();
    EventSource e = app_events();
    EventSource o = orders();
    Model with = build_model({&c}, {&e, &o});
    REQUIRE(with.users.find("555").has_value());

    Model without = build_model({&c}, {&e});
    CHECK(ids(without) == std::vector<std::string>{"42", "7", "13", "99"});
    CHECK_FALSE(without.users.find("555").has_value());
    CHECK_FALSE(without.event_names.find("purchase").has_value());
    CHECK(without.order_ids.size() == 0);
    CHECK(without.events.size() == 3);
    CHECK(without.aggregates.orders == std::vector<uint32_t>{0, 0, 0, 0});
    CHECK(without.max_time_us == day(2024, 1, 3) + 9 * 3600 * kMicrosPerSecond);

    // Without the users file, its users that never had events are gone, and so are attributes.
    Model events_only = build_model({}, {&e, &o});
    CHECK(ids(events_only) == std::vector<std::string>{"42", "99", "7", "555"});
    CHECK(events_only.attributes.empty());
}

TEST_CASE("an empty model has sentinel time bounds") {
    Model m = build_model({}, {});
    CHECK(m.users.size() == 0);
    CHECK(m.events.offsets == std::vector<uint64_t>{0});
    CHECK(m.min_time_us == INT64_MAX);
    CHECK(m.max_time_us == INT64_MIN);

    UserSource c = customers();
    Model users_only = build_model({&c}, {});
    CHECK(users_only.users.size() == 3);
    CHECK(users_only.events.offsets == std::vector<uint64_t>{0, 0, 0, 0});
    CHECK(users_only.min_time_us == INT64_MAX);
}

TEST_CASE("attributes across users files: later file wins, types merge or get a suffix") {
    UserSourceBuilder b1("a.csv", {"country", "score", "tier"});
    auto ids1 = texts({"1", "2"});
    auto country1 = texts({"CN", "US"});
    auto score1 = ints({10, 20});
    auto tier1 = texts({"gold", "silver"});
    b1.append(2, ids1.chunk(), {country1.chunk(), score1.chunk(), tier1.chunk()});
    UserSource a = b1.finish();

    UserSourceBuilder b2("b.csv", {"country", "score", "tier"});
    auto ids2 = ints({2, 3});
    auto country2 = texts({std::nullopt, "JP"});
    auto score2 = doubles({2.5, 3.5});
    auto tier2 = ints({1, 2});
    b2.append(2, ids2.chunk(), {country2.chunk(), score2.chunk(), tier2.chunk()});
    UserSource b = b2.finish();

    Model m = build_model({&a, &b}, {});
    CHECK(ids(m) == std::vector<std::string>{"1", "2", "3"});
    REQUIRE(m.attributes.size() == 4);
    CHECK(m.attributes[0].name == "country");
    CHECK(m.attributes[0].format(0) == "CN");
    CHECK(m.attributes[0].is_null(1)); // b.csv's row for user 2 wins, its null included
    CHECK(m.attributes[0].format(2) == "JP");
    CHECK(m.attributes[1].name == "score");
    CHECK(m.attributes[1].type == ColumnType::Double); // BIGINT + DOUBLE
    CHECK(m.attributes[1].doubles == std::vector<double>{10, 2.5, 3.5});
    CHECK(m.attributes[2].name == "tier");
    CHECK(m.attributes[2].format(0) == "gold");
    CHECK(m.attributes[2].format(1) == "silver"); // b.csv's tier went to its own column
    CHECK(m.attributes[2].is_null(2));
    CHECK(m.attributes[3].name == "tier (b.csv)");
    CHECK(m.attributes[3].type == ColumnType::Int64);
    CHECK(m.attributes[3].is_null(0));
    CHECK(m.attributes[3].format(1) == "1");
    CHECK(m.attribute_sources == std::vector<std::string>{"a.csv", "a.csv", "a.csv", "b.csv"});
}

TEST_CASE("values only on overridden or rejected rows never reach the model's dictionaries") {
    UserSourceBuilder b("a.csv", {"city"});
    auto ids = texts({"1", "", "1"});
    auto city = texts({"Paris", "Nowhere", "Lyon"});
    b.append(3, ids.chunk(), {city.chunk()});
    UserSource a = b.finish();
    Model m = build_model({&a}, {});
    CHECK(m.attributes[0].format(0) == "Lyon");
    CHECK_FALSE(m.attributes[0].dict.find("Paris").has_value());
    CHECK_FALSE(m.attributes[0].dict.find("Nowhere").has_value());
}

} // namespace core_model_model_test
