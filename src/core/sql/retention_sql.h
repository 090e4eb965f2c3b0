#pragma once
// Compiling a retention definition (DESIGN §6, src/core/retention/README.md) to one DuckDB
// statement that gives the engine's cohort triangle (run_retention_engine), for "Copy SQL" and
// as the tests' differential oracle, over the tables of audience_sql.h. One row per cell:
//
//   "cohort" DATE (the cohort period's first day), "period" k (0 = the cohort's size),
//   "users", "complete" (period cohort + k ends at or before as-of)
//
// ordered by cohort then k, every row of the triangle present (empty cohorts included, cells of
// periods not begun at as-of left out), as the engine's `cohorts`; the mean curve follows from
// them. The statement:
//
//   -- segx retention "Weekly buyers" (week, exact, 12 periods, 13 cohorts) as of 2026-…Z
//   WITH "audience" AS (<the audience filter>),
//   "starts" AS (<each user's cohort: their first start event's period, or the attribute's>),
//   "returns" AS (<exact: each cohort user's return periods k >= 1; on_or_after: the last one>),
//   "cells" AS (<the triangle: cohort rows × k = 0 .. min(periods, periods since the cohort)>)
//   SELECT "cohort", "period", "users", "complete" FROM "cells" ...
//
// Every name and value is quoted (sql_text.h). Errors are the engine's, with its paths:
// unknown start / return events, an unknown or non-date start attribute, the audience filter's
// (below "audience"); plus SQL's own on names (rule_sql.h sql_column).

#include "core/audience/evaluate.h"
#include "core/retention/cell.h"
#include "core/retention/definition.h"
#include "core/sql/audience_sql.h"

namespace segx {

SqlResult retention_to_sql(const Retention& retention, const EvalContext& ctx);

// One cell's users (a `retention` audience rule, retention/cell.h): one statement selecting
// "user_id" from the same "starts" and "returns" CTEs, the cohort's own row (k = 0) or its
// returns in period k (exact) or from k on (on_or_after). Same errors as retention_to_sql.
SqlResult retention_cell_sql(const RetentionCell& cell, const EvalContext& ctx);

} // namespace segx
