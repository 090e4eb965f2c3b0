#include "core/model/overview.h"

#include "core/time/civil.h"

#include <algorithm>
#include <cmath>
#include <optional>

namespace segx {

Overview compute_overview(const Model& model, size_t top_n) {
    Overview o;
    const EventStore& ev = model.events;
    const UserAggregates& agg = model.aggregates;
    o.users = model.users.size();
    o.events = ev.size();
    for (size_t u = 0; u < agg.size(); ++u) {
        o.orders += agg.orders[u];
        if (agg.revenue[u] == agg.revenue[u]) o.revenue += agg.revenue[u];
        if (agg.first_purchase_us[u] != UserAggregates::kNever) ++o.customers;
    }
    for (uint64_t n : ev.merged_purchases) o.merged_purchases += n;
    if (std::optional<uint32_t> refund = model.event_names.find(kRefundEvent)) {
        for (size_t i = 0; i < ev.size(); ++i) {
            if (ev.event[i] != *refund) continue;
            ++o.refunds;
            if (ev.revenue[i] == ev.revenue[i]) o.refund_amount += std::fabs(ev.revenue[i]);
        }
    }
    o.net_revenue = o.revenue - o.refund_amount;
    if (ev.size() == 0) return o;
    o.first_us = model.min_time_us;
    o.last_us = model.max_time_us;

    // One pass: events per day, and per event name the events and distinct users (a user counts
    // once per name: the last user seen per name is remembered, and slices are per user).
    int64_t first_day = floor_div(o.first_us, kMicrosPerDay);
    int64_t last_day = floor_div(o.last_us, kMicrosPerDay);
    o.per_day.resize(size_t(last_day - first_day + 1));
    for (size_t d = 0; d < o.per_day.size(); ++d) o.per_day[d].day = first_day + int64_t(d);
    size_t names = model.event_names.size();
    std::vector<uint64_t> by_name(names, 0), users_by_name(names, 0);
    std::vector<uint32_t> last_user(names, UINT32_MAX);
    for (size_t u = 0; u + 1 < ev.offsets.size(); ++u) {
        for (uint64_t i = ev.offsets[u]; i < ev.offsets[u + 1]; ++i) {
            ++o.per_day[size_t(floor_div(ev.time[i], kMicrosPerDay) - first_day)].events;
            uint32_t e = ev.event[i];
            ++by_name[e];
            if (last_user[e] != uint32_t(u)) last_user[e] = uint32_t(u), ++users_by_name[e];
        }
    }
    for (size_t e = 0; e < names; ++e)
        if (by_name[e])
            o.top_events.push_back(
                {std::string(model.event_names.at(uint32_t(e))), by_name[e], users_by_name[e]});
    std::sort(o.top_events.begin(), o.top_events.end(), [](const EventCount& a, const EventCount& b) {
        return a.events != b.events ? a.events > b.events : a.name < b.name;
    });
    if (o.top_events.size() > top_n) o.top_events.resize(top_n);
    return o;
}

} // namespace segx
