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
    // The grid editor: on, the heat map paints cells into `paint_segment`; `anchor` is the last
    // painted cell (shift-click paints the rectangle from there).
    bool editing = false;
    size_t paint_segment = 0;
    int anchor_r = 0, anchor_f = 0;
    std::string edit_problem; // why the last edit was refused ("" when it was made)
    // Saving in the workspace (sync_rfm_workspace): the draft revision last saved, and the
    // workspace revision last seen (another moved it: a start or an import).
    uint64_t saved_draft_revision = 0;
    uint64_t seen_workspace_revision = UINT64_MAX;
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

// --- the grid editor ------------------------------------------------------------------------
// A segment is one range of R by one range of F (the JSON's form), so every edit keeps each
// segment a rectangle of (R, F) cells or is refused with *problem saying why; a segment left
// without cells is removed. Segments that bound M are not painted (their cells span several
// segments): only renamed and recoloured.

// The segment index of each (R, F) cell, (r - 1) * S + (f - 1); empty when the draft's segments
// do not check or bound M.
std::vector<int> rfm_grid_owners(const Rfm& rfm);
// Paints the cells from (r1, f1) to (r2, f2) (a rectangle, either corner first) into `segment`.
bool paint_rfm_cells(RfmState& st, size_t segment, int r1, int f1, int r2, int f2, std::string* problem);
// A new segment ("Segment 11", no colour) holding the one cell (r, f), taken from its owner.
bool add_rfm_segment(RfmState& st, int r, int f, std::string* problem);
// "#rrggbb", or "" for the palette colour by position.
void recolor_rfm_segment(RfmState& st, size_t segment, const std::string& color);

// The two templates: the 10-segment R×F grid (quantile scores unless thresholds are chosen) and
// the 8-class R/F/M model (重要价值客户 ..., the mean method).
enum class RfmTemplate : uint8_t { Grid10, Classes8 };
void set_rfm_template(RfmState& st, RfmTemplate t);

// The tab's settings live in the workspace (its "rfms" section), so that they survive a reload
// and `rfm` rules can name them: a valid edited draft is saved (under "rfm-1" unless it has an
// id), and when the workspace changes elsewhere (the stored one read at start, an import) the
// draft becomes its saved settings. Called by update_rfm; cheap when nothing moved.
void sync_rfm_workspace(Session& session, RfmState& st);
// The id an `rfm` rule names for the draft: its saved id when the workspace holds it as it is,
// else "" (the default settings; the draft is then the defaults or not yet saved).
std::string rfm_rule_settings(const Session& session, const RfmState& st);

// What the draft's evaluation depends on now.
EvalInputs rfm_inputs(const Session& session, const RfmState& st);
// True while the shown figures are not yet those of the draft as it is.
bool rfm_pending(const Session& session, const RfmState& st);

// Brings the draft's answer up to date, working for about `budget_ms` (kNoBudget: to the end).
// Cheap when nothing changed; a changed input cancels an evaluation in progress and starts
// again. Validation is immediate; the engine's run is one step.
void update_rfm(Session& session, RfmState& st, double budget_ms);

// "Copy SQL": the draft as one DuckDB statement giving every customer's scores and segment
// (core/sql/rfm_sql.h). False with *problem when it does not compile.
bool rfm_sql_text(Session& session, const RfmState& st, std::string* sql, std::string* problem);
// The exports (core/rfm/csv.h): the segment table, or every customer's scores, of the draft
// (scored again: the answer holds only the tables). False with *problem when it does not score.
bool rfm_csv_text(Session& session, const RfmState& st, bool customers, std::string* csv,
                  std::string* problem);

// The tab as window.segx.state('rfm') reports it (no evaluation: what is shown).
nlohmann::json rfm_state_json(const Session& session, const RfmState& st);

// The audience of one heat-map cell (scores R = r, F = f) or of one segment of the draft, as an
// audience definition with one `rfm` rule.
std::string rfm_cell_audience_json(int r, int f, const std::string& settings = "");
std::string rfm_segment_audience_json(const RfmState& st, size_t segment);

// Opens that audience in the Audiences builder; false (and a message) when out of range or
// refused.
bool open_rfm_cell_audience(Session& session, const RfmState& st, AudienceState& audiences, int r, int f);
bool open_rfm_segment_audience(Session& session, const RfmState& st, AudienceState& audiences,
                               size_t segment);

} // namespace segx
