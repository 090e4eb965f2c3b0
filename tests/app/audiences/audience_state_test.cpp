// The Audiences tab's state without ImGui (src/app/audiences/audience_state.h): evaluation by
// revisions and in steps, saving, renaming, deleting and undoing, replaced drafts, file names.
#include "../session_fixture.h"

#include "core/audience/audience_cache.h"

#include <nlohmann/json.hpp>

#include <string>

namespace app_audiences_audience_state_test {

using namespace segx;
using namespace segx::test;

namespace {

const char* kCountryCN = R"({"kind": "property", "attribute": "country", "op": "eq", "value": "CN"})";
const char* kBought = R"({"kind": "behavior", "did": true, "event": "purchase"})";
const char* kIos = R"({"kind": "behavior", "did": true, "event": "view", "where": [
    {"property": "platform", "op": "eq", "value": "ios"}]})";

// A definition as JSON text: `all` of the rules given.
std::string definition(const std::string& name, const std::string& rules, const std::string& id = "") {
    return R"({"segx": 1, "id": ")" + id + R"(", "name": ")" + name +
           R"(", "root": {"match": "all", "rules": [)" + rules + "]}}";
}

void open(AppFixture& f, const std::string& json_text) {
    auto errors = open_definition(f.session, f.app.audiences, json_text);
    INFO(join_errors(errors));
    REQUIRE(errors.empty());
}

std::string members_of(const AppFixture& f) { return members(f.session.model, f.app.audiences.members); }

} // namespace

TEST_CASE("the draft is evaluated once per change of its inputs, never per call") {
    AppFixture f;
    AudienceState& st = f.app.audiences;
    open(f, definition("Chinese buyers", std::string(kCountryCN) + "," + kBought));
    update_audience(f.session, st, kNoBudget);
    CHECK(members_of(f) == "u0");
    CHECK(st.size == 1);
    CHECK(st.rule_sizes.at("root.rules[0]") == 2); // u0 u6
    CHECK(st.rule_sizes.at("root.rules[1]") == 5); // u0 u1 u2 u5 e8 (u4 buys after as-of)
    CHECK(st.rule_sizes.size() == 2);
    uint64_t n = st.evaluations;
    update_audience(f.session, st, kNoBudget);
    CHECK(st.evaluations == n); // nothing changed: nothing done

    // Each input counts: as-of, the saved audiences, the model.
    f.session.as_of_override = A - 20 * D;
    update_audience(f.session, st, kNoBudget);
    CHECK(st.evaluations == n + 1);
    REQUIRE(merge_workspace(&f.session.workspace, R"({"audiences": {}})").ok()); // a change, even if empty
    update_audience(f.session, st, kNoBudget);
    CHECK(st.evaluations == n + 2);
    f.session.model_dirty = true;
    update_app(f.app, kNoBudget);
    CHECK(st.evaluations == n + 3);
}

TEST_CASE("an evaluation runs one leaf rule per step, then combines them, with the same result") {
    AppFixture f;
    AudienceState& st = f.app.audiences;
    open(f, definition("Three", std::string(kCountryCN) + "," + kBought + "," + kIos));
    update_audience(f.session, st, 0); // leaf 1 of 3
    CHECK(evaluation_pending(f.session, st));
    CHECK(st.job.progress() == doctest::Approx(0.25));
    CHECK(nlohmann::json::parse(app_state_json(f.app, "audience"))["evaluating"] == true);
    update_audience(f.session, st, 0); // leaf 2
    update_audience(f.session, st, 0); // leaf 3
    CHECK(evaluation_pending(f.session, st));
    update_audience(f.session, st, 0); // the whole definition, from the cache
    CHECK_FALSE(evaluation_pending(f.session, st));
    CHECK(st.job.progress() == 1.0f);
    CHECK(members_of(f) == "u0");
    CHECK(st.rule_sizes.size() == 3);

    // The same definition at once, on a fresh session, gives the same answer.
    AppFixture g;
    open(g, definition("Three", std::string(kCountryCN) + "," + kBought + "," + kIos));
    update_audience(g.session, g.app.audiences, kNoBudget);
    CHECK(members_of(g) == members_of(f));
    CHECK(g.app.audiences.rule_sizes == st.rule_sizes);
}

TEST_CASE("a change of the draft cancels the evaluation under way and starts over") {
    AppFixture f;
    AudienceState& st = f.app.audiences;
    open(f, definition("Two", std::string(kCountryCN) + "," + kBought));
    update_audience(f.session, st, 0); // one leaf done
    REQUIRE(evaluation_pending(f.session, st));
    // Edited meanwhile: "bought" becomes "never bought".
    std::get<BehaviorRule>(st.draft.root.rules[1].node).did = false;
    draft_changed(st);
    update_audience(f.session, st, kNoBudget);
    CHECK_FALSE(evaluation_pending(f.session, st));
    CHECK(members_of(f) == "u6"); // CN, never bought (was u0: CN and bought)
}

