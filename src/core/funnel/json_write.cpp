// to_json: a funnel in the shape json.h documents and json_read.cpp reads back.

#include "core/funnel/json.h"

#include "core/lang/json_write.h"

namespace segx {

using json = nlohmann::json;

namespace {

json where_json(const std::vector<EventFilter>& where) {
    json list = json::array();
    for (const EventFilter& f : where) list.push_back(filter_json(f));
    return list;
}

} // namespace

void to_json(json& out, const Funnel& funnel) {
    out = json::object();
    out["segx"] = funnel.segx;
    out["kind"] = "funnel";
    out["id"] = funnel.id;
    out["name"] = funnel.name;
    json steps = json::array();
    for (const FunnelStep& s : funnel.steps) {
        json step = {{"event", s.event}};
        if (!s.where.empty()) step["where"] = where_json(s.where);
        steps.push_back(std::move(step));
    }
    out["steps"] = std::move(steps);
    out["order"] = funnel_order_name(funnel.order);
    out["window"] = {{window_unit_name(funnel.window.unit), funnel.window.amount}};
    if (funnel.entry) {
        json entry = json::object();
        if (!funnel.entry->from.empty()) entry["from"] = funnel.entry->from;
        if (!funnel.entry->to.empty()) entry["to"] = funnel.entry->to;
        out["entry"] = std::move(entry);
    }
    if (!funnel.exclusions.empty()) {
        json list = json::array();
        for (const FunnelExclusion& x : funnel.exclusions) {
            json e = {{"event", x.event}};
            if (!x.where.empty()) e["where"] = where_json(x.where);
            e["between"] = json::array({x.from, x.to});
            list.push_back(std::move(e));
        }
        out["exclusions"] = std::move(list);
    }
    if (funnel.breakdown)
        out["breakdown"] = {{funnel.breakdown->property ? "property" : "attribute", funnel.breakdown->name},
                            {"top", funnel.breakdown->top}};
    if (!funnel.audience.is_null()) out["audience"] = funnel.audience;
}

} // namespace segx
