#pragma once
// Lifecycle and 9-metric board definitions (DESIGN §6): plain value types that the UI edits, the
// JSON carries (json.h) and the engines run (engine.h, board.h). They hold exactly what the JSON
// says and nothing derived, so that from_json(to_json(x)) == x is exact. README.md documents the
// format and its decisions.

#include "core/lang/window.h"
#include "core/retention/period.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace segx {

constexpr int64_t kDefaultLifecyclePeriods = 12;
constexpr int64_t kMaxLifecyclePeriods = 1000;
constexpr int64_t kDefaultBoardDays = 30;
constexpr int64_t kDefaultDormantDays = 90;

struct Lifecycle {
    int segx = 1;
    std::string id, name;
    PeriodUnit period = PeriodUnit::Week;
    std::string event;                          // the activity event; "" = any event
    int64_t periods = kDefaultLifecyclePeriods; // the last N periods, ending with the one holding as-of
    // The audience filter as written (an audience group, or {"audience": id}); null for none.
    nlohmann::json audience;
};

struct Board {
    int segx = 1;
    std::string id, name;
    // The analysis period (s, e]: {"last_days": N} before as-of, or {"from", "to"} (from
    // required; to defaults to as-of and never passes it).
    TimeWindow period = WindowLastDays{kDefaultBoardDays};
    int64_t dormant_days = kDefaultDormantDays; // D: 1 .. kMaxWindowDays
    std::string event;                          // the activity event; "" = any event
    nlohmann::json audience;                    // as Lifecycle::audience
};

bool operator==(const Lifecycle& a, const Lifecycle& b);
inline bool operator!=(const Lifecycle& a, const Lifecycle& b) { return !(a == b); }
bool operator==(const Board& a, const Board& b);
inline bool operator!=(const Board& a, const Board& b) { return !(a == b); }

} // namespace segx
