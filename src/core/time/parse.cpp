#include "core/time/parse.h"

#include "core/text/ascii.h"
#include "core/text/decimal.h"

#include "core/time/civil.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace segx {

namespace {

constexpr TimeFormat kTextFormats[] = {TimeFormat::Iso, TimeFormat::YmdSlash, TimeFormat::MdySlash,
                                       TimeFormat::DmySlash, TimeFormat::YmdCompact};

char lower(char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; }

// A read position in the text; every reader either consumes what it matched or nothing.
struct Cursor {
    const char* p;
    const char* end;

    bool done() const { return p == end; }
    char peek() const { return p == end ? '\0' : *p; }
    bool eat(char c) {
        if (p == end || *p != c) return false;
        p++;
        return true;
    }
    bool eat(std::string_view s) {
        if (size_t(end - p) < s.size() || std::memcmp(p, s.data(), s.size()) != 0) return false;
        p += s.size();
        return true;
    }
    bool eat_ci(std::string_view s) { // ASCII case-insensitive
        if (size_t(end - p) < s.size()) return false;
        for (size_t i = 0; i < s.size(); i++)
            if (lower(p[i]) != s[i]) return false;
        p += s.size();
        return true;
    }
    bool skip_spaces() { // true if any were skipped
        const char* start = p;
        while (p != end && is_ascii_space(*p)) p++;
        return p != start;
    }
    // Exactly n digits, whatever follows ("+0800" is two fields of two).
    bool fixed(int n, int* out) {
        if (end - p < n) return false;
        int value = 0;
        for (int i = 0; i < n; i++) {
            if (!is_ascii_digit(p[i])) return false;
            value = value * 10 + (p[i] - '0');
        }
        p += n;
        *out = value;
        return true;
    }
    // min..max digits, and not followed by another digit.
    bool digits(int min, int max, int* out) {
        int value = 0, n = 0;
        while (n < max && p + n != end && is_ascii_digit(p[n])) value = value * 10 + (p[n++] - '0');
        if (n < min || (p + n != end && is_ascii_digit(p[n]))) return false;
        p += n;
        *out = value;
        return true;
    }
};

// A parsed wall-clock time before range checks and zone conversion.
struct Wall {
    int year = 0, month = 0, day = 0;
    int hour = 0, minute = 0, second = 0;
    int64_t micros = 0;
    bool has_zone = false;
    int zone_minutes = 0;
};

// "H:MM[:SS[.f...]]", hours 1 or 2 digits.
bool read_clock(Cursor& c, Wall& w) {
    if (!c.digits(1, 2, &w.hour) || !c.eat(':') || !c.digits(2, 2, &w.minute)) return false;
    if (!c.eat(':')) return true;
    if (!c.digits(2, 2, &w.second)) return false;
    if (!c.eat('.')) return true;
    if (!is_ascii_digit(c.peek())) return false;
    int64_t scale = 100000;
    for (; !c.done() && is_ascii_digit(c.peek()); c.p++, scale /= 10)
        w.micros += (*c.p - '0') * scale; // scale reaches 0 past the 6th digit: truncation
    return true;
}

// " AM" / "pm" after a 12-hour clock: 12 AM is midnight, 12 PM is noon.
bool read_am_pm(Cursor& c, Wall& w) {
    Cursor save = c;
    c.skip_spaces();
    bool pm = c.eat_ci("pm");
    if (!pm && !c.eat_ci("am")) {
        c = save;
        return true; // no marker: a 24-hour clock
    }
    if (w.hour < 1 || w.hour > 12) return false;
    w.hour = w.hour % 12 + (pm ? 12 : 0);
    return true;
}

// "Z", "UTC", "GMT", "+08:00", "+0800", "-05", optionally after spaces.
bool read_zone(Cursor& c, Wall& w) {
    Cursor save = c;
    c.skip_spaces();
    if (c.done()) {
        c = save;
        return true;
    }
    if (c.eat('Z') || c.eat('z') || c.eat_ci("utc") || c.eat_ci("gmt")) {
        w.has_zone = true;
        w.zone_minutes = 0;
        if (c.done() || (c.peek() != '+' && c.peek() != '-'))
            return true; // "UTC+8" falls through to the offset
    }
    bool negative = c.peek() == '-';
    if (!c.eat('+') && !c.eat('-')) return false;
    int hours = 0, minutes = 0;
    if (!c.fixed(2, &hours)) return false;
    if (c.eat(':')) {
        if (!c.fixed(2, &minutes)) return false;
    } else if (is_ascii_digit(c.peek()) && !c.fixed(2, &minutes)) {
        return false;
    }
    if (hours > 23 || minutes > 59) return false;
    w.has_zone = true;
    w.zone_minutes = (negative ? -1 : 1) * (hours * 60 + minutes);
    return true;
}

bool read_iso(Cursor& c, Wall& w) {
    if (!c.digits(4, 4, &w.year) || !c.eat('-') || !c.digits(1, 2, &w.month) || !c.eat('-') ||
        !c.digits(1, 2, &w.day))
        return false;
    if (c.done()) return true;
    if (!c.eat('T') && !c.eat('t') && !c.skip_spaces()) return false;
    return read_clock(c, w) && read_zone(c, w);
}

// The time after a slash-style date: spaces, a clock, AM/PM, a zone; or nothing.
bool read_slash_time(Cursor& c, Wall& w, bool space_required) {
    if (c.done()) return true;
    if (!c.skip_spaces() && space_required) return false;
    return read_clock(c, w) && read_am_pm(c, w) && read_zone(c, w);
}

bool read_ymd(Cursor& c, Wall& w) {
    if (!c.digits(4, 4, &w.year)) return false;
    if (c.eat("\xE5\xB9\xB4")) { // 年 ... 月 ... [日]
        if (!c.digits(1, 2, &w.month) || !c.eat("\xE6\x9C\x88") || !c.digits(1, 2, &w.day)) return false;
        c.eat("\xE6\x97\xA5");
        return read_slash_time(c, w, false);
    }
    char sep = c.peek();
    if (sep != '/' && sep != '.') return false;
    c.p++;
    return c.digits(1, 2, &w.month) && c.eat(sep) && c.digits(1, 2, &w.day) && read_slash_time(c, w, true);
}

// "A/B/YYYY" with the same separator twice; month_first decides which of A, B is the month.
bool read_two_then_year(Cursor& c, Wall& w, bool month_first) {
    int a = 0, b = 0;
    if (!c.digits(1, 2, &a)) return false;
    char sep = c.peek();
    if (sep != '/' && sep != '-' && sep != '.') return false;
    c.p++;
    if (!c.digits(1, 2, &b) || !c.eat(sep) || !c.digits(4, 4, &w.year)) return false;
    w.month = month_first ? a : b;
    w.day = month_first ? b : a;
    return read_slash_time(c, w, true);
}

bool read_compact(Cursor& c, Wall& w) {
    int ymd = 0;
    if (!c.digits(8, 8, &ymd)) return false;
    w.year = ymd / 10000;
    w.month = ymd / 100 % 100;
    w.day = ymd % 100;
    if (c.done()) return true;
    if (!c.eat('T') && !c.eat(' ')) return false;
    int hms = 0;
    if (!c.digits(6, 6, &hms)) return false;
    w.hour = hms / 10000;
    w.minute = hms / 100 % 100;
    w.second = hms % 100;
    return true;
}

// "20240131102030" (exactly the whole text): digits(8, 8) refuses a longer run of digits.
// Changes nothing unless it matches.
bool read_compact14(Cursor& c, Wall& w) {
    if (c.end - c.p != 14) return false;
    for (const char* q = c.p; q != c.end; q++)
        if (!is_ascii_digit(*q)) return false;
    auto num = [&](int at, int len) {
        int v = 0;
        for (int i = 0; i < len; i++) v = v * 10 + (c.p[at + i] - '0');
        return v;
    };
    w.year = num(0, 4);
    w.month = num(4, 2);
    w.day = num(6, 2);
    w.hour = num(8, 2);
    w.minute = num(10, 2);
    w.second = num(12, 2);
    c.p = c.end;
    return true;
}

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

bool valid_date(int y, int m, int d) { return m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m); }

