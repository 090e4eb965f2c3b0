#include "core/audience/definition.h"

#include "core/lang/names.h"

namespace segx {

namespace {

constexpr const char* kAggregateFns[] = {"sum", "avg", "min", "max"};
constexpr const char* kStages[] = {"new", "returning", "resurrecting", "dormant"};
constexpr const char* kCountUnits[] = {"events", "orders", "days"};

} // namespace

const char* aggregate_fn_name(AggregateFn fn) { return kAggregateFns[size_t(fn)]; }

std::optional<AggregateFn> aggregate_fn_from_name(std::string_view name) {
    for (size_t i = 0; i < 4; i++)
        if (name == kAggregateFns[i]) return AggregateFn(i);
    return std::nullopt;
}

const char* count_unit_name(CountUnit unit) { return kCountUnits[size_t(unit)]; }

std::optional<CountUnit> count_unit_from_name(std::string_view name) {
    for (size_t i = 0; i < 3; i++)
        if (name == kCountUnits[i]) return CountUnit(i);
    return std::nullopt;
}

const char* lifecycle_stage_name(LifecycleStage stage) { return kStages[size_t(stage)]; }

std::optional<LifecycleStage> lifecycle_stage_from_name(std::string_view name) {
    for (size_t i = 0; i < 4; i++)
        if (name == kStages[i]) return LifecycleStage(i);
    return std::nullopt;
}

namespace {
constexpr const char* kGroups[] = {"new", "returning", "dormant"};
}

const char* lifecycle_group_name(LifecycleGroup group) { return kGroups[size_t(group)]; }

std::optional<LifecycleGroup> lifecycle_group_from_name(std::string_view name) {
    for (size_t i = 0; i < 3; i++)
        if (name == kGroups[i]) return LifecycleGroup(i);
    return std::nullopt;
}

const char* rule_kind_name(const RuleNode& node) {
    static constexpr const char* kKinds[] = {"group",     "property", "behavior", "rfm",
                                             "lifecycle", "funnel",   "audience", "retention"};
    return kKinds[node.index()];
}

bool operator==(const PropertyRule& a, const PropertyRule& b) {
    return a.attribute == b.attribute && a.op == b.op && a.values == b.values && a.ci == b.ci;
}
bool operator==(const CountMeasure& a, const CountMeasure& b) {
    return a.op == b.op && a.values == b.values && a.unit == b.unit;
}
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
    return a.rfm == b.rfm && a.segments == b.segments && a.r == b.r && a.f == b.f && a.m == b.m;
}
bool operator==(const LifecycleRule& a, const LifecycleRule& b) {
    return a.stage == b.stage && a.period == b.period && a.event == b.event && a.group == b.group &&
           a.window == b.window && a.dormant_days == b.dormant_days;
}
bool operator==(const FunnelRule& a, const FunnelRule& b) {
    return a.funnel == b.funnel && a.dropped_after == b.dropped_after && a.step == b.step;
}
bool operator==(const AudienceRefRule& a, const AudienceRefRule& b) { return a.id == b.id && a.in == b.in; }
bool operator==(const RetentionRule& a, const RetentionRule& b) {
    return a.retention == b.retention && a.cohort == b.cohort && a.period == b.period;
}
bool operator==(const Group& a, const Group& b) {
    return a.match == b.match && a.negate == b.negate && a.rules == b.rules;
}
bool operator==(const Rule& a, const Rule& b) { return a.node == b.node; }
bool operator==(const Audience& a, const Audience& b) {
    return a.segx == b.segx && a.id == b.id && a.name == b.name && a.root == b.root;
}

void check_measure_ops(const Measure& measure, const std::string& path,
                       std::vector<DefinitionError>& errors) {
    const auto values_fit = [](Op op, size_t n) { return op == Op::Between ? n == 2 : n == 1; };
    if (const auto* count = std::get_if<CountMeasure>(&measure)) {
        bool op_ok =
            count->op == Op::Gte || count->op == Op::Lte || count->op == Op::Eq || count->op == Op::Between;
        if (!op_ok || !values_fit(count->op, count->values.size()))
            errors.push_back(DefinitionError{child_path(path, "count"),
                                             "expected gte, lte or eq with one value, or between with two"});
    } else if (const auto* agg = std::get_if<AggregateMeasure>(&measure)) {
        bool op_ok = agg->op == Op::Eq || agg->op == Op::Neq || agg->op == Op::Gt || agg->op == Op::Gte ||
                     agg->op == Op::Lt || agg->op == Op::Lte || agg->op == Op::Between;
        if (!op_ok || !values_fit(agg->op, agg->values.size()))
            errors.push_back(
                DefinitionError{child_path(path, "aggregate"),
                                "expected eq, neq, gt, gte, lt or lte with one value, or between with two"});
    }
}

} // namespace segx
