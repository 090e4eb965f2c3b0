// to_json: definitions to JSON, in the shape json.h documents and json_read.cpp reads back.

#include "core/audience/json.h"

#include <nlohmann/json.hpp>

#include <cmath>

namespace segx {

namespace {

using json = nlohmann::json;

// Whole numbers within ±2^53 as JSON integers ("2", not "2.0"): what people and JavaScript
// write, and exactly the doubles that read back as the same integer.
json number_json(double x) {
    if (std::isfinite(x) && x == std::floor(x) && std::fabs(x) <= 9007199254740992.0) return json(int64_t(x));
    return json(x);
}

json scalar_json(const Scalar& v) {
    switch (v.kind) {
        case Scalar::Kind::String:
            return json(v.text);
        case Scalar::Kind::Number:
            return number_json(v.number);
        case Scalar::Kind::Bool:
            return json(v.boolean);
    }
    return json(nullptr);
}

// "value": x for single-value operators, "values": [...] for in/not_in/between, nothing for
// is_set/is_not_set.
void put_values(json& out, Op op, const std::vector<Scalar>& values) {
    Arity arity = op_arity(op);
    if (arity == Arity::None) return;
    if (arity == Arity::One) {
        out["value"] = values.empty() ? json(nullptr) : scalar_json(values[0]);
        return;
    }
    json list = json::array();
    for (const Scalar& v : values) list.push_back(scalar_json(v));
    out["values"] = std::move(list);
}

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

json comparison_json(const char* name_key, const std::string& name, Op op, const std::vector<Scalar>& values,
                     bool ci) {
    json out = json::object();
    out[name_key] = name;
    out["op"] = op_name(op);
    put_values(out, op, values);
    if (ci) out["ci"] = true;
    return out;
}

json window_json(const TimeWindow& window) {
    if (const auto* last = std::get_if<WindowLastDays>(&window)) return json{{"last_days", last->days}};
    if (const auto* range = std::get_if<WindowRange>(&window)) {
        json out = json::object();
        if (!range->from.empty()) out["from"] = range->from;
        if (!range->to.empty()) out["to"] = range->to;
        return out;
    }
    return json(nullptr); // all time: no "window" key
}

void put_measure(json& out, const Measure& measure) {
    if (const auto* count = std::get_if<CountMeasure>(&measure)) {
        json c = json::object();
        c["op"] = op_name(count->op);
        put_number_values(c, count->op, count->values);
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
            for (const EventFilter& f : r.where)
                where.push_back(comparison_json("property", f.property, f.op, f.values, f.ci));
            out["where"] = std::move(where);
        }
        json window = window_json(r.window);
        if (!window.is_null()) out["window"] = std::move(window);
        put_measure(out, r.measure);
    }
    void operator()(const RfmRule& r) const {
        out = json::object();
        out["kind"] = "rfm";
        if (!r.segments.empty()) out["segments"] = r.segments;
        if (r.r) out["r"] = score_range_json(*r.r);
        if (r.f) out["f"] = score_range_json(*r.f);
        if (r.m) out["m"] = score_range_json(*r.m);
    }
    void operator()(const LifecycleRule& r) const {
        out = json{{"kind", "lifecycle"}, {"stage", lifecycle_stage_name(r.stage)}};
    }
    void operator()(const FunnelRule& r) const {
        out = json{{"kind", "funnel"}, {"funnel", r.funnel}};
        out[r.dropped_after ? "dropped_after" : "reached"] = r.step;
    }
    void operator()(const AudienceRefRule& r) const {
        out = json{{"kind", "audience"}, {"op", r.in ? "in" : "not_in"}, {"id", r.id}};
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
