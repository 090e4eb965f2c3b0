#pragma once
// Small models of purchases written in code, for RFM worked out by hand:
//
//   rfm_model({"u1", "u2"}, {{"u1", 0, 100.0, "A"}, {"u2", 5 * D, std::nullopt}})
//
// gives users u1, u2 (in that order) with purchases at T0 + t (revenue, order id optional);
// a Buy's `event` may be another name ("refund", "view"). `Paths` chooses how the engine reads
// purchases: the model's aggregates and event index (as build_model makes them), the index
// alone, or neither (the CSR slices), so every test can run all three.

#include "../fixture_time.h"
#include "core/model/event_index.h"
#include "core/model/model.h"
#include "core/model/user_aggregates.h"
#include "core/rfm/engine.h"
#include "core/rfm/json.h"
#include "core/time/civil.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

namespace segx::test {

constexpr int64_t DAY = kMicrosPerDay;

struct Buy {
    std::string user;
    int64_t t = 0; // µs after T0
    std::optional<double> revenue = std::nullopt;
    std::optional<std::string> order = std::nullopt;
    std::string event = "purchase";
};

enum class Paths { Full, IndexOnly, Slices };

inline Model rfm_model(const std::vector<std::string>& ids, std::vector<Buy> buys,
                       Paths paths = Paths::Full) {
    Model m;
    m.purchase_event = "purchase";
    for (const std::string& id : ids) m.users.intern(id);
    std::stable_sort(buys.begin(), buys.end(), [&](const Buy& a, const Buy& b) {
        const uint32_t ua = *m.users.find(a.user), ub = *m.users.find(b.user);
        return ua != ub ? ua < ub : a.t < b.t;
    });
    EventStore& s = m.events;
    s.offsets.assign(ids.size() + 1, 0);
    for (const Buy& b : buys) {
        const std::optional<uint32_t> u = m.users.find(b.user);
        REQUIRE(u.has_value());
        s.offsets[*u + 1]++;
        s.time.push_back(T0 + b.t);
        s.event.push_back(m.event_names.intern(b.event));
        s.values.push_back(b.revenue ? *b.revenue : NAN,
                           b.order ? m.order_ids.intern(*b.order) : EventStore::kNoOrder);
        m.min_time_us = std::min(m.min_time_us, T0 + b.t);
        m.max_time_us = std::max(m.max_time_us, T0 + b.t);
    }
    for (size_t u = 0; u < ids.size(); u++) s.offsets[u + 1] += s.offsets[u];
    if (paths != Paths::Slices) m.event_index = build_event_index(s);
    if (paths == Paths::Full) {
        const std::optional<uint32_t> code = m.event_names.find(m.purchase_event);
        m.aggregates = compute_user_aggregates(s, code ? *code : UINT32_MAX, m.order_ids.size());
    }
    return m;
}

inline Rfm rfm_of(const std::string& text) {
    RfmValidation v = parse_rfm(text);
    INFO(text);
    INFO(join_errors(v.errors));
    REQUIRE(v.ok());
    return v.rfm;
}

inline RfmResult rfm_run(const Model& m, const Rfm& rfm, int64_t as_of) {
    RfmResult r = run_rfm_engine(rfm, RfmContext{m, as_of, nullptr});
    INFO(join_errors(r.errors));
    REQUIRE(r.ok());
    return r;
}

// "u1=5,4,3 u2=- ..." (R, F, M scores per user, "-" for non-customers), in user-index order.
inline std::string score_text(const Model& m, const RfmScores& s) {
    std::string out;
    for (size_t u = 0; u < s.days.size(); u++) {
        out += (u ? " " : "") + std::string(m.users.id(uint32_t(u))) + "=";
        if (s.days[u] < 0)
            out += "-";
        else
            out += std::to_string(s.r[u]) + "," + std::to_string(s.f[u]) + "," + std::to_string(s.m[u]);
    }
    return out;
}

// "u1=3d/2/150 ..." (days, orders, M), "-" for non-customers.
inline std::string metric_text(const Model& m, const RfmScores& s) {
    std::string out;
    for (size_t u = 0; u < s.days.size(); u++) {
        out += (u ? " " : "") + std::string(m.users.id(uint32_t(u))) + "=";
        if (s.days[u] < 0) {
            out += "-";
            continue;
        }
        char buf[64];
        std::snprintf(buf, sizeof buf, "%dd/%u/%g", s.days[u], s.orders[u], s.monetary[u]);
        out += buf;
    }
    return out;
}

} // namespace segx::test
