// The audience `funnel` rule (DESIGN §3, §4) through run_definition: reached k is level >= k,
// dropped after k is level == k, on models worked out by hand (funnel_fixture.h); errors at the
// rule's path; a funnel whose audience filter leads back to it; the cache key follows the saved
// funnel (and what its filter reaches); and the SQL compiler's errors are evaluation's.
#include "../funnel/funnel_fixture.h"
#include "core/audience/audience_cache.h"
#include "core/audience/json.h"
#include "core/lang/json_text.h"
#include "core/run/definition_sql.h"
#include "core/run/run.h"

#include "answer_text.h"

#include <doctest/doctest.h>

namespace core_run_funnel_rule_test {

using namespace segx;
using namespace segx::test;
using nlohmann::json;

namespace {

// Levels in a → b → c (ordered, 7 days): u1 3, u2 2, u3 1 (twice), u4 0 (no a), u5 0 (no events),
// u6 1 (its c comes 8 days after a).
Model hand_model() {
    return model_of({{"u1", "a@0 b@5 c@10"},
                     {"u2", "a@0 b@5 a@20"},
                     {"u3", "a@0 a@100"},
                     {"u4", "b@0 c@1"},
                     {"u5", ""},
                     {"u6", "a@0 c@691200"}},
                    {"CN", "CN", "US", "CN", std::nullopt, "US"});
}

Funnel saved_funnel(const std::string& id, const std::vector<std::string>& steps,
                    const std::string& rest = "") {
    Funnel f = funnel_of(funnel_json(steps, rest));
    f.id = id;
    return f;
}

Audience saved_audience(const std::string& id, const std::string& rules) {
    ValidationResult v = validate_audience(json::parse(
        R"({"segx": 1, "id": ")" + id + R"(", "root": {"match": "all", "rules": [)" + rules + "]}}"));
    INFO(join_errors(v.errors));
    REQUIRE(v.ok());
    return v.audience;
}

std::string rule(const std::string& funnel, const char* form, int k) {
    return R"({"kind": "funnel", "funnel": ")" + funnel + R"(", ")" + form + "\": " + std::to_string(k) + "}";
}

std::string audience_of(const std::string& rules) {
    return R"({"segx": 1, "root": {"match": "all", "rules": [)" + rules + "]}}";
}

json run(const Model& m, const SavedDefinitions& saved, const std::string& text,
         AudienceCache* cache = nullptr, std::optional<int64_t> as_of = std::nullopt) {
    RunOptions options;
    options.members = true;
    options.sorted_members = true;
    return run_definition(
        RunContext{m, as_of ? as_of : std::optional<int64_t>(m.max_time_us), 1, &saved, cache},
        std::string_view(text), options);
}

} // namespace

TEST_CASE("a funnel rule: reached k is level >= k, dropped after k is level == k") {
    const Model m = hand_model();
    SavedDefinitions saved;
    saved.funnels.push_back(saved_funnel("f1", {"a", "b", "c"}));
    CHECK(members(run(m, saved, audience_of(rule("f1", "reached", 1)))) == "u1 u2 u3 u6");
    CHECK(members(run(m, saved, audience_of(rule("f1", "reached", 2)))) == "u1 u2");
    CHECK(members(run(m, saved, audience_of(rule("f1", "reached", 3)))) == "u1");
    CHECK(members(run(m, saved, audience_of(rule("f1", "dropped_after", 1)))) == "u3 u6");
    CHECK(members(run(m, saved, audience_of(rule("f1", "dropped_after", 2)))) == "u2");
    // Never entered: a negated "reached 1" (u4 has no a, u5 no events).
    CHECK(members(run(m, saved,
                      R"({"segx": 1, "root": {"match": "all", "negate": true, "rules": [)" +
                          rule("f1", "reached", 1) + "]}}")) == "u4 u5");
    // Combined with other rules, and two rules on one funnel.
    CHECK(members(run(
              m, saved,
              audience_of(rule("f1", "reached", 1) +
                          R"(, {"kind": "property", "attribute": "country", "op": "eq", "value": "US"})"))) ==
          "u3 u6");
    CHECK(members(run(m, saved,
                      R"({"segx": 1, "root": {"match": "any", "rules": [)" + rule("f1", "reached", 3) + ", " +
                          rule("f1", "dropped_after", 1) + "]}}")) == "u1 u3 u6");
}

