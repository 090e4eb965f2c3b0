#pragma once
// Table: a named set of equally long columns, as one dropped file or SQL result is loaded.

#include "core/dataset/column.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace segx {

struct Table {
    std::string name;
    size_t rows = 0;
    std::vector<Column> columns;

    // First column whose name equals `column` exactly (case-sensitive); nullptr if none.
    const Column* find(std::string_view column) const;
    Column* find(std::string_view column);
    size_t memory_bytes() const;
};

// Throws std::runtime_error naming the table and the column when a column's row count differs
// from table.rows, or its value vector is not as long as its validity (a loader bug).
void check_consistent(const Table& table);

} // namespace segx
