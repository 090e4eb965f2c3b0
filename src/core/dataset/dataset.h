#pragma once
// Dataset: every loaded table plus the user dictionary they all share.

#include "core/dataset/table.h"
#include "core/dataset/user_dictionary.h"

#include <string_view>
#include <vector>

namespace segx {

struct Dataset {
    std::vector<Table> tables;
    UserDictionary users;

    // Replaces the table with t's name in place (keeping its position), else appends. The
    // returned reference is invalidated by the next put() or remove().
    Table& put(Table t);
    // Removes the table named `name`; false if there is none. Users stay interned: indices
    // must stay stable for everything else that refers to them.
    bool remove(std::string_view name);
    const Table* find(std::string_view name) const;
    Table* find(std::string_view name);
};

} // namespace segx
