// segx_bench_funnel: times 4-step funnels (view_item → add_to_cart → begin_checkout → purchase,
// 7-day window) in each order mode over 1M users and ~10M events, natively. Times are this
// thread's CPU time, best of 5 (the machine may be busy). Not part of CTest; run by hand:
//   cmake --build build/native --target segx_bench_funnel && build/native/tests/core/segx_bench_funnel
// The browser figure, beside DuckDB-wasm on the same data, is the job of a page benchmark.
//
// The model is filled directly: each user has 0..20 events (10 on average) over the 90 days
// before as-of, in sessions that walk the shop's funnel with the demo generator's drop-off
// (a page_view or search, then view_item; 20% of those add to cart, 55% of carts check out, 75%
// of checkouts buy), so every step has real users and attempts restart often.

#include "core/funnel/engine.h"
#include "core/funnel/json.h"
#include "core/model/event_index.h"
#include "core/time/civil.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

using namespace segx;

namespace {

struct Rng {
    uint64_t s = 0x9E3779B97F4A7C15ull;
    uint64_t next() {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        return s;
    }
    double unit() { return double(next() >> 11) / double(1ull << 53); }
};

double cpu_ms() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

Model make_model(size_t users, int64_t as_of) {
    Model m;
    Rng rng;
    const char* names[] = {"page_view", "search", "view_item", "add_to_cart", "begin_checkout", "purchase"};
    for (const char* n : names) m.event_names.intern(n);
    for (size_t u = 0; u < users; u++) m.users.intern("u" + std::to_string(u));
    EventStore& ev = m.events;
    ev.offsets.assign(users + 1, 0);
    std::vector<std::pair<int64_t, uint32_t>> mine;
    for (size_t u = 0; u < users; u++) {
        mine.clear();
        const size_t n = size_t(rng.next() % 21);
        while (mine.size() < n) {
            int64_t t = as_of - int64_t(rng.next() % uint64_t(90 * kMicrosPerDay));
            mine.push_back({t, uint32_t(rng.next() % 2)}); // page_view or search
            uint32_t step = 2;                             // view_item, then maybe further
            const double keep[] = {1.0, 0.2, 0.55, 0.75};
            while (step <= 5 && mine.size() < n && rng.unit() < keep[step - 2]) {
                t += int64_t(rng.next() % uint64_t(3 * 3600)) * 1000000; // up to 3 hours later
                mine.push_back({t, step++});
            }
        }
        std::sort(mine.begin(), mine.end());
        for (const auto& [t, e] : mine) ev.time.push_back(t), ev.event.push_back(e);
        ev.offsets[u + 1] = ev.time.size();
    }
    ev.values = EventValues::from_dense(std::vector<double>(ev.time.size(), 0),
                                        std::vector<uint32_t>(ev.time.size(), EventStore::kNoOrder));
    m.purchase_event = "purchase";
    m.min_time_us = as_of - 90 * kMicrosPerDay;
    m.max_time_us = as_of;
    return m;
}

} // namespace

int main(int argc, char** argv) {
    const int64_t as_of = days_from_civil(2026, 11, 30) * kMicrosPerDay;
    double t0 = cpu_ms();
    Model m = make_model(1000000, as_of);
    std::printf("model: %zu users, %zu events (built in %.0f ms)\n", m.users.size(), m.events.size(),
                cpu_ms() - t0);
    t0 = cpu_ms();
    m.event_index = build_event_index(m.events);
    std::printf("event index: %.1f ms\n", cpu_ms() - t0);
    {
        double best = 1e300;
        int64_t sum = 0;
        for (int rep = 0; rep < 5; rep++) {
            t0 = cpu_ms();
            for (uint32_t code = 2; code < 6; code++)
                for (size_t k = m.event_index.first(code), e = k + m.event_index.count(code); k < e; k++)
                    sum += m.events.time[m.event_index.rows[k]];
            best = std::min(best, cpu_ms() - t0);
        }
        std::printf("floor: the steps' postings and their times read once: %.1f ms (%lld)\n", best,
                    (long long)(sum & 1));
    }
    if (std::getenv("SEGX_EXPERIMENT")) {
        std::vector<std::vector<uint32_t>> scratch;
        const uint32_t codes[] = {2, 3, 4, 5};
        const uint32_t* st[4];
        m.event_index.user_starts(m.events, codes, 4, st, scratch);
        for (int variant = 0; variant < 3; variant++) {
            double best = 1e300;
            uint64_t sum = 0;
            for (int rep = 0; rep < 5; rep++) {
                t0 = cpu_ms();
                const size_t users = m.users.size();
                for (size_t u = 0; u < users; u++) {
                    if (st[0][u] == st[0][u + 1]) continue;
                    if (variant == 0) {
                        sum += st[1][u + 1] - st[1][u];
                        continue;
                    }
                    const uint32_t* r = m.event_index.rows.data() + m.event_index.first(2) + st[0][u];
                    sum += m.events.time[r[0]];
                    if (variant == 2) {
                        size_t n = st[0][u + 1] - st[0][u];
                        for (size_t i = 1; i < n; i++) sum += m.events.time[r[i]];
                    }
                }
                best = std::min(best, cpu_ms() - t0);
            }
            std::printf("experiment %d: %.1f ms (%llu)\n", variant, best, (unsigned long long)(sum & 1));
        }
    }
    for (const char* order : {"ordered", "strict", "unordered"}) {
        if (argc > 1 && std::string(argv[1]) != order) continue; // one mode, to profile it
        const std::string text =
            std::string(
                R"({"segx": 1, "kind": "funnel", "steps": [{"event": "view_item"}, {"event": "add_to_cart"},
                {"event": "begin_checkout"}, {"event": "purchase"}], "window": {"days": 7}, "order": ")") +
            order + "\"}";
        FunnelValidation parsed = parse_funnel(text);
        if (!parsed.ok()) {
            std::printf("%s: %s\n", order, join_errors(parsed.errors).c_str());
            return 1;
        }
        FunnelContext ctx{m, as_of, nullptr};
        double best = 1e300;
        FunnelResult r;
        for (int rep = 0; rep < 5; rep++) {
            t0 = cpu_ms();
            r = run_funnel_engine(parsed.funnel, ctx);
            best = std::min(best, cpu_ms() - t0);
        }
        double levels_best = 1e300;
        for (int rep = 0; rep < 5; rep++) {
            t0 = cpu_ms();
            FunnelLevels l = funnel_levels(parsed.funnel, ctx);
            levels_best = std::min(levels_best, cpu_ms() - t0);
        }
        std::printf("%-9s %8.1f ms (levels alone %.1f ms)  steps", order, best, levels_best);
        for (const FunnelStepResult& s : r.steps) std::printf(" %llu", (unsigned long long)s.users);
        std::printf("\n");
    }
    return 0;
}
