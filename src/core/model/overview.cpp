#include "core/model/overview.h"

#include "core/time/civil.h"

#include <algorithm>
#include <cmath>
#include <optional>

namespace segx {

namespace {

// The days the chart covers: every day from the first event to the last when that is at most
// kMaxChartDays, else the window of that length holding the most events (found on counts per
// 1,000 days), so that one order dated 0001-01-01 or 9999-12-31 costs no giant vector and
// leaves the bulk of the data on the chart.
std::pair<int64_t, int64_t> chart_days(const EventStore& ev, int64_t first, int64_t last) {
    if (last - first + 1 <= kMaxChartDays) return {first, last};
    constexpr int64_t kBucket = 1000;
    std::vector<uint64_t> coarse(size_t((last - first) / kBucket + 1), 0);
    for (size_t i = 0; i < ev.size(); ++i)
        ++coarse[size_t((floor_div(ev.time[i], kMicrosPerDay) - first) / kBucket)];
    const size_t run = size_t(kMaxChartDays / kBucket);
    uint64_t sum = 0, best_sum = 0;
    size_t best = 0;
    for (size_t b = 0; b < coarse.size(); ++b) {
        sum += coarse[b];
        if (b >= run) sum -= coarse[b - run];
        const size_t start = b + 1 >= run ? b + 1 - run : 0;
        if (sum > best_sum) best_sum = sum, best = start;
    }
    const int64_t from = first + int64_t(best) * kBucket;
    return {from, std::min(last, from + kMaxChartDays - 1)};
}

} // namespace

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
            const double r = ev.values.revenue(i);
            if (r == r) o.refund_amount += std::fabs(r);
        }
    }
    o.net_revenue = o.revenue - o.refund_amount;
    if (ev.size() == 0) return o;
    o.first_us = model.min_time_us;
    o.last_us = model.max_time_us;

    // One pass: events per day, and per event name the events and distinct users (a user counts
    // once per name: the last user seen per name is remembered, and slices are per user).
    const int64_t first = floor_div(o.first_us, kMicrosPerDay), last = floor_div(o.last_us, kMicrosPerDay);
    const auto [first_day, last_day] = chart_days(ev, first, last);
    o.per_day.resize(size_t(last_day - first_day + 1));
    for (size_t d = 0; d < o.per_day.size(); ++d) o.per_day[d].day = first_day + int64_t(d);
    size_t names = model.event_names.size();
    std::vector<uint64_t> by_name(names, 0), users_by_name(names, 0);
    std::vector<uint32_t> last_user(names, UINT32_MAX);
    for (size_t u = 0; u + 1 < ev.offsets.size(); ++u) {
        for (uint64_t i = ev.offsets[u]; i < ev.offsets[u + 1]; ++i) {
            const int64_t day = floor_div(ev.time[i], kMicrosPerDay);
            if (day >= first_day && day <= last_day)
                ++o.per_day[size_t(day - first_day)].events;
            else
                ++o.per_day_outside;
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
