#pragma once
// The Lifecycle tab's state: the lifecycle definition (stages per period) and the 9-metric
// board's, each with its revision and last answer, and the audiences a click opens. Plain values
// and free functions with no ImGui, so that window.segx.state('lifecycle') reports exactly what
// the tab shows, and so that they are tested natively (tests/app/lifecycle).
//
// Each answer is keyed by revisions (its definition's, the model's generation, the workspace's,
// as-of) and is the very one window.segx.run gives for the definition's JSON.
#include "app/definition_run.h"
#include "core/lifecycle/definition.h"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace segx {

struct Session;
struct AudienceState;

struct LifecycleState {
    Lifecycle draft;             // weekly, any event, 12 periods
    uint64_t draft_revision = 1; // bumped by lifecycle_changed()
    DefinitionRun run;

    Board board;                 // the last 30 days, dormant after 90 days, any event
    uint64_t board_revision = 1; // bumped by board_changed()
    DefinitionRun board_run;
};

inline void lifecycle_changed(LifecycleState& st) { ++st.draft_revision; }
inline void board_changed(LifecycleState& st) { ++st.board_revision; }

// The activity event of both the chart and the board ("" = any event).
void set_activity_event(LifecycleState& st, const std::string& event);

nlohmann::json lifecycle_json(const Lifecycle& lifecycle);
nlohmann::json board_json(const Board& board);

bool lifecycle_pending(const Session& session, const LifecycleState& st); // either answer
void update_lifecycle(Session& session, LifecycleState& st, double budget_ms);

// {definition, revision, evaluating, answer, errors, ..., board: {the same for the board}}.
nlohmann::json lifecycle_state_json(const Session& session, const LifecycleState& st);

// The stages a click can open: the chart's four, and the board's groups (new, returning,
// dormant) by the stage of the same name.
extern const std::vector<std::string> kLifecycleStages; // new, returning, resurrecting, dormant

// The audience of a stage: one `lifecycle` rule (core/audience/json.h: {"kind": "lifecycle",
// "stage": ...}). The rule takes the stage in the period holding as-of and has no period, event
// or threshold of its own, so the audience is "users in that stage now", whichever bar or board
// group was clicked; `what` names the click in the audience's name.
std::string stage_audience_json(const std::string& stage, const std::string& what);

// Opens it in the Audiences builder; false (and a message) when the stage is unknown or the
// definition does not open.
bool open_stage_audience(Session& session, AudienceState& audiences, const std::string& stage,
                         const std::string& what);

} // namespace segx
