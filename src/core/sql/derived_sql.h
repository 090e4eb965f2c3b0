#pragma once
// Attributes from events (core/model/derived.h) in SQL: the statements compute each derived
// attribute they use from the `events` table, so the `users` table of the contract
// (audience_sql.h) holds the users files' columns only. Per attribute one subquery:
//   latest         first(p ORDER BY "time" DESC, "seq" DESC)   -- the store's last event
//   first          first(p ORDER BY "time", "seq")
//   most_frequent  first(v ORDER BY n DESC, v) over (value, count) per user -- ties: smallest
// over the user's events with p IS NOT NULL (and "event" = e when the spec names one), all
// time: the same values derive_attributes gives.

#include "core/model/model.h"

#include <string>
#include <vector>

namespace segx {

// The derived attributes among `names` (others are skipped), as lines
//   LEFT JOIN (<per-user subquery>) AS "d_1" USING ("user_id")
// each line starting with `indent` spaces and ending with a newline; "" when there are none.
std::string derived_joins_sql(const Model& model, const std::vector<std::string>& names, int indent);

// A FROM item that is the users table with the derived attributes among `names` as columns:
// "users" itself when there are none, else a subquery over every user id of users ∪ events.
std::string users_from_sql(const Model& model, const std::vector<std::string>& names);

} // namespace segx
