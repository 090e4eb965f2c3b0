#pragma once
// Civil (calendar) dates and times in the proleptic Gregorian calendar, UTC.
//
// Times in segx are int64 microseconds since 1970-01-01 00:00:00 UTC, negative before 1970.
// The day/date conversions follow Howard Hinnant's public-domain "chrono-compatible low-level
// date algorithms" (400-year eras, years starting in March so the leap day is last).

#include <cstdint>
#include <string>

namespace segx {

constexpr int64_t kMicrosPerSecond = 1000000;
constexpr int64_t kMicrosPerDay = 86400 * kMicrosPerSecond;

// The times a model holds: 0001-01-01 00:00:00 to 9999-12-31 23:59:59.999999 UTC. The parsers
// refuse others (a data row's time outside is a reject naming the row), so that every structure
// keyed by day or period spans at most 3,652,059 days and every date prints with four digits.
constexpr int64_t kMinTimeUs = -62135596800LL * kMicrosPerSecond;     // 0001-01-01
constexpr int64_t kMaxTimeUs = 253402300800LL * kMicrosPerSecond - 1; // 9999-12-31 23:59:59.999999
inline bool time_in_range(int64_t us) { return us >= kMinTimeUs && us <= kMaxTimeUs; }

// Days since 1970-01-01 of the date y-m-d (m in 1..12, d in 1..31; not validated).
int64_t days_from_civil(int y, unsigned m, unsigned d);
// Inverse of days_from_civil. `days` must keep the year within int (|days| < ~7.8e11).
void civil_from_days(int64_t days, int& y, unsigned& m, unsigned& d);

// Floor division, so that -1 us is the day before 1970-01-01 and not day 0.
inline int64_t floor_div(int64_t a, int64_t b) {
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

// "YYYY-MM-DD" of the UTC day holding `us`. Years outside 0..9999 print with as many digits
// as needed and a leading '-' when negative (astronomical numbering: year 0 is 1 BC).
std::string format_date_us(int64_t us);
// "YYYY-MM-DD HH:MM:SS", plus ".ffffff" (always 6 digits) only when the microseconds are
// nonzero.
std::string format_timestamp_us(int64_t us);

} // namespace segx
