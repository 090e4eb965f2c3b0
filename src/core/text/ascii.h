#pragma once
// ASCII character classes and trimming shared by the text readers (times, amounts, decimals).
// Locale-free on purpose: exported files are read the same way on every machine.
#include <string_view>

namespace segx {

inline bool is_ascii_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}
inline bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }

inline std::string_view trim_ascii(std::string_view s) {
    while (!s.empty() && is_ascii_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_ascii_space(s.back())) s.remove_suffix(1);
    return s;
}

} // namespace segx
