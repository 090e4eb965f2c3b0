#pragma once
// Retention definitions (DESIGN §6): plain value types that the UI edits, the JSON carries
// (json.h) and the engine runs (engine.h). Like funnels, they hold exactly what the JSON says and
// nothing derived, so that from_json(to_json(x)) == x is exact and one definition runs against
// any model. README.md documents the format and its decisions.

#include "core/retention/period.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace segx {

constexpr int64_t kDefaultRetentionPeriods = 12;
constexpr int64_t kMaxRetentionPeriods = 52;
constexpr int64_t kMaxRetentionCohorts = 1000;

// What puts a user in a cohort: the first event of a name at or before as-of, or the date of a
// Date or Timestamp user attribute (a signup date).
struct RetentionStart {
    bool attribute = false; // false: {"event": name}; true: {"attribute": name}
    std::string name;
};

// What counts as a return: an event of a name, or any event ({"any": true}: name empty).
struct RetentionReturn {
    bool any = true;
    std::string event;
};

enum class RetentionMode : uint8_t { Exact, OnOrAfter };
const char* retention_mode_name(RetentionMode mode); // "exact", "on_or_after"
std::optional<RetentionMode> retention_mode_from_name(std::string_view name);

struct Retention {
    int segx = 1;
    std::string id, name;
    PeriodUnit period = PeriodUnit::Week;
    RetentionStart start;
    RetentionReturn returns;
    RetentionMode mode = RetentionMode::Exact;
    int64_t periods = kDefaultRetentionPeriods; // cells k = 0 .. periods
    // Cohort rows, ending with the period holding as-of; none: periods + 1 (the full triangle).
    std::optional<int64_t> cohorts;
    // The audience filter as written (an audience group, or {"audience": id}); null for none.
    // Resolved through RetentionContext::audience, so this folder needs nothing of audiences.
    nlohmann::json audience;

    int64_t cohort_rows() const { return cohorts ? *cohorts : periods + 1; }
};

bool operator==(const RetentionStart& a, const RetentionStart& b);
bool operator==(const RetentionReturn& a, const RetentionReturn& b);
bool operator==(const Retention& a, const Retention& b);
inline bool operator!=(const Retention& a, const Retention& b) { return !(a == b); }

} // namespace segx
