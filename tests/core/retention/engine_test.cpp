// core/retention engine on hand-worked fixtures: ISO weeks across a year boundary, events exactly
// at period edges, as-of mid-period (incomplete cells), exact versus on_or_after, month ends, a
// date-attribute start, users with no events, the audience filter and the cells' users.
#include "core/retention/engine.h"
#include "cohort_fixture.h"
#include "core/retention/json.h"

namespace core_retention_engine_test {

using namespace segx;
using namespace segx::test;

namespace {

Retention retention_of(const std::string& text) {
    RetentionValidation v = parse_retention(text);
    INFO(text);
    INFO(join_errors(v.errors));
    REQUIRE(v.ok());
    return v.retention;
}

RetentionResult run_on(const Model& m, const std::string& text, int64_t as_of) {
    RetentionResult r = run_retention_engine(retention_of(text), RetentionContext{m, as_of, nullptr});
    INFO(join_errors(r.errors));
    REQUIRE(r.ok());
    return r;
}

// "2024-12-23 2 [2,1,1,1] [1,1,1,0]" per row.
std::string rows(const RetentionResult& r) {
    std::string out;
    for (const RetentionCohort& c : r.cohorts) {
        out += (out.empty() ? "" : " | ") + format_date_us(c.start_us) + " " + std::to_string(c.size) + " [";
        for (size_t k = 0; k < c.counts.size(); k++) out += (k ? "," : "") + std::to_string(c.counts[k]);
        out += "] [";
        for (size_t k = 0; k < c.complete.size(); k++) out += (k ? "," : "") + std::to_string(c.complete[k]);
        out += "]";
    }
    return out;
}

// Weeks 2024-12-23, 2024-12-30 (ISO week 1 of 2025), 2025-01-06, 2025-01-13; as-of Wednesday
// 2025-01-15 12:00, so the last week is incomplete.
Model weekly(bool index) {
    return cohort_model(
        {"a", "b", "c", "d", "e", "f", "g", "h"},
        {
            {"a", "2024-12-23", "signup"},                    // at the week's first microsecond
            {"a", "2024-12-29T23:59:59.999999Z", "purchase"}, // still the cohort's week: k = 0
            {"a", "2024-12-30", "purchase"},                  // k = 1
            {"a", "2025-01-14", "purchase"},                  // k = 3
            {"b", "2024-12-29T23:59:59Z", "signup"},
            {"b", "2025-01-07", "purchase"},                  // k = 2
            {"b", "2025-01-15T12:00:00.000001Z", "purchase"}, // after as-of: never counts
            {"c", "2024-12-30", "signup"},
            {"c", "2025-01-08", "signup"},             // not the first: c stays in 2024-12-30
            {"c", "2025-01-06", "purchase"},           // k = 1
            {"c", "2025-01-15T12:00:00Z", "purchase"}, // exactly as-of: k = 2
            {"d", "2025-01-13", "signup"},
            {"e", "2025-01-07", "purchase"}, // no start event: no cohort
            {"f", "2024-12-16", "signup"},   // a cohort older than the rows
            {"f", "2024-12-30", "purchase"},
            {"g", "2025-01-16", "signup"}, // after as-of: no cohort
        },
        {}, index);
}

const char* kWeekly = R"({"segx": 1, "kind": "retention", "period": "week", "start": {"event": "signup"},
    "return": {"event": "purchase"}, "periods": 3})";

} // namespace

TEST_CASE("weekly cohorts across the year boundary, exact: cells, completeness and the mean") {
    for (bool index : {false, true}) {
        CAPTURE(index);
        Model m = weekly(index);
        RetentionResult r = run_on(m, kWeekly, at("2025-01-15 12:00"));
        CHECK(r.population == 8);
        CHECK(rows(r) ==
              "2024-12-23 2 [2,1,1,1] [1,1,1,0] | 2024-12-30 1 [1,1,1] [1,1,0] | "
              "2025-01-06 0 [0,0] [1,0] | 2025-01-13 1 [1] [0]");
        REQUIRE(r.mean.size() == 4);
        CHECK(r.mean[0] == doctest::Approx(1.0));
        CHECK(*r.mean[1] == doctest::Approx(2.0 / 3.0)); // (1 + 1) / (2 + 1)
        CHECK(*r.mean[2] == doctest::Approx(0.5));       // only 2024-12-23 is complete at k = 2
        CHECK_FALSE(r.mean[3].has_value());              // no complete cell
    }
}

