#pragma once
// The two tables of the SQL contract (audience_sql.h: `users` and `events`) written from the
// model itself, so that "Copy SQL" runs as is in the page's own DuckDB over exactly the data the
// core evaluates (kept rows only, canonical ids, revenue once per order, the stored order as
// `seq`). Each table is CSV text plus the DuckDB type of every column, for
//   CREATE OR REPLACE TABLE events AS SELECT * FROM read_csv('events.csv', header = true,
//       columns = {...}, allow_quoted_nulls = false, ...)
// Text is always "quoted" (a quoted "" is an empty string), NULL is an empty unquoted field.
#include "core/model/model.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace segx {

struct ContractTable {
    std::vector<std::pair<std::string, std::string>> columns; // name, DuckDB type
    std::string csv;                                          // header line, then one line per row
};

// A slice of the users by their index in the model, [first, end): a table is written slice by
// slice (every slice with the header line), so that the page never holds the whole text, which
// at tens of millions of events would not fit beside the model. `end` past the last user stops there.
struct UserRange {
    size_t first = 0;
    size_t end = SIZE_MAX;
};

// users(user_id VARCHAR, <attributes>): one row per user with any attribute value.
ContractTable contract_users(const Model& model, UserRange users = {});
// events(user_id, event, time, revenue, order_id, seq, <event properties>): one row per event.
ContractTable contract_events(const Model& model, UserRange users = {});

} // namespace segx
