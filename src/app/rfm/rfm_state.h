#pragma once
// The RFM tab's state: the settings being edited (the draft), their last answer, and the
// audiences a heat-map cell or a segment opens. Plain values and free functions with no ImGui,
// so that window.segx.state('rfm') reports exactly what the interface shows, and so that they
// are tested natively (tests/app/rfm).
//
// As in the Funnels tab, nothing is recomputed per frame: editors call rfm_changed() when they
// change the draft, and the answer is keyed by revisions (the draft's, the model's generation,
// the workspace's, as-of). The answer is the very one window.segx.run gives for the draft's
// JSON (core/run/run.h `run_rfm`), so the two always agree.
#include "app/audiences/audience_state.h" // EvalInputs, open_definition
#include "app/job.h"
#include "core/lang/error.h"
#include "core/rfm/definition.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace segx {

struct Session;

// What the heat map's colour shows.
enum class RfmColorBy : uint8_t { Customers, MeanM, RevenueShare };
const char* rfm_color_by_name(RfmColorBy by); // "customers", "mean_m", "revenue_share"

struct RfmState {
    Rfm draft;                   // the default settings: quantile, total, the R×F grid
    uint64_t draft_revision = 1; // bumped by rfm_changed(): every edit of the draft
    RfmColorBy color_by = RfmColorBy::Customers;
    // The tooltip of the heat-map cell under the mouse in the last frame ("" for none), set by
    // the panel, so that tests read the exact numbers a person sees.
    std::string hover;

    // The last finished evaluation, for `evaluated_for`. While `job` runs the previous figures
    // stay on screen.
    EvalInputs evaluated_for;
    bool evaluated = false;
    uint64_t evaluations = 0;            // finished evaluations
    std::vector<DefinitionError> errors; // validation and evaluation problems, with JSON paths
    nlohmann::json answer;               // segx.run's answer when ok (null otherwise)
    double eval_ms = 0;
    Job job;
    EvalInputs job_for;
};

// Every editor calls this after changing the draft.
inline void rfm_changed(RfmState& st) { ++st.draft_revision; }

// The draft as JSON (what segx.run reads).
nlohmann::json rfm_json(const Rfm& rfm);

// Switches the method. The segments follow when they were the old method's defaults (or could
// not hold: the mean method scores 1-2 only), so that the grid stays valid.
void set_rfm_method(RfmState& st, RfmMethod method);
// The method's default segments (the R×F grid, or the 8-class template for mean).
void reset_rfm_grid(RfmState& st);

// What the draft's evaluation depends on now.
EvalInputs rfm_inputs(const Session& session, const RfmState& st);
// True while the shown figures are not yet those of the draft as it is.
bool rfm_pending(const Session& session, const RfmState& st);

// Brings the draft's answer up to date, working for about `budget_ms` (kNoBudget: to the end).
// Cheap when nothing changed; a changed input cancels an evaluation in progress and starts
// again. Validation is immediate; the engine's run is one step.
void update_rfm(Session& session, RfmState& st, double budget_ms);

// The tab as window.segx.state('rfm') reports it (no evaluation: what is shown).
nlohmann::json rfm_state_json(const Session& session, const RfmState& st);

// The audience of one heat-map cell (scores R = r, F = f) or of one segment of the draft, as an
// audience definition with one `rfm` rule.
std::string rfm_cell_audience_json(int r, int f);
std::string rfm_segment_audience_json(const RfmState& st, size_t segment);

// Opens that audience in the Audiences builder; false (and a message) when out of range or
// refused.
bool open_rfm_cell_audience(Session& session, const RfmState& st, AudienceState& audiences, int r, int f);
bool open_rfm_segment_audience(Session& session, const RfmState& st, AudienceState& audiences,
                               size_t segment);

} // namespace segx
