// scan_events_by_day against a literal walk over every event, on random stores whose times
// crowd the scan's edges (at them, one microsecond either side, at midnights), so that the day
// rules are met at each boundary: days read with their exact times, days taken whole, and
// changes that lie after an event name's latest event (no time read for that name).
#include "core/model/user_events.h"

#include "core/time/civil.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace core_model_user_events_test {

using namespace segx;

namespace {

constexpr int64_t D = kMicrosPerDay;

} // namespace

TEST_CASE("scan_events_by_day marks what a walk over every event marks") {
    std::mt19937_64 rng(4242);
    auto pick = [&](int64_t n) { return int64_t(rng() % uint64_t(n)); };
    const int64_t base = 20000 * D;
    int latest_at_edge = 0; // names whose latest event is at an edge: changes at it and just after
    for (int round = 0; round < 2000; round++) {
        CAPTURE(round);
        // The scan's range and edges, at random times of random days.
        auto some_time = [&] {
            return base + pick(30) * D + (pick(3) == 0 ? 0 : pick(3) == 0 ? D - 1 : pick(D));
        };
        int64_t lo = some_time(), hi = some_time();
        if (lo > hi) std::swap(lo, hi);
        if (lo == hi) hi++;
        std::vector<int64_t> edges;
        for (int64_t i = 0, n = pick(4); i < n; i++) edges.push_back(lo + pick(hi - lo + 1));
        // Events: near the edges (at, just before, just after) or anywhere.
        std::vector<int64_t> near = edges;
        near.push_back(lo);
        near.push_back(hi);
        Model m;
        EventStore& s = m.events;
        const size_t users = size_t(1 + pick(6));
        const uint32_t codes = uint32_t(1 + pick(3));
        s.offsets.push_back(0);
        for (size_t u = 0; u < users; u++) {
            std::vector<std::pair<int64_t, uint32_t>> events;
            for (int64_t i = 0, n = pick(12); i < n; i++) {
                int64_t t = pick(2) ? near[size_t(pick(int64_t(near.size())))] + pick(3) - 1 : some_time();
                if (pick(8) == 0) t = base + pick(32) * D - pick(2); // at or just before a midnight
                events.push_back({t, uint32_t(pick(codes))});
            }
            std::sort(events.begin(), events.end());
            for (const auto& [t, code] : events) {
                s.time.push_back(t);
                s.event.push_back(code);
                s.values.push_back(NAN, EventStore::kNoOrder);
            }
            s.offsets.push_back(s.time.size());
        }
        if (s.size() == 0) continue;
        m.event_index = build_event_index(s);
        // Flags change at each edge (t >= edge) and just after it (t > edge).
        const auto flags_of = [&](int64_t t) {
            if (t <= lo || t > hi) return uint16_t(0);
            uint16_t f = 1;
            for (size_t j = 0; j < edges.size(); j++)
                f |= uint16_t((t >= edges[j] ? 2u : 0u) << (2 * j)) |
                     uint16_t((t > edges[j] ? 4u : 0u) << (2 * j));
            return f;
        };
        for (uint32_t c = 0; c < m.event_index.codes(); c++)
            for (int64_t e : edges)
                latest_at_edge += m.event_index.count(c) > 0 && m.event_index.max_time[c] == e;
        std::vector<uint16_t> got(users, 0), want(users, 0);
        const bool ok =
            scan_events_by_day(m, lo, hi, edges, flags_of, [&](uint32_t u, uint16_t f) { got[u] |= f; });
        REQUIRE(ok);
        for (size_t u = 0; u < users; u++)
            for (uint64_t r = s.offsets[u]; r < s.offsets[u + 1]; r++) want[u] |= flags_of(s.time[r]);
        CHECK(got == want);
    }
    CHECK(latest_at_edge > 30); // the fixture reaches the case it is for
}

} // namespace core_model_user_events_test
