#include "audience_fixture.h"

#include <doctest/doctest.h>

namespace core_audience_evaluate_test {

using namespace segx;
using namespace segx::test;

namespace {

const char* kCnCi = R"({"kind": "property", "attribute": "country", "op": "eq", "value": "CN", "ci": true})";
const char* kBuyers30 = R"({"kind": "behavior", "event": "purchase", "window": {"last_days": 30}})";

Audience parse(const std::string& text) {
    ValidationResult v = parse_audience(text);
    INFO(join_errors(v.errors));
    REQUIRE(v.ok());
    return v.audience;
}

Audience with_root(const std::string& id, const std::string& root_json) {
    return parse("{\"segx\": 1, \"id\": \"" + id + "\", \"root\": " + root_json + "}");
}

Audience ref_to(const std::string& id, const std::string& target, const char* op = "in") {
    return with_root(id, std::string("{\"match\": \"all\", \"rules\": [{\"kind\": \"audience\", \"op\": \"") +
                             op + "\", \"id\": \"" + target + "\"}]}");
}

std::string members_of(const Audience& a, const Saved* saved = nullptr) {
    EvalResult r = eval(a, A, saved);
    INFO(join_errors(r.errors));
    REQUIRE(r.ok());
    return members(fixture_model(), r.users);
}

} // namespace

TEST_CASE("an empty all-group is every user, an empty any-group is no user") {
    CHECK(members_of(with_root("", R"({"match": "all", "rules": []})")) == "u0 u1 u2 u3 u4 u5 u6 u7 e8 e9");
    CHECK(members_of(with_root("", R"({"match": "any", "rules": []})")) == "");
    CHECK(members_of(with_root("", R"({"match": "any", "negate": true, "rules": []})")) ==
          "u0 u1 u2 u3 u4 u5 u6 u7 e8 e9");
    EvalResult r = eval(with_root("", R"({"match": "all", "rules": []})"));
    CHECK(r.users.size == 10);
    CHECK(r.users.count_set() == 10);
}

TEST_CASE("all intersects, any unites, negate complements (nulls included)") {
    CHECK(members_of(with_root(
              "", std::string(R"({"match": "all", "rules": [)") + kCnCi + ", " + kBuyers30 + "]}")) == "u0");
    CHECK(members_of(with_root("", std::string(R"({"match": "any", "rules": [)") + kCnCi + ", " + kBuyers30 +
                                       "]}")) == "u0 u1 u2 u5 u6 u7 e8");
    // Two-valued logic: not (country = CN) includes the users whose country is null.
    CHECK(members_of(with_root("", R"({"match": "all", "negate": true, "rules": [
              {"kind": "property", "attribute": "country", "op": "eq", "value": "CN"}]})")) ==
          "u1 u2 u3 u4 u5 u7 e8 e9");
    // any [ all [country ci CN, age >= 35], bought in the last day ]
    CHECK(members_of(with_root("", R"({"match": "any", "rules": [
              {"kind": "group", "match": "all", "rules": [
                  {"kind": "property", "attribute": "country", "op": "eq", "value": "cn", "ci": true},
                  {"kind": "property", "attribute": "age", "op": "gte", "value": 35}]},
              {"kind": "behavior", "event": "purchase", "window": {"last_days": 1}}]})")) == "u5 u6 u7");
}

TEST_CASE("a bitmap has one bit per user and no stray bits past the last user") {
    EvalResult r = eval(with_root("", R"({"match": "all", "negate": true, "rules": [
              {"kind": "property", "attribute": "tag", "op": "is_set"}]})"));
    REQUIRE(r.ok());
    CHECK(r.users.size == 10);
    CHECK(r.users.words.size() == 1);
    CHECK(r.users.words[0] == ((1ull << 3) | (1ull << 8) | (1ull << 9)));
}

TEST_CASE("audience references: in and not_in a saved audience, nested references") {
    Saved saved;
    saved.audiences["cn"] = with_root("cn", std::string(R"({"match": "all", "rules": [)") + kCnCi + "]}");
    saved.audiences["buyers"] =
        with_root("buyers", std::string(R"({"match": "all", "rules": [)") + kBuyers30 + "]}");
    saved.audiences["cn_buyers"] = with_root("cn_buyers", R"({"match": "all", "rules": [
        {"kind": "audience", "op": "in", "id": "cn"}, {"kind": "audience", "op": "in", "id": "buyers"}]})");

    CHECK(members_of(ref_to("", "cn"), &saved) == "u0 u2 u6 u7");
    CHECK(members_of(ref_to("", "cn", "not_in"), &saved) == "u1 u3 u4 u5 e8 e9");
    CHECK(members_of(ref_to("x", "cn_buyers"), &saved) == "u0");
    // The same audience reached twice (a diamond) is fine: only a way back is a cycle.
    CHECK(members_of(with_root("", R"({"match": "any", "rules": [
              {"kind": "audience", "op": "in", "id": "cn_buyers"},
              {"kind": "audience", "op": "in", "id": "cn"}]})"),
                     &saved) == "u0 u2 u6 u7");
}

