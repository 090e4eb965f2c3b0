// One purchase per (user, order id) across files, refunds beside revenue, and files loaded twice
// (DESIGN §2; event_store.h), worked by hand.
//
// events.csv (an analytics export): purchases carrying order ids but no amount, with a device.
//   u1 view      2024-01-01 10:00
//   u1 purchase  2024-01-01 10:05  order O1  device mobile
//   u1 purchase  2024-01-03 12:00  order O2  device desktop
//   u2 purchase  2024-01-02 09:00  order O3  device mobile
//   u2 purchase  2024-01-04 09:00            device web      (no order id: kept)
// orders.csv (the shop export): the same three orders with amounts and a category, one more
// order only here, and a return (negative amount).
//   O1 u1 2024-01-01 10:05  30.00  Books
//   O2 u1 2024-01-03 12:00  20.00  (no category)
//   O3 u2 2024-01-02 09:00  50.00  Home
//   O4 u3 2024-01-05 08:00  10.00  Home
//   O5 u1 2024-01-06 08:00  -20.00 Books   (a refund)
// So: 7 events (a view, purchases O1..O4 from orders.csv and u2's order-less one, the refund),
// 3 purchases merged; revenue 110;
// refunds 1 of 20; net 90; orders 5; customers 3 (u1 2 orders, u2 2, u3 1).

#include "core/model/model.h"
#include "core/model/model_io.h"
#include "core/model/overview.h"

#include "chunk_fixture.h"
#include "core/time/civil.h"

#include <doctest/doctest.h>

#include <cmath>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace core_model_purchase_merge_test {

using namespace segx;
using namespace segx::test;

namespace {

EventSource analytics(const std::string& name = "events.csv") {
    EventSourceSpec s;
    s.name = name;
    s.property_names = {"device"};
    EventSourceBuilder b(s);
    auto ids = texts({"u1", "u1", "u1", "u2", "u2"});
    auto time = texts(
        {"2024-01-01 10:00", "2024-01-01 10:05", "2024-01-03 12:00", "2024-01-02 09:00", "2024-01-04 09:00"});
    auto event = texts({"view", "purchase", "purchase", "purchase", "purchase"});
    auto order = texts({std::nullopt, "O1", "O2", "O3", std::nullopt});
    auto device = texts({"desktop", "mobile", "desktop", "mobile", "web"});
    b.append(5, ids.chunk(), time.chunk(), event.chunk(), ValueChunk::none(), order.chunk(),
             {device.chunk()});
    return b.finish();
}

EventSource shop(const std::string& name = "orders.csv") {
    EventSourceSpec s;
    s.name = name;
    s.kind = SourceKind::Orders;
    s.revenue_required = true;
    s.property_names = {"category"};
    EventSourceBuilder b(s);
    auto order = texts({"O1", "O2", "O3", "O4", "O5"});
    auto ids = texts({"u1", "u1", "u2", "u3", "u1"});
    auto time = texts(
        {"2024-01-01 10:05", "2024-01-03 12:00", "2024-01-02 09:00", "2024-01-05 08:00", "2024-01-06 08:00"});
    auto amount = doubles({30, 20, 50, 10, -20});
    auto category = texts({"Books", std::nullopt, "Home", "Home", "Books"});
    b.append(5, ids.chunk(), time.chunk(), ValueChunk::none(), amount.chunk(), order.chunk(),
             {category.chunk()});
    return b.finish();
}

// "event order device category revenue" per stored event of user `id`.
std::string events_of(const Model& m, const char* id) {
    const uint32_t u = *m.users.find(id);
    const EventStore& ev = m.events;
    const Column* device = nullptr;
    const Column* category = nullptr;
    for (const Column& c : ev.properties) (c.name == "device" ? device : category) = &c;
    std::string out;
    for (uint64_t i = ev.offsets[u]; i < ev.offsets[u + 1]; i++) {
        if (!out.empty()) out += " | ";
        out += std::string(m.event_names.at(ev.event[i]));
        const uint32_t order = ev.values.order(size_t(i));
        out += order == EventStore::kNoOrder ? " -" : " " + std::string(m.order_ids.at(order));
        out += device && device->valid.get(i) ? " " + std::string(device->dict.at(device->codes[i])) : " -";
        out += category && category->valid.get(i) ? " " + std::string(category->dict.at(category->codes[i]))
                                                  : " -";
        const double revenue = ev.values.revenue(size_t(i));
        out += std::isnan(revenue) ? " -" : " " + std::to_string(int(revenue));
    }
    return out;
}

} // namespace

