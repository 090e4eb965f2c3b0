#pragma once
// The Funnels tab's state: the funnel being edited (the draft), its last answer, and undo for
// deleting a saved funnel. Plain values and free functions with no ImGui, so that
// window.segx.state('funnel') reports exactly what the interface shows, and so that they are
// tested natively (tests/app/funnels).
//
// As in the Audiences tab, nothing is recomputed per frame: editors call funnel_changed() when
// they change the draft, and the answer is keyed by revisions (the draft's, the model's
// generation, the workspace's, as-of), never by the definition's text. The answer is the very
// one window.segx.run gives for the draft's JSON (core/run/run.h), so the two always agree.
#include "app/audiences/audience_state.h" // EvalInputs
#include "app/job.h"
#include "core/funnel/definition.h"
#include "core/lang/error.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace segx {

struct Session;

// A new funnel: two steps to fill in, ordered, 7 days.
Funnel new_funnel();

struct FunnelState {
    Funnel draft = new_funnel();
    uint64_t draft_revision = 1; // bumped by funnel_changed(): every edit of the draft or opened_id
    std::string opened_id;       // the saved funnel the draft was opened from or saved as ("" = new)

    // The last finished evaluation, for `evaluated_for`. While `job` runs the previous figures
    // stay on screen beside its progress.
    EvalInputs evaluated_for;
    bool evaluated = false;
    uint64_t evaluations = 0;            // finished evaluations
    std::vector<DefinitionError> errors; // validation and evaluation problems, with JSON paths
    nlohmann::json answer;               // segx.run's answer when ok (null otherwise)
    double eval_ms = 0;
    Job job;
    EvalInputs job_for;

    struct Deleted {
        size_t index;
        Funnel funnel;
    };
    std::vector<Deleted> deleted; // newest last; "Undo" restores the last one

    // "Two audiences side by side": the draft run once per chosen saved audience (its audience
    // filter replaced by {"audience": id}); "" = not chosen. Answered with the draft's inputs,
    // off the frame like the draft's own evaluation: a job of one step per side, the answers
    // replaced together when both are done.
    struct Compare {
        std::string ids[2];
        uint64_t revision = 1; // bumped when `ids` change
        EvalInputs evaluated_for;
        uint64_t evaluated_revision = 0;
        nlohmann::json answers[2]; // segx.run's answer for each side (null: not chosen)
        Job job;
        EvalInputs job_for;
        uint64_t job_revision = 0;
    } compare;

    std::string hover; // the tooltip of the grouped bar under the mouse ("": none), for state()
};

// Opens a funnel definition (JSON text: an import, a share link, a restored draft) as the draft;
// `opened_id` names the saved funnel it was being edited as ("" for none; a saved funnel of
// the definition's own id counts too). Errors (with JSON paths) and no change when it does not read.
std::vector<DefinitionError> open_funnel_definition(FunnelState& st, const Session& session,
                                                    std::string_view json_text,
                                                    const std::string& opened_id = "");

// The draft as DuckDB SQL (core/run/definition_sql.h): true and the statement, or false and why.
bool funnel_sql_text(Session& session, const FunnelState& st, std::string* sql, std::string* problem);

// Chooses the saved audience of one side (0, 1) of the comparison ("" to clear it).
void set_compare_audience(FunnelState& st, int side, const std::string& audience_id);

// Every editor calls this after changing the draft (or which saved funnel it is).
inline void funnel_changed(FunnelState& st) { ++st.draft_revision; }

// What the draft's evaluation depends on now.
EvalInputs funnel_inputs(const Session& session, const FunnelState& st);
// True while the shown figures are not yet those of the draft as it is.
bool funnel_pending(const Session& session, const FunnelState& st);

// Brings the draft's answer up to date, working for about `budget_ms` (kNoBudget: to the end).
// Cheap when nothing changed. A changed input cancels an evaluation in progress and starts
// again. Validation is immediate; the engine's single pass over the events is one step.
void update_funnel(Session& session, FunnelState& st, double budget_ms);

// The tab as window.segx.state('funnel') reports it (no evaluation: what is shown).
nlohmann::json funnel_state_json(const Session& session, const FunnelState& st);

// The draft as JSON (what Save stores and segx.run reads).
nlohmann::json funnel_json(const Funnel& funnel);

// Saved funnels (Session::workspace.saved.funnels, in rail order). Each returns false (and
// posts why) when it cannot act. The page stores the workspace whenever its revision moves.
bool save_funnel(Session& session, FunnelState& st, bool as_new); // as_new: a copy under a new id
void open_saved_funnel(Session& session, FunnelState& st, size_t index);
void new_funnel_draft(FunnelState& st);
bool rename_saved_funnel(Session& session, FunnelState& st, size_t index, const std::string& name);
void duplicate_saved_funnel(Session& session, size_t index);
void delete_saved_funnel(Session& session, FunnelState& st, size_t index);
bool undo_delete_funnel(Session& session, FunnelState& st);
// True when the draft is saved and the saved copy is the draft as it is.
bool funnel_saved_as_is(const Session& session, const FunnelState& st);

// The audience of one bar of the chart, as a definition with one `funnel` rule on the saved
// draft: "converted to step k" (reached k) or, `dropped`, "dropped after step k" (level == k).
// Steps count from 1.
std::string step_audience_json(const FunnelState& st, int step, bool dropped);

// Opens that audience in the Audiences builder. The rule names a saved funnel, so the draft is
// saved first when it is not saved as it is (with a message saying so). False (and a message)
// when the funnel cannot be saved or the step is out of range.
bool open_step_audience(Session& session, FunnelState& st, AudienceState& audiences, int step, bool dropped);

} // namespace segx
