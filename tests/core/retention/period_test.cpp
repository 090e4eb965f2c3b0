// core/retention/period: UTC days, ISO weeks (Monday first) and months, across year boundaries.
#include "core/retention/period.h"
#include "cohort_fixture.h"

namespace core_retention_period_test {

using namespace segx;
using namespace segx::test;

namespace {

std::string start_of(const std::string& time, PeriodUnit unit) {
    return format_date_us(period_start_us(period_index(at(time), unit), unit));
}

} // namespace

TEST_CASE("ISO weeks start on Monday, across year boundaries") {
    // 2024-12-30 (Monday) opens ISO week 1 of 2025; 2025-01-05 (Sunday) closes it.
    CHECK(start_of("2024-12-30", PeriodUnit::Week) == "2024-12-30");
    CHECK(start_of("2025-01-01 12:00", PeriodUnit::Week) == "2024-12-30");
    CHECK(start_of("2025-01-05T23:59:59.999999Z", PeriodUnit::Week) == "2024-12-30");
    CHECK(start_of("2025-01-06", PeriodUnit::Week) == "2025-01-06");
    CHECK(start_of("2024-12-29T23:59:59.999999Z", PeriodUnit::Week) == "2024-12-23");
    // 2021-01-03 (Sunday) is in week 53 of 2020, which began 2020-12-28.
    CHECK(start_of("2021-01-03", PeriodUnit::Week) == "2020-12-28");
    // Around the epoch and before it: 1970-01-01 is a Thursday.
    CHECK(start_of("1970-01-01", PeriodUnit::Week) == "1969-12-29");
    CHECK(start_of("1969-12-28T23:59:59Z", PeriodUnit::Week) == "1969-12-22");
    CHECK(period_index(at("2025-01-06"), PeriodUnit::Week) ==
          period_index(at("2024-12-30"), PeriodUnit::Week) + 1);
}

TEST_CASE("months and days, their ends and consecutive indices") {
    CHECK(start_of("2024-02-29 23:59", PeriodUnit::Month) == "2024-02-01");
    CHECK(start_of("2024-03-01", PeriodUnit::Month) == "2024-03-01");
    CHECK(start_of("2024-12-31T23:59:59.999999Z", PeriodUnit::Month) == "2024-12-01");
    CHECK(start_of("1969-12-31T23:59:59Z", PeriodUnit::Month) == "1969-12-01");
    const int64_t dec = period_index(at("2024-12-15"), PeriodUnit::Month);
    CHECK(period_index(at("2025-01-01"), PeriodUnit::Month) == dec + 1);
    CHECK(format_date_us(period_start_us(dec + 1, PeriodUnit::Month)) == "2025-01-01");
    CHECK(format_date_us(period_start_us(dec - 12, PeriodUnit::Month)) == "2023-12-01");
    CHECK(start_of("2024-12-31T23:59:59.999999Z", PeriodUnit::Day) == "2024-12-31");
    CHECK(start_of("1969-12-31T23:59:59.999999Z", PeriodUnit::Day) == "1969-12-31");
}

TEST_CASE("a period is complete when its last microsecond is at or before as-of") {
    const int64_t week = period_index(at("2024-12-30"), PeriodUnit::Week);
    CHECK(period_complete(week, PeriodUnit::Week, at("2025-01-05T23:59:59.999999Z")));
    CHECK_FALSE(period_complete(week, PeriodUnit::Week, at("2025-01-05T23:59:59.999998Z")));
    CHECK(period_complete(week, PeriodUnit::Week, at("2025-01-06")));
}

TEST_CASE("period names") {
    CHECK(std::string(period_unit_name(PeriodUnit::Month)) == "month");
    CHECK(period_unit_from_name("week") == PeriodUnit::Week);
    CHECK_FALSE(period_unit_from_name("Week").has_value());
}

} // namespace core_retention_period_test
