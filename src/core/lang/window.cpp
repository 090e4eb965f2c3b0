#include "core/lang/window.h"

#include "core/lang/names.h"
#include "core/lang/text.h"
#include "core/time/civil.h"
#include "core/time/parse.h"

#include <algorithm>

namespace segx {

bool operator==(const WindowAllTime&, const WindowAllTime&) { return true; }
bool operator==(const WindowLastDays& a, const WindowLastDays& b) { return a.days == b.days; }
bool operator==(const WindowRange& a, const WindowRange& b) { return a.from == b.from && a.to == b.to; }

bool resolve_window(const TimeWindow& window, int64_t as_of, const std::string& path,
                    std::vector<DefinitionError>& errors, TimeSpan* out) {
    out->lo = INT64_MIN;
    out->hi = as_of;
    if (const auto* last = std::get_if<WindowLastDays>(&window)) {
        if (last->days < 1 || last->days > kMaxWindowDays) {
            errors.push_back(DefinitionError{
                child_path(path, "last_days"),
                "expected a whole number of days from 1 to " + std::to_string(kMaxWindowDays)});
            return false;
        }
        int64_t length = last->days * kMicrosPerDay;
        out->lo = as_of < INT64_MIN + length ? INT64_MIN : as_of - length;
        return true;
    }
    if (const auto* range = std::get_if<WindowRange>(&window)) {
        bool ok = true;
        int64_t us = 0;
        if (range->from.empty() && range->to.empty()) {
            errors.push_back(DefinitionError{path, "expected last_days, or from and/or to"});
            return false;
        }
        if (!range->from.empty()) {
            if (parse_time_text(range->from, TimeFormat::Iso, 0, &us))
                out->lo = us;
            else {
                errors.push_back(DefinitionError{child_path(path, "from"),
                                                 quote(range->from) + " is not an ISO 8601 date or time"});
                ok = false;
            }
        }
        if (!range->to.empty()) {
            if (parse_time_text(range->to, TimeFormat::Iso, 0, &us))
                out->hi = std::min(us, as_of); // never past as-of
            else {
                errors.push_back(DefinitionError{child_path(path, "to"),
                                                 quote(range->to) + " is not an ISO 8601 date or time"});
                ok = false;
            }
        }
        return ok;
    }
    return true; // all time, up to as-of
}

} // namespace segx
