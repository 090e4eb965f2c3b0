#pragma once
// EventSource: one events or orders file, loaded and checked but not yet merged. Its ids live
// in its own dictionaries, so that replacing or removing the file and rebuilding the model
// (build_model) leaves no trace of it.

#include "core/dataset/column.h"
#include "core/dataset/narrow_vector.h"
#include "core/dataset/string_dictionary.h"
#include "core/model/chunk.h"
#include "core/model/column_builder.h"
#include "core/model/event_values.h"
#include "core/model/int_code_map.h"
#include "core/model/reject_log.h"
#include "core/model/value_text.h"
#include "core/time/parse.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace segx {

enum class SourceKind : uint8_t { Users, Events, Orders };

const char* source_kind_name(SourceKind kind); // "users", "events", "orders"
std::optional<SourceKind> source_kind_from_name(std::string_view name);

struct EventSourceSpec {
    std::string name; // the file name, as reports and suffixed column names show it
    SourceKind kind = SourceKind::Events;
    TimeFormat time_format = TimeFormat::Auto;
    bool time_is_epoch_us = false; // numeric time already in µs (DuckDB typed it)
    int tz_offset_minutes = 0;     // wall time of zone-less text, minutes east of UTC
    // Event name of every row when the mapping has no event column; an empty one means
    // "purchase" for Orders sources.
    std::string constant_event;
    bool revenue_required = false; // orders: a missing amount rejects the row
    std::vector<std::string> property_names;
};

// The event an orders file's row with a negative amount becomes (DESIGN §2).
inline constexpr const char* kRefundEvent = "refund";

struct EventSource {
    static constexpr uint32_t kNoOrder = UINT32_MAX;

    EventSourceSpec spec;
    // The format times were read in: spec.time_format, or what Auto detected from the first
    // chunk holding times (Auto if nothing was detected, or for time_is_epoch_us).
    TimeFormat detected_format = TimeFormat::Auto;
    StringDictionary user_ids, event_names, order_ids; // source-local codes
    // One entry per kept row, in file order.
    std::vector<uint32_t> user; // code in user_ids (canonical id text)
    CodeVector event;           // code in event_names, at the width of the largest
    std::vector<int64_t> time;  // µs UTC
    // Revenue (NaN when none) and code in order_ids (kNoOrder when none), held only for the
    // rows that carry one (event_values.h): a few percent of an events file's rows.
    EventValues values;
    std::vector<Column> properties; // named as spec.property_names, kept rows only
    RejectLog rejects;
    size_t refunds = 0; // orders rows with a negative amount, kept as kRefundEvent events

    size_t size() const { return time.size(); }
    size_t memory_bytes() const;
};

// Loads an events or orders file chunk by chunk. Per row, in order:
//   user id   canonical text (IdText): trimmed text, decimal ints, integral doubles as ints;
//             empty -> "no user id"
//   time      µs as given (time_is_epoch_us), or text/number read in the source's format
//             (Auto: detected from up to 1000 values of the first chunk holding times, then
//             fixed for the whole source); null or unreadable -> "unparseable time"; a time
//             outside years 1..9999 typed by DuckDB or given as a Unix number -> "time outside
//             years 1-9999" (text outside them does not parse)
//   event     trimmed text or a number's canonical text; null or empty -> "no event name"
//             (with an event column only; without one every row gets the constant event)
//   revenue   double, int, or text read by parse_amount; null or empty text -> none;
//             non-numeric text (or Infinity) -> "non-numeric amount"; with revenue_required
//             also a missing amount -> "non-numeric amount"; |amount| > 1e15 -> "amount beyond
//             1e15" (so that every sum of amounts stays finite)
//   refund    an Orders source's row (no event column) with a negative amount is a
//             kRefundEvent event carrying that amount, not a purchase (DESIGN §2)
//   order id  canonical text like the user id; empty -> none
// Properties keep the kept rows (ColumnBuilder: type fixed by the first chunk).
class EventSourceBuilder {
public:
    explicit EventSourceBuilder(EventSourceSpec spec);

    // n rows; pass ValueChunk::none() for unmapped columns. `properties` has one chunk per
    // spec.property_names entry. Throws std::invalid_argument naming the source when the
    // chunks cannot be read, the property count is wrong, or there is neither an event column
    // nor a constant event.
    void append(size_t n, const ValueChunk& user_id, const ValueChunk& time, const ValueChunk& event,
                const ValueChunk& revenue, const ValueChunk& order_id,
                const std::vector<ValueChunk>& properties);
    // About `rows` rows are coming (an estimate, such as the page's from a file's first lines):
    // room for them and a thirty-second more is reserved, so that the columns do not grow by
    // doubling past them (core/dataset/slack.h).
    void expect(size_t rows);
    // The loaded source, without spare room past an eighth of its size; the builder is spent
    // afterwards.
    EventSource finish();

private:
    void detect_time_format(size_t n, const ValueChunk& time);
    // nullptr, or why the row is rejected.
    const char* read_time(const ValueChunk& time, size_t i, int64_t* us) const;
    // The reason a revenue value is rejected (nullptr: fine) and the value (NaN: none).
    const char* read_revenue(const ValueChunk& revenue, size_t i, double* value) const;
    // Local code of a kept row's user; `id` is its canonical text.
    uint32_t intern_user(const ValueChunk& user_id, size_t i, std::string_view id);
    std::string example(size_t i, const ValueChunk& user_id, const ValueChunk& time, const char* extra_name,
                        const ValueChunk* extra) const;

    EventSource out_;
    bool format_fixed_ = false;
    uint32_t constant_event_code_ = UINT32_MAX; // interned on first use
    uint32_t refund_event_code_ = UINT32_MAX;
    std::vector<ColumnBuilder> properties_;
    std::vector<uint32_t> kept_rows_; // scratch: kept rows of the current chunk
    IdText user_text_, event_text_, order_text_;
    IntCodeMap int_users_; // integer (and integral double) ids -> local code, skipping the text
};

} // namespace segx
