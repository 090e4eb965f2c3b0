#pragma once
// Funnel definitions (DESIGN §4): plain value types that the UI edits, the JSON carries (json.h)
// and the engine runs (engine.h). Like audiences, they hold exactly what the JSON says and
// nothing derived (no codes, no parsed times), so that from_json(to_json(x)) == x is exact and
// one definition runs against any model. README.md documents the format and its decisions.

#include "core/lang/event_filter.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace segx {

constexpr size_t kMinFunnelSteps = 2;
constexpr size_t kMaxFunnelSteps = 32;      // a step set fits one 32-bit mask (engine.cpp)
constexpr size_t kMaxFunnelExclusions = 32; // likewise
constexpr int64_t kMaxFunnelWindowDays = 366;
constexpr int64_t kDefaultBreakdownTop = 10;
constexpr int64_t kMaxBreakdownTop = 100;

// One step: an event name and filters on its properties (the objects of a behavior rule's where).
struct FunnelStep {
    std::string event;
    std::vector<EventFilter> where;
};

enum class FunnelOrder : uint8_t { Ordered, Strict, Unordered };
const char* funnel_order_name(FunnelOrder order); // "ordered", "strict", "unordered"
std::optional<FunnelOrder> funnel_order_from_name(std::string_view name);

enum class WindowUnit : uint8_t { Seconds, Minutes, Hours, Days };
const char* window_unit_name(WindowUnit unit); // "seconds", "minutes", "hours", "days"
std::optional<WindowUnit> window_unit_from_name(std::string_view name);

// The conversion window W, counted from the step-1 event (the anchor, unordered): {"days": 7}.
struct FunnelWindow {
    WindowUnit unit = WindowUnit::Days;
    int64_t amount = 7; // 1 .. the unit's count in kMaxFunnelWindowDays

    int64_t micros() const;
};
// The largest amount of `unit` within kMaxFunnelWindowDays (366 days = 31 622 400 seconds).
int64_t max_window_amount(WindowUnit unit);

// The entry range: the step-1 event's time lies in [from, to], both ends inclusive; "" is an
// open end (not both). ISO 8601 text, UTC when zone-less; a date is its midnight.
struct FunnelEntry {
    std::string from, to;
};

// An attempt that reached step `to` is void when an event of `event` (with `where`) lies
// strictly between its matched step-`from` and step-`to` events. Steps count from 1.
struct FunnelExclusion {
    std::string event;
    std::vector<EventFilter> where;
    int from = 1, to = 2; // 1 <= from < to <= steps
};

// Rows by a user attribute, or by a property of the counted attempt's step-1 event.
struct FunnelBreakdown {
    bool property = false; // false: {"attribute": name}; true: {"property": name}
    std::string name;
    int64_t top = kDefaultBreakdownTop; // value rows, by step-1 users; the rest is "other"
};

struct Funnel {
    int segx = 1;
    std::string id, name;
    std::vector<FunnelStep> steps;
    FunnelOrder order = FunnelOrder::Ordered;
    FunnelWindow window;
    std::optional<FunnelEntry> entry;
    std::vector<FunnelExclusion> exclusions;
    std::optional<FunnelBreakdown> breakdown;
    // The audience filter as written: an audience group object, or {"audience": id} naming a
    // saved audience; null for none. Kept as JSON so that this folder needs nothing of the
    // audience engine: it is resolved through FunnelContext::audience (engine.h).
    nlohmann::json audience;
};

bool operator==(const FunnelStep& a, const FunnelStep& b);
bool operator==(const FunnelWindow& a, const FunnelWindow& b);
bool operator==(const FunnelEntry& a, const FunnelEntry& b);
bool operator==(const FunnelExclusion& a, const FunnelExclusion& b);
bool operator==(const FunnelBreakdown& a, const FunnelBreakdown& b);
bool operator==(const Funnel& a, const Funnel& b);
inline bool operator!=(const Funnel& a, const Funnel& b) { return !(a == b); }

} // namespace segx
