#pragma once
// ColumnBuilder: a property or attribute Column filled from ValueChunks. The column's type is
// fixed by the first chunk that has one (Int64 -> the chunk's int_type, Double -> Double,
// Text -> String); rows of None chunks before that are remembered and become nulls.

#include "core/dataset/column.h"
#include "core/model/chunk.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace segx {

struct ColumnBuilder {
    Column column;
    bool typed = false;
    size_t pending_nulls = 0; // None rows seen before the type was known
    size_t expected_rows = 0; // reserved once the type is known (expect)

    ColumnBuilder() = default;
    explicit ColumnBuilder(std::string name) { column.name = std::move(name); }

    // Throws std::invalid_argument naming the column if the chunk's kind does not fit the
    // type fixed earlier (Int64 chunks fit Bool/Int64/Date/Timestamp). None always fits.
    void check(const ValueChunk& chunk) const;
    // Appends all n rows of the chunk, with Column's own append functions.
    void append(size_t n, const ValueChunk& chunk);
    // Appends rows rows[0..k) of the chunk, in that order (the kept rows of an event batch).
    void append_rows(const ValueChunk& chunk, const uint32_t* rows, size_t k);
    // About `rows` rows are coming: room for them is reserved (now, or when the first typed
    // chunk fixes the type).
    void expect(size_t rows);
    // The column, without spare room past an eighth of its size; one that never saw a typed
    // chunk is an all-null String column.
    Column finish();
};

// Appends n null rows holding the filler of the column's type (0, NaN or code 0).
void append_nulls(Column& column, size_t n);

} // namespace segx
