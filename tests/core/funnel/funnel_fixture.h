#pragma once
// Small models written as text, for funnels worked out by hand:
//
//   model_of({{"u1", "a@0 b@5:m c@10.000001"}, {"u2", ""}}, {"CN", nullopt})
//
// gives users u1, u2 (in that order; u2 without events) and u1's events a at 0 s, b at 5 s with
// device "m", c at 10 s + 1 µs, all from T0 (2024-01-01). Events of one user keep the written
// order for equal times (the EventStore's stable order). Attribute "country" per user, event
// property "device". `levels(...)` runs a funnel given as JSON and prints "u1=3 u2=0".

#include "../fixture_time.h"
#include "core/funnel/engine.h"
#include "core/funnel/json.h"
#include "core/model/model.h"
#include "core/time/civil.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace segx::test {

constexpr int64_t S = 1000000; // one second in µs

inline Column text_column(const std::string& name, const std::vector<std::optional<std::string>>& values) {
    Column c;
    c.name = name;
    c.type = ColumnType::String;
    std::string bytes;
    std::vector<int32_t> offsets{0};
    std::vector<uint8_t> validity(values.size() / 8 + 1, 0);
    for (size_t i = 0; i < values.size(); i++) {
        if (values[i]) {
            bytes += *values[i];
            validity[i / 8] |= uint8_t(1u << (i % 8));
        }
        offsets.push_back(int32_t(bytes.size()));
    }
    c.append_utf8(offsets.data(), bytes.data(), validity.data(), 0, values.size());
    return c;
}

struct RawEvent {
    uint32_t user;
    int64_t time; // µs
    std::string event;
    std::optional<std::string> device;
};

// A model from events already grouped however: they are stably sorted by (user, time).
inline Model model_from(const std::vector<std::string>& user_ids, std::vector<RawEvent> events,
                        const std::vector<std::optional<std::string>>& country) {
    Model m;
    for (const std::string& id : user_ids) m.users.intern(id);
    std::stable_sort(events.begin(), events.end(), [](const RawEvent& a, const RawEvent& b) {
        return a.user != b.user ? a.user < b.user : a.time < b.time;
    });
    EventStore& s = m.events;
    s.offsets.assign(user_ids.size() + 1, 0);
    std::vector<std::optional<std::string>> device;
    for (const RawEvent& e : events) {
        s.offsets[e.user + 1]++;
        s.time.push_back(e.time);
        s.event.push_back(m.event_names.intern(e.event));
        s.values.push_back(NAN, EventStore::kNoOrder);
        device.push_back(e.device);
        m.min_time_us = std::min(m.min_time_us, e.time);
        m.max_time_us = std::max(m.max_time_us, e.time);
    }
    for (size_t u = 0; u < user_ids.size(); u++) s.offsets[u + 1] += s.offsets[u];
    s.properties.push_back(text_column("device", device));
    std::vector<std::optional<std::string>> c = country;
    c.resize(user_ids.size());
    m.attributes.push_back(text_column("country", c));
    return m;
}

// "a@0 b@5:m c@10.000001": name@seconds[:device].
inline Model model_of(const std::vector<std::pair<std::string, std::string>>& users,
                      const std::vector<std::optional<std::string>>& country = {}) {
    std::vector<std::string> ids;
    std::vector<RawEvent> events;
    for (uint32_t u = 0; u < users.size(); u++) {
        ids.push_back(users[u].first);
        std::istringstream in(users[u].second);
        std::string word;
        while (in >> word) {
            RawEvent e{u, 0, "", std::nullopt};
            size_t at = word.find('@'), colon = word.find(':');
            e.event = word.substr(0, at);
            std::string secs =
                word.substr(at + 1, colon == std::string::npos ? std::string::npos : colon - at - 1);
            // Seconds with up to six decimals, exactly (no double rounding of the µs).
            size_t dot = secs.find('.');
            int64_t whole = std::stoll(secs.substr(0, dot)), micro = 0;
            if (dot != std::string::npos) {
                std::string frac = secs.substr(dot + 1);
                frac.resize(6, '0');
                micro = std::stoll(frac);
            }
            e.time = T0 + whole * S + micro;
            if (colon != std::string::npos) e.device = word.substr(colon + 1);
            events.push_back(std::move(e));
        }
    }
    return model_from(ids, std::move(events), country);
}

inline Funnel funnel_of(const std::string& text) {
    FunnelValidation v = parse_funnel(text);
    INFO(text);
    INFO(join_errors(v.errors));
    REQUIRE(v.ok());
    return v.funnel;
}

// {"segx": 1, "kind": "funnel", "steps": [{"event": "a"}, ...], <rest>}
inline std::string funnel_json(const std::vector<std::string>& steps, const std::string& rest = "") {
    std::string s = R"({"segx": 1, "kind": "funnel", "steps": [)";
    for (size_t i = 0; i < steps.size(); i++) {
        if (i) s += ", ";
        s += steps[i][0] == '{' ? steps[i] : "{\"event\": \"" + steps[i] + "\"}";
    }
    s += "]";
    if (!rest.empty()) s += ", " + rest;
    return s + "}";
}

inline FunnelResult run_on(const Model& m, const Funnel& f, int64_t as_of = INT64_MAX) {
    FunnelContext ctx{m, as_of == INT64_MAX ? m.max_time_us : as_of, nullptr};
    FunnelResult r = run_funnel_engine(f, ctx);
    INFO(join_errors(r.errors));
    REQUIRE(r.ok());
    return r;
}

// "u1=3 u2=0"
inline std::string levels(const Model& m, const std::string& funnel, int64_t as_of = INT64_MAX) {
    FunnelResult r = run_on(m, funnel_of(funnel), as_of);
    std::string out;
    for (size_t u = 0; u < r.levels.size(); u++)
        out += (u ? " " : "") + std::string(m.users.id(uint32_t(u))) + "=" + std::to_string(r.levels[u]);
    return out;
}

} // namespace segx::test
