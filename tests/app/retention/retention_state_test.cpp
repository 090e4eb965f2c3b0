// The Retention tab's state without ImGui (src/app/retention/retention_state.h): the draft is
// evaluated once per change of its inputs (revisions, never its text), as a job, to the very
// answer segx.run gives, and state('retention') reports it.
#include "../session_fixture.h"

#include "app/app_state.h"

#include <nlohmann/json.hpp>

namespace app_retention_retention_state_test {

using namespace segx;
using namespace segx::test;
using json = nlohmann::json;

namespace {

json run(AppFixture& f, const json& definition) {
    return json::parse(f.session.run_json(definition.dump(), false));
}

} // namespace

TEST_CASE("the retention draft is evaluated once per revision, to segx.run's answer") {
    AppFixture f;
    RetentionState& st = f.app.retention;
    // A new draft has no start event yet: an error at its path, no answer.
    CHECK_FALSE(st.run.errors.empty());
    CHECK(st.run.answer.is_null());

    st.draft.start.name = "view";
    retention_changed(st);
    CHECK(retention_pending(f.session, st));
    CHECK(app_busy(f.app));
    update_app(f.app, kNoBudget);
    REQUIRE(st.run.errors.empty());
    CHECK_FALSE(retention_pending(f.session, st));
    CHECK(st.run.answer == run(f, retention_json(st.draft)));
    CHECK(st.run.answer["kind"] == "retention");
    CHECK(st.run.answer["period"] == "week");

    uint64_t n = st.run.evaluations;
    update_app(f.app, kNoBudget);
    CHECK(st.run.evaluations == n); // nothing changed: nothing done

    // The same text under a new revision is evaluated again: revisions key the answer.
    retention_changed(st);
    update_app(f.app, kNoBudget);
    CHECK(st.run.evaluations == n + 1);

    st.draft.period = PeriodUnit::Month;
    st.draft.mode = RetentionMode::OnOrAfter;
    st.draft.returns = RetentionReturn{false, "purchase"};
    st.draft.periods = 3;
    retention_changed(st);
    update_app(f.app, kNoBudget);
    CHECK(st.run.evaluations == n + 2);
    CHECK(st.run.answer == run(f, retention_json(st.draft)));
    CHECK(st.run.answer["period"] == "month");
    CHECK(st.run.answer["mode"] == "on_or_after");
    CHECK(st.run.answer["mean"].size() == 4);

    // As-of and the model are inputs too.
    f.session.as_of_override = A - 10 * D;
    update_app(f.app, kNoBudget);
    CHECK(st.run.evaluations == n + 3);
    CHECK(st.run.answer == run(f, retention_json(st.draft)));
}

TEST_CASE("an edit during an evaluation replaces it, and the previous answer stays meanwhile") {
    AppFixture f;
    RetentionState& st = f.app.retention;
    st.draft.start.name = "view";
    retention_changed(st);
    update_app(f.app, kNoBudget);
    json before = st.run.answer;
    REQUIRE(before.is_object());

    st.draft.period = PeriodUnit::Day;
    retention_changed(st);
    CHECK(retention_pending(f.session, st));
    CHECK(st.run.answer == before);
    st.draft.period = PeriodUnit::Month;
    retention_changed(st);
    update_retention(f.session, st, kNoBudget);
    CHECK(st.run.answer["period"] == "month");
    CHECK(st.run.evaluated_for.definition == st.draft_revision);
}

TEST_CASE("state('retention') reports the settings, the revision, evaluating and the answer") {
    AppFixture f;
    RetentionState& st = f.app.retention;
    st.draft.start.name = "view";
    retention_changed(st);
    json pending = json::parse(app_state_json(f.app, "retention"));
    CHECK(pending["evaluating"] == true);
    CHECK(pending["revision"] == st.draft_revision);
    update_app(f.app, kNoBudget);
    json s = json::parse(app_state_json(f.app, "retention"));
    CHECK(s["evaluating"] == false);
    CHECK(s["ok"] == true);
    CHECK(s["definition"] == retention_json(st.draft));
    CHECK(s["definition"]["start"] == json{{"event", "view"}});
    CHECK(s["answer"] == run(f, s["definition"]));
    CHECK(json::parse(app_state_json(f.app))["retention"] == s);
}

TEST_CASE("the draft is kept in the workspace and comes back after a reload") {
    AppFixture f;
    RetentionState& st = f.app.retention;
    // An unfinished draft (no start event) is not stored.
    st.draft.period = PeriodUnit::Month;
    retention_changed(st);
    update_app(f.app, kNoBudget);
    CHECK(f.session.workspace.saved.retentions.empty());
    const uint64_t before = f.session.workspace.revision;
    st.draft.start.name = "view";
    st.draft.mode = RetentionMode::OnOrAfter;
    retention_changed(st);
    update_app(f.app, kNoBudget);
    REQUIRE(f.session.workspace.saved.retentions.size() == 1);
    CHECK(f.session.workspace.revision > before);
    CHECK(st.draft.id == "retention-1");
    CHECK(f.session.workspace.saved.retentions[0] == st.draft);
    // Nothing changes: nothing stored again.
    const uint64_t stored = f.session.workspace.revision;
    update_app(f.app, kNoBudget);
    CHECK(f.session.workspace.revision == stored);

    // A reload: a new session reads the stored text; the tab takes the definition back.
    const std::string text = workspace_json(f.session.workspace);
    CHECK(json::parse(text)["retentions"]["retention-1"]["mode"] == "on_or_after");
    AppFixture g;
    std::string problem;
    REQUIRE(read_workspace(text, &g.session.workspace, &problem));
    update_app(g.app, kNoBudget);
    CHECK(g.app.retention.draft == st.draft);
    CHECK(g.app.retention.run.answer == run(g, retention_json(st.draft)));
}

TEST_CASE("curves compared: the draft with each saved audience as its filter") {
    AppFixture f;
    RetentionState& st = f.app.retention;
    st.draft.start.name = "view";
    retention_changed(st);
    std::string problem;
    REQUIRE(merge_workspace(
                &f.session.workspace,
                R"({"audiences": {"a1": {"segx": 1, "id": "a1", "root": {"match": "all", "rules": []}}}})")
                .ok());
    set_compare_audience(st, 0, "a1");
    update_app(f.app, kNoBudget);
    json s = retention_state_json(f.session, st);
    REQUIRE(s["compare"].size() == 1);
    CHECK(s["compare"][0]["audience"] == "a1");
    CHECK(s["compare"][0]["definition"]["audience"] == json{{"audience", "a1"}});
    CHECK(s["compare"][0]["answer"] == run(f, compare_json(st.draft, "a1")));
    // Everyone: the same triangle as the draft's.
    CHECK(s["compare"][0]["answer"]["cohorts"] == st.run.answer["cohorts"]);
    set_compare_audience(st, 0, "");
    CHECK(retention_state_json(f.session, st)["compare"].empty());
}

TEST_CASE("a breakdown by an attribute: one curve per group, adding up to the draft's triangle") {
    AppFixture f;
    RetentionState& st = f.app.retention;
    st.draft.start.name = "view";
    st.draft.period = PeriodUnit::Month;
    retention_changed(st);
    set_retention_breakdown(st, "country", 2);
    CHECK(retention_pending(f.session, st));
    update_app(f.app, kNoBudget);
    CHECK_FALSE(retention_pending(f.session, st));
    json s = retention_state_json(f.session, st);
    const json& b = s["breakdown"];
    REQUIRE(b["errors"].empty());
    CHECK(b["attribute"] == "country");
    REQUIRE(b["groups"].size() >= 2);
    CHECK(b["groups"].size() <= 4);
    // Each group's answer is segx.run's for its definition: the draft narrowed by one property rule.
    uint64_t users = 0;
    const json& whole = s["answer"]["cohorts"];
    std::vector<uint64_t> sizes(whole.size(), 0);
    for (const json& g : b["groups"]) {
        CHECK(g["answer"] == run(f, g["definition"]));
        const json& rules = g["definition"]["audience"]["rules"];
        REQUIRE(rules.size() == 1);
        CHECK(rules[0]["attribute"] == "country");
        users += g["users"].get<uint64_t>();
        uint64_t sum = 0;
        for (size_t i = 0; i < g["answer"]["cohorts"].size(); ++i) {
            sizes[i] += g["answer"]["cohorts"][i]["size"].get<uint64_t>();
            sum += g["answer"]["cohorts"][i]["size"].get<uint64_t>();
        }
        CHECK(sum == g["users"]);
    }
    CHECK(users == b["total"]);
    for (size_t i = 0; i < whole.size(); ++i) CHECK(sizes[i] == whole[i]["size"]);

    // A point of a curve opens the users behind it: the group's rule and the complete cells at k.
    for (size_t gi = 0; gi < b["groups"].size(); ++gi) {
        const json& answer = b["groups"][gi]["answer"];
        for (size_t k = 0; k <= 2; ++k) {
            uint64_t want = 0;
            bool any = false;
            for (const json& c : answer["cohorts"])
                if (k < c["complete"].size() && c["complete"][k] == true && c["size"] > 0)
                    want += c["counts"][k].get<uint64_t>(), any = true;
            std::string doc = breakdown_point_audience_json(st, gi, k);
            CHECK(doc.empty() == !any);
            if (!doc.empty()) {
                json a = run(f, json::parse(doc));
                INFO(a.dump());
                CHECK(a["size"] == want);
            }
        }
    }

    // Changing the draft finds the groups again; "" ends the breakdown.
    st.draft.period = PeriodUnit::Week;
    retention_changed(st);
    update_app(f.app, kNoBudget);
    s = retention_state_json(f.session, st);
    CHECK(s["breakdown"]["groups"][0]["answer"]["period"] == "week");
    set_retention_breakdown(st, "nope", 2);
    update_app(f.app, kNoBudget);
    CHECK(retention_state_json(f.session, st)["breakdown"]["errors"][0]["path"] == "attribute");
    set_retention_breakdown(st, "", 2);
    CHECK_FALSE(retention_state_json(f.session, st).contains("breakdown"));
}

TEST_CASE("a draft still being filled in is not replaced by the saved first") {
    AppFixture f;
    RetentionState& st = f.app.retention;
    st.draft.start.name = "view";
    retention_changed(st);
    update_app(f.app, kNoBudget);
    REQUIRE(f.session.workspace.saved.retentions.size() == 1);
    // Switching the start to a date attribute empties it: the draft does not read for a while.
    st.draft.start = RetentionStart{true, ""};
    retention_changed(st);
    update_app(f.app, kNoBudget);
    update_app(f.app, kNoBudget);
    CHECK(st.draft.start.attribute);
    CHECK(st.draft.start.name.empty());
    st.draft.start.name = "signup";
    retention_changed(st);
    update_app(f.app, kNoBudget);
    CHECK(f.session.workspace.saved.retentions[0].start.name == "signup");
}

TEST_CASE("saved retentions: new, open, rename, duplicate, delete and undo") {
    AppFixture f;
    RetentionState& st = f.app.retention;
    auto& saved = f.session.workspace.saved.retentions;
    st.draft.start.name = "view";
    st.draft.name = "Views";
    retention_changed(st);
    update_app(f.app, kNoBudget);
    new_retention_draft(st);
    update_app(f.app, kNoBudget);
    CHECK(saved.size() == 1); // not kept until it reads
    st.draft.start.name = "purchase";
    st.draft.name = "Buyers";
    retention_changed(st);
    update_app(f.app, kNoBudget);
    REQUIRE(saved.size() == 2);
    CHECK(saved[0].name == "Buyers"); // the most recently edited first
    CHECK(saved[0].id != saved[1].id);
    CHECK(retention_state_json(f.session, st)["saved_id"] == saved[0].id);

    open_saved_retention(f.session, st, 1);
    update_app(f.app, kNoBudget);
    CHECK(st.draft.name == "Views");
    CHECK(saved[0].name == "Views");
    CHECK(st.run.answer == run(f, retention_json(st.draft)));

    const uint64_t before = f.session.workspace.revision;
    CHECK_FALSE(rename_saved_retention(f.session, st, 0, ""));
    REQUIRE(rename_saved_retention(f.session, st, 0, "Viewers"));
    update_app(f.app, kNoBudget);
    CHECK(f.session.workspace.revision > before);
    CHECK(st.draft.name == "Viewers");
    CHECK(saved[0].name == "Viewers");
    REQUIRE(rename_saved_retention(f.session, st, 1, "Purchasers")); // not the open one
    update_app(f.app, kNoBudget);
    CHECK(st.draft.name == "Viewers");

    duplicate_saved_retention(f.session, 1);
    REQUIRE(saved.size() == 3);
    CHECK(saved[2].name == "Purchasers (copy)");
    CHECK(saved[2].start.name == "purchase");

    // Deleting the open one opens the next; undo brings it back, open again.
    const std::string id = saved[0].id;
    delete_saved_retention(f.session, st, 0);
    update_app(f.app, kNoBudget);
    REQUIRE(saved.size() == 2);
    CHECK(st.draft.name == "Purchasers");
    CHECK(retention_state_json(f.session, st)["can_undo_delete"] == true);
    REQUIRE(undo_delete_retention(f.session, st));
    update_app(f.app, kNoBudget);
    REQUIRE(saved.size() == 3);
    CHECK(saved[0].id == id);
    CHECK(st.draft.name == "Viewers");
    CHECK_FALSE(undo_delete_retention(f.session, st));

    // Deleting another leaves the draft; deleting all leaves a new draft.
    delete_saved_retention(f.session, st, 2);
    update_app(f.app, kNoBudget);
    CHECK(st.draft.name == "Viewers");
    delete_saved_retention(f.session, st, 1);
    delete_saved_retention(f.session, st, 0);
    update_app(f.app, kNoBudget);
    CHECK(saved.empty());
    CHECK(st.draft.start.name.empty());
    // The workspace text keeps what the rail shows, for a reload.
    undo_delete_retention(f.session, st);
    update_app(f.app, kNoBudget);
    CHECK(json::parse(workspace_json(f.session.workspace))["retentions"].size() == 1);
    CHECK(st.draft.name == "Viewers");
}

} // namespace app_retention_retention_state_test
