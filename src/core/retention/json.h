#pragma once
// Retention definitions as JSON (DESIGN §6), versioned with "segx": 1. README.md is the
// reference:
//
//   {"segx": 1, "kind": "retention", "id": "r1", "name": "Weekly buyers",
//    "period": "day" | "week" | "month",                  (default week; ISO weeks, UTC)
//    "start": {"event": "signup"} | {"attribute": "signup_date"},          (required)
//    "return": {"event": "purchase"} | {"any": true},     (default {"any": true})
//    "mode": "exact" | "on_or_after",                     (default exact)
//    "periods": N,                                        (1..52, default 12)
//    "cohorts": N,                                        (1..1000, default periods + 1)
//    "audience": GROUP | {"audience": "saved-audience-id"}}
//
// to_json writes every field but absent cohorts and audience, so that from_json(to_json(x)) == x
// exactly. Reading is strict: unknown keys, missing or mistyped fields and out-of-range numbers
// are errors, each with its JSON path. The audience filter's group is checked through
// `check_group` as the funnel reader does (run.h check_audience_group).

#include "core/lang/error.h"
#include "core/lang/json_fields.h"
#include "core/retention/definition.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace segx {

struct RetentionValidation {
    std::vector<DefinitionError> errors; // at most kMaxErrors (+1 summary)
    Retention retention;                 // meaningful only when ok()

    bool ok() const { return errors.empty(); }
};

// Never throws. A "segx" other than 1 (or missing) is the only error reported.
RetentionValidation validate_retention(const nlohmann::json& document,
                                       const GroupCheck& check_group = nullptr);
// Parses untrusted text (lang/json_text.h) first; parse problems come first.
RetentionValidation parse_retention(std::string_view text, const GroupCheck& check_group = nullptr);

void to_json(nlohmann::json& out, const Retention& retention);
// Throws std::invalid_argument listing every problem (join_errors) when invalid.
void from_json(const nlohmann::json& in, Retention& retention);

} // namespace segx
