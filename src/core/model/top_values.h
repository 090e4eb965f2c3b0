#pragma once
// Value pickers: the most frequent values of a user attribute, an event property or the event
// names, for the audience editor's drop-downs ("country = ▾ CN 4,210 / US 3,118 / ...").
//
// Every function counts in one pass over the column by code (strings: dictionary codes;
// numbers: their bits in a hash table), so the substring filter and the text formatting run
// once per distinct value, never per row. Results are sorted by count descending, then by
// value ascending (strings as bytes, numbers, dates and booleans by value), and cut to k.
// An unknown attribute, event or property gives an empty vector: the caller says so.
//
// `contains`: keep values whose text contains it, ASCII letters folded ("york" finds "New
// York"); other bytes, Chinese included, compare exactly. "" keeps everything.
//
// `value` is written the way an audience definition takes it (audience/README.md), so a
// picked value can go straight into a rule: VARCHAR as is (a JSON string), BIGINT and DOUBLE
// as JSON numbers (format_double: "3", "0.1", "1e+21"), BOOLEAN as true / false, DATE as
// YYYY-MM-DD and TIMESTAMP as "YYYY-MM-DD HH:MM:SS[.ffffff]" (ISO 8601 strings, UTC). The
// column's type says whether to quote it. Nulls are never values, and neither are NaN and
// infinite doubles, which JSON cannot write.

#include "core/model/model.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace segx {

struct ValueCount {
    std::string value;
    uint64_t count = 0;
};

// Users per value of a user attribute.
std::vector<ValueCount> top_attribute_values(const Model& model, std::string_view attribute, size_t k,
                                             std::string_view contains = "");

// Users per value of a user attribute, among the users whose bit is set in `users` (one bit per
// model user; a shorter bitmap leaves the users past its end out).
std::vector<ValueCount> top_attribute_values_among(const Model& model, std::string_view attribute,
                                                   const Bitmap& users, size_t k);

// Events per value of an event property, over the events named `event` ("" = all events).
// Every loaded event counts, whatever the as-of: a picker offers what the data holds.
std::vector<ValueCount> top_event_property_values(const Model& model, std::string_view event,
                                                  std::string_view property, size_t k,
                                                  std::string_view contains = "");

// Events per event name.
std::vector<ValueCount> top_event_names(const Model& model, size_t k, std::string_view contains = "");

// True when `text` contains `needle` with ASCII letters folded (the pickers' filter).
bool contains_ascii_ci(std::string_view text, std::string_view needle);

} // namespace segx
