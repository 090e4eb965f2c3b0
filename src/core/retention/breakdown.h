#pragma once
// A retention broken down by a user attribute (the Retention tab's curves per value): the groups
// are the attribute's most frequent values among the users the triangle counts (by cohort size),
// then "other" (another value) and "not set" (null). Each group is an audience filter: the
// retention's own filter narrowed by one `property` rule, so a group's curve is exactly
// segx.run's answer for the retention with that filter, and an audience rule can name the same
// users. The groups partition the cohort users: their triangles add up, cell by cell, to the
// whole one. No new engine: the retention engine's cohorts and top_values' counting.

#include "core/dataset/column.h"
#include "core/lang/error.h"
#include "core/retention/definition.h"
#include "core/retention/engine.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace segx {

enum class RetentionRowKind : uint8_t { Value, Other, NotSet };

struct RetentionBreakdownGroup {
    RetentionRowKind row = RetentionRowKind::Value;
    std::string value;  // RetentionRowKind::Value: as top_values writes it (VARCHAR as is, numbers, ...)
    uint64_t users = 0; // the cohort users in the group (the sum of its cohorts' sizes)
};

struct RetentionBreakdown {
    std::vector<DefinitionError> errors; // the retention's, and "attribute" when it is unknown
    ColumnType type = ColumnType::String;
    // The top values, by users descending (then value), then "other" and "not set" when they
    // hold anyone. Their users add up to `total`.
    std::vector<RetentionBreakdownGroup> groups;
    uint64_t total = 0; // the users the triangle counts

    bool ok() const { return errors.empty(); }
};

// At most `top` values (1 .. kMaxRetentionBreakdownTop).
constexpr size_t kMaxRetentionBreakdownTop = 20;
RetentionBreakdown retention_breakdown(const Retention& retention, const RetentionContext& ctx,
                                       std::string_view attribute, size_t top);

// The `property` rule (audience JSON) of group `i`: eq the value (typed as the column is: a
// string, a number, true / false), not_in the top values ("other"), is_not_set ("not set").
nlohmann::json breakdown_group_rule(const RetentionBreakdown& breakdown, const std::string& attribute,
                                    size_t i);

// An audience filter (a group object, {"audience": id}, or null for everyone) narrowed by
// `rule`: {"match": "all", "rules": [the filter as a rule ({"kind": "audience", "op": "in", "id"}
// or the group with "kind": "group"), rule]}.
nlohmann::json narrowed_filter(const nlohmann::json& filter, const nlohmann::json& rule);

} // namespace segx
