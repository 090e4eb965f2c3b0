// core/retention/breakdown.h on a hand-worked fixture: the top values of an attribute among the
// users the triangle counts (not among all users), ties by value, "other" and "not set" adding up
// to the total, the audience filter applied first, the groups' rules typed as the column is.
#include "core/retention/breakdown.h"
#include "cohort_fixture.h"
#include "core/retention/json.h"

namespace core_retention_breakdown_test {

using namespace segx;
using namespace segx::test;
using json = nlohmann::json;

namespace {

// A VARCHAR attribute; "" = null.
Column string_column(const std::string& name, const std::vector<std::string>& values) {
    Column c;
    c.name = name;
    c.type = ColumnType::String;
    std::vector<int32_t> offsets{0};
    std::string bytes;
    std::vector<uint8_t> validity(values.size() / 8 + 1, 0);
    for (size_t i = 0; i < values.size(); i++) {
        bytes += values[i];
        offsets.push_back(int32_t(bytes.size()));
        if (!values[i].empty()) validity[i / 8] |= uint8_t(1u << (i % 8));
    }
    c.append_utf8(offsets.data(), bytes.data(), validity.data(), 0, values.size());
    return c;
}

// Weeks 2024-12-23 .. 2025-01-13 (4 rows with 3 periods), as-of 2025-01-15 12:00.
//   a Paris  cohort 2024-12-23      e Paris  no signup: no cohort
//   b Paris  cohort 2024-12-30      f Rome   cohort 2024-12-16: older than the rows
//   c Rome   cohort 2025-01-06      g Oslo   cohort 2025-01-06
//   d (null) cohort 2025-01-13
// Cohort users: a b c d g. Paris 2, Oslo 1, Rome 1, not set 1; e and f count nowhere (among all
// users it would be Paris 3, Rome 2).
Model shop() {
    Model m = cohort_model({"a", "b", "c", "d", "e", "f", "g"}, {{"a", "2024-12-23", "signup"},
                                                                 {"a", "2024-12-30", "purchase"},
                                                                 {"b", "2024-12-30", "signup"},
                                                                 {"c", "2025-01-06", "signup"},
                                                                 {"c", "2025-01-13", "purchase"},
                                                                 {"d", "2025-01-13", "signup"},
                                                                 {"e", "2025-01-07", "purchase"},
                                                                 {"f", "2024-12-16", "signup"},
                                                                 {"g", "2025-01-07", "signup"}});
    m.attributes.push_back(string_column("city", {"Paris", "Paris", "Rome", "", "Paris", "Rome", "Oslo"}));
    std::vector<int64_t> tier{1, 2, 1, 0, 3, 1, 2};
    std::vector<uint8_t> valid{0b1110111}; // d has none
    Column c;
    c.name = "tier";
    c.type = ColumnType::Int64;
    c.append_int64(tier.data(), valid.data(), 0, tier.size());
    m.attributes.push_back(std::move(c));
    return m;
}

Retention weekly_signups() {
    RetentionValidation v = parse_retention(
        R"({"segx": 1, "kind": "retention", "period": "week", "start": {"event": "signup"}, "periods": 3})");
    REQUIRE(v.ok());
    return v.retention;
}

std::string groups(const RetentionBreakdown& b) {
    std::string out;
    for (const RetentionBreakdownGroup& g : b.groups)
        out += (out.empty() ? "" : " ") +
               (g.row == RetentionRowKind::Value   ? g.value
                : g.row == RetentionRowKind::Other ? "(other)"
                                                   : "(not set)") +
               ":" + std::to_string(g.users);
    return out;
}

} // namespace

TEST_CASE("the top values among the cohort users, then other and not set, adding up to the total") {
    Model m = shop();
    RetentionContext ctx{m, at("2025-01-15 12:00"), nullptr};
    RetentionBreakdown b = retention_breakdown(weekly_signups(), ctx, "city", 5);
    REQUIRE(b.ok());
    CHECK(b.total == 5);
    CHECK(groups(b) == "Paris:2 Oslo:1 Rome:1 (not set):1"); // ties by value; no "other": none left

    b = retention_breakdown(weekly_signups(), ctx, "city", 2);
    REQUIRE(b.ok());
    CHECK(groups(b) == "Paris:2 Oslo:1 (other):1 (not set):1");
    uint64_t sum = 0;
    for (const RetentionBreakdownGroup& g : b.groups) sum += g.users;
    CHECK(sum == b.total);

    CHECK(breakdown_group_rule(b, "city", 0) ==
          json{{"kind", "property"}, {"attribute", "city"}, {"op", "eq"}, {"value", "Paris"}});
    CHECK(breakdown_group_rule(b, "city", 2) ==
          json{{"kind", "property"}, {"attribute", "city"}, {"op", "not_in"}, {"values", {"Paris", "Oslo"}}});
    CHECK(breakdown_group_rule(b, "city", 3) ==
          json{{"kind", "property"}, {"attribute", "city"}, {"op", "is_not_set"}});
}

TEST_CASE("a number attribute's values are JSON numbers in the rules") {
    Model m = shop();
    RetentionContext ctx{m, at("2025-01-15 12:00"), nullptr};
    RetentionBreakdown b = retention_breakdown(weekly_signups(), ctx, "tier", 1);
    REQUIRE(b.ok());
    // Cohort users a b c d g: tier 1, 2, 1, null, 2; ties by value: 1 first.
    CHECK(groups(b) == "1:2 (other):2 (not set):1");
    CHECK(breakdown_group_rule(b, "tier", 0)["value"] == json(1));
    CHECK(breakdown_group_rule(b, "tier", 1)["values"] == json::array({1}));
}

TEST_CASE("the audience filter comes first; unknown names are errors at their paths") {
    Model m = shop();
    Retention r = weekly_signups();
    r.audience = {{"audience", "not-b"}};
    RetentionContext ctx{m, at("2025-01-15 12:00"),
                         [&](const json&, const std::string&, Bitmap* users, std::vector<DefinitionError>&) {
                             users->append_all(true, m.users.size());
                             users->set(*m.users.find("b"), false);
                             return true;
                         }};
    RetentionBreakdown b = retention_breakdown(r, ctx, "city", 5);
    REQUIRE(b.ok());
    CHECK(b.total == 4);
    CHECK(groups(b) == "Oslo:1 Paris:1 Rome:1 (not set):1");

    b = retention_breakdown(r, ctx, "town", 5);
    REQUIRE(b.errors.size() == 1);
    CHECK(b.errors[0].path == "attribute");
    r.start.name = "nope";
    b = retention_breakdown(r, ctx, "city", 5);
    REQUIRE_FALSE(b.ok());
    CHECK(b.errors[0].path == "start.event");
}

TEST_CASE("a group narrows the retention's own audience filter") {
    json rule = {{"kind", "property"}, {"attribute", "city"}, {"op", "is_not_set"}};
    CHECK(narrowed_filter(nullptr, rule) == json{{"match", "all"}, {"rules", {rule}}});
    CHECK(narrowed_filter({{"audience", "vip"}}, rule) ==
          json{{"match", "all"}, {"rules", {{{"kind", "audience"}, {"op", "in"}, {"id", "vip"}}, rule}}});
    json group = {{"match", "any"}, {"rules", json::array()}};
    json nested = {{"kind", "group"}, {"match", "any"}, {"rules", json::array()}};
    CHECK(narrowed_filter(group, rule) == json{{"match", "all"}, {"rules", {nested, rule}}});
}

} // namespace core_retention_breakdown_test
