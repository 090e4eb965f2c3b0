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
