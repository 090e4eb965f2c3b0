#include "core/audience/json.h"

#include <nlohmann/json.hpp>

#include <doctest/doctest.h>

#include <stdexcept>

namespace core_audience_json_test {

using namespace segx;
using json = nlohmann::json;

namespace {

Audience sample() {
    Audience a;
    a.id = "a1";
    a.name = "VIP \"buyers\" <b>'; DROP TABLE users; --</b> 会员";
    a.root.match = Match::Any;

    PropertyRule country{"country", Op::In, {Scalar::of("CN"), Scalar::of("HK")}, true};
    PropertyRule age{"age", Op::Between, {Scalar::of(18), Scalar::of(30.5)}, false};
    PropertyRule vip{"vip", Op::Eq, {Scalar::of_bool(true)}, false};
    PropertyRule tag{"tag", Op::IsNotSet, {}, false};

    BehaviorRule bought;
    bought.event = "purchase";
    bought.where = {EventFilter{"platform", Op::Eq, {Scalar::of("ios")}, false}};
    bought.window = WindowLastDays{30};
    bought.measure = CountMeasure{Op::Between, {2, 5}};

    BehaviorRule spent;
    spent.did = false;
    spent.event = "purchase";
    spent.window = WindowRange{"2024-01-01", "2024-03-31T23:59:59Z"};
    spent.measure = AggregateMeasure{AggregateFn::Avg, "price", Op::Gt, {99.9}};

    BehaviorRule first;
    first.event = "signup";
    first.window = WindowRange{"", "2024-02-01"};
    first.measure = OccurrenceMeasure{true};

    RfmRule rfm;
    rfm.r = ScoreRange{4, 5};
    rfm.m = ScoreRange{1, 2};

    Group inner;
    inner.negate = true;
    inner.rules = {country, age, vip, tag};

    a.root.rules = {inner,
                    bought,
                    spent,
                    first,
                    rfm,
                    RfmRule{{"Champions", "At Risk"}, {}, {}, {}, ""},
                    LifecycleRule{LifecycleStage::Resurrecting, PeriodUnit::Week, ""},
                    FunnelRule{"f1", true, 2},
                    AudienceRefRule{"a2", false}};
    return a;
}

} // namespace

TEST_CASE("to_json writes the documented shape") {
    json j = sample();
    CHECK(
        j.dump() ==
        R"({"id":"a1","name":"VIP \"buyers\" <b>'; DROP TABLE users; --</b> 会员","root":{"kind":"group","match":"any","rules":[)"
        R"({"kind":"group","match":"all","negate":true,"rules":[)"
        R"({"attribute":"country","ci":true,"kind":"property","op":"in","values":["CN","HK"]},)"
        R"({"attribute":"age","kind":"property","op":"between","values":[18,30.5]},)"
        R"({"attribute":"vip","kind":"property","op":"eq","value":true},)"
        R"({"attribute":"tag","kind":"property","op":"is_not_set"}]},)"
        R"({"count":{"op":"between","values":[2,5]},"did":true,"event":"purchase","kind":"behavior",)"
        R"("where":[{"op":"eq","property":"platform","value":"ios"}],"window":{"last_days":30}},)"
        R"({"aggregate":{"fn":"avg","of":"property","op":"gt","property":"price","value":99.9},"did":false,)"
        R"("event":"purchase","kind":"behavior","window":{"from":"2024-01-01","to":"2024-03-31T23:59:59Z"}},)"
        R"({"did":true,"event":"signup","kind":"behavior","occurrence":"last","window":{"to":"2024-02-01"}},)"
        R"({"kind":"rfm","m":[1,2],"r":[4,5]},)"
        R"({"kind":"rfm","segments":["Champions","At Risk"]},)"
        R"({"kind":"lifecycle","stage":"resurrecting"},)"
        R"({"dropped_after":2,"funnel":"f1","kind":"funnel"},)"
        R"({"id":"a2","kind":"audience","op":"not_in"}]},"segx":1})");
}

TEST_CASE("from_json(to_json(x)) == x, through the DOM and through text") {
    Audience a = sample();
    json j = a;
    CHECK(j.get<Audience>() == a);
    ValidationResult v = parse_audience(j.dump());
    REQUIRE(v.ok());
    CHECK(v.audience == a);
    CHECK(json(v.audience) == j);
}

TEST_CASE("defaults: a root without kind, negate and ci left out, a behavior rule without a measure") {
    ValidationResult v = parse_audience(R"({"segx": 1, "root": {"match": "all", "rules": [
        {"kind": "behavior", "event": "purchase"}]}})");
    REQUIRE(v.ok());
    CHECK(v.audience.id.empty());
    CHECK(v.audience.name.empty());
    CHECK_FALSE(v.audience.root.negate);
    const auto& b = std::get<BehaviorRule>(v.audience.root.rules.at(0).node);
    CHECK(b.did);
    CHECK(std::holds_alternative<WindowAllTime>(b.window));
    CHECK((std::get<CountMeasure>(b.measure) == CountMeasure{Op::Gte, {1}}));
    CHECK(
        json(v.audience).dump() ==
        R"({"id":"","name":"","root":{"kind":"group","match":"all","rules":[{"count":{"op":"gte","value":1},)"
        R"("did":true,"event":"purchase","kind":"behavior"}]},"segx":1})");
}

