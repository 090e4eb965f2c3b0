#include "app/lifecycle/lifecycle_state.h"

#include "app/audiences/audience_state.h"
#include "app/session.h"
#include "core/lifecycle/json.h"

#include <algorithm>

namespace segx {

using json = nlohmann::json;

const std::vector<std::string> kLifecycleStages = {"new", "returning", "resurrecting", "dormant"};

void set_activity_event(LifecycleState& st, const std::string& event) {
    if (st.draft.event != event) st.draft.event = event, lifecycle_changed(st);
    if (st.board.event != event) st.board.event = event, board_changed(st);
}

json lifecycle_json(const Lifecycle& lifecycle) {
    json j;
    to_json(j, lifecycle);
    return j;
}

json board_json(const Board& board) {
    json j;
    to_json(j, board);
    return j;
}

bool lifecycle_pending(const Session& session, const LifecycleState& st) {
    return definition_pending(session, st.run, st.draft_revision) ||
           definition_pending(session, st.board_run, st.board_revision);
}

void update_lifecycle(Session& session, LifecycleState& st, double budget_ms) {
    update_definition_run(
        session, st.run, st.draft_revision, [&st] { return lifecycle_json(st.draft); }, budget_ms);
    update_definition_run(
        session, st.board_run, st.board_revision, [&st] { return board_json(st.board); }, budget_ms);
}

json lifecycle_state_json(const Session& session, const LifecycleState& st) {
    json out = {{"definition", lifecycle_json(st.draft)}};
    add_run_state(out, session, st.run, st.draft_revision);
    json board = {{"definition", board_json(st.board)}};
    add_run_state(board, session, st.board_run, st.board_revision);
    out["board"] = std::move(board);
    out["evaluating"] = lifecycle_pending(session, st);
    return out;
}

std::string stage_audience_json(const std::string& stage, const std::string& what) {
    json doc = {
        {"segx", 1},
        {"name", what},
        {"root", {{"match", "all"}, {"rules", json::array({{{"kind", "lifecycle"}, {"stage", stage}}})}}}};
    return doc.dump(-1, ' ', false, json::error_handler_t::replace);
}

bool open_stage_audience(Session& session, AudienceState& audiences, const std::string& stage,
                         const std::string& what) {
    if (std::find(kLifecycleStages.begin(), kLifecycleStages.end(), stage) == kLifecycleStages.end()) {
        session.post(Level::Error, "No lifecycle stage named \"" + stage + "\"");
        return false;
    }
    std::vector<DefinitionError> errors =
        open_definition(session, audiences, stage_audience_json(stage, what));
    if (!errors.empty()) {
        session.post(Level::Error, "Could not open the audience: " + errors.front().to_string());
        return false;
    }
    return true;
}

} // namespace segx
