#include "app/lifecycle/lifecycle_state.h"
#include "core/lang/messages.h"

#include "app/audiences/audience_state.h"
#include "app/i18n/i18n.h"
#include "app/session.h"
#include "core/lifecycle/json.h"

#include <algorithm>

namespace segx {

using json = nlohmann::json;

const std::vector<std::string> kLifecycleStages = {"new", "returning", "resurrecting", "dormant"};
const std::vector<std::string> kBoardGroups = {"new", "returning", "dormant"};

namespace {

// {segx, name, root: all of [rule, the analysis's audience filter]}: a filter group becomes a
// nested group rule, {"audience": id} an `audience` reference.
std::string audience_with_filter(const json& rule, const json& filter, const std::string& what) {
    json rules = json::array({rule});
    if (filter.is_object() && filter.contains("audience")) {
        rules.push_back({{"kind", "audience"}, {"op", "in"}, {"id", filter["audience"]}});
    } else if (filter.is_object()) {
        json group = filter;
        group["kind"] = "group";
        rules.push_back(std::move(group));
    }
    json doc = {{"segx", 1}, {"name", what}, {"root", {{"match", "all"}, {"rules", std::move(rules)}}}};
    return doc.dump(-1, ' ', false, json::error_handler_t::replace);
}

bool open_json(Session& session, AudienceState& audiences, const std::string& doc) {
    std::vector<DefinitionError> errors = open_definition(session, audiences, doc);
    if (!errors.empty()) {
        session.post(Level::Error, trf(S::lc_open_audience_failed, {error_line(errors.front(), language())}));
        return false;
    }
    return true;
}

} // namespace

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
    Workspace& w = session.workspace;
    keep_in_workspace(w, w.saved.lifecycles, st.draft, &st.draft_revision, &st.stored_revision, "lifecycle",
                      st.draft_revision != st.stored_revision &&
                          validate_lifecycle(lifecycle_json(st.draft), check_audience_group).ok());
    keep_in_workspace(w, w.saved.boards, st.board, &st.board_revision, &st.board_stored_revision, "board",
                      st.board_revision != st.board_stored_revision &&
                          validate_board(board_json(st.board), check_audience_group).ok());
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

std::string stage_audience_json(const Lifecycle& chart, const std::string& stage, const std::string& what) {
    json rule = {{"kind", "lifecycle"}, {"stage", stage}};
    // The rule's defaults (week, any event) are left out, as the rule's own JSON does.
    if (chart.period != PeriodUnit::Week) rule["period"] = period_unit_name(chart.period);
    if (!chart.event.empty()) rule["event"] = chart.event;
    return audience_with_filter(rule, chart.audience, what);
}

std::string group_audience_json(const Board& board, const std::string& group, const std::string& what) {
    json b = board_json(board);
    json rule = {{"kind", "lifecycle"},
                 {"group", group},
                 {"window", b["period"]},
                 {"dormant_days", b["dormant_days"]}};
    if (!board.event.empty()) rule["event"] = board.event;
    return audience_with_filter(rule, board.audience, what);
}

bool open_stage_audience(Session& session, AudienceState& audiences, const Lifecycle& chart,
                         const std::string& stage, const std::string& what) {
    if (std::find(kLifecycleStages.begin(), kLifecycleStages.end(), stage) == kLifecycleStages.end()) {
        session.post(Level::Error, trf(S::lc_no_such_stage, {stage}));
        return false;
    }
    return open_json(session, audiences, stage_audience_json(chart, stage, what));
}

bool open_group_audience(Session& session, AudienceState& audiences, const Board& board,
                         const std::string& group, const std::string& what) {
    if (std::find(kBoardGroups.begin(), kBoardGroups.end(), group) == kBoardGroups.end()) {
        session.post(Level::Error, trf(S::lc_no_such_group, {group}));
        return false;
    }
    return open_json(session, audiences, group_audience_json(board, group, what));
}

} // namespace segx