TEST_CASE("an events file and an orders file with the same orders: one purchase per order") {
    for (bool events_first : {true, false}) {
        const std::string when = events_first ? "events file first" : "orders file first";
        INFO(when);
        EventSource a = analytics(), o = shop();
        Model m = events_first ? build_model({}, {&a, &o}) : build_model({}, {&o, &a});
        // The orders file owns O1..O3 (it gives them an amount), whatever the load order; the
        // analytics purchase's device fills the kept row; u2's purchase without an order id stays.
        CHECK(events_of(m, "u1") ==
              "view - desktop - - | purchase O1 mobile Books 30 | "
              "purchase O2 desktop - 20 | refund O5 - Books -20");
        CHECK(events_of(m, "u2") == "purchase O3 mobile Home 50 | purchase - web - -");
        CHECK(events_of(m, "u3") == "purchase O4 - Home 10");
        Overview ov = compute_overview(m);
        CHECK(ov.events == 7); // 10 rows, 3 purchases merged
        CHECK(ov.merged_purchases == 3);
        CHECK(ov.orders == 5);
        CHECK(ov.customers == 3);
        CHECK(ov.revenue == 110);
        CHECK(ov.refunds == 1);
        CHECK(ov.refund_amount == 20);
        CHECK(ov.net_revenue == 90);
        CHECK(m.events.merged_purchases ==
              (events_first ? std::vector<uint64_t>{3, 0} : std::vector<uint64_t>{0, 3}));
        CHECK(m.duplicate_sources.empty());
    }
}

TEST_CASE("without an amount anywhere the first file owns an order; the same file twice is noticed") {
    // Two analytics exports with the same purchases: the first keeps them.
    EventSource a = analytics("events.csv"), b = analytics("events (GBK).csv");
    Model m = build_model({}, {&a, &b});
    CHECK(compute_overview(m).merged_purchases == 3);
    CHECK(m.events.merged_purchases == std::vector<uint64_t>{0, 3});
    // The views and the order-less purchase count twice: said, not hidden.
    CHECK(events_of(m, "u2") == "purchase O3 mobile - - | purchase - web - - | purchase - web - -");
    REQUIRE(m.duplicate_sources.size() == 1);
    CHECK(m.duplicate_sources[0].first == "events (GBK).csv");
    CHECK(m.duplicate_sources[0].second == "events.csv");
    // Different files are not duplicates.
    EventSource o = shop();
    CHECK(build_model({}, {&a, &o}).duplicate_sources.empty());
}

TEST_CASE("the same order id of two users is two purchases") {
    EventSourceSpec s;
    s.name = "a.csv";
    EventSourceBuilder b(s);
    auto ids = texts({"u1", "u2"});
    auto time = texts({"2024-01-01", "2024-01-02"});
    auto event = texts({"purchase", "purchase"});
    auto order = texts({"X", "X"});
    b.append(2, ids.chunk(), time.chunk(), event.chunk(), ValueChunk::none(), order.chunk(), {});
    EventSource one = b.finish();
    EventSource o = shop();
    Model m = build_model({}, {&one, &o});
    CHECK(compute_overview(m).merged_purchases == 0);
    CHECK(m.events.size() == 7);
}

} // namespace core_model_purchase_merge_test

