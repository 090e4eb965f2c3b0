#include "core/time/parse.h"

#include "core/time/civil.h"

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace core_time_parse_test {

using namespace segx;

namespace {

int64_t ts(int y, unsigned m, unsigned d, int hh = 0, int mm = 0, int ss = 0, int64_t micros = 0) {
    return days_from_civil(y, m, d) * kMicrosPerDay + (hh * 3600 + mm * 60 + ss) * kMicrosPerSecond + micros;
}

// The parsed time, or INT64_MIN when the text does not parse.
int64_t parse(std::string_view text, TimeFormat f, int tz = 0) {
    int64_t us = 0;
    return parse_time_text(text, f, tz, &us) ? us : INT64_MIN;
}

int64_t number(double v, TimeFormat f, int tz = 0) {
    int64_t us = 0;
    return convert_time_number(v, f, tz, &us) ? us : INT64_MIN;
}

constexpr int64_t kFail = INT64_MIN;
constexpr int64_t kHour = 3600 * kMicrosPerSecond;

} // namespace

TEST_CASE("time format names round-trip and unknown names are rejected") {
    const TimeFormat all[] = {TimeFormat::Auto,        TimeFormat::Iso,        TimeFormat::YmdSlash,
                              TimeFormat::MdySlash,    TimeFormat::DmySlash,   TimeFormat::YmdCompact,
                              TimeFormat::UnixSeconds, TimeFormat::UnixMillis, TimeFormat::ExcelSerial};
    const char* names[] = {"auto",        "iso",    "ymd_slash", "mdy_slash", "dmy_slash",
                           "ymd_compact", "unix_s", "unix_ms",   "excel"};
    for (size_t i = 0; i < 9; i++) {
        CHECK(std::string(time_format_name(all[i])) == names[i]);
        CHECK(time_format_from_name(names[i]) == all[i]);
    }
    CHECK_FALSE(time_format_from_name("ISO").has_value());
    CHECK_FALSE(time_format_from_name("").has_value());
}

TEST_CASE("the table lists every format once, in enum order") {
    REQUIRE(std::size(kTimeFormatNames) == size_t(TimeFormat::ExcelSerial) + 1);
    for (size_t i = 0; i < std::size(kTimeFormatNames); i++)
        CHECK(kTimeFormatNames[i].format == TimeFormat(i));
    CHECK(std::string(time_format_name(TimeFormat(200))) == "unknown");
}

// The page validates mappings before the core sees them, with its own copy of the names: the
// line `export const TIME_FORMATS = ['auto', ...];` of web/mapping.js must list the table.
TEST_CASE("the page's TIME_FORMATS (web/mapping.js) equals kTimeFormatNames") {
    std::ifstream js(std::string(SEGX_REPO_DIR) + "/web/mapping.js");
    REQUIRE(js);
    std::string line, list;
    while (std::getline(js, line))
        if (line.rfind("export const TIME_FORMATS = [", 0) == 0) list = line;
    REQUIRE_FALSE(list.empty());
    std::vector<std::string> page;
    for (size_t open = list.find('\''); open != std::string::npos;) {
        size_t close = list.find('\'', open + 1);
        REQUIRE(close != std::string::npos);
        page.push_back(list.substr(open + 1, close - open - 1));
        open = list.find('\'', close + 1);
    }
    std::vector<std::string> core;
    for (const TimeFormatName& f : kTimeFormatNames) core.push_back(f.name);
    CHECK(page == core);
}

TEST_CASE("iso dates and times parse with optional padding, seconds and fractions") {
    CHECK(parse("2024-01-31", TimeFormat::Iso) == ts(2024, 1, 31));
    CHECK(parse("2024-1-31", TimeFormat::Iso) == ts(2024, 1, 31));
    CHECK(parse("2024-01-31 10:20", TimeFormat::Iso) == ts(2024, 1, 31, 10, 20));
    CHECK(parse("2024-01-31T10:20:30", TimeFormat::Iso) == ts(2024, 1, 31, 10, 20, 30));
    CHECK(parse("2024-01-31 9:05:07", TimeFormat::Iso) == ts(2024, 1, 31, 9, 5, 7));
    CHECK(parse("2024-01-31 10:20:30.5", TimeFormat::Iso) == ts(2024, 1, 31, 10, 20, 30, 500000));
    CHECK(parse("2024-01-31T10:20:30.123456", TimeFormat::Iso) == ts(2024, 1, 31, 10, 20, 30, 123456));
    CHECK(parse("2024-01-31T10:20:30.123456789", TimeFormat::Iso) == ts(2024, 1, 31, 10, 20, 30, 123456));
    CHECK(parse("  2024-01-31 10:20  ", TimeFormat::Iso) == ts(2024, 1, 31, 10, 20));
}

TEST_CASE("iso zone suffixes override the default offset") {
    const int64_t utc = ts(2024, 1, 31, 10, 20, 30);
    CHECK(parse("2024-01-31T10:20:30Z", TimeFormat::Iso, 480) == utc);
    CHECK(parse("2024-01-31T10:20:30z", TimeFormat::Iso, 480) == utc);
    CHECK(parse("2024-01-31 10:20:30 UTC", TimeFormat::Iso, 480) == utc);
    CHECK(parse("2024-01-31T10:20:30+08:00", TimeFormat::Iso) == utc - 8 * kHour);
    CHECK(parse("2024-01-31T10:20:30+0800", TimeFormat::Iso) == utc - 8 * kHour);
    CHECK(parse("2024-01-31T10:20:30-05", TimeFormat::Iso) == utc + 5 * kHour);
    CHECK(parse("2024-01-31T10:20:30+05:30", TimeFormat::Iso) ==
          utc - 5 * kHour - 30 * 60 * kMicrosPerSecond);
    CHECK(parse("2024-01-31 10:20:30.25+01:00", TimeFormat::Iso) == utc - kHour + 250000);
    CHECK(parse("2024-01-31T10:20:30+24:00", TimeFormat::Iso) == kFail);
    CHECK(parse("2024-01-31T10:20:30+8", TimeFormat::Iso) == kFail);
    CHECK(parse("2024-01-31Z", TimeFormat::Iso) == kFail);
}

TEST_CASE("zone-less text is wall time at the given offset") {
    // 10:20 in Beijing (UTC+8) is 02:20 UTC; in New York (UTC-5) 15:20 UTC.
    CHECK(parse("2024-01-31 10:20", TimeFormat::Iso, 480) == ts(2024, 1, 31, 2, 20));
    CHECK(parse("2024-01-31 10:20", TimeFormat::Iso, -300) == ts(2024, 1, 31, 15, 20));
    CHECK(parse("2024-01-31", TimeFormat::Iso, 480) == ts(2024, 1, 30, 16, 0));
    CHECK(parse("12/1/2010 8:26", TimeFormat::MdySlash, 60) == ts(2010, 12, 1, 7, 26));
}

TEST_CASE("ymd slash accepts slashes, dots and Chinese date marks") {
    CHECK(parse("2024/01/31", TimeFormat::YmdSlash) == ts(2024, 1, 31));
    CHECK(parse("2024/1/31 9:05", TimeFormat::YmdSlash) == ts(2024, 1, 31, 9, 5));
    CHECK(parse("2024/01/31 09:05:07", TimeFormat::YmdSlash) == ts(2024, 1, 31, 9, 5, 7));
    CHECK(parse("2024.01.31", TimeFormat::YmdSlash) == ts(2024, 1, 31));
    CHECK(parse("2024年1月31日 10:20", TimeFormat::YmdSlash) == ts(2024, 1, 31, 10, 20));
    CHECK(parse("2024年1月31日", TimeFormat::YmdSlash) == ts(2024, 1, 31));
    CHECK(parse("2024年01月31日10:20:05", TimeFormat::YmdSlash) == ts(2024, 1, 31, 10, 20, 5));
    CHECK(parse("2024/01.31", TimeFormat::YmdSlash) == kFail); // mixed separators
    CHECK(parse("2024-01-31", TimeFormat::YmdSlash) == kFail);
    CHECK(parse("2024/01/3110:20", TimeFormat::YmdSlash) == kFail);
}

TEST_CASE("mdy slash reads the UCI Online Retail layout and AM/PM") {
    CHECK(parse("12/1/2010 8:26", TimeFormat::MdySlash) == ts(2010, 12, 1, 8, 26));
    CHECK(parse("12/01/2010 08:26:00", TimeFormat::MdySlash) == ts(2010, 12, 1, 8, 26));
    CHECK(parse("12/1/2010 8:26 PM", TimeFormat::MdySlash) == ts(2010, 12, 1, 20, 26));
    CHECK(parse("12/1/2010 8:26pm", TimeFormat::MdySlash) == ts(2010, 12, 1, 20, 26));
    CHECK(parse("12/1/2010 8:26 am", TimeFormat::MdySlash) == ts(2010, 12, 1, 8, 26));
    CHECK(parse("12/1/2010 12:05 AM", TimeFormat::MdySlash) == ts(2010, 12, 1, 0, 5));
    CHECK(parse("12/1/2010 12:05 PM", TimeFormat::MdySlash) == ts(2010, 12, 1, 12, 5));
    CHECK(parse("12/1/2010 13:05 PM", TimeFormat::MdySlash) == kFail);
    CHECK(parse("12/1/2010 0:05 AM", TimeFormat::MdySlash) == kFail);
    CHECK(parse("12/1/2010", TimeFormat::MdySlash) == ts(2010, 12, 1));
    CHECK(parse("12-01-2010", TimeFormat::MdySlash) == ts(2010, 12, 1));
    CHECK(parse("13/1/2010", TimeFormat::MdySlash) == kFail);
    CHECK(parse("12/1/10", TimeFormat::MdySlash) == kFail); // two-digit years are not guessed
    CHECK(parse("12/1-2010", TimeFormat::MdySlash) == kFail);
}

TEST_CASE("dmy slash reads day first") {
    CHECK(parse("31/01/2024 10:00", TimeFormat::DmySlash) == ts(2024, 1, 31, 10, 0));
    CHECK(parse("31.01.2024", TimeFormat::DmySlash) == ts(2024, 1, 31));
    CHECK(parse("1/2/2024", TimeFormat::DmySlash) == ts(2024, 2, 1));
    CHECK(parse("31/01/2024 10:00 +01:00", TimeFormat::DmySlash) == ts(2024, 1, 31, 9, 0));
    CHECK(parse("01/31/2024", TimeFormat::DmySlash) == kFail);
}

TEST_CASE("compact dates are 8 digits, optionally with HHMMSS") {
    CHECK(parse("20240131", TimeFormat::YmdCompact) == ts(2024, 1, 31));
    CHECK(parse("20240131 102030", TimeFormat::YmdCompact) == ts(2024, 1, 31, 10, 20, 30));
    CHECK(parse("20240131T102030", TimeFormat::YmdCompact) == ts(2024, 1, 31, 10, 20, 30));
    CHECK(parse("20240131102030", TimeFormat::YmdCompact) == ts(2024, 1, 31, 10, 20, 30));
    CHECK(parse("2024013", TimeFormat::YmdCompact) == kFail);
    CHECK(parse("202401311", TimeFormat::YmdCompact) == kFail);
    CHECK(parse("20241301", TimeFormat::YmdCompact) == kFail);
    CHECK(parse("20240131 1020", TimeFormat::YmdCompact) == kFail);
    CHECK(parse("20240131 246000", TimeFormat::YmdCompact) == kFail);
}

TEST_CASE("fields are range-checked, leap years included") {
    CHECK(parse("2024-02-29", TimeFormat::Iso) == ts(2024, 2, 29));
    CHECK(parse("2000-02-29", TimeFormat::Iso) == ts(2000, 2, 29));
    CHECK(parse("2023-02-29", TimeFormat::Iso) == kFail);
    CHECK(parse("1900-02-29", TimeFormat::Iso) == kFail);
    CHECK(parse("2024-13-01", TimeFormat::Iso) == kFail);
    CHECK(parse("2024-00-10", TimeFormat::Iso) == kFail);
    CHECK(parse("2024-04-31", TimeFormat::Iso) == kFail);
    CHECK(parse("2024-01-00", TimeFormat::Iso) == kFail);
    CHECK(parse("2024-01-31 24:00", TimeFormat::Iso) == kFail);
    CHECK(parse("2024-01-31 10:60", TimeFormat::Iso) == kFail);
    CHECK(parse("2024-01-31 23:59:60", TimeFormat::Iso) == kFail); // no leap seconds
    CHECK(parse("2024-01-31 23:59:59", TimeFormat::Iso) == ts(2024, 1, 31, 23, 59, 59));
    CHECK(parse("0000-00-00 00:00:00", TimeFormat::Iso) == kFail); // MySQL's zero date
}

TEST_CASE("malformed text is rejected") {
    for (const char* bad :
         {"", "   ", "2024", "2024-01", "2024-01-31 10", "2024-01-31 10:2", "2024-01-31 10:20:3",
          "2024-01-31 10:20:30.", "24-01-31", "2024-01-31 10:20 junk", "2024-01-31T",
          "2024-01-31 10:20:30 PM", "31 Jan 2024", "2024-01-31+0800", "2024-01-31 10:20+08000"}) {
        CAPTURE(bad);
        CHECK(parse(bad, TimeFormat::Iso) == kFail);
        CHECK(parse(bad, TimeFormat::Auto) == kFail);
    }
}

TEST_CASE("an embedded NUL byte is not whitespace") {
    CHECK(parse(std::string_view("2024-01-31\0", 11), TimeFormat::Iso) == kFail);
    CHECK(parse(std::string_view("2024-01-31\0", 11), TimeFormat::Auto) == kFail);
}

TEST_CASE("auto tries iso, ymd, mdy, dmy, then compact") {
    CHECK(parse("2024-01-31 10:20", TimeFormat::Auto) == ts(2024, 1, 31, 10, 20));
    CHECK(parse("2024/01/31", TimeFormat::Auto) == ts(2024, 1, 31));
    CHECK(parse("1/2/2024", TimeFormat::Auto) == ts(2024, 1, 2)); // month first wins the tie
    CHECK(parse("31/01/2024", TimeFormat::Auto) == ts(2024, 1, 31));
    CHECK(parse("20240131", TimeFormat::Auto) == ts(2024, 1, 31));
    CHECK(parse("1706700000", TimeFormat::Auto) == kFail); // numbers need a numeric format
}

TEST_CASE("numeric formats in text parse the number") {
    CHECK(parse("1706700000", TimeFormat::UnixSeconds) == 1706700000 * kMicrosPerSecond);
    CHECK(parse(" 1706700000123 ", TimeFormat::UnixMillis) == 1706700000123 * 1000);
    CHECK(parse("45322.5", TimeFormat::ExcelSerial) == ts(2024, 1, 31, 12, 0));
    CHECK(parse("0x10", TimeFormat::UnixSeconds) == kFail);
    CHECK(parse("nan", TimeFormat::UnixSeconds) == kFail);
    CHECK(parse("12abc", TimeFormat::UnixSeconds) == kFail);
}

TEST_CASE("unix seconds and milliseconds convert with fractions") {
    CHECK(number(0, TimeFormat::UnixSeconds) == 0);
    CHECK(number(1706700000, TimeFormat::UnixSeconds) == 1706700000 * kMicrosPerSecond);
    CHECK(number(1706700000.25, TimeFormat::UnixSeconds) == 1706700000 * kMicrosPerSecond + 250000);
    CHECK(number(-1.5, TimeFormat::UnixSeconds) == -1500000);
    CHECK(number(1706700000123.0, TimeFormat::UnixMillis) == 1706700000123 * 1000);
    CHECK(number(1706700000123.5, TimeFormat::UnixMillis) == 1706700000123 * 1000 + 500);
    CHECK(number(1e300, TimeFormat::UnixSeconds) == kFail);
    CHECK(number(NAN, TimeFormat::UnixSeconds) == kFail);
    CHECK(number(INFINITY, TimeFormat::UnixMillis) == kFail);
}

TEST_CASE("excel serials count days from 1899-12-30 with the fraction as time of day") {
    CHECK(number(45322.5, TimeFormat::ExcelSerial) == ts(2024, 1, 31, 12, 0));
    CHECK(number(45322, TimeFormat::ExcelSerial) == ts(2024, 1, 31));
    CHECK(number(61, TimeFormat::ExcelSerial) == ts(1900, 3, 1));
    CHECK(number(45322.5, TimeFormat::ExcelSerial, 480) == ts(2024, 1, 31, 4, 0));
    // 10:20:00 written with 10 decimals: rounded to the millisecond, as Excel keeps it.
    CHECK(number(45322.4305555556, TimeFormat::ExcelSerial) == ts(2024, 1, 31, 10, 20));
    CHECK(number(2958465.5, TimeFormat::ExcelSerial) == ts(9999, 12, 31, 12, 0));
    CHECK(number(2958466, TimeFormat::ExcelSerial) == kFail);
    CHECK(number(-1, TimeFormat::ExcelSerial) == kFail);
}

TEST_CASE("compact numbers are validated dates") {
    CHECK(number(20240131, TimeFormat::YmdCompact) == ts(2024, 1, 31));
    CHECK(number(20240131, TimeFormat::YmdCompact, 480) == ts(2024, 1, 30, 16, 0));
    CHECK(number(20240131102030.0, TimeFormat::YmdCompact) == ts(2024, 1, 31, 10, 20, 30));
    CHECK(number(20240230, TimeFormat::YmdCompact) == kFail);
    CHECK(number(20240131.5, TimeFormat::YmdCompact) == kFail);
    CHECK(number(2024013, TimeFormat::YmdCompact) == kFail);
}

TEST_CASE("text formats do not convert numbers") {
    CHECK(number(20240131, TimeFormat::Iso) == kFail);
    CHECK(number(20240131, TimeFormat::Auto) == kFail);
    CHECK(number(45322, TimeFormat::MdySlash) == kFail);
}

TEST_CASE("text detection picks the format parsing the most samples") {
    CHECK(detect_text_format({"2024-01-31", "2024-02-01 10:00:00", "2024-02-02T08:00Z"}) == TimeFormat::Iso);
    CHECK(detect_text_format({"2024/01/31 10:00", "2024/2/1"}) == TimeFormat::YmdSlash);
    CHECK(detect_text_format({"20240131", "20240201"}) == TimeFormat::YmdCompact);
    // A mostly-ISO column with a stray value still reads as ISO.
    CHECK(detect_text_format({"2024-01-31", "2024-02-01", "01/02/2024"}) == TimeFormat::Iso);
    CHECK(detect_text_format({"", "  ", "n/a"}) == TimeFormat::Auto);
    CHECK(detect_text_format({}) == TimeFormat::Auto);
}

TEST_CASE("text detection tells month-first from day-first by fields above 12") {
    // UCI Online Retail: every value is ambiguous until the day passes 12; the tie reads mdy.
    CHECK(detect_text_format({"12/1/2010 8:26", "12/1/2010 8:28", "12/2/2010 9:00"}) == TimeFormat::MdySlash);
    CHECK(detect_text_format({"12/1/2010 8:26", "12/13/2010 9:00"}) == TimeFormat::MdySlash);
    CHECK(detect_text_format({"31/01/2024", "01/02/2024"}) == TimeFormat::DmySlash);
    CHECK(detect_text_format({"05/06/2024 10:00", "13/06/2024 11:00", "14/06/2024"}) == TimeFormat::DmySlash);
}

TEST_CASE("number detection tells compact, excel, unix seconds and milliseconds apart") {
    CHECK(detect_number_format({20240131, 20240201, 19991231}) == TimeFormat::YmdCompact);
    CHECK(detect_number_format({20240131, 20241301}) != TimeFormat::YmdCompact); // month 13
    CHECK(detect_number_format({45322.5, 45323.25, 45400}) == TimeFormat::ExcelSerial);
    CHECK(detect_number_format({1706700000, 1706800000.5}) == TimeFormat::UnixSeconds);
    CHECK(detect_number_format({1706700000123.0, 1706800000000.0}) == TimeFormat::UnixMillis);
    CHECK(detect_number_format({1, 2, 3}) == TimeFormat::Auto);
    CHECK(detect_number_format({1706700000, 1706700000123.0}) == TimeFormat::Auto); // mixed
    CHECK(detect_number_format({}) == TimeFormat::Auto);
    CHECK(detect_number_format({NAN, INFINITY}) == TimeFormat::Auto);
    // One stray zero in twenty unix timestamps does not hide the format.
    std::vector<double> mostly(19, 1706700000.0);
    mostly.push_back(0);
    CHECK(detect_number_format(mostly) == TimeFormat::UnixSeconds);
}

TEST_CASE("invalid calendar dates are refused in every text format, never carried into the next") {
    for (const char* text :
         {"2026-02-30", "2026-02-29", "2026-04-31", "2026-13-01", "2026-00-10", "2026-01-00", "2026-01-32",
          "2026-01-01 25:00", "2026-01-01 24:00:00", "2026-01-01 10:60", "2026-01-01 10:00:61", "2026/02/30",
          "2026年2月30日", "02/30/2026", "30.02.2026", "20260230", "20260101250000"}) {
        INFO(text);
        CHECK(parse(text, TimeFormat::Auto) == kFail);
    }
    CHECK(parse("2024-02-29", TimeFormat::Iso) == ts(2024, 2, 29)); // a leap day is a day
}

TEST_CASE("times read only in years 1-9999: year 0 and past 9999 after the zone are refused") {
    CHECK(parse("0000-01-01", TimeFormat::Iso) == kFail); // not 2000-01-01, not year 0
    CHECK(parse("0000-12-31 23:59:59", TimeFormat::Iso) == kFail);
    CHECK(parse("0001-01-01", TimeFormat::Iso) == kMinTimeUs);
    CHECK(parse("9999-12-31 23:59:59.999999", TimeFormat::Iso) == kMaxTimeUs);
    // A zone can push an edge time out of range.
    CHECK(parse("0001-01-01 00:00+01:00", TimeFormat::Iso) == kFail);
    CHECK(parse("9999-12-31 23:30-01:00", TimeFormat::Iso) == kFail);
    CHECK(parse("0001-01-01", TimeFormat::Iso, 480) == kFail); // wall time in China: year 0 in UTC
    // Numbers: Unix seconds past 9999 (a millisecond value read as seconds) and before year 1.
    CHECK(number(1706745600000.0, TimeFormat::UnixSeconds) == kFail);
    CHECK(number(-62135596801.0, TimeFormat::UnixSeconds) == kFail);
    CHECK(number(-62135596800.0, TimeFormat::UnixSeconds) == kMinTimeUs);
    CHECK(number(253402300799.0, TimeFormat::UnixSeconds) == kMaxTimeUs - 999999);
    CHECK(number(253402300800.0, TimeFormat::UnixSeconds) == kFail);
}

TEST_CASE("time_text_problem names the field out of range, and is empty for what parses") {
    CHECK(segx::time_text_problem("2026-06-30") == "");
    CHECK(segx::time_text_problem(" 2026/06/30 08:00 ") == "");
    CHECK(segx::time_text_problem("2026-02-30") == "2026-02 has no day 30");
    CHECK(segx::time_text_problem("2026-4-31 10:00") == "2026-04 has no day 31");
    CHECK(segx::time_text_problem("2026-13-01") == "there is no month 13");
    CHECK(segx::time_text_problem("0000-01-01") == "the year must be from 1 to 9999");
    CHECK(segx::time_text_problem("2026-06-30T24:00:00") == "the time of day is out of range");
    CHECK(segx::time_text_problem("2026-06-30 12:60") == "the time of day is out of range");
    CHECK(segx::time_text_problem("2026-06-30T12:00:00+24:00") == "the time zone offset is out of range");
    CHECK(segx::time_text_problem("2026-06-30T12:00:00+15:00") == ""); // RFC 3339 offsets go to 23:59
    CHECK(segx::time_text_problem("9999-12-31T23:59:59-01:00") == "the time must lie in the years 1 to 9999");
    const std::string generic = "not a date or time such as 2026-06-30 or 2026-06-30 12:00:00";
    CHECK(segx::time_text_problem("yesterday") == generic);
    CHECK(segx::time_text_problem("") == generic);
    CHECK(segx::time_text_problem("2026-06-30 noon") == generic);
}

} // namespace core_time_parse_test
