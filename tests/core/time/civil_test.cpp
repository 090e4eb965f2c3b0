#include "core/time/civil.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <limits>

namespace core_time_civil_test {

using namespace segx;

namespace {

int64_t ts(int y, unsigned m, unsigned d, int hh, int mm, int ss, int64_t micros = 0) {
    return days_from_civil(y, m, d) * kMicrosPerDay + (hh * 3600 + mm * 60 + ss) * kMicrosPerSecond + micros;
}

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned month_days(int y, unsigned m) {
    static const unsigned days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

} // namespace

TEST_CASE("constants are one second and one day in microseconds") {
    CHECK(kMicrosPerSecond == 1000000);
    CHECK(kMicrosPerDay == 86400000000);
}

TEST_CASE("days_from_civil counts days from 1970-01-01") {
    CHECK(days_from_civil(1970, 1, 1) == 0);
    CHECK(days_from_civil(1970, 1, 2) == 1);
    CHECK(days_from_civil(1969, 12, 31) == -1);
    CHECK(days_from_civil(2000, 1, 1) == 10957);
    CHECK(days_from_civil(2000, 2, 29) == 11016); // 2000 is a leap year (divisible by 400)
    CHECK(days_from_civil(2000, 3, 1) == 11017);
    CHECK(days_from_civil(1900, 1, 1) == -25567);
    CHECK(days_from_civil(1900, 2, 28) == -25509);
    CHECK(days_from_civil(1900, 3, 1) == -25508); // 1900 is not: no Feb 29 in between
    CHECK(days_from_civil(0, 3, 1) == -719468);
}

TEST_CASE("civil_from_days inverts days_from_civil on leap and pre-1970 dates") {
    int y;
    unsigned m, d;
    civil_from_days(11016, y, m, d);
    CHECK((y == 2000 && m == 2 && d == 29));
    civil_from_days(-25508, y, m, d);
    CHECK((y == 1900 && m == 3 && d == 1));
    civil_from_days(-1, y, m, d);
    CHECK((y == 1969 && m == 12 && d == 31));
    civil_from_days(-719468, y, m, d);
    CHECK((y == 0 && m == 3 && d == 1));
    civil_from_days(-719469, y, m, d);
    CHECK((y == 0 && m == 2 && d == 29)); // year 0 (1 BC) is a leap year
}

TEST_CASE("every day from 1599 to 2401 matches a naive calendar walk") {
    int64_t day = days_from_civil(1599, 1, 1);
    bool all_match = true;
    for (int y = 1599; y <= 2401; y++) {
        for (unsigned m = 1; m <= 12; m++) {
            for (unsigned d = 1; d <= month_days(y, m); d++) {
                int yy;
                unsigned mm, dd;
                civil_from_days(day, yy, mm, dd);
                all_match = all_match && days_from_civil(y, m, d) == day && yy == y && mm == m && dd == d;
                day++;
            }
        }
    }
    CHECK(all_match);
    CHECK(day == days_from_civil(2402, 1, 1));
}

TEST_CASE("format_date_us prints the UTC day, flooring pre-1970 times") {
    CHECK(format_date_us(0) == "1970-01-01");
    CHECK(format_date_us(kMicrosPerDay - 1) == "1970-01-01");
    CHECK(format_date_us(-1) == "1969-12-31");
    CHECK(format_date_us(11016 * kMicrosPerDay) == "2000-02-29");
    CHECK(format_date_us(-25508 * kMicrosPerDay) == "1900-03-01");
    CHECK(format_date_us(ts(2024, 12, 31, 23, 59, 59)) == "2024-12-31");
}

TEST_CASE("format_timestamp_us adds a fraction only when nonzero") {
    CHECK(format_timestamp_us(0) == "1970-01-01 00:00:00");
    CHECK(format_timestamp_us(1500000) == "1970-01-01 00:00:01.500000");
    CHECK(format_timestamp_us(ts(2000, 2, 29, 13, 45, 30, 123)) == "2000-02-29 13:45:30.000123");
    CHECK(ts(2000, 2, 29, 13, 45, 30, 123) == 951831930000123);
    CHECK(format_timestamp_us(951782400000000) == "2000-02-29 00:00:00");
}

TEST_CASE("format_timestamp_us is correct before 1970") {
    CHECK(format_timestamp_us(-1) == "1969-12-31 23:59:59.999999");
    CHECK(format_timestamp_us(-kMicrosPerSecond) == "1969-12-31 23:59:59");
    CHECK(format_timestamp_us(-2203848000000000) == "1900-03-01 12:00:00");
    CHECK(format_timestamp_us(ts(1900, 2, 28, 23, 59, 59, 1)) == "1900-02-28 23:59:59.000001");
}

TEST_CASE("format_timestamp_us handles the int64 extremes") {
    // The well-known end of int64 microseconds (also DuckDB's largest TIMESTAMP).
    CHECK(format_timestamp_us(std::numeric_limits<int64_t>::max()) == "294247-01-10 04:00:54.775807");
    // 1970 minus 2^63 us; the year is astronomical (year 0 = 1 BC), hence -290308.
    CHECK(format_timestamp_us(std::numeric_limits<int64_t>::min()) == "-290308-12-21 19:59:05.224192");
    CHECK(format_date_us(days_from_civil(-1, 12, 31) * kMicrosPerDay) == "-0001-12-31");
}

} // namespace core_time_civil_test
