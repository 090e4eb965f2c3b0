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
#include <string>

namespace segx {

struct Session;
struct AudienceState;

// A new retention: weekly, the start event still to choose, any return, exact, 12 periods.
Retention new_retention();

// A curve compared with the draft's: the draft run with saved audience `audience` as its
// audience filter (in place of the draft's own), as its own segx.run answer.
struct RetentionCompare {
    std::string audience;  // saved audience id; "" = not used
    uint64_t revision = 1; // bumped when the audience or the draft changes
    DefinitionRun run;
};
constexpr size_t kRetentionCompares = 2;

struct RetentionState {
    Retention draft = new_retention();
    uint64_t draft_revision = 1;  // bumped by retention_changed()
    uint64_t stored_revision = 1; // the draft's revision last kept in the workspace (keep_in_workspace)
    DefinitionRun run;
    RetentionCompare compare[kRetentionCompares];
};

inline void retention_changed(RetentionState& st) {
    ++st.draft_revision;
    for (RetentionCompare& c : st.compare) ++c.revision;
}

// The definition of a compared curve: the draft with {"audience": {"audience": id}}.
nlohmann::json compare_json(const Retention& draft, const std::string& audience);
// Compares (or stops comparing, with "") the draft's curve with a saved audience's.
void set_compare_audience(RetentionState& st, size_t slot, const std::string& audience);

// The draft as JSON (what segx.run reads).
nlohmann::json retention_json(const Retention& retention);

bool retention_pending(const Session& session, const RetentionState& st);
// Keeps the draft in the workspace (definition_run.h keep_in_workspace: saved.retentions), then
// brings the answer up to date, working for about `budget_ms` (kNoBudget: to the end).
void update_retention(Session& session, RetentionState& st, double budget_ms);

// The audience of one cell of the draft's triangle: one `retention` rule carrying the draft in
// full, cohort `cohort` ("YYYY-MM-DD", a period's first day) and k (0: the whole cohort).
std::string cell_audience_json(const Retention& draft, const std::string& cohort, int k);
// Opens it in the Audiences builder; false (and a message) when it does not open.
bool open_cell_audience(Session& session, AudienceState& audiences, const Retention& draft,
                        const std::string& cohort, int k);

// The tab as window.segx.state('retention') reports it: the definition, its revision, whether
// it is evaluating, the last answer, and "compare": [{audience, definition, answer, ...}] for
// the slots in use.
nlohmann::json retention_state_json(const Session& session, const RetentionState& st);

} // namespace segx
