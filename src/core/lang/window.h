#pragma once
// Time windows of definitions, relative to the as-of time (DESIGN §1): every window is
// start-exclusive, end-inclusive, and none reaches past as-of.

#include "core/lang/error.h"

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace segx {

// Time windows, relative to the as-of time. Every window is start-exclusive, end-inclusive,
// and no window reaches past as-of (evaluate.h).
struct WindowAllTime {}; // (-inf, as_of]
struct WindowLastDays {
    int64_t days = 30;
};                        // (as_of - days, as_of], days in 1..kMaxWindowDays
struct WindowRange {      // (from, to] ∩ (-inf, as_of]; "" = open end, not both
    std::string from, to; // ISO 8601 date or time text, UTC when zone-less
};
using TimeWindow = std::variant<WindowAllTime, WindowLastDays, WindowRange>;
constexpr int64_t kMaxWindowDays = 100000;

bool operator==(const WindowAllTime& a, const WindowAllTime& b);
bool operator==(const WindowLastDays& a, const WindowLastDays& b);
bool operator==(const WindowRange& a, const WindowRange& b);

// The instants lo < t <= hi.
struct TimeSpan {
    int64_t lo = INT64_MIN;
    int64_t hi = INT64_MAX;
};

// The span a window covers at `as_of` (µs). False, with errors below `path` (the window's own
// path: ".last_days", ".from", ".to"), when the window is malformed; `out` then still holds a
// span (all time up to as-of) so a caller can go on collecting other errors.
bool resolve_window(const TimeWindow& window, int64_t as_of, const std::string& path,
                    std::vector<DefinitionError>& errors, TimeSpan* out);

} // namespace segx
