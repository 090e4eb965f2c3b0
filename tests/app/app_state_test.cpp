// The app: the session plus each tab's state; state() reads only, and by section.
#include "session_fixture.h"

#include <nlohmann/json.hpp>

#include <stdexcept>

namespace app_app_state_test {

using namespace segx;
using namespace segx::test;
using nlohmann::json;

TEST_CASE("state(section) returns only that section") {
    AppFixture f;
    json all = json::parse(app_state_json(f.app));
    CHECK(all.contains("audience"));
    CHECK(all.contains("overview"));
    CHECK(all.contains("sources"));
    json audience = json::parse(app_state_json(f.app, "audience"));
    CHECK(audience == all["audience"]);
    CHECK(json::parse(app_state_json(f.app, "overview")) == all["overview"]);
    CHECK(json::parse(app_state_json(f.app, "as_of")) == "2024-03-31 00:00:00");
    CHECK_THROWS_AS(app_state_json(f.app, "no_such_section"), std::invalid_argument);
}

TEST_CASE("state() rebuilds no model and evaluates nothing; update_app does") {
    AppFixture f;
    CHECK(json::parse(app_state_json(f.app, "overview"))["users"] == 10);
    uint64_t generation = f.session.model_generation;

    // A source leaves: the model is stale until the app is updated, and state() says so.
    f.session.remove_model_source("events.csv");
    CHECK(f.session.model_dirty);
    CHECK(json::parse(app_state_json(f.app))["overview"]["users"] == 10);
    CHECK(f.session.model_generation == generation);
    CHECK(f.session.model_dirty);

    // The draft changes: state() shows the last evaluation, marked as under way.
    f.app.audiences.draft.root.rules.push_back(audience_of(R"({"kind": "property", "attribute": "country",
        "op": "eq", "value": "CN"})")
                                                   .root.rules[0]);
    draft_changed(f.app.audiences);
    json a = json::parse(app_state_json(f.app, "audience"));
    CHECK(a["evaluating"] == true);
    CHECK(a["size"] == 10);
    CHECK(f.app.audiences.evaluations == 1);

    update_app(f.app, kNoBudget);
    CHECK_FALSE(f.session.model_dirty);
    CHECK(f.session.model_generation == generation + 1);
    a = json::parse(app_state_json(f.app, "audience"));
    CHECK(a["evaluating"] == false);
    CHECK(a["size"] == 2); // u0, u6
    CHECK(a["users"] == 8);
    CHECK_FALSE(app_busy(f.app));
}

TEST_CASE("while the model is rebuilt from streamed sources, the tabs keep their last answers") {
    AppFixture f;
    f.session.release_sources = true;
    f.session.release_source_rows(); // as the page leaves them once the model is built
    f.app.audiences.draft.root.rules.push_back(audience_of(R"({"kind": "property", "attribute": "country",
        "op": "eq", "value": "CN"})")
                                                   .root.rules[0]);
    draft_changed(f.app.audiences);
    update_app(f.app, kNoBudget);
    json a = json::parse(app_state_json(f.app, "audience"));
    REQUIRE(a["size"] == 2);
    REQUIRE(a["users"] == 10);
    const int evaluations = f.app.audiences.evaluations;

    // events.csv leaves: customers.csv streams again, and the old model goes before it does.
    f.session.remove_model_source("events.csv");
    REQUIRE(f.session.drop_model_for_rebuild());
    update_app(f.app, kNoBudget);
    a = json::parse(app_state_json(f.app, "audience"));
    CHECK(a["size"] == 2); // the last answer, not one for an empty model
    CHECK(a["users"] == 10);
    CHECK(a["share"] == 0.2);
    CHECK(a["evaluating"] == true);
    CHECK(f.app.audiences.evaluations == evaluations);
    CHECK_FALSE(app_busy(f.app)); // nothing to do until the rows are back: no frames for it
    CHECK(json::parse(app_state_json(f.app, "overview"))["users"] == 10);

    for (UserSource& u : f.session.user_sources) u = fixture_customers();
    f.session.released.clear();
    update_app(f.app, kNoBudget);
    CHECK_FALSE(f.session.rebuilding);
    a = json::parse(app_state_json(f.app, "audience"));
    CHECK(a["evaluating"] == false);
    CHECK(a["size"] == 2); // u0, u6: the customers alone
    CHECK(a["users"] == 8);
}

} // namespace app_app_state_test
