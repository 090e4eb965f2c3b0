#pragma once
// EventStore: every event of every source, grouped by user and sorted by time (DESIGN §2).
//
// CSR layout: the events of user u are rows [offsets[u], offsets[u+1]). Per event only the
// columns below: time 8 + event 4 + revenue 8 + order 4 = 24 bytes, plus its properties.
// Within a user, events are in time order; equal times keep source order, then row order.

#include "core/dataset/column.h"
#include "core/model/event_source.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace segx {

struct EventStore {
    static constexpr uint32_t kNoOrder = UINT32_MAX;

    std::vector<uint64_t> offsets; // user count + 1 entries
    std::vector<int64_t> time;     // µs UTC
    std::vector<uint32_t> event;   // model event-name code
    std::vector<double> revenue;   // NaN when none, or when another file already gave this order's revenue
    std::vector<uint32_t> order;   // model order-id code, kNoOrder when none
    // Union of property names over the sources (merged as column_merge.h says); null on the
    // events of a source without that property.
    std::vector<Column> properties;

    size_t size() const { return time.size(); }
    size_t user_count() const { return offsets.empty() ? 0 : offsets.size() - 1; }
    size_t memory_bytes() const;
};

// Source-local codes -> model codes for one event source.
struct SourceRemap {
    std::vector<uint32_t> user;  // per code of source.user_ids
    std::vector<uint32_t> event; // per code of source.event_names
    std::vector<uint32_t> order; // per code of source.order_ids
};

// Builds the store for `user_count` users (users without events get empty slices): a counting
// sort by user (count, prefix sum, stable scatter in source then row order), then a stable
// sort by time of each user slice that is not already in order. Throws std::length_error past
// 2^32 - 1 events.
EventStore build_event_store(const std::vector<const EventSource*>& sources,
                             const std::vector<SourceRemap>& remaps, size_t user_count);

} // namespace segx
