// The Funnels tab's state without ImGui (src/app/funnels/funnel_state.h): evaluation by
// revisions and as a job, the same answer as segx.run, saving, renaming, duplicating,
// deleting and undoing, the workspace round trip, and the audiences a bar click opens.
//
// On the ten-user fixture (tests/core/audience/audience_fixture.h), view -> purchase: step 1 is
// u0 (view at A), u2 (A-60D), u3, u7, e9 (u1's view is after as-of) = 5 users; only u2 buys
// later, 15 days after its view: within 30 days, not within 7.
#include "../session_fixture.h"

#include "core/audience/json.h"
#include "core/run/run.h"

#include <nlohmann/json.hpp>

#include <string>

namespace app_funnels_funnel_state_test {

using namespace segx;
using namespace segx::test;
using json = nlohmann::json;

namespace {

void view_then_purchase(FunnelState& st, int64_t days) {
    st.draft.name = "View to purchase";
    st.draft.steps = {FunnelStep{"view", {}}, FunnelStep{"purchase", {}}};
    st.draft.window = FunnelWindow{WindowUnit::Days, days};
    funnel_changed(st);
}

std::vector<uint64_t> step_users(const FunnelState& st) {
    std::vector<uint64_t> out;
    for (const json& s : st.answer["steps"]) out.push_back(s["users"].get<uint64_t>());
    return out;
}

} // namespace

TEST_CASE("the draft is counted once per change of its inputs, and as segx.run counts it") {
    AppFixture f;
    FunnelState& st = f.app.funnels;
    view_then_purchase(st, 7);
    update_app(f.app, kNoBudget);
    REQUIRE(st.errors.empty());
    CHECK(step_users(st) == std::vector<uint64_t>{5, 0});
    uint64_t n = st.evaluations;
    update_funnel(f.session, st, kNoBudget);
    CHECK(st.evaluations == n); // nothing changed: nothing done

    st.draft.window.amount = 30;
    funnel_changed(st);
    update_funnel(f.session, st, kNoBudget);
    CHECK(st.evaluations == n + 1);
    CHECK(step_users(st) == std::vector<uint64_t>{5, 1});
    // Exactly the answer of "run a definition" for the same JSON.
    json run = json::parse(f.session.run_json(funnel_json(st.draft).dump(), false));
    CHECK(run == st.answer);

    // Each input counts: as-of, the workspace, the model.
    f.session.as_of_override = A - 50 * D; // u2's view (A-60D) remains, its purchase (A-45D) not
    update_funnel(f.session, st, kNoBudget);
    CHECK(st.evaluations == n + 2);
    CHECK(step_users(st) == std::vector<uint64_t>{1, 0});
    REQUIRE(merge_workspace(&f.session.workspace, R"({"audiences": {}})").ok());
    update_funnel(f.session, st, kNoBudget);
    CHECK(st.evaluations == n + 3);
    f.session.model_dirty = true;
    update_app(f.app, kNoBudget);
    CHECK(st.evaluations == n + 4);
}

TEST_CASE("an evaluation is a job: the previous figures stay until it ends, and an edit replaces it") {
    AppFixture f;
    FunnelState& st = f.app.funnels;
    view_then_purchase(st, 30);
    update_funnel(f.session, st, kNoBudget);
    REQUIRE(step_users(st) == std::vector<uint64_t>{5, 1});

    st.draft.window.amount = 7;
    funnel_changed(st);
    CHECK(funnel_pending(f.session, st));
    CHECK(app_busy(f.app));
    json shown = json::parse(app_state_json(f.app, "funnel"));
    CHECK(shown["evaluating"] == true);
    CHECK(shown["steps"][1]["users"] == 1); // still the last answer
    CHECK(shown["definition"]["window"] == json{{"days", 7}});

    // An edit before the job ran cancels it: the job that runs is the latest draft's.
    st.draft.window.amount = 20;
    funnel_changed(st);
    update_funnel(f.session, st, 0);
    CHECK_FALSE(funnel_pending(f.session, st));
    CHECK(step_users(st) == std::vector<uint64_t>{5, 1});
    CHECK(st.evaluated_for.definition == st.draft_revision);
}

TEST_CASE("a draft that does not validate reports its problems at their JSON paths, with no job") {
    AppFixture f;
    FunnelState& st = f.app.funnels;
    update_funnel(f.session, st, kNoBudget); // the new funnel: two empty steps
    CHECK_FALSE(st.errors.empty());
    CHECK(st.errors.front().path.rfind("steps[0].event", 0) == 0);
    CHECK(st.answer.is_null());
    CHECK_FALSE(st.job.active());

    view_then_purchase(st, 7);
    st.draft.steps[1].event = "nope";
    funnel_changed(st);
    update_funnel(f.session, st, kNoBudget);
    REQUIRE(st.errors.size() == 1);
    CHECK(st.errors[0].path == "steps[1].event"); // the engine's error: no such event
    json shown = json::parse(app_state_json(f.app, "funnel"));
    CHECK(shown["ok"] == false);
    CHECK(shown["errors"][0]["path"] == "steps[1].event");
}

TEST_CASE("saved funnels: save, save as new, open, rename, duplicate, delete and undo") {
    AppFixture f;
    FunnelState& st = f.app.funnels;
    Session& s = f.session;
    auto& saved = s.workspace.saved.funnels;

    CHECK_FALSE(save_funnel(s, st, false)); // two empty steps: refused
    CHECK(saved.empty());

    view_then_purchase(st, 7);
    uint64_t workspace = s.workspace.revision;
    REQUIRE(save_funnel(s, st, false));
    REQUIRE(saved.size() == 1);
    CHECK(saved[0].id == "funnel-1");
    CHECK(st.opened_id == "funnel-1");
    CHECK(funnel_saved_as_is(s, st));
    CHECK(s.workspace.revision > workspace); // the page stores the workspace when it moves

    st.draft.window.amount = 30;
    funnel_changed(st);
    CHECK_FALSE(funnel_saved_as_is(s, st));
    REQUIRE(save_funnel(s, st, false)); // the same saved funnel, changed
    CHECK(saved.size() == 1);
    CHECK(saved[0].window.amount == 30);

    REQUIRE(save_funnel(s, st, true)); // a copy under a new id
    REQUIRE(saved.size() == 2);
    CHECK(saved[1].id == "funnel-2");
    CHECK(saved[1].name == "View to purchase (copy)");
    CHECK(st.opened_id == "funnel-2");

    open_saved_funnel(s, st, 0);
    CHECK(st.opened_id == "funnel-1");
    CHECK(st.draft == saved[0]);

    REQUIRE(rename_saved_funnel(s, st, 0, "Buyers"));
    CHECK(saved[0].name == "Buyers");
    CHECK(st.draft.name == "Buyers"); // the open draft follows
    CHECK_FALSE(rename_saved_funnel(s, st, 0, ""));

    duplicate_saved_funnel(s, 0);
    REQUIRE(saved.size() == 3);
    CHECK(saved[1].name == "Buyers (copy)");
    CHECK(saved[1].id == "funnel-3");

    delete_saved_funnel(s, st, 0);
    CHECK(saved.size() == 2);
    CHECK(st.opened_id.empty()); // the draft stays, unsaved
    CHECK(st.draft.name == "Buyers");
    CHECK(json::parse(app_state_json(f.app, "funnel"))["can_undo_delete"] == true);
    REQUIRE(undo_delete_funnel(s, st));
    REQUIRE(saved.size() == 3);
    CHECK(saved[0].id == "funnel-1"); // back in its place, under its id
    CHECK(saved[0].name == "Buyers");
    CHECK_FALSE(undo_delete_funnel(s, st));

    new_funnel_draft(st);
    CHECK(st.opened_id.empty());
    CHECK(st.draft.steps.size() == 2);
}

TEST_CASE("saved funnels go through the workspace's text and come back") {
    AppFixture f;
    FunnelState& st = f.app.funnels;
    view_then_purchase(st, 7);
    st.draft.entry = FunnelEntry{"2024-01-01", ""};
    REQUIRE(save_funnel(f.session, st, false));
    std::string text = workspace_json(f.session.workspace);
    CHECK(json::parse(text)["funnels"]["funnel-1"]["kind"] == "funnel");
    Workspace back;
    std::string problem;
    REQUIRE(read_workspace(text, &back, &problem));
    REQUIRE(back.saved.funnels.size() == 1);
    CHECK(back.saved.funnels[0] == f.session.workspace.saved.funnels[0]);
    CHECK(back.unread.empty());
    // An id is not reused across kinds.
    CHECK(unused_definition_id(back, "funnel") == "funnel-2");
    // A saved funnel that does not read is kept as stored.
    REQUIRE(read_workspace(R"({"segx": 1, "funnels": {"f9": {"segx": 1, "kind": "funnel", "steps": []}}})",
                           &back, &problem));
    REQUIRE(back.unread.size() == 1);
    CHECK(back.unread[0].kind == "funnel");
    CHECK(json::parse(workspace_json(back))["funnels"].contains("f9"));
}

TEST_CASE("a bar click opens its step's audience, saving the funnel first when it is not saved as it is") {
    AppFixture f;
    FunnelState& st = f.app.funnels;
    view_then_purchase(st, 30);
    REQUIRE(st.opened_id.empty());

    REQUIRE(open_step_audience(f.session, st, f.app.audiences, 2, false));
    CHECK(st.opened_id == "funnel-1"); // saved on the way, with a message
    CHECK(f.session.log.back().text.find("the audience refers to the saved funnel") != std::string::npos);
    json rule = json::parse(app_state_json(f.app, "audience"))["definition"]["root"]["rules"][0];
    CHECK(rule == json{{"kind", "funnel"}, {"funnel", "funnel-1"}, {"reached", 2}});
    CHECK(f.app.audiences.draft.name == "View to purchase: converted to step 2 (purchase)");

    size_t messages = f.session.log.size();
    REQUIRE(open_step_audience(f.session, st, f.app.audiences, 1, true));
    CHECK(f.session.log.size() == messages); // saved as it is: not saved again
    rule = json::parse(app_state_json(f.app, "audience"))["definition"]["root"]["rules"][0];
    CHECK(rule == json{{"kind", "funnel"}, {"funnel", "funnel-1"}, {"dropped_after", 1}});

    // No "dropped after" the last step, no step 3.
    CHECK_FALSE(open_step_audience(f.session, st, f.app.audiences, 2, true));
    CHECK_FALSE(open_step_audience(f.session, st, f.app.audiences, 3, false));

    // An edited funnel is saved again before its audience opens.
    st.draft.window.amount = 7;
    funnel_changed(st);
    REQUIRE(open_step_audience(f.session, st, f.app.audiences, 2, false));
    CHECK(f.session.workspace.saved.funnels.at(0).window.amount == 7);
}

TEST_CASE("a funnel opened from JSON (import, link, restored draft), and two audiences side by side") {
    AppFixture f;
    FunnelState& st = f.app.funnels;
    // A draft with a step not filled in yet reads back as it was; a refused text changes nothing.
    FunnelState other;
    view_then_purchase(other, 30);
    other.draft.steps.push_back(FunnelStep{});
    std::string text = funnel_json(other.draft).dump();
    const uint64_t revision = st.draft_revision;
    CHECK(open_funnel_definition(st, f.session, text).empty());
    CHECK(st.draft == other.draft);
    CHECK(st.draft_revision > revision);
    CHECK(st.opened_id.empty());
    std::vector<DefinitionError> errors =
        open_funnel_definition(st, f.session, R"({"segx": 1, "kind": "funnel", "steps": [], "order": "x"})");
    REQUIRE(errors.size() == 2);
    CHECK(errors[0].path == "steps");
    CHECK(errors[1].path == "order");
    CHECK(st.draft == other.draft);

    // Opened as the saved funnel it was being edited as.
    view_then_purchase(st, 30);
    REQUIRE(save_funnel(f.session, st, false));
    const std::string id = st.opened_id;
    new_funnel_draft(st);
    CHECK(open_funnel_definition(st, f.session, funnel_json(f.session.workspace.saved.funnels[0]).dump())
              .empty());
    CHECK(st.opened_id == id);

    // Side by side: each side is the draft within one saved audience, as segx.run counts it.
    for (const char* a :
         {R"({"segx": 1, "id": "cn", "name": "CN", "root": {"match": "all", "rules":
                              [{"kind": "property", "attribute": "country", "op": "eq", "value": "CN"}]}})",
          R"({"segx": 1, "id": "all", "name": "Everyone", "root": {"match": "all", "rules": []}})"})
        f.session.workspace.saved.audiences.push_back(parse_audience(a).audience);
    ++f.session.workspace.revision;
    set_compare_audience(st, 0, "cn");
    set_compare_audience(st, 1, "all");
    update_funnel(f.session, st, kNoBudget);
    update_funnel(f.session, st, kNoBudget);
    json sides = funnel_state_json(f.session, st)["compare"];
    REQUIRE(sides.size() == 2);
    json cn = funnel_json(st.draft);
    cn["audience"] = {{"audience", "cn"}};
    json run = json::parse(f.session.run_json(cn.dump(), false));
    REQUIRE(run["ok"] == true);
    CHECK(sides[0]["audience"] == "cn");
    CHECK(sides[0]["users"] == json::array({run["steps"][0]["users"], run["steps"][1]["users"]}));
    CHECK(sides[1]["users"] == json::array({5, 1})); // everyone: the draft's own counts
    CHECK(sides[0]["users"][0].get<int>() < 5);
    // Cleared: nothing is run for that side.
    set_compare_audience(st, 0, "");
    update_funnel(f.session, st, kNoBudget);
    CHECK(funnel_state_json(f.session, st)["compare"][0]["users"].is_null());

    // The comparison runs off the frame like the draft: one side per step of a job, within the
    // frame's budget; the shown sides change together once both are done.
    set_compare_audience(st, 0, "cn");
    set_compare_audience(st, 1, "cn");
    json before = funnel_state_json(f.session, st);
    CHECK(before["comparing"] == true);
    update_funnel(f.session, st, 0.0); // the first side only
    CHECK(funnel_state_json(f.session, st)["compare"] == before["compare"]);
    CHECK(st.compare.job.active());
    update_funnel(f.session, st, 0.0); // the second side
    update_funnel(f.session, st, 0.0); // both shown
    json after = funnel_state_json(f.session, st);
    CHECK(after["comparing"] == false);
    CHECK_FALSE(st.compare.job.active());
    CHECK(after["compare"][0]["users"] == sides[0]["users"]);
    CHECK(after["compare"][1]["users"] == sides[0]["users"]);
}

} // namespace app_funnels_funnel_state_test
