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
    Lifecycle draft;              // weekly, any event, 12 periods
    uint64_t draft_revision = 1;  // bumped by lifecycle_changed()
    uint64_t stored_revision = 1; // kept in the workspace (definition_run.h keep_in_workspace)
    DefinitionRun run;

    Board board;                 // the last 30 days, dormant after 90 days, any event
    uint64_t board_revision = 1; // bumped by board_changed()
    uint64_t board_stored_revision = 1;
    DefinitionRun board_run;
};

inline void lifecycle_changed(LifecycleState& st) { ++st.draft_revision; }
inline void board_changed(LifecycleState& st) { ++st.board_revision; }

// The activity event of both the chart and the board ("" = any event).
void set_activity_event(LifecycleState& st, const std::string& event);

nlohmann::json lifecycle_json(const Lifecycle& lifecycle);
nlohmann::json board_json(const Board& board);

bool lifecycle_pending(const Session& session, const LifecycleState& st); // either answer
// Keeps the chart's and the board's definitions in the workspace (saved.lifecycles, boards),
// then brings both answers up to date.
void update_lifecycle(Session& session, LifecycleState& st, double budget_ms);

// {definition, revision, evaluating, answer, errors, ..., board: {the same for the board}}.
nlohmann::json lifecycle_state_json(const Session& session, const LifecycleState& st);

// The stages a click on the chart can open, and the board's groups.
extern const std::vector<std::string> kLifecycleStages; // new, returning, resurrecting, dormant
extern const std::vector<std::string> kBoardGroups;     // new, returning, dormant

// The audience of a chart stage: one `lifecycle` rule (core/audience/json.h) with the chart's
// period and activity event: "users in that stage now" (in the period holding as-of, whichever
// bar was clicked), inside the chart's audience filter when it has one. `what` names the click.
std::string stage_audience_json(const Lifecycle& chart, const std::string& stage, const std::string& what);

// The audience of a board group: one `lifecycle` rule of the board's form ({"group", "window",
// "dormant_days", "event"}) inside the board's audience filter: exactly the users the board
// counts in that group's pool for the current period.
std::string group_audience_json(const Board& board, const std::string& group, const std::string& what);

// Open them in the Audiences builder; false (and a message) when the stage or group is unknown
// or the definition does not open.
bool open_stage_audience(Session& session, AudienceState& audiences, const Lifecycle& chart,
                         const std::string& stage, const std::string& what);
bool open_group_audience(Session& session, AudienceState& audiences, const Board& board,
                         const std::string& group, const std::string& what);

} // namespace segx
