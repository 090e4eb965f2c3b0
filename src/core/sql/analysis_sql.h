#pragma once
// Pieces shared by the compilers of analyses (funnel_sql.h, retention_sql.h, lifecycle_sql.h):
// an analysis's audience filter as a statement, the header's as-of, and the UTC calendar periods
// of src/core/retention/period.h as DuckDB expressions. A period is named by its first day, a
// DATE: date_trunc('week', t) is the Monday of t's ISO week, as period_index counts them.

#include "core/audience/evaluate.h"
#include "core/lang/error.h"
#include "core/retention/period.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace segx {

// 2026-10-31T23:51:45Z, for the statement's first line.
std::string sql_iso_time(int64_t us);
// `text` with every line indented by n spaces.
std::string indent_lines(const std::string& text, int n);

// An analysis's audience filter (a group, or {"audience": id}) as audience_sql.h's statement
// (its members), or "" with errors at paths below "audience", as the engines report them.
std::string audience_filter_sql(const nlohmann::json& filter, const EvalContext& ctx,
                                std::vector<DefinitionError>& errors);

// The first day (DATE) of the period holding the TIMESTAMP expression `ts`.
std::string period_start_sql(PeriodUnit unit, const std::string& ts);
// The first day of the period `n` periods after the one starting on the DATE `day` (`n` an
// integer expression, negative for earlier ones).
std::string period_shift_sql(PeriodUnit unit, const std::string& day, const std::string& n);
// How many periods the period starting on `to` is after the one starting on `from` (DATEs).
std::string period_diff_sql(PeriodUnit unit, const std::string& from, const std::string& to);
// The first days of periods first .. last (period indices), one row each, as a table
// expression with the column "p": for FROM.
std::string period_series_sql(PeriodUnit unit, int64_t first, int64_t last);
// True when the period starting on `day` ends at or before as-of (period_complete).
std::string period_complete_sql(PeriodUnit unit, const std::string& day, int64_t as_of_us);
// DATE 'YYYY-MM-DD' of period `index`'s first day.
std::string period_date_sql(PeriodUnit unit, int64_t index);

} // namespace segx
