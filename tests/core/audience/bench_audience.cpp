// segx_bench_audience: times two 4-rule audiences (2 property, 2 behavior each) over 1M users
// and ~10M events, cold, per rule and after one-rule edits:
//   A: country in 5 of 50 values AND age between 25 and 40 AND did purchase in the last 90 days
//      AND did view_item with platform = ios in the last 90 days;
//   B (the browser bench's shape, tests/bench/audience_bench.mjs): country in 3 values AND age
//      between 25 and 40 AND did view_item count gte 3 in the last 30 days AND did purchase
//      sum(revenue) gte 100 all time.
// Times are this thread's CPU time, best of 10 (the machine may be busy). Not part of CTest;
// run by hand:
//   cmake --build build/native --target segx_bench_audience && build/native/tests/core/segx_bench_audience
//
// The model is filled directly (not through the loaders, which bench_build times): 1M users
// with a country (50 values, 5% null) and an age (5% null); 0..20 events per user (10 on
// average) over the year before as-of, with the demo shop's event mix (data/generate.mjs at
// 10M events: page_view 42%, view_item 34%, search 9%, add_to_cart 7%, begin_checkout 4%,
// purchase 4.6% carrying revenue 0..100), and a platform property.

#include "core/audience/audience_cache.h"
#include "core/audience/evaluate.h"
#include "core/audience/json.h"
#include "core/audience/rule_eval.h"
#include "core/time/civil.h"

#include <algorithm>
#include <chrono>
#include <cmath>
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
};

double ms_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

// This thread's CPU time: evaluation is single-threaded, so on a quiet machine this is the wall
// time, and on a busy one it leaves out the time other processes held the core. (Emscripten,
// for a run under Node, has only wall time.)
double cpu_ms() {
    timespec ts{};
#ifdef __EMSCRIPTEN__
    clock_gettime(CLOCK_MONOTONIC, &ts);
#else
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
#endif
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

// A VARCHAR column from codes into `values` (code 0 is "", the null filler, as loaders make it).
Column string_column(const char* name, const std::vector<std::string>& values, std::vector<uint32_t> codes,
                     const std::vector<bool>& valid) {
    Column c;
    c.name = name;
    c.type = ColumnType::String;
    c.dict.intern("");
    for (const std::string& v : values) c.dict.intern(v);
    c.codes = CodeVector(codes);
    for (bool v : valid) c.valid.push_back(v);
    return c;
}

Model make_model(size_t users, int64_t as_of) {
    Model m;
    Rng rng;
    std::vector<std::string> countries;
    for (int i = 0; i < 50; i++) countries.push_back(i == 0 ? "CN" : i == 1 ? "US" : "C" + std::to_string(i));
    std::vector<uint32_t> country_codes(users);
    std::vector<bool> country_valid(users);
    Column age;
    age.name = "age";
    age.type = ColumnType::Int64;
    for (size_t u = 0; u < users; u++) {
        m.users.intern("user" + std::to_string(u));
        bool has_country = rng.next() % 20 != 0;
        country_valid[u] = has_country;
        country_codes[u] = has_country ? uint32_t(1 + rng.next() % 50) : 0;
        bool has_age = rng.next() % 20 != 0;
        age.ints.push_back(has_age ? int64_t(16 + rng.next() % 60) : 0);
        age.valid.push_back(has_age);
    }
    m.attributes.push_back(string_column("country", countries, std::move(country_codes), country_valid));
    m.attributes.push_back(std::move(age));
    m.attribute_sources = {"users.csv", "users.csv"};

    // Per mille, in code order: page_view, view_item, search, add_to_cart, begin_checkout, purchase.
    const char* names[6] = {"page_view", "view_item", "search", "add_to_cart", "begin_checkout", "purchase"};
    const uint32_t per_mille[6] = {419, 345, 91, 69, 36, 40};
    for (const char* n : names) m.event_names.intern(n);
    const uint32_t purchase = 5;
    EventStore& ev = m.events;
    ev.offsets.push_back(0);
    std::vector<uint32_t> platform_codes;
    std::vector<int64_t> times;
    for (size_t u = 0; u < users; u++) {
        size_t k = rng.next() % 21;
        times.clear();
        for (size_t i = 0; i < k; i++)
            times.push_back(as_of - int64_t(rng.next() % uint64_t(365 * kMicrosPerDay)));
        std::sort(times.begin(), times.end());
        for (int64_t t : times) {
            uint32_t r = uint32_t(rng.next() % 1000), e = 0;
            while (e < 5 && r >= per_mille[e]) r -= per_mille[e++];
            ev.time.push_back(t);
            ev.event.push_back(e);
            ev.values.push_back(e == purchase ? double(rng.next() % 10000) / 100.0 : std::nan(""),
                                EventStore::kNoOrder);
            platform_codes.push_back(uint32_t(1 + rng.next() % 3));
        }
        ev.offsets.push_back(ev.time.size());
    }
    ev.properties.push_back(string_column("platform", {"ios", "android", "web"}, platform_codes,
                                          std::vector<bool>(platform_codes.size(), true)));
    m.min_time_us = as_of - 365 * kMicrosPerDay;
    m.max_time_us = as_of;
    return m;
}

Audience parse_or_die(const std::string& text) {
    ValidationResult v = parse_audience(text);
    if (!v.ok()) {
        std::fprintf(stderr, "%s\n", join_errors(v.errors).c_str());
        std::exit(1);
    }
    return v.audience;
}

Audience audience_a(int purchase_days) {
    return parse_or_die(R"({"segx": 1, "id": "a", "name": "A", "root": {"match": "all", "rules": [
        {"kind": "property", "attribute": "country", "op": "in", "values": ["CN", "US", "C2", "C3", "C4"]},
        {"kind": "property", "attribute": "age", "op": "between", "values": [25, 40]},
        {"kind": "behavior", "event": "purchase", "window": {"last_days": )" +
                        std::to_string(purchase_days) + R"(}, "count": {"op": "gte", "value": 1}},
        {"kind": "behavior", "event": "view_item", "where": [{"property": "platform", "op": "eq", "value": "ios"}],
         "window": {"last_days": 90}}]}})");
}

