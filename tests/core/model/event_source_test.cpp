#include "core/model/event_source.h"

#include "chunk_fixture.h"
#include "core/model/amount.h"
#include "core/time/civil.h"

#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

namespace core_model_event_source_test {

using namespace segx;
using namespace segx::test;

namespace {

// Each row's order code and revenue, as one list each.
std::vector<uint32_t> order_codes(const EventSource& s) {
    std::vector<uint32_t> out;
    for (size_t i = 0; i < s.size(); i++) out.push_back(s.values.order(i));
    return out;
}
std::vector<double> revenue_values(const EventSource& s) {
    std::vector<double> out;
    for (size_t i = 0; i < s.size(); i++) out.push_back(s.values.revenue(i));
    return out;
}

int64_t ts(int y, unsigned m, unsigned d, int hh = 0, int mm = 0, int ss = 0) {
    return days_from_civil(y, m, d) * kMicrosPerDay + (hh * 3600 + mm * 60 + ss) * kMicrosPerSecond;
}

EventSourceSpec spec(const char* name, SourceKind kind = SourceKind::Events) {
    EventSourceSpec s;
    s.name = name;
    s.kind = kind;
    return s;
}

void append(EventSourceBuilder& b, const OwnedChunk& user, const OwnedChunk& time,
            const OwnedChunk& event = none(), const OwnedChunk& revenue = none(),
            const OwnedChunk& order = none(), const std::vector<const OwnedChunk*>& props = {}) {
    std::vector<ValueChunk> p;
    for (const OwnedChunk* c : props) p.push_back(c->chunk());
    b.append(user.size(), user.chunk(), time.chunk(), event.chunk(), revenue.chunk(), order.chunk(), p);
}

std::vector<std::string> user_ids(const EventSource& s) {
    std::vector<std::string> out;
    for (uint32_t code : s.user) out.emplace_back(s.user_ids.at(code));
    return out;
}

std::vector<std::string> events(const EventSource& s) {
    std::vector<std::string> out;
    for (uint32_t code : s.event) out.emplace_back(s.event_names.at(code));
    return out;
}

double amount(const char* text) {
    double v = -999;
    return parse_amount(text, &v) == AmountText::Number ? v : NAN;
}

} // namespace

TEST_CASE("source kinds have names") {
    CHECK(std::string(source_kind_name(SourceKind::Users)) == "users");
    CHECK(std::string(source_kind_name(SourceKind::Events)) == "events");
    CHECK(std::string(source_kind_name(SourceKind::Orders)) == "orders");
    CHECK(source_kind_from_name("orders") == SourceKind::Orders);
    CHECK_FALSE(source_kind_from_name("Orders").has_value());
}

TEST_CASE("rejected rows are counted once under their first reason with quoted examples") {
    EventSourceBuilder b(spec("events.csv"));
    auto user = texts({"u1", "", std::nullopt, "u2", "u3", "u4", "u5", "u6"});
    auto time = texts({"2024-01-31 10:00", "2024-01-31", "bad", "2024-13-45", std::nullopt, "2024-02-01",
                       "2024-02-02", "2024-02-03"});
    auto event = texts({"view", "view", "view", "view", "view", " ", "buy", "buy"});
    auto revenue = texts({std::nullopt, "1", "1", "1", "1", "1", "abc", ""});
    append(b, user, time, event, revenue);
    EventSource s = b.finish();

    CHECK(s.rejects.read == 8);
    CHECK(s.rejects.kept == 2);
    CHECK(s.rejects.rejected() == 6);
    REQUIRE(s.rejects.reasons.size() == 4);
    const RejectReason& no_user = s.rejects.reasons[0];
    CHECK(no_user.reason == "no user id");
    CHECK(no_user.count == 2);
    CHECK(no_user.examples == std::vector<std::string>{R"(row 2: user_id="", time="2024-01-31")",
                                                       R"(row 3: user_id=null, time="bad")"});
    const RejectReason& bad_time = s.rejects.reasons[1];
    CHECK(bad_time.reason == "unparseable time");
    CHECK(bad_time.count == 2);
    CHECK(bad_time.examples == std::vector<std::string>{R"(row 4: user_id="u2", time="2024-13-45")",
                                                        R"(row 5: user_id="u3", time=null)"});
    CHECK(s.rejects.reasons[2].reason == "no event name");
    CHECK(s.rejects.reasons[2].examples ==
          std::vector<std::string>{R"(row 6: user_id="u4", time="2024-02-01", event=" ")"});
    CHECK(s.rejects.reasons[3].reason == "non-numeric amount");
    CHECK(s.rejects.reasons[3].examples ==
          std::vector<std::string>{R"(row 7: user_id="u5", time="2024-02-02", amount="abc")"});

    CHECK(user_ids(s) == std::vector<std::string>{"u1", "u6"});
    CHECK(events(s) == std::vector<std::string>{"view", "buy"});
    CHECK(s.time == std::vector<int64_t>{ts(2024, 1, 31, 10, 0), ts(2024, 2, 3)});
    CHECK(std::isnan(s.values.revenue(0)));
    CHECK(std::isnan(s.values.revenue(1))); // empty amount text is no amount, not an error
    CHECK(order_codes(s) == std::vector<uint32_t>{EventSource::kNoOrder, EventSource::kNoOrder});
    CHECK(s.detected_format == TimeFormat::Iso);
}

TEST_CASE("a row with no user id and a bad time counts only as no user id") {
    EventSourceBuilder b(spec("e.csv"));
    append(b, texts({std::nullopt}), texts({"garbage"}), texts({"x"}));
    EventSource s = b.finish();
    REQUIRE(s.rejects.reasons.size() == 1);
    CHECK(s.rejects.reasons[0].reason == "no user id");
    CHECK(s.rejects.reasons[0].count == 1);
}

TEST_CASE("required amounts reject missing values; a negative amount in an orders file is a refund") {
    EventSourceSpec sp = spec("orders.csv", SourceKind::Orders);
    sp.revenue_required = true;
    EventSourceBuilder b(sp);
    auto user = texts({"a", "b", "c", "d", "e", std::nullopt, "g"});
    auto time =
        texts({"2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05", "2024-01-06", "x"});
    auto rev = texts({"10", std::nullopt, "", "-5", "$-1.50", "-3", "-3"});
    append(b, user, time, none(), rev);
    EventSource s = b.finish();
    CHECK(s.rejects.read == 7);
    CHECK(s.rejects.kept == 3);
    REQUIRE(s.rejects.reasons.size() == 3);
    CHECK(s.rejects.reasons[0].reason == "non-numeric amount");
    CHECK(s.rejects.reasons[0].count == 2);
    CHECK(s.rejects.reasons[0].examples ==
          std::vector<std::string>{R"(row 2: user_id="b", time="2024-01-02", amount=null)",
                                   R"(row 3: user_id="c", time="2024-01-03", amount="")"});
    CHECK(s.rejects.reasons[1].reason == "no user id");
    CHECK(s.rejects.reasons[2].reason == "unparseable time");
    CHECK(revenue_values(s) == std::vector<double>{10, -5, -1.5});
    // Rows d and e are refunds carrying their negative amounts; a is a purchase.
    CHECK(s.refunds == 2);
    REQUIRE(s.event.size() == 3);
    CHECK(s.event_names.at(s.event[0]) == "purchase");
    CHECK(s.event_names.at(s.event[1]) == "refund");
    CHECK(s.event_names.at(s.event[2]) == "refund");

    // The same rows in an events file: only non-numeric text would be rejected.
    EventSourceBuilder optional(spec("events.csv"));
    append(optional, user, time, texts({"e", "e", "e", "e", "e", "e", "e"}), rev);
    EventSource o = optional.finish();
    CHECK(o.rejects.kept == 5);
    CHECK(o.values.revenue(3) == -5);
    CHECK(o.values.revenue(4) == -1.5);
}

TEST_CASE("numeric amounts: ints and doubles are fine, NaN is none, infinity is rejected") {
    EventSourceBuilder b(spec("e.csv"));
    append(b, texts({"a", "b", "c"}), texts({"2024-01-01", "2024-01-01", "2024-01-01"}),
           texts({"buy", "buy", "buy"}), doubles({12.5, NAN, INFINITY}));
    append(b, texts({"d"}), texts({"2024-01-01"}), texts({"buy"}), ints({7}));
    EventSource s = b.finish();
    REQUIRE(s.size() == 3);
    CHECK(s.values.revenue(0) == 12.5);
    CHECK(std::isnan(s.values.revenue(1)));
    CHECK(s.values.revenue(2) == 7);
    REQUIRE(s.rejects.reasons.size() == 1);
    CHECK(s.rejects.reasons[0].reason == "non-numeric amount");
    CHECK(s.rejects.reasons[0].examples[0] == R"(row 3: user_id="c", time="2024-01-01", amount=Infinity)");
}

TEST_CASE("examples stop at five per reason while the count goes on") {
    EventSourceBuilder b(spec("e.csv"));
    auto user = texts({"", "", "", "", "", "", "", ""});
    auto time = texts({"2024-01-01", "2024-01-01", "2024-01-01", "2024-01-01", "2024-01-01", "2024-01-01",
                       "2024-01-01", "2024-01-01"});
    append(b, user, time, texts({"e", "e", "e", "e", "e", "e", "e", "e"}));
    EventSource s = b.finish();
    REQUIRE(s.rejects.reasons.size() == 1);
    CHECK(s.rejects.reasons[0].count == 8);
    CHECK(s.rejects.reasons[0].examples.size() == 5);
    CHECK(s.rejects.reasons[0].examples[4] == R"(row 5: user_id="", time="2024-01-01")");
}

TEST_CASE("long example values are cut and special characters escaped") {
    EventSourceBuilder b(spec("e.csv"));
    std::string long_time(100, '9');
    append(b, texts({"a\"b"}), texts({long_time}), texts({"e"}));
    EventSource s = b.finish();
    REQUIRE(s.rejects.reasons.size() == 1);
    CHECK(s.rejects.reasons[0].examples[0] ==
          "row 1: user_id=\"a\\\"b\", time=\"" + std::string(60, '9') + "...\"");
    CHECK(quote_example("a\nb\x01") == "\"a\\nb\\x01\"");
    // 59 ASCII bytes then a 3-byte character: the cut does not split it.
    CHECK(quote_example(std::string(59, 'x') + "\xE4\xB8\xAD" + "yyy") ==
          "\"" + std::string(59, 'x') + "...\"");
}

TEST_CASE("user ids are canonical: int, text and integral double are one id") {
    EventSourceBuilder b(spec("e.csv"));
    auto t1 = texts({"2024-01-01", "2024-01-02"});
    append(b, ints({17850, -3}), t1, texts({"a", "a"}));
    append(b, texts({" 17850 ", "0017850"}), t1, texts({"a", "a"}));
    append(b, doubles({17850.0, 1.5}), t1, texts({"a", "a"}));
    append(b, doubles({NAN, -0.0}), t1, texts({"a", "a"}));
    EventSource s = b.finish();
    CHECK(user_ids(s) == std::vector<std::string>{"17850", "-3", "17850", "0017850", "17850", "1.5", "0"});
    CHECK(s.user_ids.size() == 5); // 17850, -3, 0017850, 1.5, 0
    REQUIRE(s.rejects.find("no user id") != nullptr);
    CHECK(s.rejects.find("no user id")->examples[0] == R"(row 7: user_id=NaN, time="2024-01-01")");
}

TEST_CASE("amount text is read leniently") {
    CHECK(amount("12.5") == 12.5);
    CHECK(amount("  42 ") == 42);
    CHECK(amount("\xC2\xA5"
                 "1,234.50") == 1234.5); // ¥
    CHECK(amount("\xEF\xBF\xA5"
                 "88") == 88); // fullwidth ￥
    CHECK(amount("$12") == 12);
    CHECK(amount("$ 12.00") == 12);
    CHECK(amount("\xE2\x82\xAC"
                 "5") == 5); // €
    CHECK(amount("\xC2\xA3"
                 "0.99") == 0.99); // £
    CHECK(amount("1.234,50 \xE2\x82\xAC") == 1234.5);
    CHECK(amount("5\xE5\x85\x83") == 5); // 元
    CHECK(amount("1,234") == 1234);
    CHECK(amount("12,345,678") == 12345678);
    CHECK(amount("1,234,567.89") == 1234567.89);
    CHECK(amount("12,5") == 12.5);
    CHECK(amount("-$3") == -3);
    CHECK(amount("$-3") == -3);
    CHECK(amount("(12.50)") == -12.5);
    CHECK(amount("+7") == 7);
    CHECK(amount(".5") == 0.5);
    CHECK(amount("5.") == 5);
    CHECK(amount("1e3") == 1000);
    for (const char* bad : {"abc", "12,3456", "1,23,4", "--5", "1.2.3", "$", "12 34", "inf", "nan", "0x10",
                            "12$34", "1,234.5.6"}) {
        CAPTURE(bad);
        CHECK(std::isnan(amount(bad)));
    }
    double v = 0;
    CHECK(parse_amount("", &v) == AmountText::Empty);
    CHECK(parse_amount("   ", &v) == AmountText::Empty);
    CHECK(parse_amount("x", &v) == AmountText::Invalid);
}

TEST_CASE("orders default their constant event to purchase; other sources name theirs") {
    EventSourceBuilder orders(spec("orders.csv", SourceKind::Orders));
    append(orders, texts({"a", "b"}), texts({"2024-01-01", "2024-01-02"}), none(), doubles({1, 2}),
           texts({"o1", std::nullopt}));
    EventSource o = orders.finish();
    CHECK(events(o) == std::vector<std::string>{"purchase", "purchase"});
    CHECK(o.spec.constant_event == "purchase");
    CHECK(o.order_ids.size() == 1);
    CHECK(order_codes(o) == std::vector<uint32_t>{0, EventSource::kNoOrder});

    EventSourceSpec sp = spec("signups.csv");
    sp.constant_event = "signup";
    EventSourceBuilder signups(sp);
    append(signups, texts({"a"}), texts({"2024-01-01"}));
    CHECK(events(signups.finish()) == std::vector<std::string>{"signup"});

    EventSourceBuilder nameless(spec("e.csv"));
    CHECK_THROWS_WITH_AS(append(nameless, texts({"a"}), texts({"2024-01-01"})),
                         "source 'e.csv': no event column and no constant event name", std::invalid_argument);
}

TEST_CASE("an all-rejected source interns no event name") {
    EventSourceBuilder orders(spec("orders.csv", SourceKind::Orders));
    append(orders, texts({""}), texts({"2024-01-01"}));
    EventSource o = orders.finish();
    CHECK(o.event_names.size() == 0);
    CHECK(o.size() == 0);
}

TEST_CASE("order ids are canonical like user ids") {
    EventSourceBuilder b(spec("orders.csv", SourceKind::Orders));
    append(b, texts({"a", "a", "a"}), texts({"2024-01-01", "2024-01-01", "2024-01-01"}), none(), none(),
           doubles({536365.0, NAN, 536365.5}));
    append(b, texts({"a", "a"}), texts({"2024-01-01", "2024-01-01"}), none(), none(), texts({" 536365", ""}));
    EventSource s = b.finish();
    CHECK(s.order_ids.size() == 2);
    CHECK(s.order_ids.at(s.values.order(0)) == "536365");
    CHECK(s.values.order(1) == EventSource::kNoOrder);
    CHECK(s.order_ids.at(s.values.order(2)) == "536365.5");
    CHECK(s.values.order(3) == s.values.order(0));
    CHECK(s.values.order(4) == EventSource::kNoOrder);
}

TEST_CASE("properties keep the kept rows with their first chunk's type") {
    EventSourceSpec sp = spec("e.csv");
    sp.property_names = {"country", "qty", "price", "late"};
    EventSourceBuilder b(sp);
    auto country = texts({"CN", "US", std::nullopt});
    auto qty = ints({1, 2, 3});
    auto price = doubles({std::nullopt, 2.5, 3.5});
    auto late = none(); // not in the first batch
    append(b, texts({"a", "", "c"}), texts({"2024-01-01", "2024-01-01", "2024-01-01"}),
           texts({"e", "e", "e"}), none(), none(), {&country, &qty, &price, &late});
    auto country2 = texts({"JP"});
    auto qty2 = ints({4});
    auto price2 = doubles({4.5});
    auto late2 = ints({1700000000000000}, 0, ColumnType::Timestamp);
    append(b, texts({"d"}), texts({"2024-01-02"}), texts({"e"}), none(), none(),
           {&country2, &qty2, &price2, &late2});
    EventSource s = b.finish();
    REQUIRE(s.properties.size() == 4);
    const Column& c = s.properties[0];
    CHECK(c.name == "country");
    CHECK(c.type == ColumnType::String);
    REQUIRE(c.size() == 3);
    CHECK(c.format(0) == "CN");
    CHECK(c.is_null(1));
    CHECK(c.format(2) == "JP");
    CHECK(c.dict.find("US") == std::nullopt); // only kept rows reach the dictionary
    CHECK(s.properties[1].type == ColumnType::Int64);
    CHECK(s.properties[1].ints.to_vector() == std::vector<int64_t>{1, 3, 4});
    CHECK(s.properties[2].type == ColumnType::Double);
    CHECK(s.properties[2].is_null(0));
    CHECK(s.properties[2].doubles[1] == 3.5);
    const Column& l = s.properties[3];
    CHECK(l.type == ColumnType::Timestamp);
    REQUIRE(l.size() == 3);
    CHECK(l.is_null(0));
    CHECK(l.is_null(1));
    CHECK(l.ints[2] == 1700000000000000);
}

TEST_CASE("a property chunk of another type throws and changes nothing") {
    EventSourceSpec sp = spec("e.csv");
    sp.property_names = {"qty"};
    EventSourceBuilder b(sp);
    auto qty = ints({1});
    append(b, texts({"a"}), texts({"2024-01-01"}), texts({"e"}), none(), none(), {&qty});
    auto bad = texts({"x"});
    CHECK_THROWS_WITH_AS(append(b, texts({"b"}), texts({"2024-01-01"}), texts({"e"}), none(), none(), {&bad}),
                         "column 'qty' is BIGINT, but a later chunk holds text values",
                         std::invalid_argument);
    CHECK_THROWS_AS(append(b, texts({"b"}), texts({"2024-01-01"}), texts({"e"})), std::invalid_argument);
    EventSource s = b.finish();
    CHECK(s.size() == 1);
    CHECK(s.rejects.read == 1);
    CHECK(s.properties[0].size() == 1);
}

TEST_CASE("malformed text offsets throw naming the source and column") {
    EventSourceBuilder b(spec("e.csv"));
    auto user = texts({"a", "b"});
    user.offsets[2] = 1; // decreases
    CHECK_THROWS_WITH_AS(append(b, user, texts({"2024-01-01", "2024-01-01"}), texts({"e", "e"})),
                         "source 'e.csv', column 'user_id': utf8 offsets decrease at row 1 (4 then 1)",
                         std::invalid_argument);
}

TEST_CASE("chunks accumulate across batches with bit offsets and row numbers continue") {
    EventSourceBuilder b(spec("e.csv"));
    append(b, texts({"a", std::nullopt, "c"}, 3), texts({"2024-01-01", "2024-01-02", "2024-01-03"}, 5),
           texts({"x", "y", "z"}, 7));
    append(b, texts({"d", "e", std::nullopt}, 6), texts({"2024-01-04", std::nullopt, "2024-01-06"}, 2),
           texts({"x", "y", "z"}, 1));
    EventSource s = b.finish();
    CHECK(user_ids(s) == std::vector<std::string>{"a", "c", "d"});
    CHECK(events(s) == std::vector<std::string>{"x", "z", "x"});
    CHECK(s.time == std::vector<int64_t>{ts(2024, 1, 1), ts(2024, 1, 3), ts(2024, 1, 4)});
    CHECK(s.rejects.read == 6);
    CHECK(s.rejects.kept == 3);
    REQUIRE(s.rejects.find("no user id") != nullptr);
    CHECK(s.rejects.find("no user id")->examples ==
          std::vector<std::string>{R"(row 2: user_id=null, time="2024-01-02")",
                                   R"(row 6: user_id=null, time="2024-01-06")"});
    REQUIRE(s.rejects.find("unparseable time") != nullptr);
    CHECK(s.rejects.find("unparseable time")->examples ==
          std::vector<std::string>{R"(row 5: user_id="e", time=null)"});
    CHECK(s.detected_format == TimeFormat::Iso);
}

TEST_CASE("time: detected once per source, fixed formats, epoch micros and the tz offset") {
    SUBCASE("UCI-style month-first text") {
        EventSourceBuilder b(spec("retail.csv", SourceKind::Orders));
        append(b, texts({"1", "2"}), texts({"12/1/2010 8:26", "12/9/2010 14:05"}));
        EventSource s = b.finish();
        CHECK(s.detected_format == TimeFormat::MdySlash);
        CHECK(s.time == std::vector<int64_t>{ts(2010, 12, 1, 8, 26), ts(2010, 12, 9, 14, 5)});
    }
    SUBCASE("unix seconds as numbers, then a zone offset on text") {
        EventSourceBuilder b(spec("app.csv", SourceKind::Orders));
        append(b, texts({"1", "2"}), doubles({1706700000, 1706700001.5}));
        EventSource s = b.finish();
        CHECK(s.detected_format == TimeFormat::UnixSeconds);
        CHECK(s.time[1] == 1706700001500000);

        EventSourceSpec sp = spec("cn.csv", SourceKind::Orders);
        sp.tz_offset_minutes = 480;
        EventSourceBuilder cn(sp);
        append(cn, texts({"1"}), texts({"2024-01-31 08:00"}));
        CHECK(cn.finish().time[0] == ts(2024, 1, 31, 0, 0));
    }
    SUBCASE("a fixed format is used as given, even when another would parse") {
        EventSourceSpec sp = spec("eu.csv", SourceKind::Orders);
        sp.time_format = TimeFormat::DmySlash;
        EventSourceBuilder b(sp);
        append(b, texts({"1"}), texts({"1/2/2024"}));
        EventSource s = b.finish();
        CHECK(s.detected_format == TimeFormat::DmySlash);
        CHECK(s.time[0] == ts(2024, 2, 1));
    }
    SUBCASE("epoch microseconds from DuckDB pass through") {
        EventSourceSpec sp = spec("typed.parquet", SourceKind::Orders);
        sp.time_is_epoch_us = true;
        EventSourceBuilder b(sp);
        append(b, texts({"1", "2"}), ints({1706700000123456, std::nullopt}));
        EventSource s = b.finish();
        CHECK(s.time == std::vector<int64_t>{1706700000123456});
        CHECK(s.detected_format == TimeFormat::Auto);
        CHECK(s.rejects.find("unparseable time")->examples[0] == R"(row 2: user_id="2", time=null)");
    }
    SUBCASE("a first batch without times leaves detection to the next one") {
        EventSourceBuilder b(spec("e.csv", SourceKind::Orders));
        append(b, texts({"1"}), texts({std::nullopt}));
        append(b, texts({"2"}), texts({"31/01/2024"}));
        EventSource s = b.finish();
        CHECK(s.detected_format == TimeFormat::DmySlash);
        CHECK(s.time == std::vector<int64_t>{ts(2024, 1, 31)});
    }
    SUBCASE("the format detected in the first batch holds for later ones") {
        EventSourceBuilder b(spec("e.csv", SourceKind::Orders));
        append(b, texts({"1"}), texts({"2024-01-31"}));
        append(b, texts({"2"}), ints({1706700000}));
        EventSource s = b.finish();
        CHECK(s.detected_format == TimeFormat::Iso);
        CHECK(s.size() == 1);
        CHECK(s.rejects.find("unparseable time")->examples[0] == "row 2: user_id=\"2\", time=1706700000");
    }
    SUBCASE("undetectable numbers reject every row") {
        EventSourceBuilder b(spec("e.csv", SourceKind::Orders));
        append(b, texts({"1", "2"}), ints({1, 2}));
        EventSource s = b.finish();
        CHECK(s.detected_format == TimeFormat::Auto);
        CHECK(s.size() == 0);
        CHECK(s.rejects.find("unparseable time")->count == 2);
    }
}

TEST_CASE("event names are trimmed and numbers become their text") {
    EventSourceBuilder b(spec("e.csv"));
    append(b, texts({"a", "a"}), texts({"2024-01-01", "2024-01-01"}), texts({" view ", "view"}));
    append(b, texts({"a"}), texts({"2024-01-01"}), ints({404}));
    EventSource s = b.finish();
    CHECK(events(s) == std::vector<std::string>{"view", "view", "404"});
    CHECK(s.event_names.size() == 2);
}

// Room for rows is counted in the heap's top while the model is built beside the sources, so a
// finished source must not keep a doubling's spare room (core/dataset/slack.h).
TEST_CASE("a finished source keeps room for at most an eighth more rows than it holds") {
    EventSourceSpec sp = spec("e.csv");
    sp.property_names = {"device"};
    const auto batch = [](EventSourceBuilder& b, size_t n, size_t first) {
        std::vector<std::optional<std::string>> users, times, names, devices;
        for (size_t i = 0; i < n; i++) {
            users.push_back("u" + std::to_string((first + i) % 7));
            times.push_back("2024-01-01");
            names.push_back("view");
            devices.push_back(i % 3 ? "mobile" : "desktop");
        }
        OwnedChunk device = texts(devices);
        append(b, texts(users), texts(times), texts(names), none(), none(), {&device});
    };
    const auto room = [](const EventSource& s) {
        return std::vector<size_t>{s.user.capacity(), s.event.capacity(), s.time.capacity(),
                                   s.properties[0].codes.capacity(),
                                   s.properties[0].valid.words.capacity() * 64};
    };
    SUBCASE("told nothing: the doubling's spare room is given back") {
        EventSourceBuilder b(sp);
        for (size_t k = 0; k < 9; k++) batch(b, 128, k * 128); // 1,152 rows: doubling leaves room for 2,048
        EventSource s = b.finish();
        REQUIRE(s.size() == 1152);
        for (size_t r : room(s)) {
            CHECK(r >= 1152);
            CHECK(r <= 1152 + 1152 / 8 + 63);
        }
    }
    SUBCASE("told about how many rows come: they are reserved once, with a thirty-second more") {
        EventSourceBuilder b(sp);
        b.expect(1150); // an estimate 2 rows short: the thirty-second more holds them
        for (size_t k = 0; k < 9; k++) batch(b, 128, k * 128);
        EventSource s = b.finish();
        REQUIRE(s.size() == 1152);
        CHECK(s.time.capacity() == 1150 + 1150 / 32);
        CHECK(s.user.capacity() == 1150 + 1150 / 32);
        CHECK(s.event.capacity() == 1150 + 1150 / 32);
        CHECK(s.properties[0].codes.capacity() == 1150 + 1150 / 32);
    }
    SUBCASE("an estimate far above the rows is given back too") {
        EventSourceBuilder b(sp);
        b.expect(100000);
        batch(b, 128, 0);
        EventSource s = b.finish();
        for (size_t r : room(s)) CHECK(r <= 128 + 128 / 8 + 63);
        CHECK(user_ids(s).size() == 128);
    }
}

} // namespace core_model_event_source_test
