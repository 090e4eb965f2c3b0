#pragma once
// Running a lifecycle definition (DESIGN §6) over a Model at an as-of time, PostHog-style.
// README.md states the semantics in full; in short, with "active in p" meaning an activity event
// (any event when none is named) in calendar period p at or before as-of, and P the period
// holding as-of, for each of the last `periods` periods p = P - periods + 1 .. P:
//
//   new           active in p, and p is the user's first active period;
//   returning     active in p and in p - 1;
//   resurrecting  active in p, not in p - 1, first active before p - 1;
//   dormant       active in p - 1, not in p (a positive count; drawn below the axis).
//
// Per user, one walk backwards over their activity events (activity.h ActivityEvents: the CSR
// slice, or the named event's postings) from as-of to the start of period P - periods, with a
// cursor over period starts (no date arithmetic per event); with any event as the activity,
// users inactive since before that start are told from the model's first/last-seen aggregates
// without reading their events. Nothing is allocated per user.

#include "core/dataset/bitmap.h"
#include "core/lang/error.h"
#include "core/lifecycle/definition.h"
#include "core/model/model.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace segx {

// The context of both lifecycle and the board (board.h).
struct LifecycleContext {
    const Model& model;
    int64_t as_of_us = 0; // events after as-of do not exist
    // Turns the audience filter (not null) into the users it keeps, appending errors with paths
    // below `path` ("audience"). False on errors. Supplied by the caller (run.cpp uses the
    // audience engine), so this folder needs none of it.
    std::function<bool(const nlohmann::json& filter, const std::string& path, Bitmap* users,
                       std::vector<DefinitionError>& errors)>
        audience;
};

struct LifecyclePeriod {
    int64_t period = 0;    // period index (retention/period.h)
    int64_t start_us = 0;  // its first microsecond
    bool complete = false; // ends at or before as-of
    uint64_t new_users = 0, returning = 0, resurrecting = 0, dormant = 0;
};

struct LifecycleResult {
    std::vector<DefinitionError> errors;
    uint64_t population = 0;              // users considered (the audience filter's, or all)
    std::vector<LifecyclePeriod> periods; // oldest first, the last holding as-of

    bool ok() const { return errors.empty(); }
};

LifecycleResult run_lifecycle_engine(const Lifecycle& lifecycle, const LifecycleContext& ctx);

// A user's stage in the period P holding as-of (the audience `lifecycle` rule). `inactive`:
// active before, but in neither P nor P - 1; `none`: never active at or before as-of, or
// outside the audience filter.
enum class StageInPeriod : uint8_t { None, New, Returning, Resurrecting, Dormant, Inactive };
const char* stage_in_period_name(StageInPeriod stage); // "none", "new", ..., "inactive"
std::optional<StageInPeriod> stage_in_period_from_name(std::string_view name);

struct StagesInPeriod {
    std::vector<DefinitionError> errors;
    std::vector<StageInPeriod> stages; // per user index

    bool ok() const { return errors.empty(); }
};
// Uses the definition's period, event and audience filter (its `periods` is not needed).
StagesInPeriod stages_in_period(const Lifecycle& lifecycle, const LifecycleContext& ctx);

} // namespace segx
