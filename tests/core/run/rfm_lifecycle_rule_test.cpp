// The audience `rfm` and `lifecycle` rules (DESIGN §3, §5, §6) through run_definition, on one
// model worked out by hand: segments and score ranges under the default or saved RFM settings,
// non-customers matching no rfm rule, stages in the period holding as-of for each period unit and
// activity event; errors at the rule's path; the cache key follows the settings and as-of.
#include "../rfm/rfm_fixture.h"
#include "core/audience/audience_cache.h"
#include "core/audience/json.h"
#include "core/run/definition_sql.h"
#include "core/run/run.h"

#include "answer_text.h"

#include <doctest/doctest.h>

namespace core_run_rfm_lifecycle_rule_test {

using namespace segx;
using namespace segx::test;
using nlohmann::json;

namespace {

std::vector<Buy> purchases(const std::string& user, int from_day, int to_day, double revenue) {
    std::vector<Buy> out;
    for (int d = from_day; d <= to_day; d++) out.push_back({user, d * DAY, revenue});
    return out;
}

// As of day 100 (T0 + 100 days, a Wednesday; T0 = 2024-01-01 is a Monday), purchases without
// order ids (one order each):
//   user    purchase days  R (days)  F  M     quantile R,F,M  segment (default grid)
//   c1      96..100        0         5  500   5,4,5           Champions
//   c2      87..90         10        4  400   4,3,4           Potential Loyalists
//   c3      78..80         20        3  300   3,2,3           About To Sleep
//   c4      69..70         30        2  200   2,1,2           Hibernating
//   c5      5..10          90        6  60    1,5,1           Can't Lose Them
// (NTILE(5) over five customers gives each its own score.) n1 (a view on day 50), n2 (nothing),
// ln (a view on day 99), lr (views on days 20 and 100) and ld (a view on day 92) are not
// customers.
// Mean method (means: 30 days, 4 orders, 292): c1 2,2,2 and c2 2,2,2 重要价值客户, c3 2,1,2
// 重要发展客户, c4 2,1,1 一般发展客户, c5 1,2,1 一般保持客户.
// Lifecycle, any event: the ISO week holding as-of is days 98..104, the one before 91..97:
// c1 returning, ln new, lr resurrecting, ld dormant, the rest none.
Model hand_model() {
    std::vector<Buy> buys;
    for (const std::vector<Buy>& b :
         {purchases("c1", 96, 100, 100), purchases("c2", 87, 90, 100), purchases("c3", 78, 80, 100),
          purchases("c4", 69, 70, 100), purchases("c5", 5, 10, 10)})
        buys.insert(buys.end(), b.begin(), b.end());
    for (const auto& [user, day] : std::vector<std::pair<std::string, int>>{
             {"n1", 50}, {"ln", 99}, {"lr", 20}, {"lr", 100}, {"ld", 92}})
        buys.push_back({user, day * DAY, std::nullopt, std::nullopt, "view"});
    return rfm_model({"c1", "c2", "c3", "c4", "c5", "n1", "n2", "ln", "lr", "ld"}, buys);
}

const int64_t AS_OF = T0 + 100 * DAY;

std::string audience_of(const std::string& rules, const char* match = "all", bool negate = false) {
    return std::string(R"({"segx": 1, "root": {"match": ")") + match + R"(", "negate": )" +
           (negate ? "true" : "false") + R"(, "rules": [)" + rules + "]}}";
}

json run(const Model& m, const SavedDefinitions& saved, const std::string& text,
         AudienceCache* cache = nullptr, int64_t as_of = AS_OF) {
    RunOptions options;
    options.members = true;
    options.sorted_members = true;
    return run_definition(RunContext{m, as_of, 1, &saved, cache}, std::string_view(text), options);
}

Rfm saved_rfm(const std::string& id, const std::string& rest) {
    Rfm r = rfm_of(R"({"segx": 1, "kind": "rfm")" + rest + "}");
    r.id = id;
    return r;
}

std::string stage(const char* name, const std::string& rest = "") {
    return std::string(R"({"kind": "lifecycle", "stage": ")") + name + "\"" + rest + "}";
}

} // namespace

TEST_CASE("an rfm rule with the default settings: named segments of the R×F grid, or score ranges") {
    const Model m = hand_model();
    const SavedDefinitions saved;
    const auto rfm = [&](const std::string& body) {
        return members(run(m, saved, audience_of(R"({"kind": "rfm", )" + body + "}")));
    };
    CHECK(rfm(R"("segments": ["Champions"])") == "c1");
    CHECK(rfm(R"("segments": ["Champions", "Can't Lose Them"])") == "c1 c5");
    CHECK(rfm(R"("segments": ["Potential Loyalists", "About To Sleep", "Hibernating"])") == "c2 c3 c4");
    CHECK(rfm(R"("segments": ["Loyal Customers", "New Customers"])") == "");
    CHECK(rfm(R"("r": [4, 5])") == "c1 c2");
    CHECK(rfm(R"("f": [5, 5])") == "c5");
    CHECK(rfm(R"("r": [1, 3], "m": [2, 3])") == "c3 c4"); // every given range holds
    CHECK(rfm(R"("r": [1, 5], "f": [1, 5], "m": [1, 5])") == "c1 c2 c3 c4 c5");
    // Users without a purchase are not customers: they match no rfm rule, so a negated rule
    // holds them all.
    CHECK(members(run(m, saved, audience_of(R"({"kind": "rfm", "r": [1, 5]})", "all", true))) ==
          "ld ln lr n1 n2");
}

TEST_CASE("an rfm rule scores at the audience's as-of") {
    const Model m = hand_model();
    const SavedDefinitions saved;
    // As of day 80 only c3 (R 0, F 3), c4 (R 10, F 2) and c5 (R 70, F 6) are customers; NTILE(5)
    // over three gives scores 1..3: R c5 1, c4 2, c3 3; F c4 1, c3 2, c5 3.
    const std::string r3 = audience_of(R"({"kind": "rfm", "r": [3, 3]})");
    const std::string f3 = audience_of(R"({"kind": "rfm", "f": [3, 3]})");
    CHECK(members(run(m, saved, r3, nullptr, T0 + 80 * DAY)) == "c3");
    CHECK(members(run(m, saved, f3, nullptr, T0 + 80 * DAY)) == "c5");
    CHECK(members(run(m, saved, f3)) == "c2");
}

TEST_CASE("an rfm rule naming saved settings uses their method and segments") {
    const Model m = hand_model();
    SavedDefinitions saved;
    saved.rfms.push_back(saved_rfm("m8", R"(, "method": "mean")"));
    const auto rfm = [&](const std::string& body) {
        return members(run(m, saved, audience_of(R"({"kind": "rfm", "rfm": "m8", )" + body + "}")));
    };
    CHECK(rfm(R"("segments": ["重要价值客户"])") == "c1 c2");
    CHECK(rfm(R"("segments": ["重要发展客户", "一般保持客户"])") == "c3 c5");
    CHECK(rfm(R"("f": [1, 1])") == "c3 c4");
    CHECK(rfm(R"("r": [2, 2], "m": [1, 1])") == "c4");
}

TEST_CASE("rfm rule errors are at the rule's path: unknown settings, segments and scores past the method's") {
    const Model m = hand_model();
    SavedDefinitions saved;
    saved.rfms.push_back(saved_rfm("m8", R"(, "method": "mean")"));
    CHECK(errors(run(m, saved, audience_of(R"({"kind": "rfm", "rfm": "zz", "segments": ["Champions"]})"))) ==
          "root.rules[0].rfm: unknown RFM settings \"zz\"");
    CHECK(errors(run(m, saved, audience_of(R"({"kind": "rfm", "segments": ["Champions", "Loyal"]})"))) ==
          "root.rules[0].segments[1]: unknown RFM segment \"Loyal\" (the default settings have "
          "\"Champions\", \"Loyal Customers\", \"Potential Loyalists\", \"New Customers\", \"Promising\", "
          "\"Need Attention\", \"About To Sleep\", \"At Risk\", \"Can't Lose Them\", \"Hibernating\")");
    const std::string wrong = errors(
        run(m, saved,
            audience_of(
                R"({"kind": "property", "attribute": "x", "op": "is_set"}, {"kind": "group", "match": "any",
            "rules": [{"kind": "rfm", "rfm": "m8", "segments": ["Champions"]}]})")));
    CHECK(
        wrong.find("root.rules[1].rules[0].segments[0]: unknown RFM segment \"Champions\" (settings m8 have "
                   "\"重要价值客户\", ") != std::string::npos);
    CHECK(wrong.rfind("root.rules[0].attribute: unknown attribute", 0) == 0); // every problem is reported
    CHECK(errors(run(m, saved, audience_of(R"({"kind": "rfm", "rfm": "m8", "r": [1, 2], "m": [2, 3]})"))) ==
          "root.rules[0].m: scores run from 1 to 2 with the mean method");
    // The reader's own checks come first, with their paths.
    CHECK(errors(run(m, saved, audience_of(R"({"kind": "rfm", "rfm": "", "r": [1, 6]})"))) ==
          "root.rules[0].rfm: must not be empty\n"
          "root.rules[0].r[1]: expected a whole number from 1 to 5, got 6");
}

TEST_CASE("a lifecycle rule: the stage in the period holding as-of, by period and activity event") {
    const Model m = hand_model();
    const SavedDefinitions saved;
    const auto in = [&](const std::string& rule) { return members(run(m, saved, audience_of(rule))); };
    // Week (the default): days 98..104, before it 91..97.
    CHECK(in(stage("new")) == "ln");
    CHECK(in(stage("returning")) == "c1");
    CHECK(in(stage("resurrecting")) == "lr");
    CHECK(in(stage("dormant")) == "ld");
    CHECK(in(stage("dormant", R"(, "period": "week")")) == "ld");
    // Day: day 100, before it day 99 (ln was active on 99 only; ld's day 92 is long gone).
    CHECK(in(stage("new", R"(, "period": "day")")) == "");
    CHECK(in(stage("returning", R"(, "period": "day")")) == "c1");
    CHECK(in(stage("resurrecting", R"(, "period": "day")")) == "lr");
    CHECK(in(stage("dormant", R"(, "period": "day")")) == "ln");
    // Month: April (days 91..), before it March (days 60..90).
    CHECK(in(stage("new", R"(, "period": "month")")) == "c1 ld ln");
    CHECK(in(stage("dormant", R"(, "period": "month")")) == "c2 c3 c4");
    CHECK(in(stage("resurrecting", R"(, "period": "month")")) == "lr");
    // Purchases only: c1 bought in both weeks; nobody else bought in either.
    CHECK(in(stage("returning", R"(, "event": "purchase")")) == "c1");
    CHECK(in(stage("new", R"(, "event": "purchase")")) == "");
    CHECK(in(stage("dormant", R"(, "event": "purchase")")) == "");
    // An earlier as-of (day 93: this week 91..97, the one before 84..90).
    CHECK(members(run(m, saved, audience_of(stage("returning")), nullptr, T0 + 93 * DAY)) == "");
    CHECK(members(run(m, saved, audience_of(stage("new")), nullptr, T0 + 93 * DAY)) == "ld");
    CHECK(members(run(m, saved, audience_of(stage("dormant")), nullptr, T0 + 93 * DAY)) == "c2");
}

TEST_CASE("lifecycle rule errors are at the rule's path") {
    const Model m = hand_model();
    const SavedDefinitions saved;
    CHECK(errors(run(m, saved, audience_of(stage("new", R"(, "event": "nope")")))) ==
          "root.rules[0].event: unknown event \"nope\" (known: \"purchase\", \"view\")");
    CHECK(errors(run(m, saved, audience_of(stage("new", R"(, "period": "year", "event": "")")))) ==
          "root.rules[0].period: unknown period \"year\" (expected day, week or month)\n"
          "root.rules[0].event: must not be empty");
}

TEST_CASE("the cache keeps rfm and lifecycle rules' users under their settings and as-of") {
    const Model m = hand_model();
    SavedDefinitions saved;
    saved.rfms.push_back(saved_rfm("q", ""));
    AudienceCache cache;
    const std::string r2 = audience_of(R"({"kind": "rfm", "rfm": "q", "r": [2, 2]})");
    CHECK(members(run(m, saved, r2, &cache)) == "c4");
    CHECK(members(run(m, saved, r2, &cache)) == "c4");
    CHECK(cache.stats().hits == 1);
    // Editing the saved settings drops the rule's users: with the mean method R 2 is days <= 30.
    saved.rfms[0] = saved_rfm("q", R"(, "method": "mean")");
    CHECK(members(run(m, saved, r2, &cache)) == "c1 c2 c3 c4");
    // So does another as-of, for both kinds.
    const std::string f3 = audience_of(R"({"kind": "rfm", "f": [3, 3]})");
    CHECK(members(run(m, saved, f3, &cache)) == "c2");
    CHECK(members(run(m, saved, f3, &cache, T0 + 80 * DAY)) == "c5");
    const std::string returning = audience_of(stage("returning"));
    CHECK(members(run(m, saved, returning, &cache)) == "c1");
    CHECK(members(run(m, saved, returning, &cache, T0 + 93 * DAY)) == "");
    CHECK(members(run(m, saved, audience_of(stage("returning", R"(, "period": "day")")), &cache)) == "c1");
    CHECK(members(run(m, saved, audience_of(stage("new", R"(, "period": "day")")), &cache)) == "");
}

TEST_CASE("rfm rules compile to SQL (one CTE per settings), and so do lifecycle rules") {
    const Model m = hand_model();
    const SavedDefinitions saved;
    const json rules =
        json::parse(audience_of(R"({"kind": "rfm", "segments": ["Champions"]}, )" + stage("new")));
    const json answer = definition_sql(RunContext{m, AS_OF, 1, &saved}, rules);
    CHECK(answer["ok"] == true);
    const json two = json::parse(audience_of(
        R"({"kind": "rfm", "segments": ["Champions"]}, {"kind": "rfm", "r": [4, 5], "m": [1, 2]})"));
    const json ok = definition_sql(RunContext{m, AS_OF, 1, &saved}, two);
    REQUIRE(ok["ok"] == true);
    const std::string sql = ok["sql"];
    CHECK(sql.find("\"rfm_1\" AS (") != std::string::npos);
    CHECK(sql.find("\"rfm_2\"") == std::string::npos);
    CHECK(sql.find("WHERE \"segment\" IN ('Champions')") != std::string::npos);
    CHECK(sql.find("WHERE \"r\" BETWEEN 4 AND 5 AND \"m\" BETWEEN 1 AND 2") != std::string::npos);
    const json unknown = json::parse(audience_of(R"({"kind": "rfm", "rfm": "nope", "segments": ["x"]})"));
    CHECK(errors(definition_sql(RunContext{m, AS_OF, 1, &saved}, unknown)) ==
          "root.rules[0].rfm: unknown RFM settings \"nope\"");
    const json lsql = definition_sql(RunContext{m, AS_OF, 1, &saved}, json::parse(audience_of(stage("new"))));
    REQUIRE(lsql["ok"] == true);
    CHECK(lsql["sql"].get<std::string>().find("-- lifecycle: new in the week holding as-of") !=
          std::string::npos);
    // Errors at the rule's paths, as evaluating gives them.
    for (
        const std::string& rule :
        {stage("new", R"(, "event": "nope")"),
         std::string(
             R"({"kind": "lifecycle", "group": "new", "window": {"from": "2030-01-01"}, "event": "nope"})")}) {
        INFO(rule);
        CHECK(errors(definition_sql(RunContext{m, AS_OF, 1, &saved}, json::parse(audience_of(rule)))) ==
              errors(run(m, saved, audience_of(rule))));
    }
}

std::string group(const char* name, const std::string& rest = "") {
    return std::string(R"({"kind": "lifecycle", "group": ")") + name + "\"" + rest + "}";
}

TEST_CASE("a lifecycle rule of the board's form: exactly the users of a board group") {
    const Model m = hand_model();
    const SavedDefinitions saved;
    const auto in = [&](const std::string& rule) { return members(run(m, saved, audience_of(rule))); };
    // The period (93, 100], dormant after 7 days: (86, 93]. Any event is activity.
    const std::string w = R"(, "window": {"last_days": 7}, "dormant_days": 7)";
    CHECK(in(group("new", w)) == "c1 ln");              // first active on 96 and 99
    CHECK(in(group("returning", w)) == "c2 ld");        // active on 87..90, 92
    CHECK(in(group("dormant", w)) == "c3 c4 c5 lr n1"); // lr: days 20 and 100 only
    // The board's pools are these groups' sizes.
    const json board =
        run(m, saved, R"({"segx": 1, "kind": "board", "period": {"last_days": 7}, "dormant_days": 7})");
    REQUIRE(board["ok"] == true);
    CHECK(board["groups"]["new"]["pool"] == 2);
    CHECK(board["groups"]["returning"]["pool"] == 2);
    CHECK(board["groups"]["dormant"]["pool"] == 5);
    // The dormancy edge: (80, 93] leaves c3's day 80 out (start-exclusive), (79, 93] takes it.
    CHECK(in(group("returning", R"(, "window": {"last_days": 7}, "dormant_days": 13)")) == "c2 ld");
    CHECK(in(group("returning", R"(, "window": {"last_days": 7}, "dormant_days": 14)")) == "c2 c3 ld");
    // The board's defaults (the last 30 days: (70, 100], dormant after 90 days), purchases only.
    CHECK(in(group("new", R"(, "event": "purchase")")) == "c1 c2 c3");
    CHECK(in(group("returning", R"(, "event": "purchase")")) == "c4 c5");
    CHECK(in(group("dormant", R"(, "event": "purchase")")) == "");
}

TEST_CASE("a board-form lifecycle rule reads strictly and round-trips") {
    const Model m = hand_model();
    const SavedDefinitions saved;
    CHECK(errors(run(m, saved, audience_of(group("asleep")))) ==
          "root.rules[0].group: unknown group \"asleep\" (expected new, returning or dormant)");
    CHECK(
        errors(
            run(m, saved,
                audience_of(R"({"kind": "lifecycle", "group": "new", "stage": "new", "period": "day"})"))) ==
        "root.rules[0].stage: use either stage or group, not both\n"
        "root.rules[0].period: a group rule takes the board's \"window\" and \"dormant_days\", not a period");
    CHECK(errors(run(m, saved, audience_of(stage("new", R"(, "dormant_days": 3)")))) ==
          "root.rules[0].dormant_days: only a group rule (\"group\") takes this");
    CHECK(errors(run(m, saved, audience_of(group("new", R"(, "window": {"to": "2024-03-01"})")))) ==
          "root.rules[0].window.from: missing: the board's period needs a start");
    CHECK(errors(run(m, saved, audience_of(group("new", R"(, "window": {"from": "2030-01-01"})"))))
              .rfind("root.rules[0].window.from: must be before as-of", 0) == 0);
    const json rule = json::parse(
        group("dormant", R"(, "window": {"from": "2024-03-01"}, "dormant_days": 60, "event": "view")"));
    const json doc = json::parse(audience_of(rule.dump()));
    ValidationResult v = validate_audience(doc);
    REQUIRE(v.ok());
    json back;
    to_json(back, v.audience);
    CHECK(back["root"]["rules"][0] == rule);
    // Defaults are written out, so that the rule says which board it is.
    ValidationResult d = validate_audience(json::parse(audience_of(group("new"))));
    REQUIRE(d.ok());
    to_json(back, d.audience);
    CHECK(back["root"]["rules"][0] ==
          json::parse(
              R"({"kind": "lifecycle", "group": "new", "window": {"last_days": 30}, "dormant_days": 90})"));
}

} // namespace core_run_rfm_lifecycle_rule_test
