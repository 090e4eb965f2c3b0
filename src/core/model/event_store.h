#pragma once
// EventStore: every event of every source, grouped by user and sorted by time (DESIGN §2).
//
// CSR layout: the events of user u are rows [offsets[u], offsets[u+1]). Per event only the
// columns below: time 8 + event 1 (2 past 256 names) + revenue and order 0.19 (12 more on
// the events that carry them, event_values.h), plus its properties.
// Within a user, events are in time order; equal times keep source order, then row order.

#include "core/dataset/column.h"
#include "core/model/event_source.h"
#include "core/model/event_values.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace segx {

struct EventStore {
    static constexpr uint32_t kNoOrder = EventValues::kNoOrder;

    std::vector<uint64_t> offsets; // user count + 1 entries
    std::vector<int64_t> time;     // µs UTC
    CodeVector event;              // model event-name code (1 byte each up to 256 names)
    // Per event: revenue (NaN when none, or when another file already gave this order's
    // revenue) and model order-id code (kNoOrder when none), held for the events with either.
    EventValues values;
    // Union of property names over the sources (merged as column_merge.h says); null on the
    // events of a source without that property.
    std::vector<Column> properties;
    // Per source: its purchases dropped as repeats of a (user, order id) purchase another
    // source owns (build_event_store). Not part of the serialized model (model_io.h).
    std::vector<uint64_t> merged_purchases;

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
//
// One purchase per order across files (DESIGN §2; model/README.md): the purchase rows
// (`purchase_event`, a model event code; UINT32_MAX: none) of one user and one order id are
// kept from one source only, the pair's owner: the first source (in load order) whose purchase
// row of the pair carries an amount, else the first with a purchase row of the pair. The owner
// keeps all its rows of the pair (line items); the other sources' purchase rows of the pair are
// dropped, and their property values fill the properties that the owner's first row of the
// pair lacks (earlier sources first). Revenue: once per order, from the first source giving the
// order an amount (the "revenue owner"); other sources' rows of the order carry none.
EventStore build_event_store(const std::vector<const EventSource*>& sources,
                             const std::vector<SourceRemap>& remaps, size_t user_count,
                             uint32_t purchase_event = UINT32_MAX);

// The same, taking the sources' rows: the build goes one column at a time over every source
// (the slots, then time, event, each property), and frees each source column as soon as it is
// scattered, so that the store grows as the sources shrink and the peak is the sources and one
// store column, not the sources and the whole store. The sources keep their spec and rejects;
// their rows are gone after it.
EventStore build_event_store_releasing(const std::vector<EventSource*>& sources,
                                       const std::vector<SourceRemap>& remaps, size_t user_count,
                                       uint32_t purchase_event = UINT32_MAX);

} // namespace segx
