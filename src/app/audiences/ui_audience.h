#pragma once
// The Audiences tab, split by concept: pickers (type-ahead lists of names and values), the rule
// tree editor, the insight panel, the overlap matrix, and the saved audiences in the rail.
#include "app/ui.h"
#include "core/audience/definition.h"
#include "core/dataset/column.h"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace segx {

// One entry of a picker: the text it picks and a note shown to the right (a count, a type).
struct PickItem {
    std::string text;
    std::string note;
};
// Items matching the typed filter (the source filters: a million-value column must not be
// copied to the UI to be searched there).
using PickSource = std::function<std::vector<PickItem>(std::string_view filter)>;

// A combo whose popup opens with a search field: typing narrows the list, Enter takes the
// first match. Returns true when `value` changed.
bool pick_combo(const char* label, std::string& value, const PickSource& source, float width,
                const char* placeholder);

// A text field for one comparison value, typed by the column (a number column gets numbers),
// with a button listing the column's top values that match what is typed.
bool value_field(const char* label, Scalar& value, ColumnType type, const PickSource& top, float width);
// The same for a list (`in` / `not_in`): chips to remove, a field to add, the list to toggle.
bool values_list(const char* label, std::vector<Scalar>& values, ColumnType type, const PickSource& top,
                 float width);

// Sources for the pickers, over the session's model (memoised per model generation).
PickSource attribute_names(const Session& session);
PickSource event_names(const Session& session);
PickSource event_property_names(const Session& session, bool numeric_only);
PickSource attribute_values(const Session& session, const std::string& attribute);
PickSource event_property_values(const Session& session, const std::string& event,
                                 const std::string& property);
// The type of a model column by name; String when unknown (evaluation reports the name).
ColumnType attribute_type(const Session& session, const std::string& attribute);
ColumnType event_property_type(const Session& session, const std::string& property);

std::string scalar_text(const Scalar& s);
Scalar scalar_from_text(const std::string& text, ColumnType type);

// One `where` filter of events named `event` (property, operator, values), its widgets labelled
// `##<path>.property` and so on; the Funnels tab's steps use it too.
bool draw_event_filter(Session& session, const std::string& event, EventFilter& filter,
                       const std::string& path);

// Edits the rule tree in place; returns true when anything changed.
bool draw_rule_tree(Session& session, const AudienceState& st, Group& root);

void draw_audience_insight(Session& session, AudienceState& st, UiState& ui);
void draw_audience_overlap(Session& session, AudienceState& st, UiState& ui);

} // namespace segx
