#pragma once
// Compiling RFM settings (DESIGN §5, src/core/rfm/README.md) to one DuckDB statement that gives
// every customer's R, F, M, scores and segment exactly as the engine (rfm_scores) does, for
// "Copy SQL", for the audience `rfm` rule's SQL (audience_sql.cpp) and as the tests' oracle. It
// reads the `events` table of audience_sql.h. The statement:
//
//   -- segx RFM "RFM" (quantile, total) as of 2026-10-31T23:51:45Z
//   WITH "purchases" AS (      -- per customer: days since the last purchase, orders, revenue
//     SELECT "user_id",
//       (epoch_us(<as-of>) - epoch_us(max("time"))) // 86400000000 AS "days",
//       count(DISTINCT "order_id") + count(*) FILTER (WHERE "order_id" IS NULL) AS "orders",
//       COALESCE(sum("revenue"), 0) AS "revenue"
//     FROM "events"
//     WHERE "event" = 'purchase' AND "time" <= <as-of> AND "user_id" IS NOT NULL
//     GROUP BY "user_id"),
//   "metrics" AS (SELECT *, <"revenue" | "revenue" / "orders"> AS "monetary" FROM "purchases"),
//   "scores" AS (SELECT *,
//       NTILE(5) OVER (ORDER BY -"days", "user_id") AS "r",        -- quantile; or thresholds:
//       NTILE(5) OVER (ORDER BY "orders", "user_id") AS "f",       --   1 + ("orders" > 1)::INTEGER + ...
//       NTILE(5) OVER (ORDER BY "monetary" + 0.0, "user_id") AS "m" --   or mean: compares with sums
//     FROM "metrics")
//   SELECT "user_id", "days", "orders", "revenue", "monetary", "r", "f", "m",
//     CASE WHEN "r" BETWEEN 5 AND 5 AND "f" BETWEEN 4 AND 5 THEN 'Champions' ... END AS "segment"
//   FROM "scores"
//   ORDER BY "user_id"
//
// one row per customer, without a trailing semicolon. `+ 0.0` makes -0 and +0 one key, as the
// engine does. The mean method compares R and F exactly in integers ("days" · n <= Σ days) and
// M with the double mean Σ M / n; DuckDB may add Σ M in another order than the engine, so a
// customer whose M equals the mean to the last bit could score differently (never seen on
// real data; the engine's order is documented in rfm/README.md). Likewise sums of revenue with
// many fractional amounts may differ in the last bit from the engine's CSR-order sum, which
// matters only for customers whose M ties exactly.
//
// Errors: the settings' own (definition.h checks) and names SQL cannot carry (a segment name
// or purchase event that is not valid UTF-8).

#include "core/audience/evaluate.h"
#include "core/rfm/definition.h"
#include "core/sql/audience_sql.h"

namespace segx {

// ctx gives the model (its purchase event name) and as-of.
SqlResult rfm_to_sql(const Rfm& rfm, const EvalContext& ctx);

} // namespace segx
