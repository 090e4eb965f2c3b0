#include "core/model/event_store.h"

#include "core/dataset/user_dictionary.h"

#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

namespace core_model_event_store_test {

using namespace segx;

namespace {

struct Row {
    const char* user;
    int64_t time;
    const char* event;
};

// An EventSource filled by hand: builders are tested elsewhere.
EventSource make_source(const char* name, const std::vector<Row>& rows) {
    EventSource s;
    s.spec.name = name;
    for (const Row& r : rows) {
        s.user.push_back(s.user_ids.intern(r.user));
        s.time.push_back(r.time);
        s.event.push_back(s.event_names.intern(r.event));
        s.values.push_back(NAN, EventSource::kNoOrder);
    }
    return s;
}

// Remaps into shared dictionaries, as build_model does.
struct Interner {
    UserDictionary users;
    StringDictionary events;

    SourceRemap remap(const EventSource& s) {
        SourceRemap r;
        for (uint32_t c = 0; c < s.user_ids.size(); c++) r.user.push_back(users.intern(s.user_ids.at(c)));
        for (uint32_t c = 0; c < s.event_names.size(); c++)
            r.event.push_back(events.intern(s.event_names.at(c)));
        return r;
    }
};

// "event@time" for each event of a user, in store order.
std::vector<std::string> slice(const EventStore& st, const Interner& in, const char* user) {
    uint32_t u = *in.users.find(user);
    std::vector<std::string> out;
    for (uint64_t i = st.offsets[u]; i < st.offsets[u + 1]; i++)
        out.push_back(std::string(in.events.at(st.event[i])) + "@" + std::to_string(st.time[i]));
    return out;
}

Column string_column(const char* name, const std::vector<const char*>& values) {
    Column c;
    c.name = name;
    c.type = ColumnType::String;
    c.dict.intern("");
    for (const char* v : values) {
        c.valid.push_back(v != nullptr);
        c.codes.push_back(v ? c.dict.intern(v) : 0);
    }
    return c;
}

Column int_column(const char* name, const std::vector<int64_t>& values) {
    Column c;
    c.name = name;
    c.type = ColumnType::Int64;
    c.append_int64(values.data(), nullptr, 0, values.size());
    return c;
}

Column double_column(const char* name, const std::vector<double>& values) {
    Column c;
    c.name = name;
    c.type = ColumnType::Double;
    c.append_double(values.data(), nullptr, 0, values.size());
    return c;
}

} // namespace

TEST_CASE("the store is CSR by user with empty slices for users without events") {
    EventSource a = make_source(
        "a.csv", {{"u0", 10, "x"}, {"u3", 5, "x"}, {"u0", 20, "y"}, {"u3", 7, "y"}, {"u1", 1, "x"}});
    Interner in;
    in.users.intern("u0");
    in.users.intern("u1");
    in.users.intern("u2"); // e.g. from a users file: no events
    std::vector<SourceRemap> remaps{in.remap(a)};
    in.users.intern("u4"); // after the last source's users: still gets an empty slice
    EventStore st = build_event_store({&a}, remaps, in.users.size());
    CHECK(st.offsets == std::vector<uint64_t>{0, 2, 3, 3, 5, 5});
    CHECK(st.size() == 5);
    CHECK(st.user_count() == 5);
    CHECK(slice(st, in, "u0") == std::vector<std::string>{"x@10", "y@20"});
    CHECK(slice(st, in, "u1") == std::vector<std::string>{"x@1"});
    CHECK(slice(st, in, "u2").empty());
    CHECK(slice(st, in, "u3") == std::vector<std::string>{"x@5", "y@7"});
}

TEST_CASE("events are sorted by user then time whatever the input order") {
    EventSource a =
        make_source("a.csv", {{"u", 30, "c"}, {"v", 2, "b"}, {"u", 10, "a"}, {"v", 1, "a"}, {"u", 20, "b"}});
    Interner in;
    std::vector<SourceRemap> remaps{in.remap(a)};
    EventStore st = build_event_store({&a}, remaps, in.users.size());
    CHECK(slice(st, in, "u") == std::vector<std::string>{"a@10", "b@20", "c@30"});
    CHECK(slice(st, in, "v") == std::vector<std::string>{"a@1", "b@2"});
}

TEST_CASE("equal times keep source order then row order, sorted slice or not") {
    EventSource a = make_source("a.csv", {{"u", 5, "a1"}, {"u", 5, "a2"}, {"w", 5, "a1"}});
    EventSource b = make_source("b.csv", {{"u", 5, "b1"}, {"u", 1, "b0"}, {"w", 5, "b1"}, {"u", 5, "b2"}});
    Interner in;
    std::vector<SourceRemap> remaps{in.remap(a), in.remap(b)};
    EventStore st = build_event_store({&a, &b}, remaps, in.users.size());
    // u's slice is out of order (b0 at time 1 comes late) and gets sorted stably.
    CHECK(slice(st, in, "u") == std::vector<std::string>{"b0@1", "a1@5", "a2@5", "b1@5", "b2@5"});
    // w's slice is in order already and is left as scattered.
    CHECK(slice(st, in, "w") == std::vector<std::string>{"a1@5", "b1@5"});

    // The other order of sources gives the other order of ties.
    Interner in2;
    std::vector<SourceRemap> remaps2{in2.remap(b), in2.remap(a)};
    EventStore st2 = build_event_store({&b, &a}, remaps2, in2.users.size());
    CHECK(slice(st2, in2, "u") == std::vector<std::string>{"b0@1", "b1@5", "b2@5", "a1@5", "a2@5"});
}

TEST_CASE("long slices sort stably too") {
    // 100 events of one user in falling time, in pairs of equal times: beyond the small-slice
    // insertion sort.
    std::vector<Row> rows;
    std::vector<std::string> names;
    for (int i = 0; i < 100; i++) names.push_back("e" + std::to_string(i));
    for (int i = 0; i < 100; i++) rows.push_back(Row{"u", 1000 - i / 2, names[size_t(i)].c_str()});
    EventSource a = make_source("a.csv", rows);
    std::vector<double> revenue(100, NAN);
    for (size_t i = 0; i < 100; i += 10) revenue[i] = double(i); // e0, e10, ...: revenue i
    a.values = EventValues::from_dense(revenue, std::vector<uint32_t>(100, EventSource::kNoOrder));
    Interner in;
    std::vector<SourceRemap> remaps{in.remap(a)};
    EventStore st = build_event_store({&a}, remaps, in.users.size());
    std::vector<std::string> got = slice(st, in, "u");
    REQUIRE(got.size() == 100);
    CHECK(got[0] == "e98@951");
    CHECK(got[1] == "e99@951");
    CHECK(got[98] == "e0@1000");
    CHECK(got[99] == "e1@1000");
    // The revenues followed their events: e<i> at row r has revenue i when i % 10 == 0.
    CHECK(st.values.carrying() == 10);
    for (size_t r = 0; r < 100; r++) {
        const int i = std::stoi(got[r].substr(1, got[r].find('@') - 1));
        if (i % 10 == 0)
            CHECK(st.values.revenue(r) == double(i));
        else
            CHECK(std::isnan(st.values.revenue(r)));
    }
}

TEST_CASE("revenue and order codes travel with their events through the sort") {
    EventSource a = make_source("a.csv", {{"u", 30, "buy"}, {"u", 10, "buy"}});
    a.order_ids.intern("o30");
    a.order_ids.intern("o10");
    a.values = EventValues::from_dense({3.0, 1.0}, {0, 1});
    Interner in;
    std::vector<SourceRemap> remaps{in.remap(a)};
    remaps[0].order = {7, 4}; // model codes of o30 and o10
    EventStore st = build_event_store({&a}, remaps, in.users.size());
    CHECK(st.time == std::vector<int64_t>{10, 30});
    CHECK(st.values.revenue(0) == 1.0);
    CHECK(st.values.revenue(1) == 3.0);
    CHECK(st.values.order(0) == 4);
    CHECK(st.values.order(1) == 7);
    CHECK(st.values.revenues() == std::vector<double>{1.0, 3.0});
}

TEST_CASE("properties are the union of names, null where a source lacks one") {
    EventSource a = make_source("a.csv", {{"u", 20, "x"}, {"u", 10, "x"}});
    a.properties = {string_column("country", {"CN", nullptr}), int_column("qty", {2, 3})};
    EventSource b = make_source("b.csv", {{"u", 15, "y"}, {"v", 1, "y"}});
    b.properties = {double_column("qty", {0.5, 1.5}), string_column("page", {"/home", "/cart"}),
                    int_column("country", {1, 2})};
    Interner in;
    std::vector<SourceRemap> remaps{in.remap(a), in.remap(b)};
    EventStore st = build_event_store({&a, &b}, remaps, in.users.size());
    REQUIRE(st.properties.size() == 4);
    const Column& country = st.properties[0];
    const Column& qty = st.properties[1];
    const Column& page = st.properties[2];
    const Column& country_b = st.properties[3];
    CHECK(country.name == "country");
    CHECK(qty.name == "qty");
    CHECK(qty.type == ColumnType::Double); // BIGINT in a.csv, DOUBLE in b.csv
    CHECK(page.name == "page");
    CHECK(country_b.name == "country (b.csv)"); // BIGINT does not merge with VARCHAR
    CHECK(country_b.type == ColumnType::Int64);
    // u: a@10 (row 2 of a), b@15, a@20 (row 1 of a); then v: b@1.
    CHECK(st.time == std::vector<int64_t>{10, 15, 20, 1});
    for (const Column* c : {&country, &qty, &page, &country_b}) CHECK(c->size() == 4);
    CHECK(country.is_null(0));
    CHECK(country.is_null(1));
    CHECK(country.format(2) == "CN");
    CHECK(country.is_null(3));
    CHECK(qty.doubles[0] == 3.0);
    CHECK(qty.doubles[1] == 0.5);
    CHECK(qty.doubles[2] == 2.0);
    CHECK(qty.doubles[3] == 1.5);
    CHECK(page.is_null(0));
    CHECK(page.format(1) == "/home");
    CHECK(page.is_null(2));
    CHECK(page.format(3) == "/cart");
    CHECK(country_b.format(1) == "1");
    CHECK(country_b.is_null(2));
    CHECK(country.dict.size() == 2); // "" (the null filler) and "CN"
}

TEST_CASE(
    "an empty store has all-zero offsets; a store of one event name without revenue costs 9.2 B/event") {
    EventStore none = build_event_store({}, {}, 3);
    CHECK(none.offsets == std::vector<uint64_t>{0, 0, 0, 0});
    CHECK(none.size() == 0);
    EventStore zero = build_event_store({}, {}, 0);
    CHECK(zero.offsets == std::vector<uint64_t>{0});
    CHECK(zero.user_count() == 0);

    std::vector<Row> rows;
    for (int i = 0; i < 1000; i++) rows.push_back(Row{i % 2 ? "a" : "b", i, "e"});
    EventSource a = make_source("a.csv", rows);
    Interner in;
    std::vector<SourceRemap> remaps{in.remap(a)};
    EventStore st = build_event_store({&a}, remaps, in.users.size());
    CHECK(st.event.width() == 1); // one name: 1-byte codes
    // Time 8 and event 1 per event; revenue and order: a bit per event and a rank per 64
    // (16 words: 128 + 64 bytes), no values.
    CHECK(st.memory_bytes() == 1000 * 9 + 16 * 8 + 16 * 4 + 3 * sizeof(uint64_t));
}

TEST_CASE("remaps must match the sources") {
    EventSource a = make_source("a.csv", {{"u", 1, "x"}});
    CHECK_THROWS_AS(build_event_store({&a}, {}, 1), std::invalid_argument);
}

} // namespace core_model_event_store_test
