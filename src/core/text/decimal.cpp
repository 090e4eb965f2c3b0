#include "core/text/decimal.h"

#include "core/text/ascii.h"

namespace segx {

bool is_plain_decimal(std::string_view s, bool allow_sign) {
    size_t i = 0, mantissa = 0;
    if (allow_sign && i < s.size() && (s[i] == '-' || s[i] == '+')) i++;
    while (i < s.size() && is_ascii_digit(s[i])) i++, mantissa++;
    if (i < s.size() && s[i] == '.')
        for (i++; i < s.size() && is_ascii_digit(s[i]);) i++, mantissa++;
    if (mantissa == 0) return false;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < s.size() && (s[i] == '+' || s[i] == '-')) i++;
        size_t exp = 0;
        while (i < s.size() && is_ascii_digit(s[i])) i++, exp++;
        if (exp == 0) return false;
    }
    return i == s.size();
}

} // namespace segx
