#pragma once
// Definitions in words, for messages shown to a person: a rule as it reads in the builder
// ("Country is United Kingdom", "did purchase 5+ times in the last 90 days") and a problem as a
// sentence that names the rule instead of its JSON path ("the rule 'Country is United Kingdom'
// names a column that no loaded file has (known: ...)").
#include "core/audience/definition.h"
#include "core/lang/error.h"

#include <string>

namespace segx {

// What a person reads in the operator combo ("is", "is one of", ">=").
const char* op_words(Op op);

// One rule, without its nested rules ("any of 3 rules" for a group), cut near 80 bytes.
std::string rule_summary(const Rule& rule);

// The rule a JSON path points into ("root.rules[2].where[0].value" -> rules[2]), or null.
const Rule* rule_at_path(const Audience& audience, const std::string& path, std::string* rest = nullptr);

// A problem as a sentence. `audience` may be null (the definition did not read): the path is then
// put in words ("rule 3 of the top group, its value: ...").
std::string error_text(const Audience* audience, const DefinitionError& error);

} // namespace segx
