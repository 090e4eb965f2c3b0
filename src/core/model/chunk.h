#pragma once
// Input views over one Arrow-like column chunk handed over by the bridge (DuckDB's mapping
// projection, one record batch at a time). Views only: the builders copy what they keep, so
// the buffers need to live only for the duration of one append call.

#include "core/dataset/column.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace segx {

// Arrow Utf8: row i is bytes[offsets[i], offsets[i+1]); a chunk of n rows has n + 1 offsets,
// absolute into `bytes` (they may start above 0, as in a sliced array).
struct TextChunk {
    const int32_t* offsets = nullptr;
    const char* bytes = nullptr;

    std::string_view at(size_t i) const {
        return std::string_view(bytes + offsets[i], size_t(offsets[i + 1] - offsets[i]));
    }
};

struct ValueChunk {
    enum Kind : uint8_t { None, Int64, Double, Text };

    Kind kind = None;                  // None: the mapping has no such column (every row null)
    const int64_t* ints = nullptr;     // Int64
    const double* doubles = nullptr;   // Double
    TextChunk text;                    // Text
    const uint8_t* validity = nullptr; // Arrow LSB-first bitmap; nullptr: all valid
    size_t bit_offset = 0;             // bit of row 0 in `validity`
    // What the int64s mean when the chunk fills a property or attribute Column: Bool (0/1),
    // Int64, Date or Timestamp (both as microseconds since 1970-01-01 UTC).
    ColumnType int_type = ColumnType::Int64;

    bool is_valid(size_t i) const {
        if (kind == None) return false;
        if (validity == nullptr) return true;
        size_t bit = bit_offset + i;
        return (validity[bit >> 3] >> (bit & 7)) & 1u;
    }
    std::string_view text_at(size_t i) const { return text.at(i); } // kind == Text only

    static ValueChunk none() { return ValueChunk(); }
    static ValueChunk of_ints(const int64_t* values, const uint8_t* validity = nullptr, size_t bit_offset = 0,
                              ColumnType type = ColumnType::Int64) {
        ValueChunk c;
        c.kind = Int64;
        c.ints = values;
        c.validity = validity;
        c.bit_offset = bit_offset;
        c.int_type = type;
        return c;
    }
    static ValueChunk of_doubles(const double* values, const uint8_t* validity = nullptr,
                                 size_t bit_offset = 0) {
        ValueChunk c;
        c.kind = Double;
        c.doubles = values;
        c.validity = validity;
        c.bit_offset = bit_offset;
        return c;
    }
    static ValueChunk of_text(const int32_t* offsets, const char* bytes, const uint8_t* validity = nullptr,
                              size_t bit_offset = 0) {
        ValueChunk c;
        c.kind = Text;
        c.text = TextChunk{offsets, bytes};
        c.validity = validity;
        c.bit_offset = bit_offset;
        return c;
    }
};

} // namespace segx
