#include "core/sql/sql_text.h"

#include "core/dataset/column.h"
#include "core/lang/text.h"
#include "core/time/civil.h"

#include <cmath>
#include <cstdio>

namespace segx {

namespace {

// The code point at s[i] and its length (1..4); length 0 when the bytes there are not
// well-formed UTF-8.
size_t decode_utf8(std::string_view s, size_t i, uint32_t* cp) {
    const auto b = [&](size_t k) { return uint32_t(uint8_t(s[k])); };
    uint32_t b0 = b(i);
    if (b0 < 0x80) {
        *cp = b0;
        return 1;
    }
    size_t n = b0 >= 0xC2 && b0 <= 0xDF ? 2 : b0 >= 0xE0 && b0 <= 0xEF ? 3 : b0 >= 0xF0 && b0 <= 0xF4 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return 0;
    uint32_t c = b0 & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07);
    for (size_t k = 1; k < n; k++) {
        if ((b(i + k) & 0xC0) != 0x80) return 0;
        c = (c << 6) | (b(i + k) & 0x3F);
    }
    const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
    if (c < min[n] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0;
    *cp = c;
    return n;
}

// Characters that are spelled chr(n) in literals and escaped in comments: invisible or
// line-breaking ones, and those that reorder how the rest of the line is displayed.
bool is_hidden(uint32_t c) {
    return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x061C || c == 0x200E || c == 0x200F ||
           (c >= 0x2028 && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF;
}

constexpr int64_t kFirstDay = -719528; // 0000-01-01, days from 1970-01-01
constexpr int64_t kEndDay = 2932897;   // 10000-01-01

bool four_digit_year(int64_t us) {
    int64_t day = floor_div(us, kMicrosPerDay);
    return day >= kFirstDay && day < kEndDay;
}

} // namespace

bool sql_text_ok(std::string_view s) { return is_valid_utf8(s) && s.find('\0') == std::string_view::npos; }

std::string sql_ident(std::string_view name) {
    std::string out = "\"";
    for (char c : name) {
        out += c;
        if (c == '"') out += '"';
    }
    return out + '"';
}

std::string sql_string(std::string_view s) {
    std::string out, quoted;
    size_t parts = 0;
    bool open = false; // a '...' part being written into `quoted`
    const auto close = [&] {
        if (!open) return;
        out += (parts++ > 0 ? " || " : "") + quoted + "'";
        quoted.clear();
        open = false;
    };
    for (size_t i = 0; i < s.size();) {
        uint32_t cp = 0xFFFD;
        size_t n = decode_utf8(s, i, &cp);
        if (n == 0 || is_hidden(cp)) {
            close();
            out += (parts++ > 0 ? " || chr(" : "chr(") + std::to_string(n == 0 ? 0xFFFD : cp) + ")";
            i += n == 0 ? 1 : n;
            continue;
        }
        if (!open) {
            quoted = "'";
            open = true;
        }
        quoted.append(s.data() + i, n);
        if (s[i] == '\'') quoted += '\'';
        i += n;
    }
    close();
    if (parts == 0) return "''";
    return parts == 1 ? out : "(" + out + ")";
}

std::string sql_double(double x) {
    constexpr double kTwo53 = 9007199254740992.0;
    if (!std::isfinite(x)) return "CAST('" + format_double(x) + "' AS DOUBLE)";
    std::string text = format_double(x);
    if (x == std::floor(x) && std::fabs(x) < kTwo53) return text == "-0" ? "0" : text;
    if (text.find('e') != std::string::npos) return text; // an exponent makes DuckDB read a DOUBLE
    // Up to 15 significant digits: DuckDB reads a DECIMAL whose conversion to DOUBLE is
    // exact (an integer below 2^53 divided by a power of ten, rounded once).
    int digits = 0;
    bool leading = true;
    for (char c : text) {
        if (c < '0' || c > '9') continue;
        leading = leading && c == '0';
        digits += leading ? 0 : 1;
    }
    if (digits <= 15) return text;
    return "CAST('" + text + "' AS DOUBLE)";
}

std::string sql_timestamp(int64_t us) {
    if (!four_digit_year(us)) return "make_timestamp(" + std::to_string(us) + ")";
    return "TIMESTAMP '" + format_timestamp_us(us) + "'";
}

std::string sql_date_or_timestamp(int64_t us) {
    if (!four_digit_year(us) || floor_div(us, kMicrosPerDay) * kMicrosPerDay != us) return sql_timestamp(us);
    return "DATE '" + format_date_us(us) + "'";
}

std::string sql_pad(int n) { return std::string(size_t(n > 0 ? n : 0), ' '); }

std::string sql_comment_text(std::string_view s, size_t max_bytes) {
    std::string q = quote(s, max_bytes), out;
    char buf[16];
    for (size_t i = 0; i < q.size();) {
        uint32_t cp = 0;
        size_t n = decode_utf8(q, i, &cp);
        if (n == 0 || is_hidden(cp)) { // quote() leaves valid UTF-8; C1 and bidi remain
            std::snprintf(buf, sizeof(buf), "\\u%04X", unsigned(n == 0 ? 0xFFFD : cp));
            out += buf;
            i += n == 0 ? 1 : n;
        } else {
            out.append(q, i, n);
            i += n;
        }
    }
    return out;
}

} // namespace segx
