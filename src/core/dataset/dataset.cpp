#include "core/dataset/dataset.h"

#include <utility>

namespace segx {

Table& Dataset::put(Table t) {
    if (Table* existing = find(t.name)) {
        *existing = std::move(t);
        return *existing;
    }
    tables.push_back(std::move(t));
    return tables.back();
}

bool Dataset::remove(std::string_view name) {
    for (auto it = tables.begin(); it != tables.end(); ++it) {
        if (it->name == name) {
            tables.erase(it);
            return true;
        }
    }
    return false;
}

const Table* Dataset::find(std::string_view name) const {
    for (const Table& t : tables)
        if (t.name == name) return &t;
    return nullptr;
}

Table* Dataset::find(std::string_view name) {
    return const_cast<Table*>(static_cast<const Dataset*>(this)->find(name));
}

} // namespace segx
