#pragma once
// Compiling an audience definition to one DuckDB SQL statement (DESIGN §7) that returns the
// same members as evaluate() (evaluate.h has the semantics), for the "Copy SQL" button, for
// running an audience on a bigger engine, and as the tests' differential oracle.
//
// The statement reads two tables, which hold the mapped data as the model holds it:
//
//   users(user_id VARCHAR, <attribute columns>)
//     At most one row per user id: the users who have attributes. One column per
//     Model::attributes entry, named as the model names it (`country (crm.csv)` after a type
//     clash, column_merge.h) and typed BOOLEAN, BIGINT, DOUBLE, DATE, TIMESTAMP or VARCHAR as
//     the model types it (type_name). Attributes from events (Model::derived) are not columns
//     of this table: a statement that uses one computes it from `events` (derived_sql.h) and
//     joins it to "u".
//
//   events(user_id VARCHAR, event VARCHAR, time TIMESTAMP, revenue DOUBLE, order_id VARCHAR,
//          seq BIGINT, <event property columns>)
//     One row per kept event of every events and orders source (rows the loader rejected are
//     not there; an orders row with a negative amount is a `refund` event carrying it); the
//     purchases of one (user_id, order_id) come from one source only, the pair's owner, and
//     carry the other sources' property values where the owner's first row has none
//     (EventStore's "one purchase per order" rule, event_store.h); `time` is UTC. `seq` is the core's stored
//     order for events of equal time (funnels' tie rule, src/core/funnel/README.md): any numbering that
//     follows sources in load order, then rows in file order; with the load-order number `source` and the
//     row's place in its file `row`, row_number() OVER (ORDER BY source, row), or as
//     web/contract_tables.js has it without a sort, source * 2^40 + row. One column per
//     EventStore::properties entry, named and typed as the model's, NULL on the events of sources without
//     that property. `revenue` is the revenue as the model counts it: once per order. Rows without an order
//     id keep their amount. For an order id, only the rows of the first source (in load
//     order) that gives the order an amount carry one; that source's rows all count (line
//     items), while the same order's rows from later sources (a purchase event repeating an
//     orders file's amount) have NULL: EventStore's "revenue owner" rule (event_store.cpp).
//     With a load-order number `source` on each row of the raw union, that is
//       CASE WHEN order_id IS NULL
//                 OR source = min(source) FILTER (WHERE revenue IS NOT NULL)
//                               OVER (PARTITION BY order_id)
//            THEN revenue END
//
//   Both tables always exist (empty when there is no such file). Ids are the model's
//   canonical id text (trimmed; 123, "123" and 123.0 are all "123"). The universe of users is
//   the non-null ids of users ∪ events. A missing value is NULL, never NaN. Strings compare
//   under DuckDB's default (binary) collation, as the core compares bytes.
//
// The statement, one rule per line (a behavior rule is one correlated subquery):
//
//   -- segx audience "<name>" as of 2026-10-31T23:51:45Z
//   WITH "u" AS (<every user id, LEFT JOIN users>),
//   "ref_1" AS (<a referenced audience's members>), ...
//   SELECT "user_id" FROM "u"
//   WHERE
//     COALESCE("u"."country" = 'China', FALSE)
//     AND NOT COALESCE(EXISTS (SELECT 1 FROM "events" AS "e" WHERE ...), FALSE)
//   ORDER BY "user_id"
//
// without a trailing semicolon, so that it can be wrapped: SELECT count(*) FROM (<sql>).
// Every rule is wrapped COALESCE(<rule>, FALSE) before NOT / AND / OR (the core's two-valued
// logic); as-of is a TIMESTAMP literal; every identifier is "quoted" and every value
// 'quoted' (sql_text.h), so a definition, which is untrusted, cannot change the statement.
//
// A `funnel` rule reads a CTE of the saved funnel's per-user levels (funnel_sql.h), one per
// funnel however often it is used: COALESCE("u"."user_id" IN (SELECT "user_id" FROM
// "funnel_1" WHERE "level" >= k), FALSE) for reached k, "level" = k for dropped after k.
//
// An `rfm` rule reads a CTE of the RFM settings' per-customer scores (rfm_sql.h), one per
// settings id: COALESCE("u"."user_id" IN (SELECT "user_id" FROM "rfm_1" WHERE "segment" IN
// ('Champions')), FALSE), or "r" BETWEEN 4 AND 5 AND ... for score ranges.
//
// Errors are evaluate's, with the same paths and messages: unknown names, values of the wrong
// type, cycles of audience references, funnel and rfm rules' checks. A `lifecycle` rule is one
// subquery over the events of the period holding as-of and the one before (lifecycle_sql.h).
// A few are SQL's own: a column that SQL cannot name apart from another (names differing only
// in ASCII case, which DuckDB ignores, or an event property called like one of the events
// table's own columns, e.g. "time"), and values that are not valid UTF-8.

#include "core/audience/definition.h"
#include "core/audience/evaluate.h"
#include "core/lang/error.h"

#include <string>
#include <vector>

namespace segx {

struct SqlResult {
    std::string sql; // empty when !ok()
    std::vector<DefinitionError> errors;

    bool ok() const { return errors.empty(); }
};

// Reads only names and types from ctx.model (attribute and event property columns, event
// names), ctx.as_of_us, ctx.saved for `audience` rules, whose definitions become CTEs (one per
// referenced id, however often it is referenced), and ctx.funnel for `funnel` rules.
SqlResult audience_to_sql(const Audience& audience, const EvalContext& ctx);

} // namespace segx
