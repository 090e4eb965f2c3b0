#pragma once
// UserAggregates: per-user facts computed once per model build (DESIGN §2), dense by user
// index. Times are µs UTC, INT64_MIN when the user has no such event.

#include "core/model/event_store.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace segx {

struct UserAggregates {
    static constexpr int64_t kNever = INT64_MIN;

    std::vector<int64_t> first_seen_us, last_seen_us;         // any event
    std::vector<int64_t> first_purchase_us, last_purchase_us; // purchase events
    // Distinct order ids among the user's purchase events, plus one per purchase event without
    // an order id. The same order id in an orders file and an events file counts once.
    std::vector<uint32_t> orders;
    // Sum of the non-NaN revenue of the user's purchase events. Line items (one row per product,
    // sharing an order id) all count; an order found in several files counts once, because the
    // event store keeps its revenue only from the first file that gives it one.
    std::vector<double> revenue;
    // 1 when at least one of the user's purchase events has a revenue (the sum above is then a
    // real SUM, not SQL's NULL over no values): lets "spent at least X" read `revenue` directly.
    std::vector<uint8_t> has_revenue;

    size_t size() const { return orders.size(); }
    size_t memory_bytes() const;
};

// One pass over each user's slice. `purchase_event` is the event code of purchases
// (UINT32_MAX when no event has the purchase name); `order_id_count` the number of order-id
// codes in the store.
UserAggregates compute_user_aggregates(const EventStore& events, uint32_t purchase_event,
                                       size_t order_id_count);

} // namespace segx
