// The Retention tab's state without ImGui (src/app/retention/retention_state.h): the draft is
// evaluated once per change of its inputs (revisions, never its text), as a job, to the very
// answer segx.run gives, and state('retention') reports it.
#include "../session_fixture.h"

#include "app/app_state.h"

#include <nlohmann/json.hpp>

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
