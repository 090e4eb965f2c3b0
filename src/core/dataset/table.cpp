#include "core/dataset/table.h"

#include <stdexcept>

namespace segx {

const Column* Table::find(std::string_view column) const {
    for (const Column& c : columns)
        if (c.name == column) return &c;
    return nullptr;
}

Column* Table::find(std::string_view column) {
    return const_cast<Column*>(static_cast<const Table*>(this)->find(column));
}

size_t Table::memory_bytes() const {
    size_t total = name.capacity() + columns.capacity() * sizeof(Column);
    for (const Column& c : columns) total += c.memory_bytes();
    return total;
}

namespace {

// Length of the vector that holds the column's values.
size_t payload_size(const Column& c) {
    switch (c.type) {
        case ColumnType::Double:
            return c.doubles.size();
        case ColumnType::String:
            return c.codes.size();
        default:
            return c.ints.size();
    }
}

} // namespace

void check_consistent(const Table& table) {
    for (const Column& c : table.columns) {
        if (c.size() != table.rows)
            throw std::runtime_error("table '" + table.name + "': column '" + c.name + "' has " +
                                     std::to_string(c.size()) + " rows, table has " +
                                     std::to_string(table.rows));
        if (payload_size(c) != c.size())
            throw std::runtime_error("table '" + table.name + "': column '" + c.name + "' (" +
                                     type_name(c.type) + ") has " + std::to_string(payload_size(c)) +
                                     " values but " + std::to_string(c.size()) + " validity bits");
    }
}

} // namespace segx