TEST_CASE("a funnel rule runs the funnel at the audience's as-of, with its mode and audience filter") {
    const Model m = hand_model();
    SavedDefinitions saved;
    saved.funnels.push_back(saved_funnel("f1", {"a", "b", "c"}));
    // As of T0 + 7 s: u1's c (10 s) does not exist yet.
    CHECK(members(run(m, saved, audience_of(rule("f1", "reached", 2)), nullptr, T0 + 7 * S)) == "u1 u2");
    CHECK(members(run(m, saved, audience_of(rule("f1", "reached", 3)), nullptr, T0 + 7 * S)) == "");
    // Unordered: u4 (b, c) reaches 2; a 10-day window gives u6 its c.
    saved.funnels.push_back(
        saved_funnel("f2", {"a", "b", "c"}, R"("order": "unordered", "window": {"days": 10})"));
    CHECK(members(run(m, saved, audience_of(rule("f2", "reached", 2)))) == "u1 u2 u4 u6");
    // The funnel's audience filter: China only.
    saved.funnels.push_back(saved_funnel(
        "f3", {"a", "b"},
        R"("audience": {"match": "all", "rules": [{"kind": "property", "attribute": "country", "op": "eq", "value": "CN"}]})"));
    CHECK(members(run(m, saved, audience_of(rule("f3", "reached", 1)))) == "u1 u2");
    // ... or a saved audience that is itself a funnel rule.
    saved.audiences.push_back(saved_audience("finishers", rule("f1", "reached", 3)));
    saved.funnels.push_back(saved_funnel("f4", {"a", "b"}, R"("audience": {"audience": "finishers"})"));
    CHECK(members(run(m, saved, audience_of(rule("f4", "reached", 2)))) == "u1");
}

TEST_CASE("funnel rule errors name the funnel and the step at the rule's path") {
    const Model m = hand_model();
    SavedDefinitions saved;
    saved.funnels.push_back(saved_funnel("f1", {"a", "b", "c"}));
    saved.funnels.push_back(saved_funnel("broken", {"a", "zzz"}));
    CHECK(errors(run(m, saved, audience_of(rule("nope", "reached", 1)))) ==
          "root.rules[0].funnel: unknown funnel \"nope\"");
    CHECK(errors(run(m, saved, audience_of(rule("f1", "reached", 4)))) ==
          "root.rules[0].reached: funnel f1 has 3 steps, not 4");
    CHECK(errors(run(m, saved, audience_of(rule("f1", "dropped_after", 3)))) ==
          "root.rules[0].dropped_after: step 3 is the last of funnel f1: nobody drops after it (\"reached\" "
          "counts those who got there)");
    CHECK(errors(run(m, saved, audience_of(rule("broken", "reached", 1)))) ==
          "root.rules[0]: in funnel broken: steps[1].event: unknown event \"zzz\" (known: \"a\", \"b\", "
          "\"c\")");
    // A funnel whose audience filter leads back to it, directly or through a saved audience.
    saved.funnels.push_back(
        saved_funnel("loop", {"a", "b"},
                     R"("audience": {"match": "all", "rules": [)" + rule("loop", "reached", 1) + "]}"));
    std::string e = errors(run(m, saved, audience_of(rule("loop", "reached", 1))));
    CHECK(e.rfind("root.rules[0]: in funnel loop: ", 0) == 0);
    CHECK(e.find("funnel cycle: loop \xE2\x86\x92 loop") != std::string::npos);
    saved.audiences.push_back(saved_audience("via", rule("loop2", "reached", 1)));
    saved.funnels.push_back(saved_funnel("loop2", {"a", "b"}, R"("audience": {"audience": "via"})"));
    CHECK(errors(run(m, saved, audience_of(rule("loop2", "reached", 1)))).find("funnel cycle: loop2") !=
          std::string::npos);
    // Running such a funnel directly says the same.
    CHECK(errors(run(m, saved, funnel_json({"a", "b"}, R"("audience": {"audience": "via"})")))
              .find("funnel cycle: loop2") != std::string::npos);
}

