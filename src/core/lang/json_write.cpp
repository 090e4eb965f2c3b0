// Writing the shared parts of definitions, in the shape json_fields.h reads back.

#include "core/lang/json_write.h"

#include <cmath>

namespace segx {

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

json filter_json(const EventFilter& f) {
    return comparison_json("property", f.property, f.op, f.values, f.ci);
}

} // namespace segx
