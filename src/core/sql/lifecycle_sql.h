#pragma once
// Compiling lifecycle and 9-metric board definitions (DESIGN §6, src/core/lifecycle/README.md)
// to one DuckDB statement each, giving the engines' answers (run_lifecycle_engine,
// run_board_engine), for "Copy SQL" and as the tests' differential oracle, over the tables of
// audience_sql.h.
//
// Lifecycle: one row per reported period, oldest first:
//   "period" DATE (its first day), "complete", "new", "returning", "resurrecting", "dormant"
//
//   -- segx lifecycle "Weekly activity" (week, activity "login", 12 periods) as of …
//   WITH "audience" AS (<the audience filter>),
//   "active" AS (<each user's active periods up to as-of>),
//   "first" AS (<each user's first active period>),
//   "stages" AS (<per user and period: new / returning / resurrecting, and dormant the period
//                 after an active one that is not active>),
//   SELECT … FROM <the reported periods> LEFT JOIN "stages" … GROUP BY the period
//
// Board: six rows, "window" ('current', 'previous') × "group" ('new', 'returning', 'dormant'),
// with "pool", "active", "buyers", "orders", "revenue" (0 without purchases) and the window's
// "from" and "to" (the period (from, to]):
//
//   -- segx board "Nine numbers" ((2026-10-01 …, 2026-10-31 …], dormant after 90 days) as of …
//   WITH "audience" AS (…),
//   "activity" AS (<per user active at or before e: first activity, and activity in each window>),
//   "members" AS (<each user's group in the current and the previous window>),
//   "purchases" AS (<per user and window: orders and revenue of their purchases>)
//   SELECT … GROUP BY window, group
//
// Every name and value is quoted (sql_text.h). Errors are the engines', with their paths.

#include "core/audience/evaluate.h"
#include "core/lifecycle/definition.h"
#include "core/sql/audience_sql.h"

namespace segx {

SqlResult lifecycle_to_sql(const Lifecycle& lifecycle, const EvalContext& ctx);
SqlResult board_to_sql(const Board& board, const EvalContext& ctx);

// The audience `lifecycle` rule (audience_sql.cpp): a boolean over "u"."user_id", true when the
// user's stage in the period holding as-of (or their board group) is the rule's. Continuation
// lines at `indent` spaces; errors at `path` (an unknown event: "<path>.event").
std::string lifecycle_rule_sql(const LifecycleRule& rule, const EvalContext& ctx, int indent,
                               const std::string& path, std::vector<DefinitionError>& errors);

} // namespace segx
