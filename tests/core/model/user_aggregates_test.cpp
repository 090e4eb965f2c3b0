#include "core/model/user_aggregates.h"

#include "chunk_fixture.h"
#include "core/model/model.h"

#include <doctest/doctest.h>

#include <cmath>
#include <vector>

namespace core_model_user_aggregates_test {

using namespace segx;
using namespace segx::test;

namespace {

constexpr uint32_t kView = 0, kPurchase = 1;
constexpr uint32_t kNo = EventStore::kNoOrder;
constexpr int64_t kNever = UserAggregates::kNever;

struct Ev {
    int64_t time;
    uint32_t event;
    double revenue;
    uint32_t order;
};

EventStore make_store(const std::vector<std::vector<Ev>>& users) {
    EventStore st;
    st.offsets.push_back(0);
    for (const auto& events : users) {
        for (const Ev& e : events) {
            st.time.push_back(e.time);
            st.event.push_back(e.event);
            st.values.push_back(e.revenue, e.order);
        }
        st.offsets.push_back(st.time.size());
    }
    return st;
}

} // namespace

TEST_CASE("aggregates: first/last seen and purchase, orders and revenue per user") {
    EventStore st = make_store({
        {{1, kView, NAN, kNo},
         {2, kPurchase, 10, 0},
         {3, kPurchase, 5, 0},
         {4, kPurchase, NAN, kNo},
         {9, kView, 100, kNo}},                             // revenue on a view is ignored
        {},                                                 // no events at all
        {{5, kPurchase, NAN, 0}, {6, kPurchase, 2.5, kNo}}, // order 0 again: another user
        {{7, kView, NAN, kNo}},                             // never purchased
    });
    UserAggregates a = compute_user_aggregates(st, kPurchase, 1);
    REQUIRE(a.size() == 4);
    CHECK(a.first_seen_us == std::vector<int64_t>{1, kNever, 5, 7});
    CHECK(a.last_seen_us == std::vector<int64_t>{9, kNever, 6, 7});
    CHECK(a.first_purchase_us == std::vector<int64_t>{2, kNever, 5, kNever});
    CHECK(a.last_purchase_us == std::vector<int64_t>{4, kNever, 6, kNever});
    // u0: order 0 (two line items) + one purchase without an order id.
    CHECK(a.orders == std::vector<uint32_t>{2, 0, 2, 0});
    CHECK(a.revenue == std::vector<double>{15, 0, 2.5, 0});
}

TEST_CASE("aggregates without a purchase event count no purchases") {
    EventStore st = make_store({{{1, kView, 3, kNo}, {2, kPurchase, 4, 0}}});
    UserAggregates a = compute_user_aggregates(st, UINT32_MAX, 1);
    CHECK(a.first_seen_us[0] == 1);
    CHECK(a.last_seen_us[0] == 2);
    CHECK(a.first_purchase_us[0] == kNever);
    CHECK(a.orders[0] == 0);
    CHECK(a.revenue[0] == 0);
}

TEST_CASE("an order id in both an orders file and an events file counts once") {
    EventSourceSpec os;
    os.name = "orders.csv";
    os.kind = SourceKind::Orders;
    os.time_format = TimeFormat::UnixSeconds;
    EventSourceBuilder ob(os);
    auto ou = texts({"1", "1", "2"});
    auto ot = ints({200, 300, 250});
    auto orev = doubles({20, 5, 7});
    auto oid = texts({"A100", "A101", "B1"});
    ob.append(3, ou.chunk(), ot.chunk(), ValueChunk::none(), orev.chunk(), oid.chunk(), {});
    EventSource orders = ob.finish();

    EventSourceSpec es;
    es.name = "events.csv";
    es.time_format = TimeFormat::UnixSeconds;
    EventSourceBuilder eb(es);
    auto eu = ints({1, 1, 1});
    auto et = ints({100, 210, 400});
    auto ev = texts({"view", "purchase", "view"});
    auto eid = texts({std::nullopt, "A100", std::nullopt});
    eb.append(3, eu.chunk(), et.chunk(), ev.chunk(), ValueChunk::none(), eid.chunk(), {});
    EventSource events = eb.finish();

    Model m = build_model({}, {&orders, &events});
    uint32_t u1 = *m.users.find("1"), u2 = *m.users.find("2");
    const UserAggregates& a = m.aggregates;
    CHECK(a.orders[u1] == 2); // A100 (twice) and A101
    CHECK(a.revenue[u1] == 25);
    CHECK(a.first_seen_us[u1] == 100 * 1000000);
    CHECK(a.last_seen_us[u1] == 400 * 1000000);
    CHECK(a.first_purchase_us[u1] == 200 * 1000000);
    CHECK(a.last_purchase_us[u1] == 300 * 1000000);
    CHECK(a.orders[u2] == 1);
    CHECK(a.revenue[u2] == 7);

    // Another purchase event name: the orders file's "purchase" rows no longer count.
    Model other = build_model({}, {&orders, &events}, "view");
    CHECK(other.purchase_event == "view");
    CHECK(other.aggregates.orders[*other.users.find("1")] == 2); // two views without order ids
    CHECK(other.aggregates.first_purchase_us[*other.users.find("2")] == kNever);
}

TEST_CASE("an order's revenue counts once across files, and every line item within one file") {
    // orders.csv: order A1 in two line items (10 + 5), order B2 (7).
    EventSourceSpec os;
    os.name = "orders.csv";
    os.kind = SourceKind::Orders;
    os.time_format = TimeFormat::UnixSeconds;
    EventSourceBuilder ob(os);
    auto ou = texts({"1", "1", "1"});
    auto ot = ints({100, 100, 200});
    auto orev = doubles({10, 5, 7});
    auto oid = texts({"A1", "A1", "B2"});
    ob.append(3, ou.chunk(), ot.chunk(), ValueChunk::none(), orev.chunk(), oid.chunk(), {});
    EventSource orders = ob.finish();

    // events.csv: the analytics tool's purchase events carry the same orders' totals, plus an
    // order C3 that only it knows.
    EventSourceSpec es;
    es.name = "events.csv";
    es.time_format = TimeFormat::UnixSeconds;
    EventSourceBuilder eb(es);
    auto eu = texts({"1", "1", "1"});
    auto et = ints({101, 201, 300});
    auto ev = texts({"purchase", "purchase", "purchase"});
    auto erev = doubles({15, 7, 4});
    auto eid = texts({"A1", "B2", "C3"});
    eb.append(3, eu.chunk(), et.chunk(), ev.chunk(), erev.chunk(), eid.chunk(), {});
    EventSource events = eb.finish();

    Model m = build_model({}, {&orders, &events});
    uint32_t u1 = *m.users.find("1");
    CHECK(m.aggregates.orders[u1] == 3);   // A1, B2, C3
    CHECK(m.aggregates.revenue[u1] == 26); // 10 + 5 + 7 from orders.csv, 4 for C3 from events.csv

    // The other way round, the events file owns A1 and B2.
    Model swapped = build_model({}, {&events, &orders});
    CHECK(swapped.aggregates.revenue[*swapped.users.find("1")] == 26); // 15 + 7 + 4
}

} // namespace core_model_user_aggregates_test
