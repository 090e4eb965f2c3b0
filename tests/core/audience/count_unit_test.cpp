// Counts in events, orders and days, worked by hand on a line-item export shaped like UCI Online
// Retail (InvoiceNo, StockCode, Quantity, InvoiceDate, UnitPrice, CustomerID, Country): one row
// per invoice line, so "purchased 5+ times" must count invoices, not lines.
//
// As-of A = 2024-03-31 00:00 UTC (the last row's time), D = one day. Rows (customer: invoice at
// time, lines):
//   12346: 536365 at A-10D (3 lines) | 536366 at A-10D+1h (2 lines, same day) | 536367 at A-3D (1)
//   12347: 536368 at A-2D (6 lines)
//   12348: 5 invoices of 1 line, on days A-40D, A-20D, A-20D+2h, A-5D, A
//          and one line with no invoice number at A-1D (an order of its own)
// So, all time: lines 12346 6, 12347 6, 12348 6; invoices 3, 1, 6; days 2, 1, 5.

#include "../model/chunk_fixture.h"
#include "audience_fixture.h"

#include "core/audience/json.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

namespace core_audience_count_unit_test {

using namespace segx;
using namespace segx::test;

namespace {

const Model& line_items() {
    static const Model model = [] {
        EventSourceSpec spec;
        spec.name = "Online Retail.csv";
        spec.kind = SourceKind::Orders;
        spec.time_is_epoch_us = true;
        spec.revenue_required = true;
        spec.property_names = {"StockCode", "Country"};
        EventSourceBuilder b(spec);
        const int64_t H = 3600 * kMicrosPerSecond;
        std::vector<std::optional<std::string>> user, order, stock;
        std::vector<std::optional<int64_t>> time;
        std::vector<std::optional<double>> amount;
        const auto line = [&](const char* u, const char* invoice, int64_t t) {
            user.push_back(u);
            order.push_back(invoice ? std::optional<std::string>(invoice) : std::nullopt);
            time.push_back(t);
            amount.push_back(2.55);
            stock.push_back("85123A");
        };
        for (int i = 0; i < 3; i++) line("12346", "536365", A - 10 * D);
        for (int i = 0; i < 2; i++) line("12346", "536366", A - 10 * D + H);
        line("12346", "536367", A - 3 * D);
        for (int i = 0; i < 6; i++) line("12347", "536368", A - 2 * D);
        line("12348", "536370", A - 40 * D);
        line("12348", "536371", A - 20 * D);
        line("12348", "536372", A - 20 * D + 2 * H);
        line("12348", "536373", A - 5 * D);
        line("12348", nullptr, A - 1 * D);
        line("12348", "536374", A);
        std::vector<std::optional<std::string>> country(user.size(), std::string("United Kingdom"));
        auto u = texts(user), o = texts(order), s = texts(stock), c = texts(country);
        auto t = ints(time);
        auto r = doubles(amount);
        b.append(user.size(), u.chunk(), t.chunk(), ValueChunk::none(), r.chunk(), o.chunk(),
                 {s.chunk(), c.chunk()});
        EventSource src = b.finish();
        return build_model({}, {&src});
    }();
    return model;
}

std::string count_rule(const char* op_value, const char* unit, const char* window = nullptr) {
    std::string rule = R"({"kind": "behavior", "event": "purchase", "count": {)" + std::string(op_value);
    if (unit) rule += R"(, "unit": ")" + std::string(unit) + "\"";
    rule += "}";
    if (window) rule += R"(, "window": )" + std::string(window);
    return rule + "}";
}

std::string members_of(const std::string& rule) {
    const Model& m = line_items();
    EvalResult r = evaluate(audience_of(rule), EvalContext{m, A, 0, nullptr});
    INFO(join_errors(r.errors));
    REQUIRE(r.ok());
    return members(m, r.users);
}

} // namespace

TEST_CASE("a line-item export: 'purchased 5+ times' counts invoices with unit orders, lines without") {
    // Lines: everyone has 6.
    CHECK(members_of(count_rule(R"("op": "gte", "value": 5)", nullptr)) == "12346 12347 12348");
    CHECK(members_of(count_rule(R"("op": "gte", "value": 5)", "events")) == "12346 12347 12348");
    // Invoices: 3, 1 and 6 (five numbered invoices plus the line without a number).
    CHECK(members_of(count_rule(R"("op": "gte", "value": 5)", "orders")) == "12348");
    CHECK(members_of(count_rule(R"("op": "eq", "value": 3)", "orders")) == "12346");
    CHECK(members_of(count_rule(R"("op": "eq", "value": 1)", "orders")) == "12347");
    // In the last 30 days, (A-30D, A]: 12348 has 4 invoices (536371..536374) plus the unnumbered
    // line, 5; 12346 has 3.
    CHECK(members_of(count_rule(R"("op": "gte", "value": 5)", "orders", R"({"last_days": 30})")) == "12348");
    CHECK(members_of(count_rule(R"("op": "gte", "value": 6)", "orders", R"({"last_days": 30})")) == "");
}

TEST_CASE("unit days counts distinct UTC days; a zero count is a count in every unit") {
    CHECK(members_of(count_rule(R"("op": "eq", "value": 2)", "days")) == "12346");
    CHECK(members_of(count_rule(R"("op": "eq", "value": 1)", "days")) == "12347");
    // 12348: A-40D, A-20D (twice), A-5D, A-1D, A: five days.
    CHECK(members_of(count_rule(R"("op": "eq", "value": 5)", "days")) == "12348");
    // In the last 30 days: 12346 2 days, 12347 1, 12348 4 (A-20D twice, A-5D, A-1D, A).
    CHECK(members_of(count_rule(R"("op": "between", "values": [2, 4])", "days", R"({"last_days": 30})")) ==
          "12346 12348");
    // The last 2 days are (A-2D, A]: 12347's invoice at A-2D is out, 12346 has none either.
    for (const char* unit : {"events", "orders", "days"})
        CHECK(members_of(count_rule(R"("op": "eq", "value": 0)", unit, R"({"last_days": 2})")) ==
              "12346 12347");
}

TEST_CASE("unit: events is the default, left out when written; a bad unit names its path") {
    Audience a = audience_of(count_rule(R"("op": "gte", "value": 5)", "events"));
    nlohmann::json j;
    to_json(j, a);
    CHECK(j["root"]["rules"][0]["count"].dump() == R"({"op":"gte","value":5})");
    Audience o = audience_of(count_rule(R"("op": "gte", "value": 5)", "orders"));
    to_json(j, o);
    CHECK(j["root"]["rules"][0]["count"].dump() == R"({"op":"gte","unit":"orders","value":5})");
    CHECK(!(a == o));
    ValidationResult v = parse_audience(R"({"segx": 1, "root": {"match": "all", "rules": [)" +
                                        count_rule(R"("op": "gte", "value": 5)", "invoices") + "]}}");
    REQUIRE(v.errors.size() == 1);
    CHECK(v.errors[0].path == "root.rules[0].count.unit");
    CHECK(v.errors[0].message.find("\"invoices\"") != std::string::npos);
    CHECK(v.errors[0].message.find("orders") != std::string::npos);
}

} // namespace core_audience_count_unit_test