namespace core_model_purchase_merge_test {
namespace {

// A random events or orders file over users u0..u11 and orders O0..O7: views and purchases,
// some with order ids and amounts (some negative: refunds), and properties whose names and
// types overlap across files (a "device" text everywhere, a "score" that is an int in one file
// and a double in another, so that they merge).
EventSource random_source(std::mt19937& rng, const std::string& name, bool orders) {
    EventSourceSpec s;
    s.name = name;
    s.kind = orders ? SourceKind::Orders : SourceKind::Events;
    s.property_names = {"device", "score"};
    s.time_is_epoch_us = true;
    EventSourceBuilder b(s);
    const size_t n = 1 + rng() % 40;
    std::vector<std::optional<std::string>> ids, event, order, device;
    std::vector<std::optional<int64_t>> time, score;
    std::vector<std::optional<double>> amount;
    for (size_t i = 0; i < n; i++) {
        ids.push_back("u" + std::to_string(rng() % 12));
        time.push_back(int64_t(rng() % 20) * 1000000);
        event.push_back(rng() % 2 ? "purchase" : "view");
        order.push_back(rng() % 3 ? std::optional<std::string>("O" + std::to_string(rng() % 8))
                                  : std::nullopt);
        amount.push_back(rng() % 2 ? std::optional<double>(double(int(rng() % 9) - 2)) : std::nullopt);
        device.push_back(rng() % 3 ? std::optional<std::string>(rng() % 2 ? "mobile" : "web") : std::nullopt);
        score.push_back(rng() % 2 ? std::optional<int64_t>(rng() % 5) : std::nullopt);
    }
    auto i = texts(ids), e = texts(event), o = texts(order), d = texts(device);
    auto t = ints(time);
    auto a = doubles(amount);
    OwnedChunk sc = name == "b.csv" ? doubles([&] {
        std::vector<std::optional<double>> v;
        for (const auto& x : score) v.push_back(x ? std::optional<double>(*x + 0.5) : std::nullopt);
        return v;
    }())
                                    : ints(score);
    b.append(n, i.chunk(), t.chunk(), orders ? ValueChunk::none() : e.chunk(), a.chunk(), o.chunk(),
             {d.chunk(), sc.chunk()});
    return b.finish();
}

// A random users file over u0..u14 (some not in any events file, some ids twice: the last row
// wins) with a "tier" attribute.
UserSource random_users(std::mt19937& rng) {
    UserSourceBuilder b("users.csv", {"tier"});
    const size_t n = 1 + rng() % 20;
    std::vector<std::optional<std::string>> ids, tier;
    for (size_t i = 0; i < n; i++) {
        ids.push_back("u" + std::to_string(rng() % 15));
        tier.push_back(rng() % 3 ? std::optional<std::string>(rng() % 2 ? "gold" : "silver") : std::nullopt);
    }
    auto i = texts(ids), t = texts(tier);
    b.append(n, i.chunk(), {t.chunk()});
    return b.finish();
}

} // namespace

TEST_CASE("a build that takes the sources' rows gives the same model, and leaves them no rows") {
    std::mt19937 rng(7);
    int merging = 0; // rounds where some purchase is merged into another file's
    for (int round = 0; round < 300; round++) {
        INFO("round " << round);
        std::vector<EventSource> kept = {random_source(rng, "a.csv", false),
                                         random_source(rng, "b.csv", false),
                                         random_source(rng, "c.csv", true)};
        std::vector<EventSource> taken = kept;
        UserSource users_kept = random_users(rng), users_taken = users_kept;
        std::vector<const EventSource*> read;
        std::vector<EventSource*> take;
        for (size_t s = 0; s < kept.size(); s++) read.push_back(&kept[s]), take.push_back(&taken[s]);
        const Model m = build_model({&users_kept}, read);
        const Model r = build_model_releasing({&users_taken}, take);
        CHECK(serialize_model(r) == serialize_model(m));
        CHECK(r.events.merged_purchases == m.events.merged_purchases);
        for (uint64_t k : m.events.merged_purchases) merging += k > 0;
        for (const EventSource& s : taken) {
            CHECK(s.user.empty());
            CHECK(s.time.empty());
            CHECK(s.event.size() == 0);
            CHECK(s.values.size() == 0);
            CHECK(s.user_ids.size() == 0);
            for (const Column& c : s.properties) CHECK(c.memory_bytes() == Column().memory_bytes());
        }
        CHECK(users_taken.user_ids.size() == 0);
        CHECK(users_taken.row_of_user.capacity() == 0);
        CHECK(users_taken.attributes.empty());
        CHECK(users_kept.row_of_user.size() > 0);
        for (const EventSource& s : kept) CHECK(s.size() > 0); // the other build only read its sources
    }
    CHECK(merging > 100);
}

} // namespace core_model_purchase_merge_test
