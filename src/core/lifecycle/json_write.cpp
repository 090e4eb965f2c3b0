// to_json: lifecycle and board definitions in the shape json.h documents and json_read.cpp
// reads back.

#include "core/lifecycle/json.h"

#include "core/lang/json_write.h"

namespace segx {

using json = nlohmann::json;

void to_json(json& out, const Lifecycle& l) {
    out = json::object();
    out["segx"] = l.segx;
    out["kind"] = "lifecycle";
    out["id"] = l.id;
    out["name"] = l.name;
    out["period"] = period_unit_name(l.period);
    if (!l.event.empty()) out["event"] = l.event;
    out["periods"] = l.periods;
    if (!l.audience.is_null()) out["audience"] = l.audience;
}

void to_json(json& out, const Board& b) {
    out = json::object();
    out["segx"] = b.segx;
    out["kind"] = "board";
    out["id"] = b.id;
    out["name"] = b.name;
    out["period"] = window_json(b.period);
    out["dormant_days"] = b.dormant_days;
    if (!b.event.empty()) out["event"] = b.event;
    if (!b.audience.is_null()) out["audience"] = b.audience;
}

} // namespace segx
