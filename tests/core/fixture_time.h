#pragma once
// The hand-worked fixtures' origin of time, 2024-01-01 00:00 UTC in µs: the funnel and RFM
// fixtures write their events' times after it.
#include "core/time/civil.h"

#include <cstdint>

namespace segx::test {

inline const int64_t T0 = days_from_civil(2024, 1, 1) * kMicrosPerDay;

} // namespace segx::test
