// to_json: RFM settings in the shape json.h documents and json_read.cpp reads back.

#include "core/rfm/json.h"

#include "core/lang/json_write.h"

namespace segx {

using json = nlohmann::json;

namespace {

json cuts_json(const std::array<double, 4>& cuts) {
    json list = json::array();
    for (double x : cuts) list.push_back(number_json(x));
    return list;
}

json range_json(const RfmScoreRange& r) { return json::array({r.lo, r.hi}); }

} // namespace

void to_json(json& out, const Rfm& rfm) {
    out = json::object();
    out["segx"] = rfm.segx;
    out["kind"] = "rfm";
    out["id"] = rfm.id;
    out["name"] = rfm.name;
    out["method"] = rfm_method_name(rfm.method);
    out["monetary"] = rfm_monetary_name(rfm.monetary);
    out["thresholds"] = {{"r", cuts_json(rfm.thresholds.r)},
                         {"f", cuts_json(rfm.thresholds.f)},
                         {"m", cuts_json(rfm.thresholds.m)}};
    json segments = json::array();
    for (const RfmSegment& s : rfm.segments) {
        json seg = {{"name", s.name}, {"r", range_json(s.r)}, {"f", range_json(s.f)}};
        if (s.m) seg["m"] = range_json(*s.m);
        if (!s.color.empty()) seg["color"] = s.color;
        segments.push_back(std::move(seg));
    }
    out["segments"] = std::move(segments);
}

} // namespace segx
