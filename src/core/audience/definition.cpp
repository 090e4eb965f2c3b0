#include "core/audience/definition.h"

namespace segx {

namespace {

struct OpName {
    Op op;
    const char* name;
};
constexpr OpName kOps[] = {
    {Op::Eq, "eq"},
    {Op::Neq, "neq"},
    {Op::In, "in"},
    {Op::NotIn, "not_in"},
    {Op::Contains, "contains"},
    {Op::NotContains, "not_contains"},
    {Op::StartsWith, "starts_with"},
    {Op::Gt, "gt"},
    {Op::Gte, "gte"},
    {Op::Lt, "lt"},
    {Op::Lte, "lte"},
    {Op::Between, "between"},
    {Op::IsSet, "is_set"},
    {Op::IsNotSet, "is_not_set"},
};

constexpr const char* kAggregateFns[] = {"sum", "avg", "min", "max"};
constexpr const char* kStages[] = {"new", "returning", "resurrecting", "dormant"};

} // namespace

const char* op_name(Op op) {
    for (const OpName& o : kOps)
        if (o.op == op) return o.name;
    return "?";
}

std::optional<Op> op_from_name(std::string_view name) {
    for (const OpName& o : kOps)
        if (name == o.name) return o.op;
    return std::nullopt;
}

Arity op_arity(Op op) {
    switch (op) {
        case Op::IsSet:
        case Op::IsNotSet:
            return Arity::None;
        case Op::In:
        case Op::NotIn:
            return Arity::Many;
        case Op::Between:
            return Arity::Two;
        default:
            return Arity::One;
    }
}

const char* aggregate_fn_name(AggregateFn fn) { return kAggregateFns[size_t(fn)]; }

std::optional<AggregateFn> aggregate_fn_from_name(std::string_view name) {
    for (size_t i = 0; i < 4; i++)
        if (name == kAggregateFns[i]) return AggregateFn(i);
    return std::nullopt;
}

const char* lifecycle_stage_name(LifecycleStage stage) { return kStages[size_t(stage)]; }

std::optional<LifecycleStage> lifecycle_stage_from_name(std::string_view name) {
    for (size_t i = 0; i < 4; i++)
        if (name == kStages[i]) return LifecycleStage(i);
    return std::nullopt;
}

const char* rule_kind_name(const RuleNode& node) {
    static constexpr const char* kKinds[] = {"group",     "property", "behavior", "rfm",
                                             "lifecycle", "funnel",   "audience"};
    return kKinds[node.index()];
}

Scalar Scalar::of(std::string s) {
    Scalar v;
    v.kind = Kind::String;
    v.text = std::move(s);
    return v;
}

Scalar Scalar::of(double x) {
    Scalar v;
    v.kind = Kind::Number;
    v.number = x;
    return v;
}

Scalar Scalar::of_bool(bool b) {
    Scalar v;
    v.kind = Kind::Bool;
    v.boolean = b;
    return v;
}

// Only the member of the active kind takes part: a number never differs by a stale text.
bool operator==(const Scalar& a, const Scalar& b) {
    if (a.kind != b.kind) return false;
    switch (a.kind) {
        case Scalar::Kind::String:
            return a.text == b.text;
        case Scalar::Kind::Number:
            return a.number == b.number;
        case Scalar::Kind::Bool:
            return a.boolean == b.boolean;
    }
    return false;
}

bool operator==(const PropertyRule& a, const PropertyRule& b) {
    return a.attribute == b.attribute && a.op == b.op && a.values == b.values && a.ci == b.ci;
}
bool operator==(const EventFilter& a, const EventFilter& b) {
    return a.property == b.property && a.op == b.op && a.values == b.values && a.ci == b.ci;
}
bool operator==(const WindowAllTime&, const WindowAllTime&) { return true; }
bool operator==(const WindowLastDays& a, const WindowLastDays& b) { return a.days == b.days; }
bool operator==(const WindowRange& a, const WindowRange& b) { return a.from == b.from && a.to == b.to; }
bool operator==(const CountMeasure& a, const CountMeasure& b) { return a.op == b.op && a.values == b.values; }
bool operator==(const AggregateMeasure& a, const AggregateMeasure& b) {
    return a.fn == b.fn && a.property == b.property && a.op == b.op && a.values == b.values;
}
bool operator==(const OccurrenceMeasure& a, const OccurrenceMeasure& b) { return a.last == b.last; }
bool operator==(const BehaviorRule& a, const BehaviorRule& b) {
    return a.did == b.did && a.event == b.event && a.where == b.where && a.window == b.window &&
           a.measure == b.measure;
}
bool operator==(const ScoreRange& a, const ScoreRange& b) { return a.lo == b.lo && a.hi == b.hi; }
bool operator==(const RfmRule& a, const RfmRule& b) {
    return a.segments == b.segments && a.r == b.r && a.f == b.f && a.m == b.m;
}
bool operator==(const LifecycleRule& a, const LifecycleRule& b) { return a.stage == b.stage; }
bool operator==(const FunnelRule& a, const FunnelRule& b) {
    return a.funnel == b.funnel && a.dropped_after == b.dropped_after && a.step == b.step;
}
bool operator==(const AudienceRefRule& a, const AudienceRefRule& b) { return a.id == b.id && a.in == b.in; }
bool operator==(const Group& a, const Group& b) {
    return a.match == b.match && a.negate == b.negate && a.rules == b.rules;
}
bool operator==(const Rule& a, const Rule& b) { return a.node == b.node; }
bool operator==(const Audience& a, const Audience& b) {
    return a.segx == b.segx && a.id == b.id && a.name == b.name && a.root == b.root;
}

} // namespace segx
