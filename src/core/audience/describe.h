#pragma once
// Definitions in words, for messages shown to a person: a rule as it reads in the builder
// ("Country is United Kingdom", "did purchase 5+ times in the last 90 days") and a problem as a
// sentence that names the rule instead of its JSON path ("the rule 'Country is United Kingdom'
// names a column that no loaded file has (known: ...)").
#include "core/audience/definition.h"
#include "core/lang/error.h"
#include "core/text/language.h"

#include <string>

namespace segx {

// Every sentence is composed per language, not word by word: Chinese puts the window first
// ("最近 30 天内 做过 purchase 至少 5 次" for "did purchase 5+ times in the last 30 days").
// English is the default.

// What a person reads in the operator combo ("is", "is one of", ">="; "等于", "属于", "大于等于").
const char* op_words(Op op, Language lang = Language::En);

// One rule, without its nested rules ("any of 3 rules" for a group), cut near 80 bytes.
std::string rule_summary(const Rule& rule, Language lang = Language::En);

// The rule a JSON path points into ("root.rules[2].where[0].value" -> rules[2]), or null.
const Rule* rule_at_path(const Audience& audience, const std::string& path, std::string* rest = nullptr);

// A problem as a sentence. `audience` may be null (the definition did not read): the path is then
// put in words ("rule 3 of the top group, its value: ...").
std::string error_text(const Audience* audience, const DefinitionError& error, Language lang = Language::En);

} // namespace segx
