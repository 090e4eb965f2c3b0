#pragma once
// Overview: the headline figures of a model (DESIGN §8, Overview tab) — users, customers,
// events, orders, revenue, the date span, events per day and the most frequent events.
#include "core/model/model.h"

#include <cstdint>
#include <string>
#include <vector>

namespace segx {

constexpr int64_t kMaxChartDays = 36600; // about a century of days on the events-per-day chart

struct DayCount {
    int64_t day = 0; // days since 1970-01-01 (UTC)
    uint64_t events = 0;
};

struct EventCount {
    std::string name;
    uint64_t events = 0;
    uint64_t users = 0; // distinct users with the event
};

struct Overview {
    uint64_t users = 0;     // every user in the model
    uint64_t customers = 0; // users with at least one purchase
    uint64_t events = 0;
    uint64_t orders = 0;
    double revenue = 0;            // the purchases' revenue (DESIGN §2): refunds are not subtracted
    uint64_t refunds = 0;          // refund events (an orders file's negative amounts, or "refund" events)
    double refund_amount = 0;      // their amounts, as positive money: sum of |amount|
    double net_revenue = 0;        // revenue - refund_amount
    uint64_t merged_purchases = 0; // purchases dropped as repeats of another file's (user, order id)
    int64_t first_us = INT64_MIN, last_us = INT64_MIN; // INT64_MIN: no events
    // Every day from the first to the last event, zeros included; when they are more than
    // kMaxChartDays apart (one order dated 0001-01-01), the kMaxChartDays-day window holding the
    // most events, and per_day_outside counts the events outside it.
    std::vector<DayCount> per_day;
    uint64_t per_day_outside = 0;
    std::vector<EventCount> top_events; // by events, descending; ties by name
};

Overview compute_overview(const Model& model, size_t top_n = 10);

} // namespace segx
