#include "core/model/value_text.h"

#include "core/dataset/user_dictionary.h"
#include "core/model/reject_log.h"

#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace segx {

namespace {

// Decimal text of v at the end of buf[0, 24); works on the magnitude so INT64_MIN is fine.
std::string_view int_text(int64_t v, char* buf) {
    char* end = buf + 24;
    char* p = end;
    uint64_t m = v < 0 ? 0 - uint64_t(v) : uint64_t(v);
    do {
        *--p = char('0' + m % 10);
        m /= 10;
    } while (m != 0);
    if (v < 0) *--p = '-';
    return std::string_view(p, size_t(end - p));
}

} // namespace

std::string_view IdText::of(const ValueChunk& chunk, size_t i) {
    if (!chunk.is_valid(i)) return std::string_view();
    switch (chunk.kind) {
        case ValueChunk::Text:
            return UserDictionary::trim(chunk.text_at(i));
        case ValueChunk::Int64:
            return int_text(chunk.ints[i], digits_);
        case ValueChunk::Double: {
            double v = chunk.doubles[i];
            if (!std::isfinite(v)) return std::string_view();
            // 2^63 is exact as a double; integral values below it convert to int64 exactly.
            if (v == std::floor(v) && v >= -9223372036854775808.0 && v < 9223372036854775808.0)
                return int_text(int64_t(v), digits_);
            scratch_ = format_double(v);
            return scratch_;
        }
        case ValueChunk::None:
            break;
    }
    return std::string_view();
}

// A double as a person wrote it: 15 significant digits at most, so that an amount computed in
// binary (15.299999999999999 for 5.1 * 3) reads 15.3 in an example.
static std::string display_double(double v) {
    if (!std::isfinite(v)) return format_double(v);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.15g", v);
    return buf;
}

void append_field(std::string& out, std::string_view name, const ValueChunk& chunk, size_t i) {
    out.append(name.data(), name.size());
    out += '=';
    if (!chunk.is_valid(i)) {
        out += "null";
        return;
    }
    switch (chunk.kind) {
        case ValueChunk::Text:
            out += quote_example(chunk.text_at(i));
            break;
        case ValueChunk::Int64:
            out += std::to_string(chunk.ints[i]);
            break;
        case ValueChunk::Double:
            out += display_double(chunk.doubles[i]);
            break;
        case ValueChunk::None:
            out += "null";
            break;
    }
}

void check_chunk(const ValueChunk& chunk, size_t n, std::string_view source, std::string_view column) {
    auto fail = [&](const std::string& what) {
        throw std::invalid_argument("source '" + std::string(source) + "', column '" + std::string(column) +
                                    "': " + what);
    };
    if (n == 0 || chunk.kind == ValueChunk::None) return;
    if (chunk.kind == ValueChunk::Int64 && chunk.ints == nullptr) fail("int64 chunk without values");
    if (chunk.kind == ValueChunk::Double && chunk.doubles == nullptr) fail("double chunk without values");
    if (chunk.kind != ValueChunk::Text) return;
    const int32_t* offsets = chunk.text.offsets;
    if (offsets == nullptr) fail("text chunk without offsets");
    if (offsets[0] < 0) fail("negative utf8 offset " + std::to_string(offsets[0]) + " at row 0");
    for (size_t i = 0; i < n; i++)
        if (offsets[i + 1] < offsets[i])
            fail("utf8 offsets decrease at row " + std::to_string(i) + " (" + std::to_string(offsets[i]) +
                 " then " + std::to_string(offsets[i + 1]) + ")");
    if (chunk.text.bytes == nullptr && offsets[n] != offsets[0]) // Arrow omits an empty buffer
        fail("text chunk without bytes");
}

} // namespace segx
