// The RFM tab's state without ImGui (src/app/rfm/rfm_state.h): evaluation by revisions and as a
// job, the same answer as segx.run, the method switch and the grid reset, and the audiences a
// heat-map cell or a segment row opens.
//
// On the ten-user fixture (tests/core/audience/audience_fixture.h) at as-of A, five users have
// purchases (tests/core/run/rfm_run_test.cpp works them out): u0, u1, u2, u5, e8; revenue 455.
#include "../session_fixture.h"

#include "core/run/run.h"

#include <nlohmann/json.hpp>

#include <string>

namespace app_rfm_rfm_state_test {

using namespace segx;
using namespace segx::test;
using json = nlohmann::json;

namespace {

json run(AppFixture& f, const RfmState& st) {
    return json::parse(f.session.run_json(rfm_json(st.draft).dump(), false));
}

json audience_rules(const App& app) {
    return json::parse(app_state_json(app, "audience"))["definition"]["root"]["rules"];
}

} // namespace

TEST_CASE("the settings are scored once per change of their inputs, and as segx.run scores them") {
    AppFixture f;
    RfmState& st = f.app.rfm;
    REQUIRE(st.errors.empty());
    REQUIRE(st.answer.is_object());
    CHECK(st.answer["customers"] == 5);
    CHECK(st.answer["revenue"] == 455);
    CHECK(st.answer["method"] == "quantile");
    CHECK(st.answer == run(f, st));
    uint64_t n = st.evaluations;
    update_rfm(f.session, st, kNoBudget);
    CHECK(st.evaluations == n); // nothing changed: nothing done

    st.draft.monetary = RfmMonetary::MeanOrder;
    rfm_changed(st);
    update_rfm(f.session, st, kNoBudget);
    CHECK(st.evaluations == n + 1);
    CHECK(st.answer["monetary"] == "mean_order");
    CHECK(st.answer == run(f, st));

    set_rfm_method(st, RfmMethod::Thresholds);
    update_rfm(f.session, st, kNoBudget);
    CHECK(st.evaluations == n + 2);
    CHECK(st.answer["method"] == "thresholds");
    CHECK(st.answer == run(f, st));

    // Each input counts: as-of and the model. The workspace does not: RFM reads no saved
    // definition (and the tab saves its own settings there).
    f.session.as_of_override = A - 30 * D; // u0 (A-30D, 100), u2 (A-45D, 200), e8 (A-100D, 5)
    update_rfm(f.session, st, kNoBudget);
    CHECK(st.evaluations == n + 3);
    CHECK(st.answer["customers"] == 3);
    CHECK(st.answer["revenue"] == 305);
    CHECK(st.answer == run(f, st));
    REQUIRE(merge_workspace(&f.session.workspace, R"({"audiences": {}})").ok());
    update_rfm(f.session, st, kNoBudget);
    CHECK(st.evaluations == n + 3);
    f.session.model_dirty = true;
    update_app(f.app, kNoBudget);
    CHECK(st.evaluations == n + 4);
}

TEST_CASE("an evaluation is a job: the previous figures stay until it ends, and an edit replaces it") {
    AppFixture f;
    RfmState& st = f.app.rfm;
    REQUIRE(st.answer["method"] == "quantile");
    set_rfm_method(st, RfmMethod::Mean);
    CHECK(rfm_pending(f.session, st));
    CHECK(app_busy(f.app));
    json shown = json::parse(app_state_json(f.app, "rfm"));
    CHECK(shown["evaluating"] == true);
    CHECK(shown["method"] == "mean");               // the settings as they are ...
    CHECK(shown["answer"]["method"] == "quantile"); // ... beside the last answer
    CHECK(shown["revision"] == st.draft_revision);

    // An edit before the job ran cancels it: the job that runs is the latest draft's.
    st.draft.monetary = RfmMonetary::MeanOrder;
    rfm_changed(st);
    update_rfm(f.session, st, 0);
    CHECK_FALSE(rfm_pending(f.session, st));
    CHECK(st.evaluated_for.definition == st.draft_revision);
    CHECK(st.answer["method"] == "mean");
    CHECK(st.answer["monetary"] == "mean_order");
    CHECK(st.answer["cells"].size() == 4); // 2 × 2 for the mean method
    shown = json::parse(app_state_json(f.app, "rfm"));
    CHECK(shown["evaluating"] == false);
    CHECK(shown["answer"] == st.answer);
    CHECK(shown["definition"] == rfm_json(st.draft));
}

TEST_CASE("the method brings its default segments, and the grid resets to the method's default") {
    RfmState st;
    set_rfm_method(st, RfmMethod::Mean);
    CHECK(st.draft.segments == default_rfm_segments(RfmMethod::Mean));
    set_rfm_method(st, RfmMethod::Quantile);
    CHECK(st.draft.segments == default_rfm_segments(RfmMethod::Quantile));
    // Edited R×F segments stay when the scale stays 1-5 ...
    st.draft.segments[0].name = "Best";
    set_rfm_method(st, RfmMethod::Thresholds);
    CHECK(st.draft.segments[0].name == "Best");
    // ... until reset.
    uint64_t revision = st.draft_revision;
    reset_rfm_grid(st);
    CHECK(st.draft.segments == default_rfm_segments(RfmMethod::Thresholds));
    CHECK(st.draft_revision == revision + 1);
}

TEST_CASE("settings that do not validate report their problems at their JSON paths, with no job") {
    AppFixture f;
    RfmState& st = f.app.rfm;
    set_rfm_method(st, RfmMethod::Thresholds);
    st.draft.thresholds.r = {30, 7, 90, 180}; // not ascending
    rfm_changed(st);
    update_rfm(f.session, st, kNoBudget);
    REQUIRE_FALSE(st.errors.empty());
    CHECK(st.errors.front().path.rfind("thresholds.r", 0) == 0);
    CHECK(st.answer.is_null());
    CHECK_FALSE(st.job.active());
    json shown = json::parse(app_state_json(f.app, "rfm"));
    CHECK(shown["ok"] == false);
    CHECK(shown["errors"][0]["path"].get<std::string>().rfind("thresholds.r", 0) == 0);
}

TEST_CASE("a cell opens the customers of its R and F scores, a segment row those of the segment") {
    AppFixture f;
    RfmState& st = f.app.rfm;
    REQUIRE(open_rfm_cell_audience(f.session, st, f.app.audiences, 5, 4));
    CHECK(audience_rules(f.app) == json::parse(R"([{"kind": "rfm", "r": [5, 5], "f": [4, 4]}])"));
    CHECK(f.app.audiences.draft.name == "RFM R=5 F=4");
    CHECK(json::parse(rfm_cell_audience_json(5, 4)) == json::parse(R"({"segx": 1, "name": "RFM R=5 F=4",
                          "root": {"match": "all", "rules": [{"kind": "rfm", "r": [5, 5], "f": [4, 4]}]}})"));

    REQUIRE(open_rfm_segment_audience(f.session, st, f.app.audiences, 0));
    CHECK(audience_rules(f.app) == json::parse(R"([{"kind": "rfm", "segments": ["Champions"]}])"));
    CHECK(f.app.audiences.draft.name == "RFM Champions");

    // Out of range: no cell (6, 1), no cell (3, 1) with the mean method's 1-2 scores, no segment 10.
    CHECK_FALSE(open_rfm_cell_audience(f.session, st, f.app.audiences, 6, 1));
    CHECK_FALSE(open_rfm_segment_audience(f.session, st, f.app.audiences, 10));
    set_rfm_method(st, RfmMethod::Mean);
    CHECK_FALSE(open_rfm_cell_audience(f.session, st, f.app.audiences, 3, 1));
    REQUIRE(open_rfm_segment_audience(f.session, st, f.app.audiences, 0));
    CHECK(audience_rules(f.app) == json::parse(R"([{"kind": "rfm", "segments": ["重要价值客户"]}])"));
}

} // namespace app_rfm_rfm_state_test
