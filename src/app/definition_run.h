#pragma once
// One definition evaluated through segx.run's own entry (core/run/run.h run_definition) as a Job,
// keyed by revisions: the state of the Retention and Lifecycle tabs (and any tab whose answer is
// exactly segx.run's). No ImGui. The funnel tab keeps its own copy of this (it validates first).
#include "app/audiences/audience_state.h" // EvalInputs
#include "app/job.h"
#include "app/workspace.h"
#include "core/lang/error.h"

#include <algorithm>
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

// The errors of an answer that refused its definition ({"ok": false, "errors": [...]}).
std::vector<DefinitionError> answer_errors(const nlohmann::json& answer);

// What an evaluation of the definition at `revision` depends on now.
EvalInputs definition_inputs(const Session& session, uint64_t revision);
// True while the answer is not yet the one for the definition at `revision`.
bool definition_pending(const Session& session, const DefinitionRun& run, uint64_t revision);

// Brings `run` up to date with the definition at `revision` (its JSON from `document`, read
// only when an evaluation starts), working for about `budget_ms`. Cheap when nothing changed;
// a changed input cancels an evaluation in progress. The engine's pass is one step.
void update_definition_run(Session& session, DefinitionRun& run, uint64_t revision,
                           const std::function<nlohmann::json()>& document, double budget_ms);

// The definition compiled to one DuckDB statement (core/run/definition_sql.h), for "Copy SQL":
// true with *sql, or false with *problem (the first error, with its JSON path).
bool definition_sql_text(Session& session, const nlohmann::json& definition, std::string* sql,
                         std::string* problem);

// Keeps a tab's definition in the workspace (its kind's list in Workspace::saved, first in it),
// so that it survives a reload. After an edit (*revision moved past *stored) the draft, when it
// reads (`reads`), is stored first in `list` under its id (an unused one "<prefix>-N" when it has
// none) and the workspace's revision moves (the page stores it). Otherwise, when the list's first
// changed behind the tab's back (the workspace was read at start, or imported), the draft becomes
// it and *revision moves. Cheap when nothing changed: one comparison.
//
// "Changed" is judged against `kept`, the list's first as last seen, when the tab keeps one (the
// Retention tab: a draft still being filled in, which does not read, is then not replaced by the
// list's first). Without it (nullptr), any first that is not the draft replaces it.
template <typename T>
void keep_in_workspace(Workspace& w, std::vector<T>& list, T& draft, uint64_t* revision, uint64_t* stored,
                       const char* prefix, bool reads, T* kept = nullptr) {
    if (*revision != *stored) {
        *stored = *revision;
        if (reads) {
            if (draft.id.empty()) draft.id = unused_definition_id(w, prefix);
            auto it = std::find_if(list.begin(), list.end(), [&](const T& d) { return d.id == draft.id; });
            if (it == list.end() || it != list.begin() || !(*it == draft)) {
                if (it != list.end()) list.erase(it);
                list.insert(list.begin(), draft);
                ++w.revision;
                ++w.unreferenced_changes; // no rule names these definitions: nothing to evaluate again
            }
        }
        if (kept && !list.empty()) *kept = list.front();
        return;
    }
    if (list.empty()) return;
    if (kept) {
        if (list.front() == *kept) return;
        *kept = list.front();
    }
    if (list.front() != draft) {
        draft = list.front();
        *stored = ++*revision;
    }
}

// The part of a tab's state() that reports `run`: answer, errors, evaluating, evaluations, progress.
void add_run_state(nlohmann::json& out, const Session& session, const DefinitionRun& run, uint64_t revision);

} // namespace segx
