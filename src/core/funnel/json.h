#pragma once
// Funnel definitions as JSON (DESIGN §4), versioned with "segx": 1. README.md is the reference:
//
//   {"segx": 1, "kind": "funnel", "id": "f1", "name": "Checkout",
//    "steps": [{"event": "view_item", "where": [FILTER, ...]}, {"event": "purchase"}],  2..32 steps
//    "order": "ordered" | "strict" | "unordered",                 (default ordered)
//    "window": {"seconds" | "minutes" | "hours" | "days": N},     (default {"days": 7}; <= 366 days)
//    "entry": {"from": ISO, "to": ISO},                            (inclusive; either end optional)
//    "exclusions": [{"event": "support_chat", "where": [...], "between": [2, 3]}],  (not unordered)
//    "breakdown": {"attribute": "country"} | {"property": "device"}, optional "top": N (1..100, 10),
//    "audience": GROUP | {"audience": "saved-audience-id"}}
//
// FILTER is a behavior rule's where item: {"property", "op", "value"/"values", "ci"}.
// to_json writes every field but an absent entry, no exclusions, no breakdown and no audience,
// so that from_json(to_json(x)) == x exactly. Reading is strict: unknown keys, missing or
// mistyped fields and out-of-range numbers are errors, each with its JSON path.
//
// The audience filter's form ({"audience": id}, or an object) is checked here; the group itself
// is the audience reader's to check, which this folder does not include: pass `check_group`
// (run.h has one) to have it checked in the same walk, with paths below "audience".

#include "core/funnel/definition.h"
#include "core/lang/error.h"
#include "core/lang/json_fields.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace segx {

struct FunnelValidation {
    std::vector<DefinitionError> errors; // at most kMaxErrors (+1 summary)
    Funnel funnel;                       // meaningful only when ok()

    bool ok() const { return errors.empty(); }
};

// Never throws. A "segx" other than 1 (or missing) is the only error reported.
FunnelValidation validate_funnel(const nlohmann::json& document, const GroupCheck& check_group = nullptr);
// Parses untrusted text (lang/json_text.h) first; parse problems come first.
FunnelValidation parse_funnel(std::string_view text, const GroupCheck& check_group = nullptr);

void to_json(nlohmann::json& out, const Funnel& funnel);
// Throws std::invalid_argument listing every problem (join_errors) when invalid.
void from_json(const nlohmann::json& in, Funnel& funnel);

} // namespace segx
