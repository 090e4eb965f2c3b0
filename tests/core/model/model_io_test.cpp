#include "core/model/model_io.h"

#include "chunk_fixture.h"
#include "core/audience/evaluate.h"
#include "core/audience/json.h"
#include "core/time/civil.h"

#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

namespace core_model_model_io_test {

using namespace segx;
using namespace segx::test;

namespace {

int64_t day(int y, unsigned m, unsigned d) { return days_from_civil(y, m, d) * kMicrosPerDay; }

// Every column type, nulls and Chinese text, in attributes and event properties.
Model fixture() {
    UserSourceBuilder b("users.csv", {"city", "age", "score", "vip", "signup", "last_login"});
    auto ids = texts({"u1", "u2", "u3", "u4"});
    auto city = texts({"上海", std::nullopt, "成都", ""});
    auto age = ints({31, 45, std::nullopt, 20});
    auto score = doubles({1.5, std::nullopt, -0.0, 1e300});
    auto vip = ints({1, 0, std::nullopt, 1}, 0, ColumnType::Bool);
    auto signup =
        ints({day(2024, 1, 1), std::nullopt, day(2023, 2, 3), day(2022, 5, 6)}, 0, ColumnType::Date);
    auto login = ints({day(2024, 3, 1) + 12345, day(2024, 3, 2), std::nullopt, -5}, 0, ColumnType::Timestamp);
    b.append(4, ids.chunk(),
             {city.chunk(), age.chunk(), score.chunk(), vip.chunk(), signup.chunk(), login.chunk()});
    static UserSource users;
    users = b.finish();

    EventSourceSpec s;
    s.name = "events.csv";
    s.property_names = {"category", "price"};
    EventSourceBuilder eb(s);
    auto eids = texts({"u1", "u2", "u1", "u9", "u3"});
    auto time = texts(
        {"2024-01-02 10:00", "2024-01-03 09:00", "2024-01-01 08:00", "2024-02-01 00:00", "2024-02-02 00:00"});
    auto event = texts({"view", "purchase", "purchase", "view", "加购"});
    auto revenue = doubles({std::nullopt, 10.25, 3.0, std::nullopt, std::nullopt});
    auto order = texts({std::nullopt, "A1", "A2", std::nullopt, std::nullopt});
    auto category = texts({"家居", "Home", std::nullopt, "Toys", "家居"});
    auto price = doubles({1.0, std::nullopt, 2.5, 3.0, 4.0});
    eb.append(5, eids.chunk(), time.chunk(), event.chunk(), revenue.chunk(), order.chunk(),
              {category.chunk(), price.chunk()});
    static EventSource events;
    events = eb.finish();
    return build_model({&users}, {&events});
}

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
    return a.size() == b.size() &&
           (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
}

void check_dict(const StringDictionary& a, const StringDictionary& b) {
    REQUIRE(a.size() == b.size());
    for (uint32_t c = 0; c < a.size(); c++) CHECK(a.at(c) == b.at(c));
}

void check_column(const Column& a, const Column& b) {
    CAPTURE(a.name);
    CHECK(a.name == b.name);
    CHECK(a.type == b.type);
    CHECK(a.ints == b.ints);
    CHECK(same_bits(a.doubles, b.doubles));
    CHECK(a.codes == b.codes);
    check_dict(a.dict, b.dict);
    CHECK(a.valid.size == b.valid.size);
    CHECK(a.valid.words == b.valid.words);
    for (size_t r = 0; r < a.size(); r++) CHECK(a.format(r) == b.format(r));
}

std::vector<uint32_t> members(const Model& m, const char* definition) {
    ValidationResult p = parse_audience(definition);
    REQUIRE(p.ok());
    EvalResult r = evaluate(p.audience, EvalContext{m, m.max_time_us, 0, {}});
    REQUIRE(r.ok());
    std::vector<uint32_t> out;
    for (size_t u = 0; u < r.users.size; u++)
        if (r.users.get(u)) out.push_back(uint32_t(u));
    return out;
}

} // namespace

TEST_CASE("a model survives serialize/deserialize exactly, and evaluates the same") {
    Model m = fixture();
    REQUIRE(m.attributes.size() == 6);
    REQUIRE(m.events.properties.size() == 2);
    std::string blob = serialize_model(m);
    Model back = deserialize_model(blob);

    REQUIRE(back.users.size() == m.users.size());
    for (uint32_t u = 0; u < m.users.size(); u++) CHECK(back.users.id(u) == m.users.id(u));
    check_dict(back.event_names, m.event_names);
    check_dict(back.order_ids, m.order_ids);
    CHECK(back.events.offsets == m.events.offsets);
    CHECK(back.events.time == m.events.time);
    CHECK(back.events.event == m.events.event);
    CHECK(back.events.values == m.events.values);
    REQUIRE(back.events.properties.size() == m.events.properties.size());
    for (size_t i = 0; i < m.events.properties.size(); i++)
        check_column(back.events.properties[i], m.events.properties[i]);
    REQUIRE(back.attributes.size() == m.attributes.size());
    for (size_t i = 0; i < m.attributes.size(); i++) check_column(back.attributes[i], m.attributes[i]);
    CHECK(back.attribute_sources == m.attribute_sources);
    CHECK(back.purchase_event == m.purchase_event);
    CHECK(back.aggregates.first_seen_us == m.aggregates.first_seen_us);
    CHECK(back.aggregates.last_seen_us == m.aggregates.last_seen_us);
    CHECK(back.aggregates.first_purchase_us == m.aggregates.first_purchase_us);
    CHECK(back.aggregates.last_purchase_us == m.aggregates.last_purchase_us);
    CHECK(back.aggregates.orders == m.aggregates.orders);
    CHECK(same_bits(back.aggregates.revenue, m.aggregates.revenue));
    CHECK(back.min_time_us == m.min_time_us);
    CHECK(back.max_time_us == m.max_time_us);
    CHECK(back.event_index.memory_bytes() == m.event_index.memory_bytes()); // rebuilt, not stored
    CHECK(serialize_model(back) == blob);

    // Evaluation reads the rebuilt index and the columns alike.
    for (
        const char* d : {
            R"({"segx":1,"id":"a","name":"a","root":{"match":"all","rules":[{"kind":"property","attribute":"city","op":"eq","value":"上海"}]}})",
            R"({"segx":1,"id":"a","name":"a","root":{"match":"all","rules":[{"kind":"property","attribute":"city","op":"is_not_set"}]}})",
            R"({"segx":1,"id":"a","name":"a","root":{"match":"all","rules":[{"kind":"behavior","did":true,"event":"purchase","aggregate":{"fn":"sum","of":"revenue","op":"gte","value":3}}]}})",
            R"({"segx":1,"id":"a","name":"a","root":{"match":"any","rules":[{"kind":"behavior","did":true,"event":"view","where":[{"property":"category","op":"eq","value":"家居"}]}]}})",
        }) {
        CAPTURE(d);
        CHECK(members(back, d) == members(m, d));
    }
}

TEST_CASE("an empty or never-built model round-trips") {
    Model empty = build_model({}, {});
    CHECK(deserialize_model(serialize_model(empty)).users.size() == 0);
    Model blank;
    CHECK(deserialize_model(serialize_model(blank)).events.size() == 0);
}

TEST_CASE("a truncated, corrupt or foreign blob is an error naming the problem") {
    std::string blob = serialize_model(fixture());
    // Every truncation fails (never crashes, never returns a partial model).
    for (size_t n = 0; n < blob.size(); n++) {
        CAPTURE(n);
        CHECK_THROWS_AS(deserialize_model(std::string_view(blob).substr(0, n)), std::invalid_argument);
    }
    CHECK_THROWS_WITH_AS(deserialize_model(blob.substr(0, 14)), doctest::Contains("truncated"),
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(deserialize_model("PK\x03\x04 not a model at all"), doctest::Contains("bad magic"),
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(deserialize_model(blob + "x"), doctest::Contains("trailing"), std::invalid_argument);

    std::string other = blob;
    other[8] = 3; // version 3
    CHECK_THROWS_WITH_AS(deserialize_model(other), doctest::Contains("format version 3"),
                         std::invalid_argument);

    std::string huge = blob;
    huge[12 + 7] = char(0x7F); // user count near 2^63
    CHECK_THROWS_WITH_AS(deserialize_model(huge), doctest::Contains("runs past the end"),
                         std::invalid_argument);

    // The second user's id made equal to the first: a repeated id.
    Model m = fixture();
    std::string first(m.users.id(0)), second(m.users.id(1));
    REQUIRE(first.size() == second.size());
    std::string dup = blob;
    size_t at = dup.find(second, dup.find(first) + first.size());
    dup.replace(at, second.size(), first);
    CHECK_THROWS_WITH_AS(deserialize_model(dup), doctest::Contains("repeats"), std::invalid_argument);

    // Every single-byte flip either reads as some valid model or fails cleanly.
    for (size_t i = 0; i < blob.size(); i++) {
        std::string flipped = blob;
        flipped[i] = char(flipped[i] ^ 0xA5);
        try {
            (void)deserialize_model(flipped);
        } catch (const std::invalid_argument&) {}
    }
}

} // namespace core_model_model_io_test
