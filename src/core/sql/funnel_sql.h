#pragma once
// Compiling a funnel definition (DESIGN §4, src/core/funnel/README.md) to one DuckDB statement
// that gives the same per-step users as the engine (run_funnel_engine), for "Copy SQL" and as
// the tests' differential oracle. It reads the tables of audience_sql.h: `events`, whose `seq`
// column gives the stored order of events at the same instant (the engine's tie rule), and
// `users` for the audience filter. The statement, for an ordered funnel:
//
//   -- segx funnel "Checkout" (ordered, window 7 days) as of 2026-10-31T23:51:45Z
//   WITH "audience" AS (<the audience filter: audience_sql.h's statement>),
//   "ev" AS (          -- each user's events up to as-of, numbered in stored order,
//     SELECT "user_id", "time",   -- a flag per step ("s1", ...) and per exclusion ("x1", ...)
//       row_number() OVER (PARTITION BY "user_id" ORDER BY "time", "seq") AS "pos", ...),
//   "a1" AS (<every attempt: a step-1 event in the entry range, its window's end>),
//   "a2" AS (<"a1" plus the position of the earliest step-2 event after step 1, in the window>),
//   ...                 (strict: the very next event, when it matches; unordered: one anchor per
//                        event of any step, its level the steps seen in [t, t + W])
//   "attempts" AS (<each attempt's level, and whether an exclusion voids it>),
//   "levels" AS (<per user, the highest level of a non-void attempt>)
//   SELECT "step", "event", count("user_id") AS "users"   -- one row per step
//   ...
//
// without a trailing semicolon. Every name and value is quoted (sql_text.h): a definition is
// untrusted. Errors are the engine's, with the same paths: unknown events, properties and
// attributes, filters that do not fit their column, an entry that does not read, the audience
// filter's (at paths below "audience"); plus SQL's own (a property named like one of the events
// table's columns, names differing only in ASCII case, a breakdown column likewise).
//
// With a breakdown, the statement gives the engine's breakdown rows instead: ("row" 'value' |
// 'other' | 'not_set', "value" text or NULL, "step", "event", "users"), rows in the engine's
// order (values by step-1 users, ties by their text; then other; then not set), steps within.
// The per-step users are their sums. Values are DuckDB's text of the value (CAST AS VARCHAR),
// which is Column::format's for strings, integers, booleans and dates; a double's text may differ
// (e.g. "1.0" for "1"), and so may the order of two doubles tied on step-1 users.

#include "core/audience/evaluate.h"
#include "core/funnel/definition.h"
#include "core/sql/audience_sql.h"

namespace segx {

// The per-step users: rows ("step" 1.., "event", "users"), in step order (with a breakdown,
// the breakdown rows above). ctx gives the model
// (names and types only), as-of, and saved audiences and funnels for the audience filter.
SqlResult funnel_to_sql(const Funnel& funnel, const EvalContext& ctx);

// The per-user levels: rows ("user_id", "level") for the users whose level is 1 or more, as
// funnel_levels() gives them; what an audience `funnel` rule reads (audience_sql.cpp).
SqlResult funnel_levels_sql(const Funnel& funnel, const EvalContext& ctx);

} // namespace segx