TEST_CASE("a reference cycle is an error naming every audience in it") {
    Saved saved;
    saved.audiences["a"] = ref_to("a", "b");
    saved.audiences["b"] = ref_to("b", "a");
    saved.audiences["self"] = ref_to("self", "self");
    saved.audiences["c1"] = ref_to("c1", "c2");
    saved.audiences["c2"] = ref_to("c2", "c3");
    saved.audiences["c3"] = with_root("c3", std::string(R"({"match": "any", "rules": [)") + kCnCi +
                                                R"(, {"kind": "audience", "op": "not_in", "id": "c1"}]})");

    EvalResult r = eval(saved.audiences["a"], A, &saved);
    CHECK(join_errors(r.errors) == "root.rules[0]: audience cycle: a → b → a");
    CHECK(r.users.size == 0);
    CHECK(join_errors(eval(saved.audiences["self"], A, &saved).errors) ==
          "root.rules[0]: audience cycle: self → self");
    CHECK(join_errors(eval(saved.audiences["c2"], A, &saved).errors) ==
          "root.rules[0]: audience cycle: c2 → c3 → c1 → c2");
    // An unsaved audience that leads into a cycle names the cycle, not itself.
    CHECK(join_errors(eval(ref_to("", "a"), A, &saved).errors) == "root.rules[0]: audience cycle: a → b → a");
    // Editing a saved audience so that it points at itself through another is a cycle too.
    saved.audiences["to_edit"] = ref_to("to_edit", "cn");
    saved.audiences["cn"] = ref_to("cn", "to_edit");
    Audience edited = ref_to("to_edit", "cn");
    CHECK(join_errors(eval(edited, A, &saved).errors) ==
          "root.rules[0]: audience cycle: to_edit → cn → to_edit");
}

TEST_CASE("unknown and broken referenced audiences are reported at the referencing rule") {
    Saved saved;
    saved.audiences["bad"] = with_root("bad", R"({"match": "all", "rules": [
        {"kind": "property", "attribute": "nope", "op": "is_set"}]})");
    CHECK(join_errors(eval(ref_to("", "zzz"), A, &saved).errors) ==
          "root.rules[0].id: unknown audience \"zzz\"");
    CHECK(join_errors(eval(ref_to("", "zzz"), A, nullptr).errors) ==
          "root.rules[0].id: unknown audience \"zzz\"");
    std::string e = join_errors(eval(ref_to("", "bad"), A, &saved).errors);
    CHECK(e.rfind("root.rules[0]: in audience bad: root.rules[0].attribute: unknown attribute \"nope\"", 0) ==
          0);
}

TEST_CASE(
    "without the context's rfm and lifecycle hooks those rules are errors at their path; a funnel "
    "rule without saved funnels names the unknown funnel") {
    Audience a = with_root("", R"({"match": "all", "rules": [
        {"kind": "property", "attribute": "age", "op": "gt", "value": 1},
        {"kind": "group", "match": "any", "rules": [{"kind": "rfm", "segments": ["Champions"]}]},
        {"kind": "lifecycle", "stage": "dormant"},
        {"kind": "funnel", "funnel": "f1", "reached": 2}]})");
    EvalResult r = eval(a);
    CHECK(join_errors(r.errors) ==
          "root.rules[1].rules[0]: RFM settings are not available here\n"
          "root.rules[2]: lifecycle stages are not available here\n"
          "root.rules[3].funnel: unknown funnel \"f1\"");
    CHECK(r.users.size == 0);
}

TEST_CASE("every broken rule of an audience is reported, not just the first") {
    Audience a = with_root("", R"({"match": "any", "rules": [
        {"kind": "property", "attribute": "age", "op": "eq", "value": "x"},
        {"kind": "property", "attribute": "country", "op": "eq", "value": "CN"},
        {"kind": "behavior", "event": "nope"}]})");
    EvalResult r = eval(a);
    REQUIRE(r.errors.size() == 2);
    CHECK(r.errors[0].path == "root.rules[0].value");
    CHECK(r.errors[1].path == "root.rules[2].event");
}

TEST_CASE("groups nested past the limit in a tree built in code are an error, not a deep recursion") {
    Audience a;
    Group g;
    for (int i = 0; i < 200; i++) {
        Group outer;
        outer.rules.push_back(std::move(g));
        g = std::move(outer);
    }
    a.root = std::move(g);
    EvalResult r = eval(a);
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].message == "groups nested deeper than 64 levels");
}

TEST_CASE("an empty model gives empty sets and still names unknown names") {
    Model empty = build_model({}, {});
    EvalContext ctx{empty, 0, 0, nullptr};
    EvalResult r = evaluate(with_root("", R"({"match": "all", "rules": []})"), ctx);
    REQUIRE(r.ok());
    CHECK(r.users.size == 0);
    r = evaluate(audience_of(R"({"kind": "behavior", "event": "purchase"})"), ctx);
    CHECK(join_errors(r.errors) ==
          "root.rules[0].event: unknown event \"purchase\" (the data has no events)");
    r = evaluate(audience_of(R"({"kind": "property", "attribute": "a", "op": "is_set"})"), ctx);
    CHECK(join_errors(r.errors) == "root.rules[0].attribute: unknown attribute \"a\" (the data has none)");
}

} // namespace core_audience_evaluate_test
