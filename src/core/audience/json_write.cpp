// to_json: definitions to JSON, in the shape json.h documents and json_read.cpp reads back.

#include "core/audience/json.h"

#include "core/lang/json_write.h"

#include <nlohmann/json.hpp>

#include <cmath>

namespace segx {

namespace {

using json = nlohmann::json;

template <typename T>
void put_number_values(json& out, Op op, const std::vector<T>& values) {
    if (op_arity(op) == Arity::One) {
        out["value"] = values.empty() ? json(nullptr) : number_json(double(values[0]));
        return;
    }
    json list = json::array();
    for (T v : values) list.push_back(number_json(double(v)));
    out["values"] = std::move(list);
}

void put_measure(json& out, const Measure& measure) {
    if (const auto* count = std::get_if<CountMeasure>(&measure)) {
        json c = json::object();
        c["op"] = op_name(count->op);
        put_number_values(c, count->op, count->values);
        // Events is the default: left out, so definitions written before units read and write
        // back byte for byte.
        if (count->unit != CountUnit::Events) c["unit"] = count_unit_name(count->unit);
        out["count"] = std::move(c);
    } else if (const auto* agg = std::get_if<AggregateMeasure>(&measure)) {
        json a = json::object();
        a["fn"] = aggregate_fn_name(agg->fn);
        if (agg->property.empty()) {
            a["of"] = "revenue";
        } else {
            a["of"] = "property";
            a["property"] = agg->property;
        }
        a["op"] = op_name(agg->op);
        put_number_values(a, agg->op, agg->values);
        out["aggregate"] = std::move(a);
    } else if (const auto* occ = std::get_if<OccurrenceMeasure>(&measure)) {
        out["occurrence"] = occ->last ? "last" : "first";
    }
}

json score_range_json(const ScoreRange& r) { return json::array({r.lo, r.hi}); }

struct NodeWriter {
    json& out;

    void operator()(const Group& g) const { to_json(out, g); }
    void operator()(const PropertyRule& r) const {
        out = comparison_json("attribute", r.attribute, r.op, r.values, r.ci);
        out["kind"] = "property";
    }
    void operator()(const BehaviorRule& r) const {
        out = json::object();
        out["kind"] = "behavior";
        out["did"] = r.did;
        out["event"] = r.event;
        if (!r.where.empty()) {
            json where = json::array();
            for (const EventFilter& f : r.where) where.push_back(filter_json(f));
            out["where"] = std::move(where);
        }
        json window = window_json(r.window);
        if (!window.is_null()) out["window"] = std::move(window);
        put_measure(out, r.measure);
    }
    void operator()(const RfmRule& r) const {
        out = json::object();
        out["kind"] = "rfm";
        if (!r.rfm.empty()) out["rfm"] = r.rfm;
        if (!r.segments.empty()) out["segments"] = r.segments;
        if (r.r) out["r"] = score_range_json(*r.r);
        if (r.f) out["f"] = score_range_json(*r.f);
        if (r.m) out["m"] = score_range_json(*r.m);
    }
    void operator()(const LifecycleRule& r) const {
        if (r.group) {
            out = json{{"kind", "lifecycle"},
                       {"group", lifecycle_group_name(*r.group)},
                       {"window", window_json(r.window)},
                       {"dormant_days", r.dormant_days}};
            if (!r.event.empty()) out["event"] = r.event;
            return;
        }
        out = json{{"kind", "lifecycle"}, {"stage", lifecycle_stage_name(r.stage)}};
        // The default week is left out, so rules written before these keys keep their JSON.
        if (r.period != PeriodUnit::Week) out["period"] = period_unit_name(r.period);
        if (!r.event.empty()) out["event"] = r.event;
    }
    void operator()(const FunnelRule& r) const {
        out = json{{"kind", "funnel"}, {"funnel", r.funnel}};
        out[r.dropped_after ? "dropped_after" : "reached"] = r.step;
    }
    void operator()(const AudienceRefRule& r) const {
        out = json{{"kind", "audience"}, {"op", r.in ? "in" : "not_in"}, {"id", r.id}};
    }
    void operator()(const RetentionRule& r) const {
        out = json{
            {"kind", "retention"}, {"retention", r.retention}, {"cohort", r.cohort}, {"period", r.period}};
    }
};

} // namespace

void to_json(json& out, const Group& group) {
    out = json::object();
    out["kind"] = "group";
    out["match"] = group.match == Match::All ? "all" : "any";
    if (group.negate) out["negate"] = true;
    json rules = json::array();
    for (const Rule& r : group.rules) {
        json j;
        to_json(j, r);
        rules.push_back(std::move(j));
    }
    out["rules"] = std::move(rules);
}

void to_json(json& out, const Rule& rule) { std::visit(NodeWriter{out}, rule.node); }

void to_json(json& out, const Audience& audience) {
    out = json::object();
    out["segx"] = audience.segx;
    out["id"] = audience.id;
    out["name"] = audience.name;
    json root;
    to_json(root, audience.root);
    out["root"] = std::move(root);
}

} // namespace segx
