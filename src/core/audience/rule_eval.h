#pragma once
// The leaf-rule engines behind evaluate.h: each turns one rule into the set of users it
// matches, appending path-named errors (and returning an empty set) when the rule does not fit
// the model. Semantics are documented in evaluate.h and predicate.h.

#include "core/audience/definition.h"
#include "core/audience/error.h"
#include "core/dataset/bitmap.h"
#include "core/model/model.h"

#include <cstdint>
#include <string>
#include <vector>

namespace segx {

// One predicate over the attribute column, one pass over users.
Bitmap eval_property_rule(const Model& model, const PropertyRule& rule, const std::string& path,
                          std::vector<AudienceError>& errors);

// Names, filters and window resolved once, then a pass over the rows of the rule's event only
// (Model::event_index; built on the spot, at O(events), for a Model filled by hand without one).
Bitmap eval_behavior_rule(const Model& model, const BehaviorRule& rule, int64_t as_of_us,
                          const std::string& path, std::vector<AudienceError>& errors);

// "unknown attribute \"x\" (known: a, b, c, ...)": the first few names, to spot a typo.
std::string unknown_name(const char* what, const std::string& name, const std::vector<Column>& known);

} // namespace segx