TEST_CASE("a draft that does not validate shows its problems and runs nothing") {
    AppFixture f;
    AudienceState& st = f.app.audiences;
    open(f, definition("x", kCountryCN));
    std::get<PropertyRule>(st.draft.root.rules[0].node).attribute = "";
    draft_changed(st);
    update_audience(f.session, st, 0);
    CHECK_FALSE(evaluation_pending(f.session, st));
    CHECK_FALSE(st.job.active());
    REQUIRE_FALSE(st.errors.empty());
    CHECK(st.errors.front().path == "root.rules[0].attribute");
    CHECK(members_csv_text(f.session, st, {}).empty());
}

TEST_CASE("members CSV waits for the evaluation of the draft as it is") {
    AppFixture f;
    AudienceState& st = f.app.audiences;
    open(f, definition("Chinese", kCountryCN));
    CHECK(members_csv_text(f.session, st, {}).empty()); // not evaluated yet
    update_audience(f.session, st, kNoBudget);
    CHECK(members_csv_text(f.session, st, {"city"}) == "user_id,city\nu0,北京\nu6,北京\n");
}

TEST_CASE("save, save again, save as new") {
    AppFixture f;
    AudienceState& st = f.app.audiences;
    open(f, definition("Chinese", kCountryCN));
    uint64_t saved_revision = f.session.workspace.revision, draft_revision = st.draft_revision;
    REQUIRE(save_draft(f.session, st, false));
    REQUIRE(f.session.workspace.saved.audiences.size() == 1);
    CHECK(f.session.workspace.saved.audiences[0].id == "audience-1");
    CHECK(st.opened_id == "audience-1");
    CHECK(f.session.workspace.revision > saved_revision);
    CHECK(st.draft_revision > draft_revision); // the autosaved draft now carries its id

    st.draft.name = "Chinese (edited)";
    draft_changed(st);
    REQUIRE(save_draft(f.session, st, false));
    REQUIRE(f.session.workspace.saved.audiences.size() == 1); // in place
    CHECK(f.session.workspace.saved.audiences[0].name == "Chinese (edited)");

    REQUIRE(save_draft(f.session, st, true));
    REQUIRE(f.session.workspace.saved.audiences.size() == 2);
    CHECK(f.session.workspace.saved.audiences[1].id == "audience-2");
    CHECK(f.session.workspace.saved.audiences[1].name == "Chinese (edited) (copy)");
    CHECK(st.opened_id == "audience-2");

    // An invalid draft is not saved, and the log says why.
    st.draft.root.rules.push_back(audience_of(kBought).root.rules[0]);
    std::get<BehaviorRule>(st.draft.root.rules[1].node).event = "";
    draft_changed(st);
    CHECK_FALSE(save_draft(f.session, st, false));
    // In words: the rule, then what is wrong with it.
    CHECK(f.session.log.back().text.rfind("Not saved: the rule 'did (no event)': ", 0) == 0);
    CHECK(f.session.workspace.saved.audiences[1].root.rules.size() == 1);
}

TEST_CASE("rename changes the saved audience, and the draft when it is the one open") {
    AppFixture f;
    AudienceState& st = f.app.audiences;
    open(f, definition("Chinese", kCountryCN));
    REQUIRE(save_draft(f.session, st, false));
    duplicate_saved(f.session, 0);
    REQUIRE(f.session.workspace.saved.audiences.size() == 2);
    CHECK(f.session.workspace.saved.audiences[1].name == "Chinese (copy)");

    uint64_t before = st.draft_revision;
    CHECK(rename_saved(f.session, st, 0, "中国"));
    CHECK(f.session.workspace.saved.audiences[0].name == "中国");
    CHECK(st.draft.name == "中国");
    CHECK(st.draft_revision > before);

    CHECK(rename_saved(f.session, st, 1, "Other"));
    CHECK(st.draft.name == "中国"); // not the open one
    CHECK_FALSE(rename_saved(f.session, st, 1, ""));
    CHECK(f.session.workspace.saved.audiences[1].name == "Other");
    CHECK_FALSE(rename_saved(f.session, st, 9, "x"));
}

TEST_CASE("delete keeps the draft, unsaved, and undo puts the audience back where it was") {
    AppFixture f;
    AudienceState& st = f.app.audiences;
    for (const char* name : {"A", "B", "C"}) {
        new_draft(st);
        open(f, definition(name, kCountryCN));
        REQUIRE(save_draft(f.session, st, false));
    }
    open_saved(f.session, st, 1);
    CHECK(st.opened_id == "audience-2");
    delete_saved(f.session, st, 1);
    CHECK(f.session.workspace.saved.audiences.size() == 2);
    CHECK(st.opened_id.empty());
    CHECK(st.draft.name == "B");
    REQUIRE(st.deleted.size() == 1);

    // Meanwhile a new save takes the deleted one's id: the restored one gets a fresh id.
    new_draft(st);
    open(f, definition("D", kBought));
    REQUIRE(save_draft(f.session, st, false));
    CHECK(st.opened_id == "audience-2");
    CHECK(undo_delete(f.session, st));
    REQUIRE(f.session.workspace.saved.audiences.size() == 4);
    CHECK(f.session.workspace.saved.audiences[1].name == "B");
    CHECK(f.session.workspace.saved.audiences[1].id == "audience-4");
    CHECK_FALSE(undo_delete(f.session, st)); // nothing left to undo
}

