#include "app/mapping.h"

#include <nlohmann/json.hpp>

namespace segx {

const char* const kMappingKinds[3] = {"users", "events", "orders"};

bool Mapping::operator==(const Mapping& o) const {
    return source == o.source && kind == o.kind && user_id == o.user_id && time == o.time &&
           time_format == o.time_format && tz_offset_minutes == o.tz_offset_minutes && event == o.event &&
           event_constant == o.event_constant && revenue == o.revenue && revenue_expr == o.revenue_expr &&
           order_id == o.order_id && refund_status == o.refund_status && refund_values == o.refund_values &&
           filter == o.filter && columns == o.columns;
}

// JSON uses null for "no column"; the struct uses the empty string.
static nlohmann::json column_or_null(const std::string& s) {
    return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s);
}
static std::string text_or_empty(const nlohmann::json& j, const char* key, const std::string& fallback) {
    auto it = j.find(key);
    if (it == j.end()) return fallback;
    return it->is_string() ? it->get<std::string>() : std::string();
}

void to_json(nlohmann::json& j, const Mapping& m) {
    j = {{"source", m.source},
         {"kind", m.kind},
         {"user_id", column_or_null(m.user_id)},
         {"time", column_or_null(m.time)},
         {"time_format", m.time_format},
         {"tz_offset_minutes", m.tz_offset_minutes},
         {"event", column_or_null(m.event)},
         {"event_constant", m.event_constant},
         {"revenue", column_or_null(m.revenue)},
         {"revenue_expr", m.revenue_expr},
         {"order_id", column_or_null(m.order_id)},
         {"filter", m.filter},
         {"columns", m.columns}};
    // Optional keys, written only when set (a mapping without them reads as before).
    if (!m.refund_status.empty()) {
        j["refund_status"] = m.refund_status;
        j["refund_values"] = m.refund_values;
    }
}

void from_json(const nlohmann::json& j, Mapping& m) {
    if (!j.is_object()) return;
    m.source = text_or_empty(j, "source", m.source);
    m.kind = text_or_empty(j, "kind", m.kind);
    m.user_id = text_or_empty(j, "user_id", m.user_id);
    m.time = text_or_empty(j, "time", m.time);
    m.time_format = text_or_empty(j, "time_format", m.time_format);
    if (auto it = j.find("tz_offset_minutes"); it != j.end() && it->is_number_integer())
        m.tz_offset_minutes = it->get<int>();
    m.event = text_or_empty(j, "event", m.event);
    m.event_constant = text_or_empty(j, "event_constant", m.event_constant);
    m.revenue = text_or_empty(j, "revenue", m.revenue);
    m.revenue_expr = text_or_empty(j, "revenue_expr", m.revenue_expr);
    m.order_id = text_or_empty(j, "order_id", m.order_id);
    m.filter = text_or_empty(j, "filter", m.filter);
    m.refund_status = text_or_empty(j, "refund_status", m.refund_status);
    if (auto it = j.find("refund_values"); it != j.end() && it->is_array()) {
        m.refund_values.clear();
        for (const auto& v : *it)
            if (v.is_string()) m.refund_values.push_back(v.get<std::string>());
    }
    if (auto it = j.find("columns"); it != j.end() && it->is_array()) {
        m.columns.clear();
        for (const auto& c : *it)
            if (c.is_string()) m.columns.push_back(c.get<std::string>());
    }
}

} // namespace segx
