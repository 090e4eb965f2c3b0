#include "core/retention/cell.h"

#include "core/time/civil.h"

#include <cstdio>

namespace segx {

bool retention_cell_of(const Retention& retention, const std::string& cohort_date, int k, int64_t as_of_us,
                       RetentionCell* out, std::vector<DefinitionError>& errors) {
    const size_t before = errors.size();
    // The rule's reader checked the shape and the calendar; read the numbers again here.
    int y = 0;
    unsigned m = 0, d = 0;
    if (cohort_date.size() != 10 || std::sscanf(cohort_date.c_str(), "%4d-%2u-%2u", &y, &m, &d) != 3) {
        errors.push_back({"cohort", "expected a date as YYYY-MM-DD"});
        return false;
    }
    const int64_t us = days_from_civil(y, m, d) * kMicrosPerDay;
    const PeriodUnit unit = retention.period;
    const int64_t c = period_index(us, unit);
    if (period_start_us(c, unit) != us)
        errors.push_back({"cohort", cohort_date + " is not the first day of a " + period_unit_name(unit) +
                                        (unit == PeriodUnit::Week ? " (ISO weeks start on Monday)" : "") +
                                        "; its " + period_unit_name(unit) + " starts on " +
                                        format_date_us(period_start_us(c, unit))});
    if (k < 0 || int64_t(k) > retention.periods)
        errors.push_back({"period", "the retention counts periods 0 to " + std::to_string(retention.periods) +
                                        ", not " + std::to_string(k)});
    const int64_t last = period_index(as_of_us, unit);
    if (errors.size() == before && last - c + 1 > kMaxRetentionCohorts)
        errors.push_back({"cohort", "the cohort of " + cohort_date + " is more than " +
                                        std::to_string(kMaxRetentionCohorts) + " " + period_unit_name(unit) +
                                        "s before as-of"});
    if (errors.size() != before) return false;
    out->retention = retention;
    out->cohort = c;
    out->k = size_t(k);
    out->after_as_of = c > last;
    out->retention.cohorts = out->after_as_of ? 1 : last - c + 1;
    return true;
}

} // namespace segx
