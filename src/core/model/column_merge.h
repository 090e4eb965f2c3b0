#pragma once
// Merging the same-named columns of several sources into one set of columns: event
// properties across event sources, user attributes across users files.
//
// A name is one column while the types agree: equal, Int64 with Double (-> Double: DuckDB types
// "3" and "3.5" differently in two files), or Date with Timestamp (-> Timestamp). A source
// column holding no value at all fits any type. Otherwise the later source's column becomes
// its own column named "name (source)", e.g. `country (customers.csv)`.

#include "core/dataset/column.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace segx {

// The type two same-named columns merge into; nullopt when they do not.
std::optional<ColumnType> merge_types(ColumnType a, ColumnType b);

struct NamedColumns {
    std::string_view source; // source (file) name, for suffixed column names
    const std::vector<Column>* columns;
};

struct ColumnPlan {
    std::vector<Column> columns;             // named and typed, no rows yet
    std::vector<std::string> sources;        // per column: the first source that brought it
    std::vector<std::vector<size_t>> target; // [source][column of that source] -> columns index
};

ColumnPlan plan_columns(const std::vector<NamedColumns>& sources);

// A dst_rows entry that writes nothing (scatter_column): the source row is not kept.
inline constexpr uint32_t kSkipRow = UINT32_MAX;

// For k < n: row dst_rows[k] of dst = row src_rows[k] of src (row k when src_rows is null),
// value and validity, nulls included; nothing where dst_rows[k] is kSkipRow. dst must be src's planned
// target. Strings are re-coded into dst's dictionary through `remap` (reset here), one hash per distinct
// source string actually written, so values only on unwritten rows never reach dst.
void scatter_column(const Column& src, Column& dst, const uint32_t* src_rows, const uint32_t* dst_rows,
                    size_t n, std::vector<uint32_t>& remap);

} // namespace segx
