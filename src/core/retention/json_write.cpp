// to_json: a retention definition in the shape json.h documents and json_read.cpp reads back.

#include "core/retention/json.h"

namespace segx {

using json = nlohmann::json;

void to_json(json& out, const Retention& r) {
    out = json::object();
    out["segx"] = r.segx;
    out["kind"] = "retention";
    out["id"] = r.id;
    out["name"] = r.name;
    out["period"] = period_unit_name(r.period);
    out["start"] = {{r.start.attribute ? "attribute" : "event", r.start.name}};
    out["return"] = r.returns.any ? json{{"any", true}} : json{{"event", r.returns.event}};
    out["mode"] = retention_mode_name(r.mode);
    out["periods"] = r.periods;
    if (r.cohorts) out["cohorts"] = *r.cohorts;
    if (!r.audience.is_null()) out["audience"] = r.audience;
}

} // namespace segx
