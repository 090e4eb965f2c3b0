#pragma once
// Audience insight (DESIGN §3): what sets an audience's members apart from all users, for the
// insight panel. Three parts, each from one pass:
//
//   attributes  per user attribute, the top K values among members with their lift against
//               all users. One pass over each column, counting members and all users per
//               value by code (dictionary codes for strings, never a string compare per user).
//   purchases   days between a member's consecutive purchases, and how many members bought
//               0, 1 or 2+ times.
//   activity    members' events by weekday × hour (UTC), a 7×24 heat map.
// The last two share one pass over the members' event slices.
//
// Shares use every member (or every user) as the denominator, nulls included:
//   member_share = members with the value / members,   all_share = users with it / users,
//   lift = member_share / all_share (0 when all_share is 0).
// So "CN: 40% of the audience vs 10% of all users, lift 4".
//
// Which values an attribute shows:
//   VARCHAR, BOOLEAN, and numbers or dates with at most kMaxDistinctNumbers distinct values
//     over all users: the top_k values by members (members > 0 only), ties by value (strings
//     as bytes, the rest by value). `value` is written as top_values.h writes it.
//   BIGINT, DOUBLE, DATE, TIMESTAMP with more distinct values: up to kNumericBuckets ranges
//     cut at the quintiles of all users' values, read from an even-strided sample of at most
//     kQuantileSample values (exact counts, approximate cuts). Each cut is rounded down to two
//     significant digits (numbers) or to its UTC day (dates, times) so that labels read
//     "[1200, 3500)"; equal cuts merge, so there may be fewer ranges. Ranges stay in value
//     order, as a histogram, and are all listed, members or not (each holds some user).
// A NaN double counts as not set, like a null.
//
// Purchases are events named Model::purchase_event at or before as_of. An order counts once
// (like UserAggregates::orders): the line items of one order id are one purchase, at the time
// of its first line; a purchase event without an order id is a purchase of its own.

#include "core/dataset/bitmap.h"
#include "core/dataset/column.h"
#include "core/model/model.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace segx {

constexpr size_t kMaxDistinctNumbers = 20;
constexpr size_t kNumericBuckets = 5;
constexpr size_t kQuantileSample = 8192;

struct InsightOptions {
    size_t top_k = 8;
    // Events after as-of do not exist (DESIGN §1). INT64_MAX keeps every event, the same as
    // the default as-of, Model::max_time_us.
    int64_t as_of_us = INT64_MAX;
};

// One value, or one range of a bucketed numeric attribute.
struct ValueLift {
    std::string value;       // the value, or a range label: "< 25", "[25, 35)", ">= 60"
    uint64_t members = 0;    // members with it
    uint64_t users = 0;      // all users with it
    double member_share = 0; // members / all members; 0 when there are no members
    double all_share = 0;    // users / all users
    double lift = 0;         // member_share / all_share; 0 when all_share is 0
    // Ranges only: lo <= x < hi, -inf / +inf at the ends; µs for DATE and TIMESTAMP.
    double lo = 0, hi = 0;
};

struct AttributeInsight {
    std::string attribute;
    ColumnType type = ColumnType::String;
    bool ranges = false; // values are ranges (see above)
    std::vector<ValueLift> values;
    uint64_t members_not_set = 0; // "not set": null (or NaN)
    uint64_t users_not_set = 0;
    uint64_t members_other = 0; // members with a value that is not among `values`
};

// Interval histogram buckets, in days: [0, 1) [1, 7) [7, 14) ... [180, 365) [365, inf).
constexpr size_t kIntervalBuckets = 9;
constexpr int64_t kIntervalEdgesDays[kIntervalBuckets - 1] = {1, 7, 14, 30, 60, 90, 180, 365};
const char* interval_bucket_label(size_t bucket); // "0-1", "1-7", ..., "365+" (days)

struct PurchaseIntervals {
    uint64_t members_no_purchase = 0;      // members by purchases at or before as-of: 0,
    uint64_t members_one_purchase = 0;     // 1,
    uint64_t members_repeat = 0;           // 2 or more
    uint64_t intervals = 0;                // consecutive purchase pairs, over repeat members
    double median_days = 0, mean_days = 0; // 0 when there are no intervals
    std::array<uint64_t, kIntervalBuckets> histogram{};
};

struct ActivityHeatmap {
    // events[weekday][hour]: members' events at or before as-of; weekday 0 = Monday, UTC.
    std::array<std::array<uint64_t, 24>, 7> events{};
    uint64_t max_cell = 0; // the largest cell, for the colour scale
    uint64_t total = 0;
};

struct AudienceInsight {
    uint64_t members = 0;                     // members among the model's users
    uint64_t users = 0;                       // all users
    std::vector<AttributeInsight> attributes; // in Model::attributes order
    PurchaseIntervals purchases;
    ActivityHeatmap activity;
};

// Bits of `members` past the model's users are ignored; a shorter bitmap counts as zeros.
AudienceInsight compute_insight(const Model& model, const Bitmap& members, const InsightOptions& options);

} // namespace segx
