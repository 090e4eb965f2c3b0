// core/funnel JSON: the §4 format read strictly (every problem at its path) and written back
// exactly.
#include "core/funnel/json.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

namespace core_funnel_json_test {

using namespace segx;
using nlohmann::json;

namespace {

const char* kCheckout = R"({"segx": 1, "kind": "funnel", "id": "f1", "name": "Checkout",
  "steps": [{"event": "view_item", "where": [{"property": "device", "op": "eq", "value": "mobile"}]},
            {"event": "add_to_cart"}, {"event": "purchase"}],
  "order": "ordered", "window": {"days": 7},
  "entry": {"from": "2026-02-01", "to": "2026-02-28T23:59:59Z"},
  "exclusions": [{"event": "support_chat", "between": [2, 3]}],
  "breakdown": {"attribute": "country"},
  "audience": {"match": "all", "rules": []}})";

// The errors of a document as "path: message" lines.
std::string errors_of(const std::string& text) { return join_errors(parse_funnel(text).errors); }

std::string with(const std::string& rest) {
    return R"({"segx": 1, "kind": "funnel", "steps": [{"event": "a"}, {"event": "b"}, {"event": "c"}], )" +
           rest + "}";
}

bool has(const std::string& errors, const std::string& path) {
    return errors.find(path + ": ") != std::string::npos;
}

} // namespace

TEST_CASE("the DESIGN §4 example reads into the values it says") {
    FunnelValidation v = parse_funnel(kCheckout);
    INFO(join_errors(v.errors));
    REQUIRE(v.ok());
    const Funnel& f = v.funnel;
    CHECK(f.id == "f1");
    CHECK(f.name == "Checkout");
    REQUIRE(f.steps.size() == 3);
    CHECK(f.steps[0].event == "view_item");
    REQUIRE(f.steps[0].where.size() == 1);
    CHECK(f.steps[0].where[0].property == "device");
    CHECK(f.order == FunnelOrder::Ordered);
    CHECK(f.window.unit == WindowUnit::Days);
    CHECK(f.window.amount == 7);
    CHECK(f.window.micros() == 7 * 86400 * int64_t(1000000));
    REQUIRE(f.entry.has_value());
    CHECK(f.entry->from == "2026-02-01");
    REQUIRE(f.exclusions.size() == 1);
    CHECK(f.exclusions[0].from == 2);
    CHECK(f.exclusions[0].to == 3);
    REQUIRE(f.breakdown.has_value());
    CHECK_FALSE(f.breakdown->property);
    CHECK(f.breakdown->name == "country");
    CHECK(f.breakdown->top == 10);
    CHECK(f.audience == json::parse(R"({"match": "all", "rules": []})"));
}

TEST_CASE("defaults: ordered, a 7-day window, no entry, exclusions, breakdown or audience") {
    FunnelValidation v =
        parse_funnel(R"({"segx": 1, "kind": "funnel", "steps": [{"event": "a"}, {"event": "b"}]})");
    REQUIRE(v.ok());
    CHECK(v.funnel.order == FunnelOrder::Ordered);
    CHECK(v.funnel.window == FunnelWindow{WindowUnit::Days, 7});
    CHECK_FALSE(v.funnel.entry.has_value());
    CHECK(v.funnel.exclusions.empty());
    CHECK_FALSE(v.funnel.breakdown.has_value());
    CHECK(v.funnel.audience.is_null());
}

