#include "core/retention/breakdown.h"

#include "core/lang/names.h"
#include "core/model/top_values.h"

#include <algorithm>

namespace segx {

using json = nlohmann::json;

RetentionBreakdown retention_breakdown(const Retention& retention, const RetentionContext& ctx,
                                       std::string_view attribute, size_t top) {
    RetentionBreakdown out;
    const Column* column = nullptr;
    for (const Column& c : ctx.model.attributes)
        if (c.name == attribute) column = &c;
    if (column == nullptr) {
        out.errors.push_back(
            {"attribute", unknown_name("attribute", std::string(attribute), ctx.model.attributes)});
        return out;
    }
    out.type = column->type;
    RetentionCellUsers cohort = retention_cohort_users(retention, ctx);
    if (!cohort.ok()) {
        out.errors = std::move(cohort.errors);
        return out;
    }
    top = std::clamp<size_t>(top, 1, kMaxRetentionBreakdownTop);
    uint64_t not_set = 0;
    for (size_t u = 0; u < cohort.users.size; u++) {
        if (!cohort.users.get(u)) continue;
        out.total++;
        if (u >= column->size() || column->is_null(u)) not_set++;
    }
    uint64_t valued = 0;
    for (ValueCount& v : top_attribute_values_among(ctx.model, attribute, cohort.users, top)) {
        valued += v.count;
        out.groups.push_back({RetentionRowKind::Value, std::move(v.value), v.count});
    }
    // Non-finite doubles are no value in a rule (top_values leaves them out) but not null
    // either: they count in "other".
    const uint64_t other = out.total - not_set - valued;
    if (other > 0) out.groups.push_back({RetentionRowKind::Other, "", other});
    if (not_set > 0) out.groups.push_back({RetentionRowKind::NotSet, "", not_set});
    return out;
}

static json typed_value(ColumnType type, const std::string& text) {
    switch (type) {
        case ColumnType::Bool:
            return text == "true";
        case ColumnType::Int64:
        case ColumnType::Double:
            return json::parse(text, nullptr, false);
        default:
            return text;
    }
}

json breakdown_group_rule(const RetentionBreakdown& breakdown, const std::string& attribute, size_t i) {
    json rule = {{"kind", "property"}, {"attribute", attribute}};
    if (i >= breakdown.groups.size()) return rule;
    const RetentionBreakdownGroup& g = breakdown.groups[i];
    if (g.row == RetentionRowKind::Value) {
        rule["op"] = "eq";
        rule["value"] = typed_value(breakdown.type, g.value);
    } else if (g.row == RetentionRowKind::Other) {
        json values = json::array();
        for (const RetentionBreakdownGroup& v : breakdown.groups)
            if (v.row == RetentionRowKind::Value) values.push_back(typed_value(breakdown.type, v.value));
        rule["op"] = "not_in";
        rule["values"] = std::move(values);
    } else {
        rule["op"] = "is_not_set";
    }
    return rule;
}

json narrowed_filter(const json& filter, const json& rule) {
    json rules = json::array();
    if (filter.is_object() && filter.contains("audience"))
        rules.push_back({{"kind", "audience"}, {"op", "in"}, {"id", filter["audience"]}});
    else if (filter.is_object()) {
        json group = filter; // a group inside a group's rules says its kind
        group["kind"] = "group";
        rules.push_back(std::move(group));
    }
    rules.push_back(rule);
    return {{"match", "all"}, {"rules", std::move(rules)}};
}

} // namespace segx
