#pragma once
// The leaf-rule engines behind evaluate.h: each turns one rule into the set of users it
// matches, appending path-named errors (and returning an empty set) when the rule does not fit
// the model. Semantics are documented in evaluate.h and predicate.h.

#include "core/audience/definition.h"
#include "core/dataset/bitmap.h"
#include "core/lang/error.h"
#include "core/lang/names.h"
#include "core/model/model.h"

#include <cstdint>
#include <string>
#include <vector>

namespace segx {

// One predicate over the attribute column, one pass over users.
Bitmap eval_property_rule(const Model& model, const PropertyRule& rule, const std::string& path,
                          std::vector<DefinitionError>& errors);

// Names, filters and window resolved once, then a pass over the rows of the rule's event only
// (Model::event_index; built on the spot, at O(events), for a Model filled by hand without one),
// or, for a count or aggregate whose window holds a small part of that event's history, over the
// window's slice of the index's time view only.
Bitmap eval_behavior_rule(const Model& model, const BehaviorRule& rule, int64_t as_of_us,
                          const std::string& path, std::vector<DefinitionError>& errors);

// Which view of the event index a windowed count or aggregate rule reads: the user-ordered
// postings or the time-ordered slice of the window, chosen by estimated cost (Auto), or forced,
// so that tests check both paths against a plain scan. Process-wide; tests only.
enum class BehaviorPlan { Auto, Postings, TimeSlice };
void set_behavior_plan_for_tests(BehaviorPlan plan);

} // namespace segx
