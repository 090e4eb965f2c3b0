#pragma once
// Timestamps as exports spell them, read into int64 microseconds since 1970-01-01 UTC.
//
// Text formats (leading/trailing ASCII whitespace ignored; anything else must match exactly):
//   Iso          2024-01-31, 2024-1-31, 2024-01-31 10:20, 2024-01-31T10:20:30.123456,
//                optional zone after the time: Z, UTC, +08:00, +0800, -05
//   YmdSlash     2024/01/31, 2024/1/31 9:05, 2024.01.31 09:05:07, 2024年1月31日 10:20
//   MdySlash     12/1/2010 8:26, 12/01/2010 08:26:00, 12/1/2010 8:26 PM (also '-' or '.')
//   DmySlash     31/01/2024 10:00 (also 31.01.2024, 31-01-2024)
//   YmdCompact   20240131, 20240131 102030, 20240131102030
// Hours have 1 or 2 digits, minutes and seconds 2; fractions of a second any number of digits
// (past the 6th truncated). AM/PM (any case, optional space before) is accepted by the three
// slash formats, with hours 1..12. The zone suffix is accepted after a time in all formats but
// YmdCompact. Years have exactly 4 digits: "12/1/10" is rejected rather than guessed.
// Every field is range-checked (month 1..12, day within its month, leap years, hour < 24,
// minute and second < 60; a leap second 60 is rejected): "2026-02-30", "2026-04-31", month 13
// and hour 25 are refused, never carried into the next day or month. The result must lie in
// years 1..9999 (civil.h kMinTimeUs..kMaxTimeUs) after the zone is applied: "0000-01-01" is
// refused, as are numbers (unix_s, unix_ms, excel, compact) that land outside.
//
// Text without a zone is wall time at `tz_offset_minutes` east of UTC (480 for China): the
// result is wall time minus the offset. Text with a zone uses its own zone.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace segx {

enum class TimeFormat : uint8_t {
    Auto,
    Iso,
    YmdSlash,
    MdySlash,
    DmySlash,
    YmdCompact,
    UnixSeconds,
    UnixMillis,
    ExcelSerial,
};

// The one table of time-format names, as workspace JSON spells them: the mapping panel lists
// these, and the page's JS keeps the same list (web/mapping.js TIME_FORMATS; a test checks
// that the two are equal).
struct TimeFormatName {
    TimeFormat format;
    const char* name;
};
inline constexpr TimeFormatName kTimeFormatNames[] = {
    {TimeFormat::Auto, "auto"},          {TimeFormat::Iso, "iso"},
    {TimeFormat::YmdSlash, "ymd_slash"}, {TimeFormat::MdySlash, "mdy_slash"},
    {TimeFormat::DmySlash, "dmy_slash"}, {TimeFormat::YmdCompact, "ymd_compact"},
    {TimeFormat::UnixSeconds, "unix_s"}, {TimeFormat::UnixMillis, "unix_ms"},
    {TimeFormat::ExcelSerial, "excel"},
};

// A format's name from kTimeFormatNames ("unknown" for a value outside the enum), and back
// (exact, case-sensitive).
const char* time_format_name(TimeFormat format);
std::optional<TimeFormat> time_format_from_name(std::string_view name);

// Parses `text` in `format`; Auto tries Iso, YmdSlash, MdySlash, DmySlash, YmdCompact in turn.
// The numeric formats (unix_s, unix_ms, excel) parse a plain decimal number in the text and
// convert it as convert_time_number does. False (and *out_us untouched) if it does not parse.
bool parse_time_text(std::string_view text, TimeFormat format, int tz_offset_minutes, int64_t* out_us);

// Why `text` does not parse in Auto, in words for a message after the text: for a text shaped
// like an ISO date "2026-02 has no day 30", "there is no month 13", "the year must be from 1 to
// 9999", "the time of day is out of range", "the time zone offset is out of range"; otherwise
// "not a date or time such as 2026-06-30 or 2026-06-30 12:00:00". "" when it parses. The one
// explanation of a refused time for every caller (the as-of field, segx.setAsOf, segx run).
std::string time_text_problem(std::string_view text);

// Converts a number: UnixSeconds and UnixMillis (fractions allowed), ExcelSerial (days since
// 1899-12-30 with the fraction as time of day, wall time at the offset, rounded to the
// millisecond as Excel stores it; 0 <= value < 2958466, i.e. up to 9999-12-31), YmdCompact
// (20240131, or 20240131102030, wall time at the offset). False for NaN, infinities, values
// out of range, and the text formats.
bool convert_time_number(double value, TimeFormat format, int tz_offset_minutes, int64_t* out_us);

// The text format that parses the most samples (ties go to the earlier one in the order Iso,
// YmdSlash, MdySlash, DmySlash, YmdCompact); Auto if none parses any. Blank samples are
// ignored. Month-first versus day-first falls out of the counts: "31/01/2024" parses only as
// day-first and "12/13/2010" only as month-first, while an all-ambiguous column ("12/1/2010")
// ties and reads as month-first.
TimeFormat detect_text_format(const std::vector<std::string_view>& samples);

// Guesses the format of numeric timestamps (NaN and infinities ignored):
//   YmdCompact   all integers in 19000101..21001231 that are valid dates;
//   ExcelSerial  all in [1, 2958466) and at least 90% in 20000..80000 (1954..2119);
//   UnixMillis   at least 90% with magnitude in [1e11, 1e14)  (1973..5138);
//   UnixSeconds  at least 90% with magnitude in [1e8, 1e11)   (1973..5138);
//   Auto         otherwise.
TimeFormat detect_number_format(const std::vector<double>& samples);

} // namespace segx
