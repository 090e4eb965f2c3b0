#include "core/lang/event_filter.h"

#include "core/lang/json_text.h"
#include "core/lang/names.h"
#include "core/lang/text.h"

namespace segx {

bool operator==(const EventFilter& a, const EventFilter& b) {
    return a.property == b.property && a.op == b.op && a.values == b.values && a.ci == b.ci;
}

bool compile_event_filters(const std::vector<Column>& properties, const std::vector<EventFilter>& where,
                           const std::string& path, std::vector<DefinitionError>& errors,
                           std::vector<ColumnPredicate>* out) {
    const size_t before = errors.size();
    out->assign(where.size(), ColumnPredicate{});
    for (size_t i = 0; i < where.size(); i++) {
        const EventFilter& f = where[i];
        const std::string fp = child_path(path, "where", i);
        const Column* column = find_column(properties, f.property);
        if (column == nullptr)
            errors.push_back(DefinitionError{child_path(fp, "property"),
                                             unknown_name("event property", f.property, properties)});
        else
            compile_predicate(*column, "event property " + quote(f.property), f.op, f.values, f.ci, fp,
                              errors, &(*out)[i]);
    }
    return errors.size() == before;
}

} // namespace segx