bool to_utc(const Wall& w, int tz_offset_minutes, int64_t* out_us) {
    if (!valid_date(w.year, w.month, w.day) || w.hour > 23 || w.minute > 59 || w.second > 59) return false;
    int offset = w.has_zone ? w.zone_minutes : tz_offset_minutes;
    int64_t seconds = int64_t(w.hour) * 3600 + w.minute * 60 + w.second - int64_t(offset) * 60;
    const int64_t us = days_from_civil(w.year, unsigned(w.month), unsigned(w.day)) * kMicrosPerDay +
                       seconds * kMicrosPerSecond + w.micros;
    if (!time_in_range(us)) return false; // year 0 ("0000-01-01"), or past 9999 after the zone
    *out_us = us;
    return true;
}

// A plain decimal number ("1706745600", "-1.5", "1.7e9"): no hex, inf or nan.
bool parse_number(std::string_view s, double* out) {
    if (!is_plain_decimal(s, true)) return false;
    char buf[64];
    if (s.size() >= sizeof(buf)) return false;
    std::memcpy(buf, s.data(), s.size());
    buf[s.size()] = '\0';
    *out = std::strtod(buf, nullptr); // the "C" locale: segx never calls setlocale
    return true;
}

bool parse_one(std::string_view text, TimeFormat format, int tz_offset_minutes, int64_t* out_us) {
    Cursor c{text.data(), text.data() + text.size()};
    Wall w;
    bool ok = false;
    switch (format) {
        case TimeFormat::Iso:
            ok = read_iso(c, w);
            break;
        case TimeFormat::YmdSlash:
            ok = read_ymd(c, w);
            break;
        case TimeFormat::MdySlash:
            ok = read_two_then_year(c, w, true);
            break;
        case TimeFormat::DmySlash:
            ok = read_two_then_year(c, w, false);
            break;
        case TimeFormat::YmdCompact:
            ok = read_compact14(c, w) || read_compact(c, w);
            break;
        case TimeFormat::UnixSeconds:
        case TimeFormat::UnixMillis:
        case TimeFormat::ExcelSerial: {
            double value = 0;
            return parse_number(text, &value) &&
                   convert_time_number(value, format, tz_offset_minutes, out_us);
        }
        case TimeFormat::Auto:
            return false;
    }
    return ok && c.done() && to_utc(w, tz_offset_minutes, out_us);
}

} // namespace

