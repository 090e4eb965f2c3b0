#include "core/model/model.h"

#include "core/model/column_builder.h"
#include "core/model/column_merge.h"

#include <algorithm>
#include <optional>

namespace segx {

size_t Model::memory_bytes() const {
    size_t total = users.memory_bytes() + event_names.memory_bytes() + order_ids.memory_bytes() +
                   events.memory_bytes() + event_index.memory_bytes() + aggregates.memory_bytes();
    for (const Column& c : attributes) total += c.memory_bytes();
    return total;
}

namespace {

// Local code -> model code for every entry of a source dictionary: one hash per distinct value.
template <typename Dict>
std::vector<uint32_t> remap_all(const StringDictionary& local, Dict& global) {
    std::vector<uint32_t> remap(local.size());
    for (uint32_t c = 0; c < local.size(); c++) remap[c] = global.intern(local.at(c));
    return remap;
}

void build_attributes(Model& m, const std::vector<const UserSource*>& sources,
                      const std::vector<std::vector<uint32_t>>& user_remaps) {
    std::vector<NamedColumns> named;
    for (const UserSource* s : sources) named.push_back(NamedColumns{s->name, &s->attributes});
    ColumnPlan plan = plan_columns(named);
    m.attributes = std::move(plan.columns);
    m.attribute_sources = std::move(plan.sources);
    for (Column& c : m.attributes) append_nulls(c, m.users.size());
    std::vector<uint32_t> remap_scratch;
    for (size_t s = 0; s < sources.size(); s++) {
        const UserSource& src = *sources[s];
        // Row row_of_user[c] goes to model user user_remaps[s][c]; sources in order, so a later
        // file overwrites an earlier one.
        for (size_t a = 0; a < src.attributes.size(); a++)
            scatter_column(src.attributes[a], m.attributes[plan.target[s][a]], src.row_of_user.data(),
                           user_remaps[s].data(), src.row_of_user.size(), remap_scratch);
    }
}

} // namespace

Model build_model(const std::vector<const UserSource*>& user_sources,
                  const std::vector<const EventSource*>& event_sources, std::string_view purchase_event) {
    Model m;
    m.purchase_event = std::string(purchase_event);

    std::vector<std::vector<uint32_t>> user_remaps;
    for (const UserSource* s : user_sources) user_remaps.push_back(remap_all(s->user_ids, m.users));
    std::vector<SourceRemap> remaps(event_sources.size());
    for (size_t s = 0; s < event_sources.size(); s++) {
        const EventSource& src = *event_sources[s];
        remaps[s].user = remap_all(src.user_ids, m.users);
        remaps[s].event = remap_all(src.event_names, m.event_names);
        remaps[s].order = remap_all(src.order_ids, m.order_ids);
    }

    m.events = build_event_store(event_sources, remaps, m.users.size());
    m.event_index = build_event_index(m.events);
    build_attributes(m, user_sources, user_remaps);

    std::optional<uint32_t> purchase = m.event_names.find(purchase_event);
    m.aggregates = compute_user_aggregates(m.events, purchase ? *purchase : UINT32_MAX, m.order_ids.size());
    for (size_t u = 0; u < m.users.size(); u++) {
        if (m.aggregates.first_seen_us[u] == UserAggregates::kNever) continue;
        m.min_time_us = std::min(m.min_time_us, m.aggregates.first_seen_us[u]);
        m.max_time_us = std::max(m.max_time_us, m.aggregates.last_seen_us[u]);
    }
    return m;
}

} // namespace segx
