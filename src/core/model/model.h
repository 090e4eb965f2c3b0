#pragma once
// Model: the user-centric view that every analysis reads (DESIGN §2), rebuilt from all current
// sources whenever one is added, replaced or removed. The build re-interns every id into fresh
// dictionaries, so a removed source leaves no trace: not a user, an event name or an order id.

#include "core/dataset/column.h"
#include "core/dataset/string_dictionary.h"
#include "core/dataset/user_dictionary.h"
#include "core/model/derived_spec.h"
#include "core/model/event_index.h"
#include "core/model/event_source.h"
#include "core/model/event_store.h"
#include "core/model/user_aggregates.h"
#include "core/model/user_source.h"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace segx {

struct Model {
    UserDictionary users;
    StringDictionary event_names, order_ids;
    EventStore events;
    EventIndex event_index; // per event name, its rows of `events` (behavior rules read these)
    // Dense by user index; users without a row in any users file are null. Merged by name over
    // the users files as column_merge.h says (`country (crm.csv)` when types clash).
    std::vector<Column> attributes;
    std::vector<std::string> attribute_sources; // per attribute: the users file that first has it
    // The attributes from events (derived.h), the last derived.size() entries of `attributes`
    // (their source says "events"); none until derive_attributes runs.
    std::vector<DerivedSpec> derived;
    std::string purchase_event; // the event name that counts as a purchase
    UserAggregates aggregates;
    int64_t min_time_us = INT64_MAX; // over all events; INT64_MAX / INT64_MIN when there are none
    int64_t max_time_us = INT64_MIN;
    // Event sources whose rows are exactly an earlier source's (the same file loaded twice, say
    // in two encodings): {later file, earlier file}, in load order. Said, not dropped: the
    // later file's purchases merge (one per order), its other events count twice.
    std::vector<std::pair<std::string, std::string>> duplicate_sources;

    size_t memory_bytes() const;
    // memory_bytes() part by part, in the order they add up: {"users", bytes}, ..., one entry
    // per event column ("events.time", "events.property page", ...) and index part.
    std::vector<std::pair<std::string, size_t>> memory_parts() const;
};

// Users: the union of the sources' ids, users files first in the given order, then event
// sources, dense indices in first-seen order. Ids that differ only in type are one user (the
// sources hold canonical id text: 123, "123" and 123.0 are all "123").
// Attributes: a user in several users files takes each attribute from the last file that has
// the attribute column, null values included (that file's row wins, like duplicates within a
// file).
// `sources_read`, when given, is called once no source is read any more (the event store and
// the attributes are built, before the event index and the aggregates): the caller may free the
// sources' rows there, so that the index is built beside the model alone and not beside the
// sources too, which sets the load's peak (src/app/session.h). After it, the pointers given are
// not touched again.
Model build_model(const std::vector<const UserSource*>& user_sources,
                  const std::vector<const EventSource*>& event_sources,
                  std::string_view purchase_event = "purchase",
                  const std::function<void()>& sources_read = {});

// The same, taking the sources' rows: a users file's once the attributes are built (before the
// events), an event source's column by column as the event store is built
// (build_event_store_releasing), and every source's dictionaries once the model's hold their ids.
Model build_model_releasing(const std::vector<UserSource*>& user_sources,
                            const std::vector<EventSource*>& event_sources,
                            std::string_view purchase_event = "purchase",
                            const std::function<void()>& sources_read = {});

} // namespace segx
