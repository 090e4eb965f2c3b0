#pragma once
// Lifecycle and board definitions as JSON (DESIGN §6), versioned with "segx": 1. README.md is
// the reference:
//
//   {"segx": 1, "kind": "lifecycle", "id": "l1", "name": "Weekly activity",
//    "period": "day" | "week" | "month",          (default week; ISO weeks, UTC)
//    "event": "login",                            (optional: the activity event; any event when absent)
//    "periods": N,                                (1..1000, default 12: the last N periods)
//    "audience": GROUP | {"audience": "saved-audience-id"}}
//
//   {"segx": 1, "kind": "board", "id": "b1", "name": "Nine numbers",
//    "period": {"last_days": N} | {"from": ISO, "to": ISO},   (default {"last_days": 30}; from required)
//    "dormant_days": D,                           (1..100000, default 90)
//    "event": "visit",                            (optional, as lifecycle's)
//    "audience": GROUP | {"audience": "saved-audience-id"}}
//
// to_json writes every field but an absent event and audience, so that from_json(to_json(x)) ==
// x exactly. Reading is strict: unknown keys, missing or mistyped fields and out-of-range
// numbers are errors, each with its JSON path. The audience filter's group is checked through
// `check_group` as the funnel reader does (run.h check_audience_group).

#include "core/lang/error.h"
#include "core/lang/json_fields.h"
#include "core/lifecycle/definition.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace segx {

struct LifecycleValidation {
    std::vector<DefinitionError> errors; // at most kMaxErrors (+1 summary)
    Lifecycle lifecycle;                 // meaningful only when ok()

    bool ok() const { return errors.empty(); }
};

struct BoardValidation {
    std::vector<DefinitionError> errors;
    Board board; // meaningful only when ok()

    bool ok() const { return errors.empty(); }
};

// Never throw. A "segx" other than 1 (or missing) is the only error reported.
LifecycleValidation validate_lifecycle(const nlohmann::json& document,
                                       const GroupCheck& check_group = nullptr);
LifecycleValidation parse_lifecycle(std::string_view text, const GroupCheck& check_group = nullptr);
BoardValidation validate_board(const nlohmann::json& document, const GroupCheck& check_group = nullptr);
BoardValidation parse_board(std::string_view text, const GroupCheck& check_group = nullptr);

void to_json(nlohmann::json& out, const Lifecycle& lifecycle);
void to_json(nlohmann::json& out, const Board& board);
// Throw std::invalid_argument listing every problem (join_errors) when invalid.
void from_json(const nlohmann::json& in, Lifecycle& lifecycle);
void from_json(const nlohmann::json& in, Board& board);

} // namespace segx
