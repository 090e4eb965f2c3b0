#include "core/model/column_builder.h"

#include <limits>
#include <stdexcept>

namespace segx {

namespace {

ColumnType type_of(const ValueChunk& chunk) {
    switch (chunk.kind) {
        case ValueChunk::Double:
            return ColumnType::Double;
        case ValueChunk::Text:
            return ColumnType::String;
        default:
            return chunk.int_type;
    }
}

const char* kind_name(ValueChunk::Kind kind) {
    switch (kind) {
        case ValueChunk::Int64:
            return "int64";
        case ValueChunk::Double:
            return "double";
        case ValueChunk::Text:
            return "text";
        case ValueChunk::None:
            break;
    }
    return "none";
}

// Fixes the type on the first typed chunk; throws (changing nothing) on a chunk of another
// kind later: a batch must not change a column's type.
void fix_type(ColumnBuilder& b, const ValueChunk& chunk) {
    b.check(chunk);
    if (b.typed || chunk.kind == ValueChunk::None) return;
    b.column.type = type_of(chunk);
    b.typed = true;
    b.column.reserve(b.expected_rows);
    append_nulls(b.column, b.pending_nulls);
    b.pending_nulls = 0;
}

} // namespace

void ColumnBuilder::check(const ValueChunk& chunk) const {
    if (!typed || chunk.kind == ValueChunk::None) return;
    ColumnType t = column.type;
    bool fits = chunk.kind == ValueChunk::Int64    ? is_int_type(t)
                : chunk.kind == ValueChunk::Double ? t == ColumnType::Double
                                                   : t == ColumnType::String;
    if (!fits)
        throw std::invalid_argument("column '" + column.name + "' is " + type_name(t) +
                                    ", but a later chunk holds " + kind_name(chunk.kind) + " values");
}

void append_nulls(Column& column, size_t n) {
    if (n == 0) return;
    column.valid.append_all(false, n);
    switch (column.type) {
        case ColumnType::Double:
            column.doubles.insert(column.doubles.end(), n, std::numeric_limits<double>::quiet_NaN());
            break;
        case ColumnType::String:
            if (column.dict.empty())
                column.dict.intern(std::string_view()); // code 0 = "", the filler of null rows
            column.codes.append_zeros(n);
            break;
        default:
            column.ints.append_zeros(n);
            break;
    }
}

void ColumnBuilder::append(size_t n, const ValueChunk& chunk) {
    fix_type(*this, chunk);
    if (!typed) {
        pending_nulls += n;
        return;
    }
    switch (chunk.kind) {
        case ValueChunk::None:
            append_nulls(column, n);
            break;
        case ValueChunk::Int64:
            column.append_int64(chunk.ints, chunk.validity, chunk.bit_offset, n);
            break;
        case ValueChunk::Double:
            column.append_double(chunk.doubles, chunk.validity, chunk.bit_offset, n);
            break;
        case ValueChunk::Text:
            column.append_utf8(chunk.text.offsets, chunk.text.bytes, chunk.validity, chunk.bit_offset, n);
            break;
    }
}

void ColumnBuilder::append_rows(const ValueChunk& chunk, const uint32_t* rows, size_t k) {
    fix_type(*this, chunk);
    if (!typed) {
        pending_nulls += k;
        return;
    }
    if (chunk.kind == ValueChunk::None) {
        append_nulls(column, k);
        return;
    }
    Column& c = column;
    for (size_t j = 0; j < k; j++) c.valid.push_back(chunk.is_valid(rows[j]));
    size_t first = c.size() - k;
    switch (chunk.kind) {
        case ValueChunk::Int64: {
            bool as_bool = c.type == ColumnType::Bool;
            for (size_t j = 0; j < k; j++) {
                int64_t v = c.valid.get(first + j) ? chunk.ints[rows[j]] : 0;
                c.ints.push_back(as_bool ? int64_t(v != 0) : v);
            }
            break;
        }
        case ValueChunk::Double:
            for (size_t j = 0; j < k; j++)
                c.doubles.push_back(c.valid.get(first + j) ? chunk.doubles[rows[j]]
                                                           : std::numeric_limits<double>::quiet_NaN());
            break;
        case ValueChunk::Text:
            if (c.dict.empty()) c.dict.intern(std::string_view());
            for (size_t j = 0; j < k; j++)
                c.codes.push_back(c.valid.get(first + j) ? c.dict.intern(chunk.text_at(rows[j])) : 0u);
            break;
        case ValueChunk::None:
            break;
    }
}

void ColumnBuilder::expect(size_t rows) {
    expected_rows = rows;
    if (typed) column.reserve(rows);
}

Column ColumnBuilder::finish() {
    if (!typed) {
        column.type = ColumnType::String;
        typed = true;
        append_nulls(column, pending_nulls);
        pending_nulls = 0;
    }
    column.trim_slack();
    return std::move(column);
}

} // namespace segx
