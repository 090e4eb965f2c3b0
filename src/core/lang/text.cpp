#include "core/lang/text.h"

#include <cstdint>
#include <cstdio>

namespace segx {

namespace {

// Length (1..4) of the well-formed UTF-8 sequence at s[i], or 0 if the bytes there are not one.
size_t utf8_sequence(std::string_view s, size_t i) {
    const auto byte = [&](size_t k) { return uint8_t(s[k]); };
    uint8_t b0 = byte(i);
    if (b0 < 0x80) return 1;
    size_t n;
    uint8_t lo = 0x80, hi = 0xBF; // allowed range of the second byte
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        n = 2;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        n = 3;
        if (b0 == 0xE0) lo = 0xA0; // overlong
        if (b0 == 0xED) hi = 0x9F; // surrogates
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        n = 4;
        if (b0 == 0xF0) lo = 0x90; // overlong
        if (b0 == 0xF4) hi = 0x8F; // past U+10FFFF
    } else {
        return 0;
    }
    if (i + n > s.size()) return 0;
    if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
    for (size_t k = 2; k < n; k++)
        if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
    return n;
}

} // namespace

std::string quote(std::string_view s, size_t max_bytes) {
    std::string out = "\"";
    size_t i = 0;
    char buf[8];
    while (i < s.size()) {
        if (i >= max_bytes) {
            out += "\xE2\x80\xA6\" (" + std::to_string(s.size()) + " bytes)"; // …
            return out;
        }
        unsigned char c = static_cast<unsigned char>(s[i]);
        size_t n = utf8_sequence(s, i);
        if (n == 0) {
            std::snprintf(buf, sizeof(buf), "\\x%02X", c);
            out += buf;
            i++;
        } else if (c == '"' || c == '\\') {
            out += '\\';
            out += char(c);
            i++;
        } else if (c < 0x20 || c == 0x7F) {
            std::snprintf(buf, sizeof(buf), "\\u%04X", c);
            out += buf;
            i++;
        } else {
            out.append(s.data() + i, n);
            i += n;
        }
    }
    out += '"';
    return out;
}

bool is_valid_utf8(std::string_view s) {
    for (size_t i = 0; i < s.size();) {
        size_t n = utf8_sequence(s, i);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

std::string sanitize_utf8(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size();) {
        size_t n = utf8_sequence(s, i);
        if (n == 0) {
            out += "\xEF\xBF\xBD"; // U+FFFD
            i++;
        } else {
            out.append(s.data() + i, n);
            i += n;
        }
    }
    return out;
}

std::string fold_ascii(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = fold_ascii(c);
    return out;
}

} // namespace segx
