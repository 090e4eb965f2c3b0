// The RFM tab's grid editor, saving in the workspace, Copy SQL and the CSV exports
// (src/app/rfm/rfm_state.h), on the ten-user fixture at as-of A: five customers u0, u1, u2, u5,
// e8 (tests/core/run/rfm_run_test.cpp works out their scores).
#include "../session_fixture.h"

#include "core/rfm/json.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>

namespace app_rfm_rfm_grid_test {

using namespace segx;
using namespace segx::test;
using json = nlohmann::json;

namespace {

// The owners as rows R = 5 (top) .. 1, each F = 1..5, by the segment's first letter.
std::string grid(const RfmState& st) {
    std::vector<int> owners = rfm_grid_owners(st.draft);
    std::string out;
    for (int r = 5; r >= 1; r--) {
        for (int f = 1; f <= 5; f++)
            out += st.draft.segments[size_t(owners[size_t((r - 1) * 5 + (f - 1))])].name[0];
        out += r > 1 ? "\n" : "";
    }
    return out;
}

size_t index_of(const RfmState& st, const std::string& name) {
    for (size_t i = 0; i < st.draft.segments.size(); i++)
        if (st.draft.segments[i].name == name) return i;
    FAIL("no segment " << name);
    return 0;
}

} // namespace

TEST_CASE("painting keeps every segment a rectangle, removes emptied ones, and the table follows") {
    AppFixture f;
    RfmState& st = f.app.rfm;
    // The default grid: Champions, Loyal, Potential, New, Promising, Need attention, About to sleep,
    // At risk, Can't lose, Hibernating.
    CHECK(grid(st) ==
          "NPPCC\n"
          "PPPLL\n"
          "AANLL\n"
          "HHAAC\n"
          "HHAAC");
    std::string problem;
    // Champions (R 5, F 4-5) takes (5, 3): still a rectangle; Potential Loyalists (R 4-5, F 2-3)
    // would not be.
    CHECK_FALSE(paint_rfm_cells(st, index_of(st, "Champions"), 5, 3, 5, 3, &problem));
    CHECK(problem ==
          "\"Potential Loyalists\" would no longer be one range of R by one range of F: paint a "
          "rectangle (shift-click paints from the last cell)");
    const uint64_t revision = st.draft_revision;
    // New Customers' one cell into Promising: Promising becomes R 4-5, F 1.
    st.paint_segment = index_of(st, "Promising"); // 4
    CHECK(paint_rfm_cells(st, st.paint_segment, 5, 1, 5, 1, &problem));
    CHECK(st.paint_segment == 3); // still Promising, one up once New Customers went
    CHECK(st.draft_revision == revision + 1);
    CHECK(st.draft.segments.size() == 9); // New Customers lost its only cell
    CHECK(grid(st) ==
          "PPPCC\n"
          "PPPLL\n"
          "AANLL\n"
          "HHAAC\n"
          "HHAAC");
    const RfmSegment& promising = st.draft.segments[index_of(st, "Promising")];
    CHECK(promising.r.lo == 4);
    CHECK(promising.r.hi == 5);
    CHECK(check_rfm_segments(st.draft.segments, st.draft.method).empty());
    // Shift-click's rectangle: Hibernating takes R 1-2 x F 1-4 (At Risk R 1-2 F 3-4 is emptied).
    CHECK(paint_rfm_cells(st, index_of(st, "Hibernating"), 1, 4, 2, 1, &problem));
    CHECK(grid(st) ==
          "PPPCC\n"
          "PPPLL\n"
          "AANLL\n"
          "HHHHC\n"
          "HHHHC");
    update_rfm(f.session, st, kNoBudget);
    REQUIRE(st.answer.is_object());
    std::vector<std::string> names;
    for (const json& s : st.answer["segments"]) names.push_back(s["name"]);
    CHECK(names == std::vector<std::string>{"Champions", "Loyal Customers", "Potential Loyalists",
                                            "Promising", "Need Attention", "About To Sleep",
                                            "Can't Lose Them", "Hibernating"});
    uint64_t sum = 0;
    for (const json& s : st.answer["segments"]) sum += s["customers"].get<uint64_t>();
    CHECK(sum == 5);
}

TEST_CASE("adding, renaming and recolouring a segment; the templates; M-bounded segments are not painted") {
    AppFixture f;
    RfmState& st = f.app.rfm;
    std::string problem;
    CHECK_FALSE(add_rfm_segment(st, 1, 1, &problem)); // Hibernating's 2x2 would lose a corner
    CHECK(problem.find("\"Hibernating\" would no longer") == 0);
    CHECK(add_rfm_segment(st, 1, 5, &problem)); // Can't Lose Them keeps R 2, F 5
    REQUIRE(st.draft.segments.size() == 11);
    CHECK(st.draft.segments.back().name == "Segment 11");
    CHECK(st.draft.segments.back().r.hi == 1);
    CHECK(st.draft.segments.back().f.lo == 5);
    CHECK(add_rfm_segment(st, 3, 3, &problem)); // Need Attention's one cell: it goes
    CHECK(st.draft.segments.size() == 11);
    CHECK(st.draft.segments.back().name == "Segment 12");
    CHECK_FALSE(add_rfm_segment(st, 4, 2, &problem)); // the middle of Potential Loyalists' left side
    CHECK(problem.find("\"Potential Loyalists\" would no longer") == 0);
    st.draft.segments[0].name = "Stars";
    rfm_changed(st);
    recolor_rfm_segment(st, 0, "#ff0000");
    update_rfm(f.session, st, kNoBudget);
    CHECK(st.answer["segments"][0]["name"] == "Stars");
    CHECK(st.answer["segments"][0]["color"] == "#ff0000");
    reset_rfm_grid(st);
    CHECK(st.draft.segments == default_rfm_segments(RfmMethod::Quantile));

    set_rfm_template(st, RfmTemplate::Classes8);
    CHECK(st.draft.method == RfmMethod::Mean);
    CHECK(st.draft.segments.size() == 8);
    CHECK(st.draft.segments[0].name == "重要价值客户");
    CHECK(rfm_grid_owners(st.draft).empty()); // the 8 classes bound M
    CHECK_FALSE(paint_rfm_cells(st, 0, 1, 1, 1, 1, &problem));
    CHECK(problem == "These segments bound M, so an (R, F) cell may hold several: rename and recolour only");
    set_rfm_template(st, RfmTemplate::Grid10);
    CHECK(st.draft.method == RfmMethod::Quantile);
    CHECK(st.draft.segments.size() == 10);
}

TEST_CASE("the tab's settings are saved in the workspace, come back from it, and name the audiences") {
    AppFixture f;
    RfmState& st = f.app.rfm;
    CHECK(f.session.workspace.saved.rfms.empty()); // nothing edited: nothing saved
    const uint64_t before = f.session.workspace.revision;
    st.draft.monetary = RfmMonetary::MeanOrder;
    rfm_changed(st);
    update_rfm(f.session, st, kNoBudget);
    REQUIRE(f.session.workspace.saved.rfms.size() == 1);
    CHECK(f.session.workspace.revision == before + 1);
    CHECK(st.draft.id == "rfm-1");
    CHECK(f.session.workspace.saved.rfms[0] == st.draft);
    CHECK(rfm_rule_settings(f.session, st) == "rfm-1");
    REQUIRE(open_rfm_segment_audience(f.session, st, f.app.audiences, 0));
    CHECK(json::parse(app_state_json(f.app, "audience"))["definition"]["root"]["rules"] ==
          json::parse(R"([{"kind": "rfm", "rfm": "rfm-1", "segments": ["Champions"]}])"));
    // An invalid draft is not saved; the last valid settings stay.
    st.draft.segments[1].name = "Champions";
    rfm_changed(st);
    update_rfm(f.session, st, kNoBudget);
    CHECK(f.session.workspace.saved.rfms[0].segments[1].name == "Loyal Customers");
    CHECK(rfm_rule_settings(f.session, st) == "");

    // A reload: the stored workspace is read, and a new tab takes its settings.
    const std::string stored = workspace_json(f.session.workspace);
    CHECK(json::parse(stored)["rfms"]["rfm-1"]["monetary"] == "mean_order");
    AppFixture g;
    std::string problem;
    REQUIRE(read_workspace(stored, &g.session.workspace, &problem));
    update_app(g.app, kNoBudget);
    CHECK(g.app.rfm.draft == f.session.workspace.saved.rfms[0]);
    CHECK(g.app.rfm.answer["monetary"] == "mean_order");
}

TEST_CASE("Copy SQL and the CSV exports") {
    AppFixture f;
    RfmState& st = f.app.rfm;
    std::string sql, problem;
    REQUIRE(rfm_sql_text(f.session, st, &sql, &problem));
    CHECK(sql.rfind("-- segx RFM", 0) == 0);
    std::string csv;
    REQUIRE(rfm_csv_text(f.session, st, false, &csv, &problem));
    CHECK(csv.rfind("segment,customers,share,revenue,revenue_share,mean_r_days,mean_f_orders,mean_m\n", 0) ==
          0);
    CHECK(std::count(csv.begin(), csv.end(), '\n') == 11);
    REQUIRE(rfm_csv_text(f.session, st, true, &csv, &problem));
    CHECK(csv.rfind("user_id,days,orders,revenue,monetary,r,f,m,segment\n", 0) == 0);
    CHECK(std::count(csv.begin(), csv.end(), '\n') == 6); // five customers
    st.draft.segments.pop_back();
    rfm_changed(st);
    CHECK_FALSE(rfm_sql_text(f.session, st, &sql, &problem));
    CHECK(problem.find("segments: no segment covers") == 0);
    CHECK_FALSE(rfm_csv_text(f.session, st, true, &csv, &problem));
}

} // namespace app_rfm_rfm_grid_test
