#pragma once
// A file's column-role mapping as the interface edits it. The same JSON as web/mapping.js, which
// infers it, validates it and compiles it to SQL; this side only shows and edits the values.
#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

namespace segx {

struct Mapping {
    std::string source;
    std::string kind = "events"; // users | events | orders
    std::string user_id;         // column names; empty = none
    std::string time;
    std::string time_format = "auto";
    int tz_offset_minutes = 0;
    std::string event;
    std::string event_constant;
    std::string revenue;
    std::string revenue_expr; // SQL expression; wins over `revenue`
    std::string order_id;
    std::string refund_status;              // orders: a status column that marks refunds; empty = none
    std::vector<std::string> refund_values; // ... and its values that do (web/mapping.js)
    std::string filter;                     // SQL row filter
    std::vector<std::string> columns;       // attributes (users) or properties (events, orders)

    bool operator==(const Mapping& o) const;
    bool operator!=(const Mapping& o) const { return !(*this == o); }
};

void to_json(nlohmann::json& j, const Mapping& m);
void from_json(const nlohmann::json& j, Mapping& m); // missing keys keep their defaults

extern const char* const kMappingKinds[3];
// The time formats a mapping may name: kTimeFormatNames (core/time/parse.h).

} // namespace segx