TEST_CASE("on_or_after counts a return in period k or any later one, up to as-of") {
    Model m = weekly(false);
    std::string text = kWeekly;
    text.insert(text.size() - 1, R"(, "mode": "on_or_after")");
    RetentionResult r = run_on(m, text, at("2025-01-15 12:00"));
    // a returned in k = 1 and 3, b in k = 2 (its k = 3 purchase is after as-of).
    CHECK(rows(r) ==
          "2024-12-23 2 [2,2,2,1] [1,1,1,0] | 2024-12-30 1 [1,1,1] [1,1,0] | "
          "2025-01-06 0 [0,0] [1,0] | 2025-01-13 1 [1] [0]");
    // A return past the last shown period still counts for every earlier k.
    RetentionResult two =
        run_on(m, text.substr(0, text.size() - 1) + R"(, "cohorts": 1})", at("2025-01-15 12:00"));
    CHECK(rows(two) == "2025-01-13 1 [1] [0]");
    std::string short_text = R"({"segx": 1, "kind": "retention", "start": {"event": "signup"},
        "return": {"event": "purchase"}, "periods": 1, "cohorts": 4, "mode": "on_or_after"})";
    CHECK(rows(run_on(m, short_text, at("2025-01-15 12:00"))) ==
          "2024-12-23 2 [2,2] [1,1] | 2024-12-30 1 [1,1] [1,1] | 2025-01-06 0 [0,0] [1,0] | 2025-01-13 1 [1] "
          "[0]");
}

TEST_CASE("as-of at a period's last microsecond completes it; the next microsecond opens a new row") {
    Model m = weekly(false);
    RetentionResult r = run_on(m, kWeekly, at("2025-01-19T23:59:59.999999Z"));
    CHECK(r.cohorts.back().complete == std::vector<uint8_t>{1});
    RetentionResult next = run_on(m, kWeekly, at("2025-01-20"));
    CHECK(format_date_us(next.cohorts.front().start_us) == "2024-12-30");
    CHECK(format_date_us(next.cohorts.back().start_us) == "2025-01-20");
    CHECK(next.cohorts.back().complete == std::vector<uint8_t>{0});
    // 2024-12-23 left the rows; 2024-12-30 gains its k = 3 cell (empty).
    CHECK(rows(next).rfind("2024-12-30 1 [1,1,1,0] [1,1,1,0]", 0) == 0);
}

TEST_CASE("monthly cohorts across month ends and a leap day") {
    Model m = cohort_model({"p", "q", "n"},
                           {
                               {"p", "2024-01-31T23:59:59.999999Z", "signup"},
                               {"p", "2024-02-01", "purchase"}, // k = 1 (the first microsecond of February)
                               {"p", "2024-02-29 23:00", "purchase"}, // k = 1 again: counted once
                               {"p", "2024-03-01", "purchase"},       // k = 2
                               {"q", "2024-02-01", "signup"},
                               {"q", "2024-02-29", "purchase"}, // k = 0
                               {"q", "2024-03-31", "purchase"}, // after as-of
                           });
    RetentionResult r =
        run_on(m,
               R"({"segx": 1, "kind": "retention", "period": "month", "start": {"event": "signup"},
                                   "return": {"event": "purchase"}, "periods": 2})",
               at("2024-03-15"));
    CHECK(rows(r) == "2024-01-01 1 [1,1,1] [1,1,0] | 2024-02-01 1 [1,0] [1,0] | 2024-03-01 0 [0] [0]");
    CHECK(*r.mean[1] == doctest::Approx(1.0));
    CHECK_FALSE(r.mean[2].has_value());
}

