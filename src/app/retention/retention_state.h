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
#include "core/retention/breakdown.h"
#include "core/retention/definition.h"

#include <nlohmann/json.hpp>
#include <string>

namespace segx {

struct Session;
struct AudienceState;

// A new retention, named in the active language: weekly, the start event still to choose, any
// return, exact, 12 periods.
Retention new_retention();

// A curve compared with the draft's: the draft run with saved audience `audience` as its
// audience filter (in place of the draft's own), as its own segx.run answer.
struct RetentionCompare {
    std::string audience;  // saved audience id; "" = not used
    uint64_t revision = 1; // bumped when the audience or the draft changes
    DefinitionRun run;
};
constexpr size_t kRetentionCompares = 2;

// A breakdown by a user attribute compared as curves (core/retention/breakdown.h): the groups
// (top values by cohort size, "other", "not set"), found once per change of the draft or the
// inputs, then per group the draft with its audience filter narrowed to the group, run as
// segx.run runs it.
struct RetentionGroupRun {
    nlohmann::json definition; // the draft with "audience" narrowed to the group
    DefinitionRun run;
};
constexpr size_t kDefaultRetentionBreakdownTop = 5;
struct RetentionBreakdownState {
    std::string attribute; // "" = no breakdown
    size_t top = kDefaultRetentionBreakdownTop;
    uint64_t revision = 1; // bumped with the draft and when the attribute or top change
    bool found = false;    // `groups` are those for `found_for`
    EvalInputs found_for;
    RetentionBreakdown groups;
    std::vector<RetentionGroupRun> runs; // one per group
    std::string hover;                   // the tooltip of the point under the mouse ("": none)
};

struct RetentionState {
    Retention draft = new_retention();
    uint64_t draft_revision = 1;  // bumped by retention_changed()
    uint64_t stored_revision = 1; // the draft's revision last kept in the workspace (keep_in_workspace)
    Retention kept;               // saved.retentions' first as last seen (keep_in_workspace)
    DefinitionRun run;
    RetentionCompare compare[kRetentionCompares];
    RetentionBreakdownState breakdown;

    // Saved retentions deleted from the rail, newest last; "Undo" restores the last one.
    struct Deleted {
        size_t index;
        Retention retention;
        bool was_open; // it was the draft: undo opens it again
    };
    std::vector<Deleted> deleted;
};

inline void retention_changed(RetentionState& st) {
    ++st.draft_revision;
    for (RetentionCompare& c : st.compare) ++c.revision;
    ++st.breakdown.revision;
}

// Breaks the curves down by a user attribute ("" for none), showing `top` values (1 ..
// kMaxRetentionBreakdownTop) besides "other" and "not set".
void set_retention_breakdown(RetentionState& st, const std::string& attribute, size_t top);

// A group's label: its value, or "(other)" / "(not set)" in the active language.
std::string breakdown_group_label(const RetentionBreakdownGroup& group);

// The audience behind point k of group `group`'s curve: the group's property rule, and the
// users counted in cell k of any complete cohort of its answer (one `retention` rule per
// cohort, carrying the draft in full): {"match": "all", "rules": [property, {"match": "any",
// "rules": [retention cells...]}]}. Its size is the point's numerator (the cohorts are
// disjoint). "" when the point has no complete cohort or the group no answer.
std::string breakdown_point_audience_json(const RetentionState& st, size_t group, size_t k);
bool open_breakdown_point_audience(Session& session, AudienceState& audiences, const RetentionState& st,
                                   size_t group, size_t k);

// Saved retentions in the rail (Workspace::saved.retentions). The draft keeps itself: once it
// reads it is stored first in the list under its id, so the list runs from the most recently
// edited, and a reload opens its first. Each posts a message; false when it cannot act.
void open_saved_retention(Session& session, RetentionState& st, size_t index);
void new_retention_draft(RetentionState& st);
bool rename_saved_retention(Session& session, RetentionState& st, size_t index, const std::string& name);
void duplicate_saved_retention(Session& session, size_t index);
// Deleting the open retention opens the next one (a new draft when none is left).
void delete_saved_retention(Session& session, RetentionState& st, size_t index);
bool undo_delete_retention(Session& session, RetentionState& st);

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
// it is evaluating, the last answer, "compare": [{audience, definition, answer, ...}] for
// the slots in use, "breakdown": {attribute, top, total, groups: [{row, value, users,
// definition, answer, ...}], hover} when one is chosen, "saved_id" (the draft's id when it is
// kept in the workspace as it is) and "can_undo_delete".
nlohmann::json retention_state_json(const Session& session, const RetentionState& st);

} // namespace segx