const char* time_format_name(TimeFormat format) {
    for (const TimeFormatName& f : kTimeFormatNames)
        if (f.format == format) return f.name;
    return "unknown";
}

std::optional<TimeFormat> time_format_from_name(std::string_view name) {
    for (const TimeFormatName& f : kTimeFormatNames)
        if (name == f.name) return f.format;
    return std::nullopt;
}

bool parse_time_text(std::string_view text, TimeFormat format, int tz_offset_minutes, int64_t* out_us) {
    text = trim_ascii(text);
    if (format != TimeFormat::Auto) return parse_one(text, format, tz_offset_minutes, out_us);
    for (TimeFormat f : kTextFormats)
        if (parse_one(text, f, tz_offset_minutes, out_us)) return true;
    return false;
}

namespace {

bool convert_number(double value, TimeFormat format, int tz_offset_minutes, int64_t* out_us) {
    if (!std::isfinite(value)) return false;
    const int64_t offset_us = int64_t(tz_offset_minutes) * 60 * kMicrosPerSecond;
    switch (format) {
        case TimeFormat::UnixSeconds:
        case TimeFormat::UnixMillis: {
            double us = value * (format == TimeFormat::UnixSeconds ? 1e6 : 1e3);
            if (!(std::fabs(us) < 9.2e18)) // int64 holds +-9.22e18
                return false;
            *out_us = std::llround(us);
            return true;
        }
        case TimeFormat::ExcelSerial: {
            if (!(value >= 0 && value < 2958466)) return false;
            // Serial 0 is 1899-12-30, which makes serials from 61 (1900-03-01) on agree with Excel
            // despite its fictitious 1900-02-29.
            int64_t ms = std::llround(value * 86400000.0);
            *out_us = days_from_civil(1899, 12, 30) * kMicrosPerDay + ms * 1000 - offset_us;
            return true;
        }
        case TimeFormat::YmdCompact: {
            if (value != std::floor(value)) return false;
            Wall w;
            int64_t v = 0;
            if (value >= 1e7 && value < 1e8) {
                v = int64_t(value);
            } else if (value >= 1e13 && value < 1e14) {
                int64_t all = int64_t(value);
                v = all / 1000000;
                int64_t hms = all % 1000000;
                w.hour = int(hms / 10000);
                w.minute = int(hms / 100 % 100);
                w.second = int(hms % 100);
            } else {
                return false;
            }
            w.year = int(v / 10000);
            w.month = int(v / 100 % 100);
            w.day = int(v % 100);
            return to_utc(w, tz_offset_minutes, out_us);
        }
        default:
            return false;
    }
}

} // namespace

