#include "core/model/amount.h"

#include "core/text/ascii.h"
#include "core/text/decimal.h"

#include <cstdlib>
#include <cstring>

namespace segx {

namespace {

// UTF-8 spellings; "$" last so that it is not mistaken for the end of a longer sign.
constexpr std::string_view kCurrencyPrefixes[] = {"\xC2\xA5", "\xEF\xBF\xA5", "\xE2\x82\xAC", "\xC2\xA3",
                                                  "$"};
constexpr std::string_view kCurrencySuffixes[] = {"\xC2\xA5", "\xEF\xBF\xA5", "\xE2\x82\xAC", "\xC2\xA3",
                                                  "$",        "\xE5\x85\x83"}; // 元

bool strip_prefix(std::string_view& s, std::string_view p) {
    if (s.substr(0, p.size()) != p) return false;
    s.remove_prefix(p.size());
    return true;
}
bool strip_suffix(std::string_view& s, std::string_view p) {
    if (s.size() < p.size() || s.substr(s.size() - p.size()) != p) return false;
    s.remove_suffix(p.size());
    return true;
}

// Reads '-'/'+' at the front; true if it was '-'.
bool strip_sign(std::string_view& s, bool* seen) {
    if (s.empty() || (s[0] != '-' && s[0] != '+')) return false;
    *seen = true;
    bool negative = s[0] == '-';
    s.remove_prefix(1);
    return negative;
}

// "1,234" / "12,345,678": 1-3 leading digits, then groups of exactly three.
bool grouped_by_three(std::string_view s, char sep) {
    size_t first = s.find(sep);
    if (first == 0 || first > 3) return false;
    for (size_t i = 0; i < first; i++)
        if (!is_ascii_digit(s[i])) return false;
    for (size_t i = first; i < s.size(); i += 4) {
        if (s[i] != sep || i + 4 > s.size()) return false;
        for (size_t k = 1; k <= 3; k++)
            if (!is_ascii_digit(s[i + k])) return false;
    }
    return true;
}

bool plain_decimal(std::string_view s) { return is_plain_decimal(s, false); }

} // namespace

AmountText parse_amount(std::string_view text, double* out) {
    std::string_view s = trim_ascii(text);
    if (s.empty()) return AmountText::Empty;
    bool negative = false, sign_seen = false;
    if (s.size() >= 2 && s.front() == '(' && s.back() == ')') {
        negative = true;
        sign_seen = true;
        s = trim_ascii(s.substr(1, s.size() - 2));
    }
    if (!sign_seen) negative = strip_sign(s, &sign_seen);
    bool currency = false;
    for (std::string_view p : kCurrencyPrefixes)
        if (!currency && strip_prefix(s, p)) currency = true;
    if (!currency)
        for (std::string_view p : kCurrencySuffixes)
            if (!currency && strip_suffix(s, p)) currency = true;
    s = trim_ascii(s);
    if (!sign_seen) negative = strip_sign(s, &sign_seen);

    // Normalise separators into buf: thousands dropped, the decimal point made '.'.
    size_t last_dot = s.rfind('.'), last_comma = s.rfind(',');
    bool has_dot = last_dot != std::string_view::npos, has_comma = last_comma != std::string_view::npos;
    char decimal = '.', thousands = '\0';
    if (has_dot && has_comma) {
        decimal = last_dot > last_comma ? '.' : ',';
        thousands = decimal == '.' ? ',' : '.';
    } else if (has_comma) {
        if (grouped_by_three(s, ','))
            thousands = ',';
        else if (s.find(',') == last_comma && s.size() - last_comma >= 2 && s.size() - last_comma <= 3)
            decimal = ',';
        else
            return AmountText::Invalid;
    }
    char buf[64];
    size_t n = 0;
    if (negative) buf[n++] = '-';
    for (char c : s) {
        if (c == thousands) continue;
        if (n + 1 >= sizeof(buf)) return AmountText::Invalid;
        buf[n++] = c == decimal ? '.' : c;
    }
    if (!plain_decimal(std::string_view(buf + (negative ? 1 : 0), n - (negative ? 1 : 0))))
        return AmountText::Invalid;
    buf[n] = '\0';
    *out = std::strtod(buf, nullptr); // the "C" locale: segx never calls setlocale
    return AmountText::Number;
}

} // namespace segx