TEST_CASE("round trip: from_json(to_json(x)) == x, and the written JSON reads back to itself") {
    const std::vector<std::string> docs = {
        kCheckout,
        with(R"("order": "strict", "window": {"seconds": 90}, "entry": {"to": "2024-01-01T10:00:00.5Z"},
                "exclusions": [{"event": "x", "where": [{"property": "p", "op": "in", "values": [1, 2.5, "z"],
                "ci": true}], "between": [1, 3]}], "breakdown": {"property": "device", "top": 3},
                "audience": {"audience": "vip"})"),
        with(R"("order": "unordered", "window": {"hours": 8784}, "entry": {"from": "2024-01-01"})"),
        with(
            R"("window": {"minutes": 5}, "name": "名前 \"quoted\"", "audience": {"kind": "group", "match": "any",
                "negate": true, "rules": [{"kind": "property", "attribute": "a", "op": "is_set"}]})"),
    };
    for (const std::string& text : docs) {
        INFO(text);
        FunnelValidation v = parse_funnel(text);
        INFO(join_errors(v.errors));
        REQUIRE(v.ok());
        json written;
        to_json(written, v.funnel);
        Funnel back;
        from_json(written, back);
        CHECK(back == v.funnel);
        json again;
        to_json(again, back);
        CHECK(again == written);
        CHECK(written["kind"] == "funnel");
        CHECK(written["segx"] == 1);
    }
    // A value built in code, written and read.
    Funnel f;
    f.steps = {{"a", {}}, {"b", {{"device", Op::Between, {Scalar::of(1), Scalar::of(2)}, false}}}};
    f.window = {WindowUnit::Seconds, 1};
    f.breakdown = FunnelBreakdown{true, "device", 100};
    json j;
    to_json(j, f);
    Funnel g;
    from_json(j, g);
    CHECK(g == f);
    g.breakdown->top = 99;
    CHECK(g != f);
}

TEST_CASE("the document: version, kind, unknown keys") {
    CHECK(errors_of(R"({"kind": "funnel"})") ==
          "segx: missing: a segx funnel definition starts with \"segx\": 1");
    CHECK(has(errors_of(R"({"segx": 2, "kind": "funnel"})"), "segx"));
    CHECK(has(errors_of(with(R"("kind2": 1)")), "kind2"));
    std::string wrong_kind =
        errors_of(R"({"segx": 1, "kind": "audience", "steps": [{"event": "a"}, {"event": "b"}]})");
    CHECK(wrong_kind == "kind: expected \"funnel\", got \"audience\"");
    CHECK(has(errors_of(R"({"segx": 1, "steps": [{"event": "a"}, {"event": "b"}]})"), "kind"));
    CHECK(has(errors_of("[1]"), "$"));
    CHECK(errors_of(R"({"segx": 1, "segx": 1, "kind": "funnel", "steps": [{"event": "a"}, {"event": "b"}]})")
              .find("duplicate key") != std::string::npos);
}

TEST_CASE("steps: 2 to 32, each an event and optional filters") {
    CHECK(errors_of(R"({"segx": 1, "kind": "funnel", "steps": [{"event": "a"}]})") ==
          "steps: a funnel has 2 to 32 steps, got 1");
    std::string many = R"({"segx": 1, "kind": "funnel", "steps": [)";
    for (int i = 0; i < 33; i++) many += std::string(i ? "," : "") + R"({"event": "e"})";
    CHECK(errors_of(many + "]}") == "steps: a funnel has 2 to 32 steps, got 33");
    CHECK(has(errors_of(R"({"segx": 1, "kind": "funnel"})"), "steps"));
    std::string bad = errors_of(R"({"segx": 1, "kind": "funnel", "steps": [{"event": ""}, {"name": "b"}, 3,
        {"event": "c", "where": [{"property": "p", "op": "equals", "value": 1}]}]})");
    CHECK(has(bad, "steps[0].event"));
    CHECK(has(bad, "steps[1].name"));
    CHECK(has(bad, "steps[1].event"));
    CHECK(has(bad, "steps[2]"));
    CHECK(has(bad, "steps[3].where[0].op"));
}