Audience audience_b(int view_days, int revenue) {
    return parse_or_die(R"({"segx": 1, "id": "b", "name": "B", "root": {"match": "all", "rules": [
        {"kind": "property", "attribute": "country", "op": "in", "values": ["CN", "US", "C2"]},
        {"kind": "property", "attribute": "age", "op": "between", "values": [25, 40]},
        {"kind": "behavior", "event": "view_item", "window": {"last_days": )" +
                        std::to_string(view_days) + R"(}, "count": {"op": "gte", "value": 3}},
        {"kind": "behavior", "event": "purchase",
         "aggregate": {"fn": "sum", "of": "revenue", "op": "gte", "value": )" +
                        std::to_string(revenue) + R"(}}]}})");
}

// Best of `repeats`, in thread CPU time: the machine may be busy with other work.
template <typename F>
double best_ms(int repeats, F&& f) {
    double best = 1e300;
    for (int r = 0; r < repeats; r++) {
        double t0 = cpu_ms();
        f();
        best = std::min(best, cpu_ms() - t0);
    }
    return best;
}

// Uncached, each rule alone, cached cold and warm, then one-rule edits: `edit(i)` is the
// audience with one rule changed to a value not seen before (i = 1..10).
template <typename Edit>
void run(const char* title, const Audience& base, const EvalContext& ctx, Edit&& edit) {
    std::printf("%s\n", title);
    size_t members = 0;
    double uncached = best_ms(10, [&] { members = evaluate(base, ctx).users.count_set(); });
    std::printf("  uncached evaluate              %8.2f ms  (%zu members)\n", uncached, members);

    // Per rule, to see where the time goes.
    for (size_t i = 0; i < base.root.rules.size(); i++) {
        Audience one;
        one.root.rules.push_back(base.root.rules[i]);
        size_t n = 0;
        double ms = best_ms(10, [&] { n = evaluate(one, ctx).users.count_set(); });
        std::printf("    rule %zu (%s)%*s %8.2f ms  (%zu users)", i, rule_kind_name(base.root.rules[i].node),
                    int(20 - std::string(rule_kind_name(base.root.rules[i].node)).size()), "", ms, n);
        if (std::holds_alternative<BehaviorRule>(base.root.rules[i].node)) {
            // Each view of the event index forced, to see what the cost-based choice chose from.
            double by_plan[2];
            const BehaviorPlan plans[2] = {BehaviorPlan::Postings, BehaviorPlan::TimeSlice};
            for (int p = 0; p < 2; p++) {
                set_behavior_plan_for_tests(plans[p]);
                by_plan[p] = best_ms(10, [&] { n = evaluate(one, ctx).users.count_set(); });
            }
            set_behavior_plan_for_tests(BehaviorPlan::Auto);
            std::printf("  [postings %.2f, time slice %.2f]", by_plan[0], by_plan[1]);
        }
        std::printf("\n");
    }

    double cold = best_ms(10, [&] {
        AudienceCache cache;
        members = cache.evaluate(base, ctx).users.count_set();
    });
    std::printf("  cached, cold (4 misses)        %8.2f ms\n", cold);

    AudienceCache cache;
    cache.evaluate(base, ctx);
    double warm = best_ms(10, [&] { members = cache.evaluate(base, ctx).users.count_set(); });
    std::printf("  cached, unchanged (4 hits)     %8.2f ms\n", warm);

    double one_edit = 1e300;
    for (int i = 1; i <= 10; i++) {
        Audience edited = edit(i);
        double t1 = cpu_ms();
        members = cache.evaluate(edited, ctx).users.count_set();
        one_edit = std::min(one_edit, cpu_ms() - t1);
    }
    std::printf("  cached, one rule edited (3 hits, 1 miss) %6.2f ms  (%zu members)\n", one_edit, members);
    AudienceCache::Stats s = cache.stats();
    std::printf("  cache: %zu hits, %zu misses, %zu entries\n", s.hits, s.misses, s.entries);
}

} // namespace

int main(int argc, char** argv) {
    size_t users = argc > 1 ? size_t(std::strtoull(argv[1], nullptr, 10)) : 1000000;
    const int64_t as_of = days_from_civil(2024, 12, 31) * kMicrosPerDay;
    auto t0 = std::chrono::steady_clock::now();
    Model m = make_model(users, as_of);
    std::printf("model: %zu users, %zu events (built in %.0f ms)\n", m.users.size(), m.events.size(),
                ms_since(t0));
    // As build_model does; without it every behavior rule would build a throw-away index.
    double index_ms = best_ms(3, [&] { m.event_index = build_event_index(m.events); });
    std::printf("event index: built in %.1f ms, %.1f MB (%.2f bytes/event); model %.1f MB\n", index_ms,
                double(m.event_index.memory_bytes()) / 1e6,
                double(m.event_index.memory_bytes()) / double(std::max<size_t>(1, m.events.size())),
                double(m.memory_bytes()) / 1e6);

    EvalContext ctx{m, as_of, 1, nullptr};
    run("A: country, age, purchase in 90 days, view_item on ios in 90 days", audience_a(90), ctx,
        [](int i) { return audience_a(90 + i); }); // the purchase window
    run("B: country, age, view_item >= 3 in 30 days, purchase sum(revenue) >= 100", audience_b(30, 100), ctx,
        [](int i) { return audience_b(30, 100 + i); }); // the revenue threshold
    run("B, editing the view_item window instead", audience_b(30, 100), ctx,
        [](int i) { return audience_b(30 + i, 100); });
    run("B with view_item in the last 60 days, editing that window", audience_b(60, 100), ctx,
        [](int i) { return audience_b(60 + i, 100); });
    return 0;
}
