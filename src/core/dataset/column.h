#pragma once
// Column: one typed column of a loaded table, filled from Arrow-style chunks.
//
// Values are stored by physical kind, only one of the vectors being used:
//   Bool, Int64, Date, Timestamp -> ints    (Bool as 0/1; Date and Timestamp as microseconds
//                                            since 1970-01-01 UTC, a Date being its midnight),
//                                            1, 2, 4 or 8 bytes each by the largest magnitude
//   Double                       -> doubles
//   String                       -> codes into dict, 1, 2 or 4 bytes each by the largest
//                                   code (narrow_vector.h)
// `valid` has one bit per row. Null rows still occupy a slot holding a fixed filler (0, NaN,
// or code 0), so the slot never tells nulls apart: only `valid` does.

#include "core/dataset/bitmap.h"
#include "core/dataset/narrow_vector.h"
#include "core/dataset/string_dictionary.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace segx {

enum class ColumnType : uint8_t { Bool, Int64, Double, Date, Timestamp, String };

// Types whose values a column holds as int64: booleans, integers, dates (days) and timestamps (µs).
inline bool is_int_type(ColumnType t) {
    return t == ColumnType::Bool || t == ColumnType::Int64 || t == ColumnType::Date ||
           t == ColumnType::Timestamp;
}

// DuckDB's name of the type: "BOOLEAN", "BIGINT", "DOUBLE", "DATE", "TIMESTAMP", "VARCHAR".
const char* type_name(ColumnType type);

// Shortest text that parses back to the same double, laid out like JavaScript's
// Number#toString: plain digits for 1e-7 <= |x| < 1e21 ("3", "0.1", "100000"), exponent form
// outside ("1e+21", "1.5e-7"). "NaN", "Infinity", "-Infinity"; -0.0 prints "-0".
std::string format_double(double value);

struct Column {
    std::string name;
    ColumnType type = ColumnType::Int64;
    IntVector ints;
    std::vector<double> doubles;
    CodeVector codes;
    StringDictionary dict; // String columns: code 0 is always "", the filler of null rows
    Bitmap valid;

    size_t size() const { return valid.size; }
    bool is_null(size_t row) const { return !valid.get(row); }
    // Display text of a row; "" for null (and for an empty string: check is_null to tell).
    std::string format(size_t row) const;

    // Append one Arrow chunk of n rows. `validity` is an Arrow LSB-first bitmap read from bit
    // `bit_offset` (nullptr: all valid). Each throws std::invalid_argument naming the column
    // and both types when the column is of another type, and changes nothing then.

    // For Bool (nonzero -> 1), Int64, Date and Timestamp (values already in microseconds).
    void append_int64(const int64_t* values, const uint8_t* validity, size_t bit_offset, size_t n);
    void append_double(const double* values, const uint8_t* validity, size_t bit_offset, size_t n);
    // Arrow Utf8 layout: `offsets` has n + 1 entries indexing straight into `bytes` (the
    // array's whole values buffer), so row i is bytes[offsets[i], offsets[i+1]); they may start
    // above 0, as in a sliced array. Throws std::invalid_argument naming the row if an offset
    // is negative or offsets decrease.
    void append_utf8(const int32_t* offsets, const char* bytes, const uint8_t* validity, size_t bit_offset,
                     size_t n);

    // Room for `rows` rows of the column's type, so that appends up to them do not regrow (a
    // loader that expects them: slack.h); trim_slack gives back room past an eighth of the size.
    void reserve(size_t rows);
    void trim_slack();

    size_t memory_bytes() const;
};

} // namespace segx
