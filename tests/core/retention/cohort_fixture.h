#pragma once
// Small models for retention, lifecycle and the board, written with calendar times:
//
//   Model m = cohort_model({"u1", "u2"},
//                          {{"u1", "2024-12-30 10:00", "signup"},
//                           {"u1", "2025-01-06", "purchase", 25, "o1"}},
//                          {date_of("2024-12-30"), std::nullopt});
//
// gives users u1, u2 (u2 without events), events sorted stably by (user, time), purchases with
// revenue and order ids, the model's purchase_event "purchase", and a Date attribute "signup"
// per user (null when nullopt). `with_index` also builds the per-event-name index.

#include "core/model/event_index.h"
#include "core/model/model.h"
#include "core/model/user_aggregates.h"
#include "core/time/civil.h"
#include "core/time/parse.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

namespace segx::test {

// "2024-12-30", "2024-12-30 10:00", "2024-12-30T10:00:00.000001Z": µs UTC.
inline int64_t at(const std::string& text) {
    int64_t us = 0;
    std::string iso = text;
    std::replace(iso.begin(), iso.end(), ' ', 'T');
    if (!parse_time_text(iso, TimeFormat::Iso, 0, &us)) FAIL("not a time: " << text);
    return us;
}
inline int64_t date_of(const std::string& text) { return at(text); }

struct CohortEvent {
    std::string user;
    int64_t time = 0;
    std::string event;
    double revenue = NAN;
    std::string order; // "" = none

    CohortEvent(std::string u, const std::string& t, std::string e, double r = NAN, std::string o = "")
        : user(std::move(u)), time(at(t)), event(std::move(e)), revenue(r), order(std::move(o)) {}
    CohortEvent(std::string u, int64_t t, std::string e, double r = NAN, std::string o = "")
        : user(std::move(u)), time(t), event(std::move(e)), revenue(r), order(std::move(o)) {}
};

inline Column date_column(const std::string& name, const std::vector<std::optional<int64_t>>& values,
                          size_t users, ColumnType type = ColumnType::Date) {
    Column c;
    c.name = name;
    c.type = type;
    std::vector<int64_t> v(users, 0);
    std::vector<uint8_t> validity(users / 8 + 1, 0);
    for (size_t i = 0; i < users && i < values.size(); i++)
        if (values[i]) {
            v[i] = *values[i];
            validity[i / 8] |= uint8_t(1u << (i % 8));
        }
    c.append_int64(v.data(), validity.data(), 0, users);
    return c;
}

inline Model cohort_model(const std::vector<std::string>& users, std::vector<CohortEvent> events,
                          const std::vector<std::optional<int64_t>>& signup = {}, bool with_index = false) {
    Model m;
    m.purchase_event = "purchase";
    for (const std::string& id : users) m.users.intern(id);
    std::vector<std::pair<uint32_t, size_t>> order; // (user, input position)
    for (size_t i = 0; i < events.size(); i++) {
        std::optional<uint32_t> u = m.users.find(events[i].user);
        REQUIRE_MESSAGE(u.has_value(), "unknown user " << events[i].user);
        order.push_back({*u, i});
    }
    std::stable_sort(order.begin(), order.end(), [&](const auto& a, const auto& b) {
        return a.first != b.first ? a.first < b.first : events[a.second].time < events[b.second].time;
    });
    EventStore& s = m.events;
    s.offsets.assign(users.size() + 1, 0);
    for (const auto& [u, i] : order) {
        const CohortEvent& e = events[i];
        s.offsets[u + 1]++;
        s.time.push_back(e.time);
        s.event.push_back(m.event_names.intern(e.event));
        s.values.push_back(e.revenue, e.order.empty() ? EventStore::kNoOrder : m.order_ids.intern(e.order));
        m.min_time_us = std::min(m.min_time_us, e.time);
        m.max_time_us = std::max(m.max_time_us, e.time);
    }
    for (size_t u = 0; u < users.size(); u++) s.offsets[u + 1] += s.offsets[u];
    m.attributes.push_back(date_column("signup", signup, users.size()));
    // With the index, the per-user aggregates too, as build_model gives them: the engines then
    // take their paths for a built model (lifecycle and the board: first/last seen, and the
    // scan of the index's time view); without, the CSR slices alone.
    if (with_index) {
        m.event_index = build_event_index(m.events);
        const std::optional<uint32_t> purchase = m.event_names.find(m.purchase_event);
        m.aggregates =
            compute_user_aggregates(m.events, purchase ? *purchase : UINT32_MAX, m.order_ids.size());
    }
    return m;
}

} // namespace segx::test