TEST_CASE("opening a definition over unsaved editing keeps that editing one click away") {
    AppFixture f;
    AudienceState& st = f.app.audiences;
    open(f, definition("Mine", kCountryCN));
    CHECK_FALSE(st.replaced_draft); // the draft it replaced was empty: nothing to keep
    open(f, definition("Shared", kBought));
    REQUIRE(st.replaced_draft);
    CHECK(st.replaced_draft->name == "Mine");
    CHECK(st.draft.name == "Shared");

    uint64_t before = st.draft_revision;
    CHECK(restore_replaced_draft(st));
    CHECK(st.draft.name == "Mine");
    CHECK(st.draft_revision > before);
    CHECK(restore_replaced_draft(st)); // back and forth
    CHECK(st.draft.name == "Shared");

    // An invalid definition changes nothing.
    auto errors = open_definition(f.session, st, R"({"segx": 1, "root": {"match": "some", "rules": []}})");
    CHECK_FALSE(errors.empty());
    CHECK(st.draft.name == "Shared");
    CHECK(st.replaced_draft->name == "Mine");

    // A draft saved as it is has nothing to lose: opening over it keeps no copy.
    REQUIRE(save_draft(f.session, st, false));
    open(f, definition("Third", kIos));
    CHECK_FALSE(st.replaced_draft);
}

TEST_CASE("opening a definition that is a saved audience opens it as that one") {
    AppFixture f;
    AudienceState& st = f.app.audiences;
    open(f, definition("Mine", kCountryCN));
    REQUIRE(save_draft(f.session, st, false));
    new_draft(st);
    open(f, definition("Mine", kCountryCN, "audience-1"));
    CHECK(st.opened_id == "audience-1");
    // A restored draft names the saved audience it was being edited as.
    new_draft(st);
    CHECK(open_definition(f.session, st, definition("Edited", kBought), "audience-1").empty());
    CHECK(st.opened_id == "audience-1");
    CHECK(open_definition(f.session, st, definition("Edited", kBought), "no-such-id").empty());
    CHECK(st.opened_id.empty());
}

TEST_CASE("file names for downloads: readable, safe, never empty") {
    CHECK(file_name_for("Chinese buyers", ".segx.json") == "Chinese-buyers.segx.json");
    CHECK(file_name_for("Chinese buyers", "-members.csv") == "Chinese-buyers-members.csv");
    CHECK(file_name_for("中国 买家", ".segx.json") == "中国-买家.segx.json");
    CHECK(file_name_for("../../etc/passwd", ".csv") == "etc-passwd.csv");
    CHECK(file_name_for("a\tb\nc", ".csv") == "a-b-c.csv");
    CHECK(file_name_for("", ".segx.json") == "audience.segx.json");
    CHECK(file_name_for("***", ".csv") == "audience.csv");
    // Long names stop at 80 bytes, never inside a UTF-8 sequence.
    std::string long_name = "x";
    for (int i = 0; i < 40; ++i) long_name += "买";
    std::string cut = file_name_for(long_name, "");
    CHECK(cut.size() <= 80);
    CHECK(cut.size() == 1 + 3 * ((80 - 1) / 3));
    CHECK(cut.substr(cut.size() - 3) == "买");
}

TEST_CASE("the draft as JSON text reads back as the same definition") {
    AppFixture f;
    AudienceState& st = f.app.audiences;
    open(f, definition("Round trip", std::string(kCountryCN) + "," + kIos));
    Audience before = st.draft;
    std::string text = draft_json_text(st);
    new_draft(st);
    open(f, text);
    CHECK(st.draft == before);
}

TEST_CASE("overlap follows the saved audiences and the draft's evaluations") {
    AppFixture f;
    AudienceState& st = f.app.audiences;
    open(f, definition("CN", kCountryCN));
    REQUIRE(save_draft(f.session, st, false));
    new_draft(st);
    open(f, definition("Bought", kBought));
    update_audience(f.session, st, kNoBudget);
    refresh_overlap(f.session, st);
    CHECK(st.overlap.names == std::vector<std::string>{"CN", "Bought (unsaved)"});
    CHECK(st.overlap.counts == std::vector<size_t>{2, 1, 1, 5}); // u0 is in both

    // Saved: the draft is one of the saved audiences now, not an extra row.
    REQUIRE(save_draft(f.session, st, false));
    update_audience(f.session, st, kNoBudget);
    refresh_overlap(f.session, st);
    CHECK(st.overlap.names == std::vector<std::string>{"CN", "Bought"});
    CHECK(st.overlap.counts == std::vector<size_t>{2, 1, 1, 5});
}

} // namespace app_audiences_audience_state_test
