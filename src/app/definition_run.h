#pragma once
// One definition evaluated through segx.run's own entry (core/run/run.h run_definition) as a Job,
// keyed by revisions: the state of the Retention and Lifecycle tabs (and any tab whose answer is
// exactly segx.run's). No ImGui. The funnel tab keeps its own copy of this (it validates first).
#include "app/audiences/audience_state.h" // EvalInputs
#include "app/job.h"
#include "core/lang/error.h"

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <vector>

namespace segx {

struct Session;

struct DefinitionRun {
    // The last finished evaluation, for `evaluated_for`. While `job` runs the previous answer
    // stays on screen beside its progress.
    EvalInputs evaluated_for;
    bool evaluated = false;
    uint64_t evaluations = 0;            // finished evaluations
    std::vector<DefinitionError> errors; // from the answer when it is not ok
    nlohmann::json answer;               // segx.run's answer when ok (null otherwise)
    double eval_ms = 0;
    Job job;
    EvalInputs job_for;
};

// What an evaluation of the definition at `revision` depends on now.
EvalInputs definition_inputs(const Session& session, uint64_t revision);
// True while the answer is not yet the one for the definition at `revision`.
bool definition_pending(const Session& session, const DefinitionRun& run, uint64_t revision);

// Brings `run` up to date with the definition at `revision` (its JSON from `document`, read
// only when an evaluation starts), working for about `budget_ms`. Cheap when nothing changed;
// a changed input cancels an evaluation in progress. The engine's pass is one step.
void update_definition_run(Session& session, DefinitionRun& run, uint64_t revision,
                           const std::function<nlohmann::json()>& document, double budget_ms);

// The part of a tab's state() that reports `run`: answer, errors, evaluating, evaluations, progress.
void add_run_state(nlohmann::json& out, const Session& session, const DefinitionRun& run, uint64_t revision);

} // namespace segx
