// The workspace's attributes from events (settings.derived_attributes) reach the model: set,
// changed and removed through the workspace, re-derived once at the next rebuild (the model's
// generation moves, so cached results expire), read back from the workspace's JSON, and refused
// on import when malformed (nothing changes then).
#include "app/workspace.h"
#include "core/model/derived.h"

#include "session_fixture.h"

#include <doctest/doctest.h>

namespace app_session_derived_test {

using namespace segx;
using namespace segx::test;

namespace {

const Column* attribute(const Model& m, const std::string& name) {
    for (const Column& c : m.attributes)
        if (c.name == name) return &c;
    return nullptr;
}

} // namespace

TEST_CASE("a derived attribute set in the workspace is in the model after the next rebuild") {
    AppFixture f;
    Session& s = f.session;
    const size_t base = s.model.attributes.size();
    const uint64_t generation = s.model_generation;
    s.workspace.settings.derived_attributes = {{"last_platform", "", "platform", DerivedPick::Latest}};
    s.rebuild_model_if_dirty();
    CHECK(s.model_generation == generation + 1);
    REQUIRE(attribute(s.model, "last_platform") != nullptr);
    CHECK(s.model.attributes.size() == base + 1);
    s.rebuild_model_if_dirty(); // nothing changed: no new generation
    CHECK(s.model_generation == generation + 1);

    // Its JSON reads back the same.
    Workspace back;
    std::string problem;
    REQUIRE(read_workspace(workspace_json(s.workspace), &back, &problem));
    CHECK(back.settings.derived_attributes == s.workspace.settings.derived_attributes);
    CHECK(back.settings.auto_derived_attributes);

    // A file rebuild keeps it.
    s.model_dirty = true;
    s.rebuild_model_if_dirty();
    CHECK(attribute(s.model, "last_platform") != nullptr);

    s.workspace.settings.derived_attributes.clear();
    s.workspace.settings.auto_derived_attributes = false;
    s.rebuild_model_if_dirty();
    CHECK(attribute(s.model, "last_platform") == nullptr);
    CHECK(s.model.attributes.size() == base);
    CHECK(s.model.derived.empty());
}

TEST_CASE("an import with a malformed attribute from events changes nothing and says where") {
    Workspace w;
    MergeResult r = merge_workspace(
        &w,
        R"({"settings": {"derived_attributes": [{"name": "c", "property": "Country", "pick": "last"}]}})");
    REQUIRE_FALSE(r.ok());
    CHECK(r.errors[0].path == "settings.derived_attributes[0].pick");
    CHECK(w.settings.derived_attributes.empty());
    r = merge_workspace(&w, R"({"settings": {"derived_attributes": [{"name": "c", "event": "purchase",
        "property": "Country", "pick": "most_frequent"}], "auto_derived_attributes": false}})");
    REQUIRE(r.ok());
    REQUIRE(w.settings.derived_attributes.size() == 1);
    CHECK(w.settings.derived_attributes[0].event == "purchase");
    CHECK(w.settings.derived_attributes[0].pick == DerivedPick::MostFrequent);
    CHECK_FALSE(w.settings.auto_derived_attributes);
}

} // namespace app_session_derived_test
