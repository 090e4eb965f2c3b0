#pragma once
// The Audiences tab's state: the definition being edited (the draft), what it evaluates to, and
// undo for deleting a saved audience. Plain values and free functions with no ImGui, so that
// window.segx.state() can report exactly what the interface shows, and so that they are tested
// natively (tests/app/audiences).
//
// Nothing here is recomputed per frame: editors call draft_changed() when they change the draft,
// and every result is keyed by revisions (the draft's, the model's generation, the saved
// audiences', as-of), never by the definition's text.
#include "app/job.h"
#include "core/audience/definition.h"
#include "core/audience/insight.h"
#include "core/dataset/bitmap.h"
#include "core/lang/error.h"

#include <cstdint>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

namespace segx {

struct Session;

// What an evaluation of a definition depends on. Equal inputs: the result still holds.
struct EvalInputs {
    uint64_t definition = 0;      // the definition's revision
    uint64_t model = 0;           // Session::model_generation
    uint64_t saved = 0;           // the workspace's revision (`audience` rules read saved ones)
    int64_t as_of_us = INT64_MIN; // INT64_MIN: no as-of (no events)
    bool operator==(const EvalInputs& o) const {
        return definition == o.definition && model == o.model && saved == o.saved && as_of_us == o.as_of_us;
    }
    bool operator!=(const EvalInputs& o) const { return !(*this == o); }
};

struct AudienceState {
    Audience draft{1, "", "New audience", {}}; // what the builder edits
    uint64_t draft_revision = 1; // bumped by draft_changed(): on every edit of the draft or opened_id
    std::string opened_id;       // the saved audience the draft was opened from or saved as ("" = new)
    // The draft an import or a link replaced, so that opening one never loses editing: the
    // builder offers to go back to it until the next open.
    std::optional<Audience> replaced_draft;
    std::string replaced_opened_id;

    // The draft's evaluation, for `evaluated_for`. While `job` runs (a new draft, model, as-of
    // or saved list), the previous figures stay on screen beside its progress.
    EvalInputs evaluated_for;
    bool evaluated = false;
    uint64_t evaluations = 0;            // finished evaluations: what insight and overlap follow
    std::vector<DefinitionError> errors; // validation and evaluation problems
    Bitmap members;
    size_t size = 0, users = 0;
    double eval_ms = 0;                       // time spent evaluating (over all its frames)
    std::map<std::string, size_t> rule_sizes; // each leaf rule's own size, by JSON path
    Job job;                                  // the evaluation in progress, if any
    EvalInputs job_for;

    struct Deleted {
        size_t index;
        Audience audience;
    };
    std::vector<Deleted> deleted; // newest last; "Undo" restores the last one

    // Computed only while their panels are shown, and again only when the members change.
    uint64_t insight_for = 0; // 1 + the `evaluations` the insight was computed for (0: none)
    AudienceInsight insight;
    struct Overlap {
        std::vector<std::string> names;    // saved audiences, then the draft when it is unsaved
        std::vector<size_t> counts;        // n x n, row-major; the diagonal holds the sizes
        std::vector<std::string> problems; // saved audiences that do not evaluate on this data
    };
    uint64_t overlap_for = 0; // (1 + `evaluations`) * 2, plus 1 when the draft is in it (0: none)
    Overlap overlap;
    // The saved audiences' members, kept apart from the draft's: editing the draft must not
    // re-evaluate every saved audience (seconds with dozens of them over a million users).
    EvalInputs saved_sets_for; // (definition unused)
    bool saved_sets_ready = false;
    std::vector<std::string> saved_set_names;
    std::vector<Bitmap> saved_sets;
    std::vector<std::string> saved_set_problems;
};

// Every editor calls this after changing the draft (or which saved audience it is).
inline void draft_changed(AudienceState& st) { ++st.draft_revision; }

// What the draft's evaluation depends on now.
EvalInputs draft_inputs(const Session& session, const AudienceState& st);
// True while the shown figures are not yet those of the draft as it is.
bool evaluation_pending(const Session& session, const AudienceState& st);

// Brings the draft's evaluation up to date, working for about `budget_ms` (kNoBudget: to the
// end). Cheap when nothing changed (a few integer comparisons). A changed input cancels an
// evaluation in progress and starts again (rules unchanged come back from the cache at once).
// The evaluation runs one leaf rule per step, then combines them; within the budget it ends in
// the call that starts it, as fast as evaluating at once.
void update_audience(Session& session, AudienceState& st, double budget_ms);

void refresh_insight(Session& session, AudienceState& st); // after update_audience
void refresh_overlap(Session& session, AudienceState& st); // after update_audience

// The tab as window.segx.state('audience') reports it (no evaluation: what is shown).
nlohmann::json audience_state_json(const Session& session, const AudienceState& st);

// The members as CSV: user id plus the chosen attributes. Empty when the draft has errors or
// its evaluation is not finished.
std::string members_csv_text(const Session& session, const AudienceState& st,
                             const std::vector<std::string>& attributes);

// The draft as DuckDB SQL (src/core/sql), or false and why not.
bool audience_sql_text(Session& session, const AudienceState& st, std::string* sql, std::string* problem);

// Saved audiences (Session::workspace.saved.audiences, in rail order). Each returns false (and posts why)
// when it cannot act.
bool save_draft(Session& session, AudienceState& st, bool as_new); // as_new: a copy under a new id
void open_saved(Session& session, AudienceState& st, size_t index);
void new_draft(AudienceState& st);
bool rename_saved(Session& session, AudienceState& st, size_t index, const std::string& name);
void duplicate_saved(Session& session, size_t index);
void delete_saved(Session& session, AudienceState& st, size_t index);
bool undo_delete(Session& session, AudienceState& st);

// An id no saved audience has ("audience-3").
std::string unused_audience_id(const Session& session);

// Replaces the draft with a definition read from JSON text (an imported file or a share
// link). Validation errors leave the draft as it was; returns them. `opened_id` names the
// saved audience it is being edited as (a restored draft), kept only if there is one.
std::vector<DefinitionError> open_definition(Session& session, AudienceState& st, std::string_view json_text,
                                             const std::string& opened_id = "");

// Goes back to the draft the last open_definition replaced; false when there is none.
bool restore_replaced_draft(AudienceState& st);

// The draft as a pretty-printed JSON document, and a file name for it.
std::string draft_json_text(const AudienceState& st);
std::string file_name_for(const std::string& audience_name, const char* extension);

} // namespace segx