TEST_CASE("cohorts by a date attribute, any event returning, daily") {
    Model m = cohort_model({"x", "y", "z", "w", "v"},
                           {
                               {"x", "2024-01-02 05:00", "view"}, // k = 1
                               {"y", "2024-01-01", "view"},       // before its cohort: never counts
                               {"y", "2024-01-03 13:00", "view"}, // after as-of
                               {"z", "2024-01-02", "view"},       // no signup date: no cohort
                               {"w", "2024-01-02", "view"},       // signup after as-of: no cohort
                           },
                           {date_of("2024-01-01"), date_of("2024-01-02"), std::nullopt, date_of("2024-01-04"),
                            date_of("2024-01-03")}); // v: no events at all, still in its cohort
    RetentionResult r = run_on(m,
                               R"({"segx": 1, "kind": "retention", "period": "day",
                                   "start": {"attribute": "signup"}, "periods": 2})",
                               at("2024-01-03 12:00"));
    CHECK(rows(r) == "2024-01-01 1 [1,1,0] [1,1,0] | 2024-01-02 1 [1,0] [1,0] | 2024-01-03 1 [1] [0]");
}

TEST_CASE("the audience filter and the users of one cell") {
    Model m = weekly(true);
    Retention ret = retention_of(std::string(kWeekly).insert(std::string(kWeekly).size() - 1,
                                                             R"(, "audience": {"audience": "not-b"})"));
    RetentionContext ctx{m, at("2025-01-15 12:00"),
                         [&](const nlohmann::json& filter, const std::string& path, Bitmap* users,
                             std::vector<DefinitionError>& errors) {
                             CHECK(filter == nlohmann::json{{"audience", "not-b"}});
                             CHECK(path == "audience");
                             (void)errors;
                             users->append_all(true, m.users.size());
                             users->set(*m.users.find("b"), false);
                             return true;
                         }};
    RetentionResult r = run_retention_engine(ret, ctx);
    REQUIRE(r.ok());
    CHECK(r.population == 7);
    CHECK(rows(r).rfind("2024-12-23 1 [1,1,0,1] [1,1,1,0]", 0) == 0);

    auto members = [&](size_t row, size_t k) {
        RetentionCellUsers cell = retention_cell_users(ret, ctx, row, k);
        REQUIRE(cell.ok());
        std::string out;
        for (size_t u = 0; u < cell.users.size; u++)
            if (cell.users.get(u)) out += (out.empty() ? "" : " ") + std::string(m.users.id(uint32_t(u)));
        return out;
    };
    CHECK(members(0, 0) == "a");
    CHECK(members(0, 3) == "a");
    CHECK(members(0, 2) == "");
    CHECK(members(1, 2) == "c");
    CHECK(members(3, 0) == "d");
    CHECK(members(3, 1) == ""); // past the row's last cell
    CHECK(members(9, 0) == "");
}

TEST_CASE("engine errors name their paths") {
    Model m = weekly(false);
    Column age;
    age.name = "age";
    age.type = ColumnType::Int64;
    std::vector<int64_t> v(m.users.size(), 30);
    age.append_int64(v.data(), nullptr, 0, v.size());
    m.attributes.push_back(age);
    auto errors = [&](const std::string& text) {
        RetentionResult r =
            run_retention_engine(retention_of(text), RetentionContext{m, at("2025-01-15"), nullptr});
        return join_errors(r.errors);
    };
    CHECK(
        errors(
            R"({"segx": 1, "kind": "retention", "start": {"event": "sign_up"}, "return": {"event": "buy"}})")
            .find("start.event: unknown event \"sign_up\"") == 0);
    CHECK(
        errors(
            R"({"segx": 1, "kind": "retention", "start": {"event": "sign_up"}, "return": {"event": "buy"}})")
            .find("\nreturn.event: unknown event \"buy\"") != std::string::npos);
    CHECK(errors(R"({"segx": 1, "kind": "retention", "start": {"attribute": "age"}})") ==
          "start.attribute: a cohort needs a date or timestamp attribute; \"age\" is BIGINT");
    CHECK(errors(R"({"segx": 1, "kind": "retention", "start": {"attribute": "signups"}})")
              .rfind("start.attribute: unknown attribute \"signups\"", 0) == 0);
    CHECK(errors(R"({"segx": 1, "kind": "retention", "start": {"event": "signup"},
                     "audience": {"audience": "x"}})") ==
          "audience: audience filters cannot be resolved here");
}

} // namespace core_retention_engine_test
