#pragma once
// Event filters: a comparison over an event property column ("device eq mobile"), narrowing
// the events a behavior rule counts or a funnel step matches. Compiled once per evaluation
// against the model's property columns into ColumnPredicates (predicate.h).

#include "core/dataset/column.h"
#include "core/lang/error.h"
#include "core/lang/predicate.h"
#include "core/lang/value.h"

#include <string>
#include <vector>

namespace segx {

// The same comparison over an event property column, filtering events.
struct EventFilter {
    std::string property;
    Op op = Op::Eq;
    std::vector<Scalar> values;
    bool ci = false;
};

bool operator==(const EventFilter& a, const EventFilter& b);

// Compiles `where` against the event property columns: out[i] is filter i's predicate. Errors
// name the filter by path (`path`.where[i].property for an unknown property, `.op` / `.value`
// for a comparison that does not fit its column). False when any filter failed.
bool compile_event_filters(const std::vector<Column>& properties, const std::vector<EventFilter>& where,
                           const std::string& path, std::vector<DefinitionError>& errors,
                           std::vector<ColumnPredicate>* out);

} // namespace segx
