#pragma once
// One cell of a retention triangle as an audience names it (the `retention` rule of
// src/core/audience/README.md: a retention, a cohort's first day, k): resolved against an as-of
// into a retention whose oldest cohort row (row 0) is that cohort, so that
// retention_cell_users(cell.retention, ctx, 0, cell.k) and the SQL compiler (sql/retention_sql.h
// retention_cell_sql) give the cell's users whatever the retention's own `cohorts` says.

#include "core/lang/error.h"
#include "core/retention/definition.h"

#include <cstdint>
#include <string>
#include <vector>

namespace segx {

struct RetentionCell {
    Retention retention; // the rule's, with cohorts = the periods from the cohort to as-of's
    int64_t cohort = 0;  // the cohort's period index (period.h)
    size_t k = 0;
    bool after_as_of = false; // the cohort begins after as-of: the cell holds nobody
};

// Checks that `cohort_date` ("YYYY-MM-DD") is the first day of a period of the retention's unit
// (error at "cohort", naming the period's real first day), that k <= the retention's periods
// (error at "period") and that the cohort lies within kMaxRetentionCohorts periods of as-of.
bool retention_cell_of(const Retention& retention, const std::string& cohort_date, int k, int64_t as_of_us,
                       RetentionCell* out, std::vector<DefinitionError>& errors);

} // namespace segx
