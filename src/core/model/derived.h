#pragma once
// Attributes from events (model/README.md "Derived attributes"): an event property used as a
// user attribute, its latest, first or most frequent value per user (the Country of an orders
// export, the city of the last order). Computed once per model, after build_model, and appended
// to Model::attributes, so that every reader of attributes (rules, the pickers, the insight
// panel, breakdowns, the members CSV) sees them as it sees a users file's columns. The SQL
// compilers compute the same values from the `events` table (src/core/sql/derived_sql.h).
//
// Exact rules, which the SQL side follows:
//   - the values are the property's non-null values on the user's events (of `event` only,
//     when given), events after as-of included: the attribute is the data's, not a window's;
//   - latest: the value of the last such event in the store's order (time, then `seq`: source
//     load order, then row order); first: of the first such event;
//   - most_frequent: the value on the most such events; a tie goes to the smallest value
//     (strings by their bytes, numbers, dates and times by value, false before true);
//   - a user without such an event has null. The column's type is the property's.

#include "core/model/model.h"

#include <string>
#include <string_view>
#include <vector>

namespace segx {

// Automatic ones: a String event property that looks like a user attribute: at least
// kAutoMinUsers users have it on two or more events, at least kAutoConstantShare of those have
// one value on all of them, it has two or more values over all users, and no attribute (or
// explicit derived one) has its name, ASCII case folded. Named like the property, pick latest.
constexpr size_t kAutoMinUsers = 10;
constexpr double kAutoConstantShare = 0.95;

// Removes the model's previous derived attributes, then appends `specs` (in order) and, when
// `automatic`, the automatic ones. A spec whose name is empty, taken (by an attribute or an
// earlier spec, ASCII case folded, or "user_id") or whose event or property the model lacks is
// left out; each such one gives a message in the result. Sets Model::derived.
std::vector<std::string> derive_attributes(Model& model, const std::vector<DerivedSpec>& specs,
                                           bool automatic);

// The values of one spec, as a column of model.users.size() rows (no checks of names: a missing
// property or event gives an all-null String column).
Column derived_column(const Model& model, const DerivedSpec& spec);

// The spec of the derived attribute named `name`, nullptr for a users file's attribute.
const DerivedSpec* find_derived(const Model& model, std::string_view name);
// How many of Model::attributes come from users files (the derived ones follow them).
inline size_t base_attribute_count(const Model& m) { return m.attributes.size() - m.derived.size(); }

} // namespace segx