TEST_CASE("order, window and entry") {
    CHECK(has(errors_of(with(R"("order": "any")")), "order"));
    CHECK(has(errors_of(with(R"("window": {"days": 367})")), "window.days"));
    CHECK(errors_of(with(R"("window": {"days": 366})")).empty());
    CHECK(errors_of(with(R"("window": {"seconds": 31622400})")).empty());
    CHECK(has(errors_of(with(R"("window": {"seconds": 31622401})")), "window.seconds"));
    CHECK(has(errors_of(with(R"("window": {"hours": 0})")), "window.hours"));
    CHECK(has(errors_of(with(R"("window": {"hours": 1.5})")), "window.hours"));
    CHECK(has(errors_of(with(R"("window": {"days": 1, "hours": 2})")), "window"));
    CHECK(has(errors_of(with(R"("window": {"weeks": 1})")), "window.weeks"));
    CHECK(has(errors_of(with(R"("window": {})")), "window"));
    CHECK(has(errors_of(with(R"("window": 7)")), "window"));
    CHECK(errors_of(with(R"("entry": {"from": "2024-01-01", "to": "2024-01-01"})")).empty()); // one instant
    CHECK(has(errors_of(with(R"("entry": {"from": "2024-01-02", "to": "2024-01-01"})")), "entry.to"));
    CHECK(has(errors_of(with(R"("entry": {"from": "yesterday"})")), "entry.from"));
    CHECK(has(errors_of(with(R"("entry": {})")), "entry"));
    CHECK(has(errors_of(with(R"("entry": {"from": "2024-01-01", "until": "x"})")), "entry.until"));
}

TEST_CASE("exclusions: between [i, j] with 1 <= i < j <= steps; not in unordered funnels") {
    CHECK(errors_of(with(R"("exclusions": [{"event": "x", "between": [1, 3]}])")).empty());
    CHECK(has(errors_of(with(R"("exclusions": [{"event": "x", "between": [2, 2]}])")),
              "exclusions[0].between"));
    CHECK(has(errors_of(with(R"("exclusions": [{"event": "x", "between": [0, 1]}])")),
              "exclusions[0].between[0]"));
    CHECK(has(errors_of(with(R"("exclusions": [{"event": "x", "between": [1, 4]}])")),
              "exclusions[0].between[1]"));
    CHECK(has(errors_of(with(R"("exclusions": [{"event": "x", "between": [1]}])")), "exclusions[0].between"));
    CHECK(has(errors_of(with(R"("exclusions": [{"event": "x"}])")), "exclusions[0].between"));
    CHECK(has(errors_of(with(R"("exclusions": [{"between": [1, 2]}])")), "exclusions[0].event"));
    CHECK(has(errors_of(with(R"("exclusions": {"event": "x"})")), "exclusions"));
    CHECK(has(errors_of(with(R"("order": "unordered", "exclusions": [{"event": "x", "between": [1, 2]}])")),
              "exclusions"));
    CHECK(errors_of(with(R"("order": "unordered", "exclusions": [])")).empty());
}

TEST_CASE("breakdown and audience filter") {
    CHECK(errors_of(with(R"("breakdown": {"property": "device", "top": 100})")).empty());
    CHECK(has(errors_of(with(R"("breakdown": {"property": "device", "top": 0})")), "breakdown.top"));
    CHECK(has(errors_of(with(R"("breakdown": {"property": "device", "top": 101})")), "breakdown.top"));
    CHECK(has(errors_of(with(R"("breakdown": {"property": "d", "attribute": "c"})")), "breakdown"));
    CHECK(has(errors_of(with(R"("breakdown": {})")), "breakdown"));
    CHECK(has(errors_of(with(R"("breakdown": {"attribute": ""})")), "breakdown.attribute"));
    CHECK(has(errors_of(with(R"("audience": {"audience": "a", "match": "all"})")), "audience.match"));
    CHECK(has(errors_of(with(R"("audience": {"audience": 3})")), "audience.audience"));
    CHECK(has(errors_of(with(R"("audience": "vip")")), "audience"));
    CHECK(has(errors_of(with(R"("audience": {"match": "all", "rulez": []})")), "audience.rulez"));
    // With a group check, the group's own problems come back at their paths in the same walk.
    GroupCheck check = [](const json& group, const std::string& path, std::vector<DefinitionError>& errors) {
        if (!group.contains("rules")) errors.push_back({path + ".rules", "missing"});
    };
    FunnelValidation v = parse_funnel(with(R"("audience": {"match": "all"})"), check);
    REQUIRE(v.errors.size() == 1);
    CHECK(v.errors[0].path == "audience.rules");
}

TEST_CASE("from_json throws with every problem listed") {
    Funnel f;
    CHECK_THROWS_AS(from_json(json::parse(R"({"segx": 1, "kind": "funnel", "steps": []})"), f),
                    std::invalid_argument);
}

} // namespace core_funnel_json_test
