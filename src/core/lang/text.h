#pragma once
// Small text helpers for audience definitions and their error messages.

#include <cstddef>
#include <string>
#include <string_view>

namespace segx {

// `s` in double quotes for an error message, safe to show and to put in JSON whatever `s` is:
// quotes, backslashes and control characters escaped, invalid UTF-8 bytes as \xFF, and cut at
// a character boundary after `max_bytes` bytes with "…" and the full length appended
// ("\"aaaa…\" (1048576 bytes)"), so a 1 MB hostile name does not make a 1 MB message.
std::string quote(std::string_view s, size_t max_bytes = 64);

// Well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool is_valid_utf8(std::string_view s);

// `s` with every invalid UTF-8 sequence replaced by U+FFFD, for messages built from input
// (a JSON parser's "last read" token) that must stay valid UTF-8.
std::string sanitize_utf8(std::string_view s);

// ASCII case folding ('A'..'Z' -> 'a'..'z'); every other byte is kept, so Chinese and other
// non-ASCII text compares exactly. Deliberately not Unicode folding: DuckDB's lower() on the
// SQL side would differ by locale and version, and bytes are what both sides agree on.
inline char fold_ascii(char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; }
std::string fold_ascii(std::string_view s);

} // namespace segx
