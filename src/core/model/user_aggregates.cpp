#include "core/model/user_aggregates.h"

#include <cmath>

namespace segx {

size_t UserAggregates::memory_bytes() const {
    return (first_seen_us.capacity() + last_seen_us.capacity() + first_purchase_us.capacity() +
            last_purchase_us.capacity()) *
               sizeof(int64_t) +
           orders.capacity() * sizeof(uint32_t) + revenue.capacity() * sizeof(double) +
           has_revenue.capacity();
}

UserAggregates compute_user_aggregates(const EventStore& events, uint32_t purchase_event,
                                       size_t order_id_count) {
    const size_t users = events.user_count();
    UserAggregates a;
    a.first_seen_us.assign(users, UserAggregates::kNever);
    a.last_seen_us.assign(users, UserAggregates::kNever);
    a.first_purchase_us.assign(users, UserAggregates::kNever);
    a.last_purchase_us.assign(users, UserAggregates::kNever);
    a.orders.assign(users, 0);
    a.revenue.assign(users, 0.0);
    a.has_revenue.assign(users, 0);
    // last_user[o]: the last user counted with order o. Slices are visited user by user, so
    // "already counted for this user" is one compare, without a per-user set.
    std::vector<uint32_t> last_user(order_id_count, UINT32_MAX);
    for (size_t u = 0; u < users; u++) {
        const size_t begin = size_t(events.offsets[u]), end = size_t(events.offsets[u + 1]);
        if (begin == end) continue;
        a.first_seen_us[u] = events.time[begin]; // slices are sorted by time
        a.last_seen_us[u] = events.time[end - 1];
        int64_t first_purchase = UserAggregates::kNever, last_purchase = UserAggregates::kNever;
        uint32_t orders = 0;
        double revenue = 0.0;
        for (size_t i = begin; i < end; i++) {
            if (events.event[i] != purchase_event) continue;
            if (first_purchase == UserAggregates::kNever) first_purchase = events.time[i];
            last_purchase = events.time[i];
            const uint32_t o = events.values.order(i);
            if (o == EventStore::kNoOrder) {
                orders++;
            } else if (last_user[o] != uint32_t(u)) {
                last_user[o] = uint32_t(u);
                orders++;
            }
            const double r = events.values.revenue(i);
            if (!std::isnan(r)) revenue += r, a.has_revenue[u] = 1;
        }
        a.first_purchase_us[u] = first_purchase;
        a.last_purchase_us[u] = last_purchase;
        a.orders[u] = orders;
        a.revenue[u] = revenue;
    }
    return a;
}

} // namespace segx
