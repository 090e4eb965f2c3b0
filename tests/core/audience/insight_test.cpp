#include "core/audience/insight.h"

#include "audience_fixture.h"

#include <doctest/doctest.h>

#include <cmath>
#include <initializer_list>
#include <string>
#include <vector>

namespace core_audience_insight_test {

using namespace segx;
using namespace segx::test;

namespace {

Bitmap users_named(const Model& m, std::initializer_list<const char*> ids) {
    Bitmap b;
    b.append_all(false, m.users.size());
    for (const char* id : ids) b.set(*m.users.find(id), true);
    return b;
}

const AttributeInsight& attribute(const AudienceInsight& in, const std::string& name) {
    for (const AttributeInsight& a : in.attributes)
        if (a.attribute == name) return a;
    FAIL("no attribute " << name);
    return in.attributes.front();
}

// "北京 2/2 | New York 1/1": value, members / all users.
std::string show(const AttributeInsight& a) {
    std::string out;
    for (const ValueLift& v : a.values) {
        if (!out.empty()) out += " | ";
        out += v.value + " " + std::to_string(v.members) + "/" + std::to_string(v.users);
    }
    return out;
}

// Five members of the ten fixture users: two with country CN, one US, u3 and e8 with none.
AudienceInsight five(size_t top_k = 8) {
    const Model& m = fixture_model();
    InsightOptions o;
    o.top_k = top_k;
    o.as_of_us = A;
    return compute_insight(m, users_named(m, {"u0", "u1", "u3", "u6", "e8"}), o);
}

// Users o1..o4 (o4 without events) whose purchases carry order ids; T0 is Monday 2024-01-01.
const int64_t T0 = date_us(2024, 1, 1);

Model orders_model() {
    UserSourceBuilder ub("crm.csv", {"plan"});
    auto ids = texts({"o1", "o2", "o3", "o4"});
    auto plan = texts({"pro", "free", "pro", std::nullopt});
    ub.append(4, ids.chunk(), {plan.chunk()});
    UserSource users = ub.finish();

    EventSourceSpec spec;
    spec.name = "events.csv";
    spec.time_is_epoch_us = true;
    EventSourceBuilder eb(spec);
    const std::nullopt_t no = std::nullopt;
    const int64_t H = 3600 * kMicrosPerSecond;
    const int64_t sunday_last_second = date_us(2024, 1, 8) - kMicrosPerSecond; // Sun 23:59:59
    auto user = texts({"o1", "o1", "o1", "o1", "o2", "o2", "o2", "o2", "o3", "o3", "o3"});
    auto time = ints({T0, T0, T0 + 3 * D, T0 + 3 * D + 12 * H,             // o1
                      T0, T0 + 1, sunday_last_second, date_us(2024, 1, 8), // o2
                      T0, T0 + 400 * D, -30 * 60 * kMicrosPerSecond});     // o3: 1969-12-31 23:30
    auto event = texts({"purchase", "purchase", "purchase", "purchase", "purchase", "purchase", "view",
                        "view", "purchase", "purchase", "view"});
    auto order = texts({"A", "A", "B", no, "C", "C", no, no, "D", "A", no});
    eb.append(11, user.chunk(), time.chunk(), event.chunk(), ValueChunk::none(), order.chunk(), {});
    EventSource events = eb.finish();
    return build_model({&users}, {&events});
}

Bitmap all_users(const Model& m) {
    Bitmap b;
    b.append_all(true, m.users.size());
    return b;
}

} // namespace

TEST_CASE("insight: members and all users per string value, shares over everyone, lift") {
    const AudienceInsight in = five();
    CHECK(in.members == 5);
    CHECK(in.users == 10);
    CHECK(in.attributes.size() == fixture_model().attributes.size());
    const AttributeInsight& country = attribute(in, "country");
    CHECK_FALSE(country.ranges);
    CHECK(show(country) == "CN 2/2 | US 1/1");
    CHECK(country.values[0].member_share == doctest::Approx(0.4)); // 2 of 5 members
    CHECK(country.values[0].all_share == doctest::Approx(0.2));    // 2 of 10 users
    CHECK(country.values[0].lift == doctest::Approx(2.0));
    CHECK(country.members_not_set == 2); // u3, e8
    CHECK(country.users_not_set == 3);   // u3, e8, e9
    CHECK(country.members_other == 0);
}

TEST_CASE("insight: lift below and above 1 on a boolean attribute with nulls") {
    const AudienceInsight in = five();
    const AttributeInsight& vip = attribute(in, "vip");
    // true: u0 u6 of members, u0 u2 u6 of all; false: u1 of members, u1 u4 u7 of all.
    CHECK(show(vip) == "true 2/3 | false 1/3");
    CHECK(vip.values[0].lift == doctest::Approx(0.4 / 0.3));
    CHECK(vip.values[1].lift == doctest::Approx(0.2 / 0.3));
    CHECK(vip.members_not_set == 2); // u3, e8
    CHECK(vip.users_not_set == 4);   // u3, u5, e8, e9
}

TEST_CASE("insight: Chinese values by bytes, and top_k leaves the rest as `other`") {
    // "New York" sorts before "北京市" (0x4E < 0xE5); 北京 and 北京市 are distinct values.
    CHECK(show(attribute(five(), "city")) == "北京 2/2 | New York 1/1 | 北京市 1/1");
    const AudienceInsight in = five(2);
    const AttributeInsight& top2 = attribute(in, "city");
    CHECK(show(top2) == "北京 2/2 | New York 1/1");
    CHECK(top2.members_other == 1);   // u3's 北京市
    CHECK(top2.members_not_set == 1); // e8
    CHECK(top2.users_not_set == 3);   // u7, e8, e9
}

TEST_CASE("insight: few distinct numbers and dates are values, ties ordered by value") {
    const AudienceInsight in = five();
    CHECK(show(attribute(in, "age")) == "30 1/1 | 35 1/1 | 45 1/1");
    const AttributeInsight& score = attribute(in, "score");
    CHECK(show(score) == "1 1/1 | 3 1/1 | 4.5 1/2 | 5 1/1");
    CHECK(score.values[2].lift == doctest::Approx(1.0)); // 1 of 5 members, 2 of 10 users
    CHECK(score.members_not_set == 1);                   // e8 (u3 has 5.0)
    CHECK(show(attribute(in, "signup")) == "2023-01-15 2/2 | 2023-06-01 1/1");
    CHECK(show(attribute(in, "last_login")) == "2024-03-30 10:00:00 1/1 | 2024-03-30 10:00:00.000001 1/1");
}

TEST_CASE("insight: no members gives no values, zero shares, and all users still counted") {
    const Model& m = fixture_model();
    const AudienceInsight in = compute_insight(m, users_named(m, {}), InsightOptions{8, A});
    CHECK(in.members == 0);
    const AttributeInsight& country = attribute(in, "country");
    CHECK(country.values.empty());
    CHECK(country.members_not_set == 0);
    CHECK(country.users_not_set == 3);
    CHECK(in.purchases.members_no_purchase == 0);
    CHECK(in.purchases.intervals == 0);
    CHECK(in.activity.total == 0);
    CHECK(in.activity.max_cell == 0);
}

TEST_CASE("insight: many distinct numbers become quintile ranges of all users, rounded to two digits") {
    // 101 users p0..p100: points 1..100 and null for p100; amount 1000 + 37 (i mod 100); day
    // 2024-01-01 + (i mod 100) days.
    UserSourceBuilder b("crm.csv", {"points", "amount", "day"});
    OwnedChunk ids, points, amount, day;
    ids.kind = ValueChunk::Text;
    ids.offsets.push_back(0);
    points.kind = amount.kind = day.kind = ValueChunk::Int64;
    day.int_type = ColumnType::Date;
    std::vector<bool> valid;
    for (int i = 0; i < 101; i++) {
        ids.bytes += "p" + std::to_string(i);
        ids.offsets.push_back(int32_t(ids.bytes.size()));
        points.ints.push_back(i + 1);
        amount.ints.push_back(1000 + 37 * (i % 100));
        day.ints.push_back(date_us(2024, 1, 1) + (i % 100) * D);
        valid.push_back(i < 100);
    }
    segx::test::detail::set_validity(points, valid, 0);
    b.append(101, ids.chunk(), {points.chunk(), amount.chunk(), day.chunk()});
    UserSource users = b.finish();
    const Model m = build_model({&users}, {});

    // Members: points 1..10, points 100, and the user without points.
    Bitmap members;
    members.append_all(false, 101);
    for (int i : {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 99, 100}) members.set(size_t(i), true);
    const AudienceInsight in = compute_insight(m, members, InsightOptions{});
    CHECK(in.members == 12);

    const AttributeInsight& p = attribute(in, "points");
    CHECK(p.ranges);
    // Ranges keep value order and list empty ones too.
    CHECK(show(p) == "< 21 10/20 | [21, 41) 0/20 | [41, 61) 0/20 | [61, 81) 0/20 | >= 81 1/20");
    CHECK(p.values[0].lift == doctest::Approx((10.0 / 12) / (20.0 / 101)));
    CHECK(p.values[1].lift == 0);
    CHECK(std::isinf(p.values[0].lo));
    CHECK(p.values[0].lo < 0);
    CHECK(p.values[0].hi == 21);
    CHECK(p.values[1].lo == 21);
    CHECK(p.values[4].lo == 81);
    CHECK(std::isinf(p.values[4].hi));
    CHECK(p.members_not_set == 1);
    CHECK(p.users_not_set == 1);

    // amount and day are set for all 101 users, p100 repeating p0's value, so the sorted
    // sample is v0 v0 v1 ... v99 and its quintiles are v19, v39, v59, v79: amounts 1703, 2443,
    // 3183, 3923 round down to 1700, 2400, 3100, 3900.
    CHECK(show(attribute(in, "amount")) ==
          "< 1700 11/20 | [1700, 2400) 0/19 | [2400, 3100) 0/19 | [3100, 3900) 0/22 | >= 3900 1/21");
    // Days 19, 39, 59 (2024 is a leap year), 79 after 2024-01-01.
    CHECK(show(attribute(in, "day")) ==
          "< 2024-01-20 11/20 | [2024-01-20, 2024-02-09) 0/20 | "
          "[2024-02-09, 2024-02-29) 0/20 | [2024-02-29, 2024-03-20) 0/20 | "
          ">= 2024-03-20 1/21");
}

TEST_CASE("insight: purchases at or before as-of, 0 / 1 / 2+ members, intervals on the fixture") {
    const Model& m = fixture_model();
    const AudienceInsight in = compute_insight(m, all_users(m), InsightOptions{8, A});
    const PurchaseIntervals& p = in.purchases;
    // u0 (1 day apart), u1 (5, 4 days), e8 (80 days) bought twice or more; u2 and u5 (at A
    // exactly) once; u4 bought only after as-of.
    CHECK(p.members_repeat == 3);
    CHECK(p.members_one_purchase == 2);
    CHECK(p.members_no_purchase == 5);
    CHECK(p.intervals == 4);
    CHECK(p.median_days == doctest::Approx(4.5)); // 1 4 | 5 80
    CHECK(p.mean_days == doctest::Approx(22.5));
    CHECK(p.histogram == std::array<uint64_t, kIntervalBuckets>{0, 3, 0, 0, 0, 1, 0, 0, 0});

    // Five days later u4's purchase exists.
    const AudienceInsight later = compute_insight(m, all_users(m), InsightOptions{8, A + 5 * D});
    CHECK(later.purchases.members_one_purchase == 3);
    CHECK(later.purchases.members_no_purchase == 4);
}

TEST_CASE("insight: an order's lines count once, at its first line; gaps fall in fixed buckets") {
    const Model m = orders_model();
    const AudienceInsight in = compute_insight(m, all_users(m), InsightOptions{});
    const PurchaseIntervals& p = in.purchases;
    // o1: A (2 lines) at T0, B at +3 d, an order without id at +3.5 d -> gaps 3 and 0.5 days.
    // o2: order C in two lines -> one purchase. o3: D at T0, A at +400 d (A is o1's id too,
    // counted per user). o4: no events.
    CHECK(p.members_repeat == 2);
    CHECK(p.members_one_purchase == 1);
    CHECK(p.members_no_purchase == 1);
    CHECK(p.intervals == 3);
    CHECK(p.median_days == doctest::Approx(3.0));
    CHECK(p.mean_days == doctest::Approx(403.5 / 3));
    CHECK(p.histogram == std::array<uint64_t, kIntervalBuckets>{1, 1, 0, 0, 0, 0, 0, 0, 1});
    CHECK(std::string(interval_bucket_label(0)) == "0-1");
    CHECK(std::string(interval_bucket_label(8)) == "365+");
    CHECK(std::string(interval_bucket_label(9)) == "");

    // As-of at +3 d, inclusive: o1 keeps A and B, o3 only D.
    InsightOptions early;
    early.as_of_us = T0 + 3 * D;
    const PurchaseIntervals q = compute_insight(m, all_users(m), early).purchases;
    CHECK(q.members_repeat == 1);
    CHECK(q.members_one_purchase == 2);
    CHECK(q.intervals == 1);
    CHECK(q.median_days == doctest::Approx(3.0));
    CHECK(q.histogram == std::array<uint64_t, kIntervalBuckets>{0, 1, 0, 0, 0, 0, 0, 0, 0});
}

TEST_CASE("insight: a gap of exactly one day starts the 1-7 bucket") {
    const AudienceInsight in =
        compute_insight(fixture_model(), users_named(fixture_model(), {"u0"}), InsightOptions{8, A});
    CHECK(in.purchases.histogram[0] == 0);
    CHECK(in.purchases.histogram[1] == 1);
    CHECK(in.purchases.median_days == doctest::Approx(1.0));
}

TEST_CASE("insight: weekday x hour in UTC, Monday first; Sunday 23:59:59 and before 1970") {
    const Model m = orders_model();
    const AudienceInsight in = compute_insight(m, all_users(m), InsightOptions{});
    const ActivityHeatmap& h = in.activity;
    CHECK(h.events[0][0] == 6);  // Monday 00h: o1's two lines, o2's two lines, o3's D, o2's view
    CHECK(h.events[6][23] == 1); // Sunday 2024-01-07 23:59:59
    CHECK(h.events[3][0] == 1);  // Thursday: o1's B
    CHECK(h.events[3][12] == 1); // Thursday 12h
    CHECK(h.events[1][0] == 1);  // Tuesday 2025-02-04
    CHECK(h.events[2][23] == 1); // Wednesday 1969-12-31 23:30
    CHECK(h.total == 11);
    CHECK(h.max_cell == 6);

    // Only o2, and only up to Sunday 23:59:59: its Monday view is after as-of.
    InsightOptions o;
    o.as_of_us = date_us(2024, 1, 8) - kMicrosPerSecond;
    const ActivityHeatmap o2 = compute_insight(m, users_named(m, {"o2"}), o).activity;
    CHECK(o2.events[0][0] == 2);
    CHECK(o2.events[6][23] == 1);
    CHECK(o2.total == 3);
    CHECK(o2.max_cell == 2);
}

TEST_CASE("insight: heat map of the fixture at as-of, events after it left out") {
    const Model& m = fixture_model();
    const ActivityHeatmap h = compute_insight(m, all_users(m), InsightOptions{8, A}).activity;
    // All fixture events are at midnight; 15 of 17 are at or before A (Sunday 2024-03-31).
    const uint64_t by_weekday[7] = {1, 1, 1, 3, 3, 3, 3};
    for (int d = 0; d < 7; d++) CHECK(h.events[size_t(d)][0] == by_weekday[d]);
    CHECK(h.total == 15);
    CHECK(h.max_cell == 3);
}

TEST_CASE("insight: member bits past the users are ignored, a shorter bitmap is zeros") {
    const Model& m = fixture_model();
    Bitmap wide;
    wide.append_all(true, m.users.size() + 100);
    CHECK(compute_insight(m, wide, InsightOptions{8, A}).members == 10);
    Bitmap narrow;
    narrow.append_all(true, 2); // u0, u1
    const AudienceInsight in = compute_insight(m, narrow, InsightOptions{8, A});
    CHECK(in.members == 2);
    CHECK(in.purchases.members_repeat == 2);
    CHECK(show(attribute(in, "country")) == "CN 1/2 | US 1/1");
}

} // namespace core_audience_insight_test
