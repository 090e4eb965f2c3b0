// Audiences referencing each other as a diamond (each level names the level below twice): each
// referenced definition is resolved once per run, results and errors alike, so 22 levels cost
// 22 evaluations and one broken leaf is one error, not 2^22 (issue 17, defect 2).
#include "../audience/audience_fixture.h"
#include "core/run/definition_sql.h"
#include "core/run/run.h"

#include <doctest/doctest.h>

namespace core_run_reference_diamond_test {

using namespace segx;
using namespace segx::test;
using nlohmann::json;

namespace {

constexpr int kLevels = 22;

// "L0" is the leaf; "Lk" is any of (in L(k-1), not_in L(k-1)): everyone, when the leaf reads.
SavedDefinitions diamond(const std::string& leaf_rule) {
    SavedDefinitions saved;
    saved.audiences.push_back(audience_of(leaf_rule, "L0"));
    for (int k = 1; k <= kLevels; k++) {
        const std::string below = "L" + std::to_string(k - 1);
        ValidationResult v = parse_audience(R"({"segx": 1, "id": "L)" + std::to_string(k) +
                                            R"(", "root": {"match": "any", "rules": [
                {"kind": "audience", "op": "in", "id": ")" +
                                            below + R"("},
                {"kind": "audience", "op": "not_in", "id": ")" +
                                            below + R"("}]}})");
        REQUIRE(v.ok());
        saved.audiences.push_back(v.audience);
    }
    return saved;
}

constexpr std::string_view kTop = R"({"segx": 1, "root": {"match": "all", "rules": [
    {"kind": "audience", "op": "in", "id": "L22"}, {"kind": "audience", "op": "in", "id": "L21"}]}})";
const std::string kBrokenLeaf = R"({"kind": "property", "attribute": "nope", "op": "is_set"})";
const std::string kFixedLeaf = R"({"kind": "property", "attribute": "country", "op": "is_set"})";

} // namespace

TEST_CASE("a 22-level diamond of references with a broken leaf: one error, with one route to it") {
    const SavedDefinitions saved = diamond(kBrokenLeaf);
    RunContext ctx{fixture_model(), A, 1, &saved};

    json ran = run_definition(ctx, kTop, RunOptions{});
    REQUIRE(ran["ok"] == false);
    REQUIRE(ran["errors"].size() == 1);
    const std::string message = ran["errors"][0]["message"].get<std::string>();
    CHECK(ran["errors"][0]["path"] == "root.rules[0]");
    // The route: L22's first rule into L21, ... down to the leaf's unknown attribute.
    CHECK(message.rfind("in audience L22: root.rules[0]: in audience L21: ", 0) == 0);
    CHECK(message.find("in audience L0: root.rules[0].attribute: unknown attribute \"nope\"") !=
          std::string::npos);

    json sql = definition_sql(ctx, kTop);
    REQUIRE(sql["ok"] == false);
    CHECK(sql["errors"].size() == 1);
    CHECK(sql["errors"][0] == ran["errors"][0]); // the same error, as evaluation gives it

    // A funnel filtered by the top audience: the same single error, below its audience path.
    SavedDefinitions with_top = saved;
    with_top.audiences.push_back(audience_of(R"({"kind": "audience", "op": "in", "id": "L22"})", "top"));
    RunContext ctx2{fixture_model(), A, 1, &with_top};
    json funnel =
        run_definition(ctx2, std::string_view(R"({"segx": 1, "kind": "funnel", "id": "f", "name": "f",
        "steps": [{"event": "view"}, {"event": "purchase"}], "audience": {"audience": "top"}})"),
                       RunOptions{});
    REQUIRE(funnel["ok"] == false);
    CHECK(funnel["errors"].size() == 1);
}

TEST_CASE("the same 22-level diamond with the leaf fixed evaluates and compiles") {
    const SavedDefinitions saved = diamond(kFixedLeaf);
    RunContext ctx{fixture_model(), A, 1, &saved};
    RunOptions options;
    options.members = true;
    options.sorted_members = true;
    json ran = run_definition(ctx, kTop, options);
    INFO(ran.dump());
    REQUIRE(ran["ok"] == true);
    CHECK(ran["size"] == 10); // in or not in the level below: everyone
    CHECK(ran["users"] == 10);

    json sql = definition_sql(ctx, kTop);
    REQUIRE(sql["ok"] == true);
    const std::string text = sql["sql"].get<std::string>();
    // One CTE per referenced audience, however often it is referenced.
    CHECK(text.find("\"ref_23\"") != std::string::npos);
    CHECK(text.find("\"ref_24\"") == std::string::npos);
}

} // namespace core_run_reference_diamond_test
