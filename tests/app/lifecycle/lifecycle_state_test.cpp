// The Lifecycle tab's state without ImGui (src/app/lifecycle/lifecycle_state.h): the lifecycle
// and the board are evaluated once per change of their own inputs, to the very answers segx.run
// gives; state('lifecycle') reports both; a stage opens as a `lifecycle` audience.
#include "../session_fixture.h"

#include "app/app_state.h"
#include "core/lifecycle/definition.h"

#include <nlohmann/json.hpp>

namespace app_lifecycle_lifecycle_state_test {

using namespace segx;
using namespace segx::test;
using json = nlohmann::json;

namespace {

json run(AppFixture& f, const json& definition) {
    return json::parse(f.session.run_json(definition.dump(), false));
}

} // namespace

TEST_CASE("the lifecycle and the board are evaluated by their own revisions, to segx.run's answers") {
    AppFixture f;
    LifecycleState& st = f.app.lifecycle;
    REQUIRE(st.run.errors.empty());
    REQUIRE(st.board_run.errors.empty());
    CHECK_FALSE(lifecycle_pending(f.session, st));
    CHECK(st.run.answer == run(f, lifecycle_json(st.draft)));
    CHECK(st.board_run.answer == run(f, board_json(st.board)));
    CHECK(st.run.answer["kind"] == "lifecycle");
    CHECK(st.board_run.answer["kind"] == "board");
    CHECK(st.board_run.answer["dormant_days"] == 90);

    uint64_t lifecycles = st.run.evaluations, boards = st.board_run.evaluations;
    update_app(f.app, kNoBudget);
    CHECK(st.run.evaluations == lifecycles);
    CHECK(st.board_run.evaluations == boards);

    // The board's settings leave the chart alone, and the other way round.
    st.board.period = WindowLastDays{60};
    st.board.dormant_days = 30;
    board_changed(st);
    CHECK(lifecycle_pending(f.session, st));
    CHECK(app_busy(f.app));
    update_app(f.app, kNoBudget);
    CHECK(st.run.evaluations == lifecycles);
    CHECK(st.board_run.evaluations == boards + 1);
    CHECK(st.board_run.answer == run(f, board_json(st.board)));
    CHECK(st.board_run.answer["dormant_days"] == 30);

    st.draft.period = PeriodUnit::Month;
    st.draft.periods = 4;
    lifecycle_changed(st);
    update_app(f.app, kNoBudget);
    CHECK(st.run.evaluations == lifecycles + 1);
    CHECK(st.board_run.evaluations == boards + 1);
    CHECK(st.run.answer == run(f, lifecycle_json(st.draft)));
    CHECK(st.run.answer["periods"].size() == 4);

    // The activity event is both's.
    set_activity_event(st, "purchase");
    update_app(f.app, kNoBudget);
    CHECK(st.run.evaluations == lifecycles + 2);
    CHECK(st.board_run.evaluations == boards + 2);
    CHECK(lifecycle_json(st.draft)["event"] == "purchase");
    CHECK(board_json(st.board)["event"] == "purchase");
    CHECK(st.run.answer == run(f, lifecycle_json(st.draft)));
    CHECK(st.board_run.answer == run(f, board_json(st.board)));

    // As-of is an input of both.
    f.session.as_of_override = A - 20 * D;
    update_app(f.app, kNoBudget);
    CHECK(st.run.evaluations == lifecycles + 3);
    CHECK(st.board_run.evaluations == boards + 3);
}

TEST_CASE("state('lifecycle') reports both definitions, revisions, evaluating and answers") {
    AppFixture f;
    LifecycleState& st = f.app.lifecycle;
    st.board.dormant_days = 45;
    board_changed(st);
    json pending = json::parse(app_state_json(f.app, "lifecycle"));
    CHECK(pending["evaluating"] == true);
    CHECK(pending["board"]["evaluating"] == true);
    CHECK(pending["board"]["revision"] == st.board_revision);
    update_app(f.app, kNoBudget);
    json s = json::parse(app_state_json(f.app, "lifecycle"));
    CHECK(s["evaluating"] == false);
    CHECK(s["revision"] == st.draft_revision);
    CHECK(s["definition"] == lifecycle_json(st.draft));
    CHECK(s["answer"] == run(f, s["definition"]));
    CHECK(s["board"]["definition"]["dormant_days"] == 45);
    CHECK(s["board"]["answer"] == run(f, s["board"]["definition"]));
    CHECK(json::parse(app_state_json(f.app))["lifecycle"] == s);
}

TEST_CASE("a stage opens in the Audiences builder as one lifecycle rule") {
    AppFixture f;
    Lifecycle chart;
    REQUIRE(open_stage_audience(f.session, f.app.audiences, chart, "dormant", "Dormant users"));
    json a = json::parse(app_state_json(f.app, "audience"));
    CHECK(a["definition"]["root"]["rules"] == json::array({{{"kind", "lifecycle"}, {"stage", "dormant"}}}));
    CHECK(a["name"] == "Dormant users");
    CHECK_FALSE(open_stage_audience(f.session, f.app.audiences, chart, "asleep", "x"));
    // The chart's period, event and audience filter go with it.
    chart.period = PeriodUnit::Month;
    chart.event = "purchase";
    chart.audience = {{"audience", "vip"}};
    CHECK(json::parse(stage_audience_json(chart, "new", "x"))["root"]["rules"] ==
          json::parse(R"([{"kind": "lifecycle", "stage": "new", "period": "month", "event": "purchase"},
                          {"kind": "audience", "op": "in", "id": "vip"}])"));
}

TEST_CASE("a board group opens as the board's own group: its size is the board's pool") {
    AppFixture f;
    Board board;
    board.dormant_days = 30;
    board.audience = {{"match", "any"}, {"rules", json::array()}, {"negate", true}};
    CHECK(json::parse(group_audience_json(board, "dormant", "x"))["root"]["rules"] ==
          json::parse(
              R"([{"kind": "lifecycle", "group": "dormant", "window": {"last_days": 30}, "dormant_days": 30},
                          {"kind": "group", "match": "any", "rules": [], "negate": true}])"));
    board.audience = nullptr;
    const json answer = run(f, board_json(board));
    REQUIRE(answer["ok"] == true);
    for (const std::string& g : kBoardGroups) {
        REQUIRE(open_group_audience(f.session, f.app.audiences, board, g, "Board group"));
        json doc = json::parse(group_audience_json(board, g, "x"));
        json members = run(f, doc);
        REQUIRE(members["ok"] == true);
        CHECK(members["size"] == answer["groups"][g]["pool"]);
    }
    CHECK_FALSE(open_group_audience(f.session, f.app.audiences, board, "asleep", "x"));
}

TEST_CASE("the chart's and the board's definitions are kept in the workspace, and come back") {
    AppFixture f;
    LifecycleState& st = f.app.lifecycle;
    st.draft.period = PeriodUnit::Day;
    lifecycle_changed(st);
    st.board.dormant_days = 7;
    board_changed(st);
    update_app(f.app, kNoBudget);
    REQUIRE(f.session.workspace.saved.lifecycles.size() == 1);
    REQUIRE(f.session.workspace.saved.boards.size() == 1);
    CHECK(f.session.workspace.saved.lifecycles[0] == st.draft);
    CHECK(f.session.workspace.saved.boards[0] == st.board);
    const std::string text = workspace_json(f.session.workspace);
    AppFixture g;
    std::string problem;
    REQUIRE(read_workspace(text, &g.session.workspace, &problem));
    update_app(g.app, kNoBudget);
    CHECK(g.app.lifecycle.draft == st.draft);
    CHECK(g.app.lifecycle.board == st.board);
    CHECK(g.app.lifecycle.board_run.answer == run(g, board_json(st.board)));
}

} // namespace app_lifecycle_lifecycle_state_test
