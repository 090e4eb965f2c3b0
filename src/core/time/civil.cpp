#include "core/time/civil.h"

#include <cstdio>

namespace segx {

// Shift the year to start on March 1st so February (and its leap day) is the last month;
// then a 400-year era has a fixed 146097 days and day-of-year is a linear function of month.
int64_t days_from_civil(int y, unsigned m, unsigned d) {
    int64_t year = int64_t(y) - (m <= 2 ? 1 : 0);
    int64_t era = floor_div(year, 400);
    int64_t yoe = year - era * 400;                       // [0, 399]
    int64_t mp = m > 2 ? int64_t(m) - 3 : int64_t(m) + 9; // March = 0
    int64_t doy = (153 * mp + 2) / 5 + int64_t(d) - 1;    // [0, 365]
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;  // [0, 146096]
    return era * 146097 + doe - 719468;                   // 719468 = days from 0000-03-01 to 1970-01-01
}

void civil_from_days(int64_t days, int& y, unsigned& m, unsigned& d) {
    int64_t z = days + 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;                                      // [0, 146096]
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; // [0, 399]
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               // [0, 365]
    int64_t mp = (5 * doy + 2) / 153;                                    // [0, 11]
    d = unsigned(doy - (153 * mp + 2) / 5 + 1);
    m = unsigned(mp < 10 ? mp + 3 : mp - 9);
    y = int(yoe + era * 400 + (m <= 2 ? 1 : 0));
}

namespace {

void append_date(std::string& out, int64_t days) {
    int y;
    unsigned m, d;
    civil_from_days(days, y, m, d);
    char buf[32];
    int len = y >= 0 ? std::snprintf(buf, sizeof(buf), "%04d-%02u-%02u", y, m, d)
                     : std::snprintf(buf, sizeof(buf), "-%04d-%02u-%02u", -y, m, d);
    out.append(buf, size_t(len));
}

} // namespace

std::string format_date_us(int64_t us) {
    std::string out;
    append_date(out, floor_div(us, kMicrosPerDay));
    return out;
}

std::string format_timestamp_us(int64_t us) {
    int64_t days = floor_div(us, kMicrosPerDay);
    int64_t in_day = us % kMicrosPerDay; // not us - days * D: that overflows near INT64_MIN
    if (in_day < 0) in_day += kMicrosPerDay;
    int64_t secs = in_day / kMicrosPerSecond;
    int64_t micros = in_day % kMicrosPerSecond;
    std::string out;
    append_date(out, days);
    char buf[32];
    int len = std::snprintf(buf, sizeof(buf), " %02d:%02d:%02d", int(secs / 3600), int(secs / 60 % 60),
                            int(secs % 60));
    out.append(buf, size_t(len));
    if (micros != 0) {
        len = std::snprintf(buf, sizeof(buf), ".%06d", int(micros));
        out.append(buf, size_t(len));
    }
    return out;
}

} // namespace segx