TEST_CASE("a cached funnel rule follows edits of the saved funnel and of what its filter reaches") {
    const Model m = hand_model();
    AudienceCache cache;
    SavedDefinitions saved;
    saved.funnels.push_back(saved_funnel("f1", {"a", "b", "c"}));
    const std::string reached2 = audience_of(rule("f1", "reached", 2));
    CHECK(members(run(m, saved, reached2, &cache)) == "u1 u2");
    CHECK(members(run(m, saved, reached2, &cache)) == "u1 u2");
    CHECK(cache.stats().hits == 1);
    saved.funnels[0] = saved_funnel("f1", {"a", "c"}); // edited: a → c
    CHECK(members(run(m, saved, reached2, &cache)) == "u1");
    saved.funnels[0] = saved_funnel("f1", {"a", "c"}, R"("window": {"days": 9})");
    CHECK(members(run(m, saved, reached2, &cache)) == "u1 u6");
    // Through the filter's saved audience.
    saved.audiences.push_back(
        saved_audience("cn", R"({"kind": "property", "attribute": "country", "op": "eq", "value": "CN"})"));
    saved.funnels[0] =
        saved_funnel("f1", {"a", "c"}, R"("window": {"days": 9}, "audience": {"audience": "cn"})");
    CHECK(members(run(m, saved, reached2, &cache)) == "u1");
    saved.audiences[0] =
        saved_audience("cn", R"({"kind": "property", "attribute": "country", "op": "eq", "value": "US"})");
    CHECK(members(run(m, saved, reached2, &cache)) == "u6");
    // And as-of is part of the key.
    CHECK(members(run(m, saved, reached2, &cache, T0 + 5 * S)) == "");
}

TEST_CASE("definition_sql compiles audiences and funnels by kind; a funnel rule's errors are evaluation's") {
    const Model m = hand_model();
    SavedDefinitions saved;
    saved.funnels.push_back(saved_funnel("f1", {"a", "b", "c"}));
    saved.funnels.push_back(saved_funnel("broken", {"a", "zzz"}));
    const RunContext ctx{m, m.max_time_us, 1, &saved, nullptr};
    json a = definition_sql(ctx, std::string_view(audience_of(rule("f1", "dropped_after", 2))));
    REQUIRE(a["ok"] == true);
    CHECK(a["kind"] == "audience");
    const std::string sql = a["sql"];
    CHECK(sql.find("\"funnel_1\" AS (\n-- segx funnel \"\" (ordered, window 7 days)") != std::string::npos);
    CHECK(sql.find("COALESCE(\"u\".\"user_id\" IN (SELECT \"user_id\" FROM \"funnel_1\" WHERE \"level\" = "
                   "2), FALSE)") != std::string::npos);
    json f = definition_sql(ctx, std::string_view(funnel_json({"a", "b"}, R"("name": "x")")));
    REQUIRE(f["ok"] == true);
    CHECK(f["kind"] == "funnel");
    CHECK(f["sql"].get<std::string>().rfind("-- segx funnel \"x\" (ordered, window 7 days) as of ", 0) == 0);
    for (const std::string& text :
         {audience_of(rule("nope", "reached", 1)), audience_of(rule("f1", "reached", 9)),
          audience_of(rule("f1", "dropped_after", 3)), audience_of(rule("broken", "reached", 1)),
          funnel_json({"a", "nope"}), funnel_json({"a", "b"}, R"("entry": {"from": "2024-13-01"})")}) {
        INFO(text);
        json sql_answer = definition_sql(ctx, std::string_view(text));
        CHECK(sql_answer["ok"] == false);
        CHECK(errors(sql_answer) == errors(run(m, saved, text)));
    }
    CHECK(definition_sql(ctx, std::string_view(R"({"segx": 1, "kind": "rfm"})"))["ok"] == true);
    CHECK(errors(definition_sql(ctx, std::string_view(R"({"segx": 1, "kind": "nope"})"))) ==
          "kind: no SQL for kind \"nope\" (audiences, funnels, RFM, retention, lifecycle and boards compile "
          "to SQL)");
}

} // namespace core_run_funnel_rule_test