TEST_CASE("from_json throws std::invalid_argument listing every problem") {
    json bad = json::parse(R"({"segx": 1, "root": {"match": "some", "rules": [{"kind": "x"}]}})");
    try {
        (void)bad.get<Audience>();
        FAIL("no exception");
    } catch (const std::invalid_argument& e) {
        CHECK(std::string(e.what()) ==
              "invalid audience definition:\n"
              "root.match: unknown match \"some\" (expected all or any)\n"
              "root.rules[0].kind: unknown kind \"x\" (expected group, property, behavior, rfm, lifecycle, "
              "funnel, audience or retention)");
    }
}

TEST_CASE("names with quotes, SQL, HTML and Chinese are data and survive a round trip") {
    Audience a;
    a.id = "id\"with'quotes";
    a.name = "<script>alert(1)</script> \"; DELETE FROM users; -- 高价值客户 \\ \n\t";
    a.root.rules.push_back(PropertyRule{"名字 \"x\"", Op::Eq, {Scalar::of("' OR 1=1 --")}, false});
    ValidationResult v = parse_audience(json(a).dump());
    REQUIRE(v.ok());
    CHECK(v.audience == a);
}

TEST_CASE("operator and enum names map both ways") {
    for (int i = 0; i <= int(Op::IsNotSet); i++) CHECK(op_from_name(op_name(Op(i))) == Op(i));
    CHECK_FALSE(op_from_name("equals").has_value());
    CHECK(op_arity(Op::Between) == Arity::Two);
    CHECK(op_arity(Op::NotIn) == Arity::Many);
    CHECK(op_arity(Op::IsSet) == Arity::None);
    CHECK(op_arity(Op::StartsWith) == Arity::One);
    for (int i = 0; i < 4; i++) {
        CHECK(aggregate_fn_from_name(aggregate_fn_name(AggregateFn(i))) == AggregateFn(i));
        CHECK(lifecycle_stage_from_name(lifecycle_stage_name(LifecycleStage(i))) == LifecycleStage(i));
    }
}

TEST_CASE("equality looks only at what a variant holds") {
    CHECK(Scalar::of(1) == Scalar::of(1.0));
    CHECK(Scalar::of(1) != Scalar::of("1"));
    CHECK(Scalar::of_bool(true) != Scalar::of(1));
    Scalar a = Scalar::of(2), b = Scalar::of(2);
    a.text = "stale";
    CHECK(a == b);
    CHECK(Rule(Group{}) != Rule(PropertyRule{}));
}

} // namespace core_audience_json_test
