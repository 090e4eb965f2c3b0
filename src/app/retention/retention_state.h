#pragma once
// The Retention tab's state: the retention definition being edited (the draft) and its last
// answer. Plain values and free functions with no ImGui, so that window.segx.state('retention')
// reports exactly what the tab shows, and so that they are tested natively (tests/app/retention).
//
// As in the Funnels tab, nothing is recomputed per frame: editors call retention_changed() when
// they change the draft, and the answer is keyed by revisions (the draft's, the model's
// generation, the workspace's, as-of). The answer is the very one window.segx.run gives for the
// draft's JSON (core/run/run.h), so the two always agree.
#include "app/definition_run.h"
#include "core/retention/definition.h"

#include <nlohmann/json.hpp>

namespace segx {

struct Session;

// A new retention: weekly, the start event still to choose, any return, exact, 12 periods.
Retention new_retention();

struct RetentionState {
    Retention draft = new_retention();
    uint64_t draft_revision = 1; // bumped by retention_changed()
    DefinitionRun run;
};

inline void retention_changed(RetentionState& st) { ++st.draft_revision; }

// The draft as JSON (what segx.run reads).
nlohmann::json retention_json(const Retention& retention);

bool retention_pending(const Session& session, const RetentionState& st);
// Brings the answer up to date, working for about `budget_ms` (kNoBudget: to the end).
void update_retention(Session& session, RetentionState& st, double budget_ms);

// The tab as window.segx.state('retention') reports it: the definition, its revision, whether
// it is evaluating, and the last answer.
nlohmann::json retention_state_json(const Session& session, const RetentionState& st);

} // namespace segx
