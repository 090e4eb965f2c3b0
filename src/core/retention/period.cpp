#include "core/retention/period.h"

#include "core/time/civil.h"

namespace segx {

namespace {

constexpr const char* kUnits[] = {"day", "week", "month"};
// 1970-01-01 is a Thursday: the Monday of its ISO week is day -3.
constexpr int64_t kWeekShift = 3;

} // namespace

const char* period_unit_name(PeriodUnit unit) { return kUnits[size_t(unit)]; }

std::optional<PeriodUnit> period_unit_from_name(std::string_view name) {
    for (size_t i = 0; i < 3; i++)
        if (name == kUnits[i]) return PeriodUnit(i);
    return std::nullopt;
}

int64_t period_index(int64_t us, PeriodUnit unit) {
    const int64_t day = floor_div(us, kMicrosPerDay);
    switch (unit) {
        case PeriodUnit::Day:
            return day;
        case PeriodUnit::Week:
            return floor_div(day + kWeekShift, 7);
        case PeriodUnit::Month: {
            int y = 0;
            unsigned m = 0, d = 0;
            civil_from_days(day, y, m, d);
            return int64_t(y) * 12 + int64_t(m) - 1;
        }
    }
    return day;
}

int64_t period_start_us(int64_t index, PeriodUnit unit) {
    switch (unit) {
        case PeriodUnit::Day:
            return index * kMicrosPerDay;
        case PeriodUnit::Week:
            return (index * 7 - kWeekShift) * kMicrosPerDay;
        case PeriodUnit::Month: {
            const int64_t y = floor_div(index, 12);
            return days_from_civil(int(y), unsigned(index - y * 12 + 1), 1) * kMicrosPerDay;
        }
    }
    return index * kMicrosPerDay;
}

} // namespace segx