bool convert_time_number(double value, TimeFormat format, int tz_offset_minutes, int64_t* out_us) {
    int64_t us = 0;
    if (!convert_number(value, format, tz_offset_minutes, &us) || !time_in_range(us)) return false;
    *out_us = us;
    return true;
}

TimeFormat detect_text_format(const std::vector<std::string_view>& samples) {
    TimeFormat best = TimeFormat::Auto;
    size_t best_count = 0;
    for (TimeFormat f : kTextFormats) {
        size_t count = 0;
        int64_t us = 0;
        for (std::string_view s : samples)
            count += parse_time_text(s, f, 0, &us) ? 1 : 0; // blank samples parse in no format
        if (count > best_count) {
            best = f;
            best_count = count;
        }
    }
    return best;
}

TimeFormat detect_number_format(const std::vector<double>& samples) {
    size_t n = 0, compact = 0, excel_range = 0, excel_typical = 0, millis = 0, seconds = 0;
    for (double v : samples) {
        if (!std::isfinite(v)) continue;
        n++;
        if (v >= 19000101 && v <= 21001231 && v == std::floor(v)) {
            int64_t i = int64_t(v);
            compact += valid_date(int(i / 10000), int(i / 100 % 100), int(i % 100)) ? 1 : 0;
        }
        if (v >= 1 && v < 2958466) {
            excel_range++;
            excel_typical += (v >= 20000 && v <= 80000) ? 1 : 0;
        }
        double a = std::fabs(v);
        millis += (a >= 1e11 && a < 1e14) ? 1 : 0;
        seconds += (a >= 1e8 && a < 1e11) ? 1 : 0;
    }
    auto most = [n](size_t count) { return count * 10 >= n * 9; };
    if (n == 0) return TimeFormat::Auto;
    if (compact == n) return TimeFormat::YmdCompact;
    if (excel_range == n && most(excel_typical)) return TimeFormat::ExcelSerial;
    if (most(millis)) return TimeFormat::UnixMillis;
    if (most(seconds)) return TimeFormat::UnixSeconds;
    return TimeFormat::Auto;
}

std::string time_text_problem(std::string_view text) {
    int64_t us = 0;
    if (parse_time_text(text, TimeFormat::Auto, 0, &us)) return "";
    const std::string generic = "not a date or time such as 2026-06-30 or 2026-06-30 12:00:00";
    // Re-read an ISO-shaped text field by field to name the one out of range.
    auto t = text;
    while (!t.empty() && std::isspace(static_cast<unsigned char>(t.front()))) t.remove_prefix(1);
    while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.remove_suffix(1);
    size_t i = 0;
    auto number = [&](size_t min_digits, size_t max_digits, int* out) {
        size_t start = i;
        int v = 0;
        while (i < t.size() && i - start < max_digits && t[i] >= '0' && t[i] <= '9')
            v = v * 10 + (t[i++] - '0');
        *out = v;
        return i - start >= min_digits;
    };
    auto take = [&](char c) { return i < t.size() && t[i] == c ? (++i, true) : false; };
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
    if (!(number(4, 4, &y) && take('-') && number(1, 2, &mo) && take('-') && number(1, 2, &d)))
        return generic;
    if (y < 1) return "the year must be from 1 to 9999";
    if (mo < 1 || mo > 12) return "there is no month " + std::to_string(mo);
    if (!valid_date(y, mo, d)) {
        char ym[16];
        std::snprintf(ym, sizeof ym, "%04d-%02d", y, mo);
        return std::string(ym) + " has no day " + std::to_string(d);
    }
    if (i == t.size()) return generic;
    if (!(take('T') || take(' '))) return generic;
    if (!(number(1, 2, &h) && take(':') && number(2, 2, &mi))) return generic;
    if (take(':') && !number(2, 2, &sec)) return generic;
    if (h > 23 || mi > 59 || sec > 59) return "the time of day is out of range";
    if (take('.'))
        while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) {
        ++i;
        int zh = 0, zm = 0;
        if (!number(2, 2, &zh)) return generic;
        take(':');
        if (i < t.size()) number(2, 2, &zm);
        if (zh > 23 || zm > 59) return "the time zone offset is out of range";
    }
    // Every field is in range, so the instant itself lies outside years 1..9999.
    return "the time must lie in the years 1 to 9999";
}

} // namespace segx
