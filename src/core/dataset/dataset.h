#pragma once
// Dataset: every loaded table, by name (the Data panel's first rows of each file).

#include "core/dataset/table.h"

#include <string_view>
#include <vector>

namespace segx {

struct Dataset {
    std::vector<Table> tables;

    // Replaces the table with t's name in place (keeping its position), else appends. The
    // returned reference is invalidated by the next put() or remove().
    Table& put(Table t);
    // Removes the table named `name`; false if there is none.
    bool remove(std::string_view name);
    const Table* find(std::string_view name) const;
    Table* find(std::string_view name);
};

} // namespace segx
