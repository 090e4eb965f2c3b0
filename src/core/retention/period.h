#pragma once
// Calendar periods of retention and lifecycle (DESIGN §6): UTC days, ISO weeks (Monday first)
// and months, numbered so that consecutive periods have consecutive indices. A period is the
// half-open span [start, next start): it is *complete* at as-of when its last microsecond is at
// or before as-of. Shared by src/core/retention and src/core/lifecycle (the one header of this
// folder that lifecycle includes: plain calendar arithmetic, no analysis).

#include <cstdint>
#include <optional>
#include <string_view>

namespace segx {

enum class PeriodUnit : uint8_t { Day, Week, Month };
const char* period_unit_name(PeriodUnit unit); // "day", "week", "month"
std::optional<PeriodUnit> period_unit_from_name(std::string_view name);

// The index of the period holding `us`: days since 1970-01-01; ISO weeks since the week of
// Monday 1969-12-29; months as year * 12 + month - 1.
int64_t period_index(int64_t us, PeriodUnit unit);
// The first microsecond of period `index` (its midnight, UTC).
int64_t period_start_us(int64_t index, PeriodUnit unit);
// True when period `index` ends at or before as-of: its last microsecond is <= as_of.
inline bool period_complete(int64_t index, PeriodUnit unit, int64_t as_of_us) {
    return period_start_us(index + 1, unit) - 1 <= as_of_us;
}

} // namespace segx
