#pragma once
// Writing the shared parts of definitions (numbers, comparison values, event filters, windows)
// so that reading them back (json_fields.h) gives the same values exactly.

#include "core/lang/event_filter.h"
#include "core/lang/value.h"
#include "core/lang/window.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace segx {

// Whole numbers within ±2^53 as JSON integers ("2", not "2.0"), others as doubles.
nlohmann::json number_json(double x);
nlohmann::json scalar_json(const Scalar& v);
// "value": x for single-value operators, "values": [...] for in/not_in/between, nothing for
// is_set/is_not_set.
void put_values(nlohmann::json& out, Op op, const std::vector<Scalar>& values);
// {name_key: name, "op", "value"/"values", "ci" when true}.
nlohmann::json comparison_json(const char* name_key, const std::string& name, Op op,
                               const std::vector<Scalar>& values, bool ci);
nlohmann::json filter_json(const EventFilter& f);
// {"last_days"} or {"from", "to"}; null for all time (the key is then left out).
nlohmann::json window_json(const TimeWindow& window);

} // namespace segx
